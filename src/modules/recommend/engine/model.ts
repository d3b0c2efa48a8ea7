import { attributePopularityScorer, defaultAttributePopularityOptions, fitAttributePopularity, type AttributeLists, type AttributePopularityOptions } from './attribute-popularity.ts';
import { defaultEmbeddingOptions, embeddingsScorer, fitEmbeddings, type EmbeddingOptions, type ItemVectors } from './embeddings.ts';
import { fitPopularity, popularityScorer } from './popularity.ts';
import { defaultSessionKnnOptions, fitSessionKnn, sessionKnnScorer, type SessionIndex, type SessionKnnOptions } from './session-knn.ts';
import type { CsrMatrix } from './sparse.ts';
import { defaultTransitionOptions, fitTransitions, transitionsScorer, type TransitionOptions } from './transitions.ts';
import type { Scorer, TrainingData } from './types.ts';

type Weighted<T> = T & { weight: number };

/** The engine's recallers and their blend weights; a weight of 0 leaves a recaller out. */
export interface EngineSettings {
  transitions: Weighted<TransitionOptions>;
  sessionKnn: Weighted<SessionKnnOptions>;
  attributePopularity: Weighted<AttributePopularityOptions>;
  embeddings: Weighted<EmbeddingOptions>;
  /** Small: popularity breaks ties and covers histories with no signal. */
  popularity: { weight: number };
}

export const defaultEngineSettings: EngineSettings = {
  transitions: { ...defaultTransitionOptions, weight: 1 },
  sessionKnn: { ...defaultSessionKnnOptions, proximityDecay: 0.85, weight: 1 },
  attributePopularity: { ...defaultAttributePopularityOptions, weight: 0.5 },
  embeddings: { ...defaultEmbeddingOptions, weight: 0.2 },
  popularity: { weight: 0.001 },
};

export type RecallerName = 'transitions' | 'sessionKnn' | 'attributePopularity' | 'embeddings' | 'popularity';

/** What training produces: plain typed arrays, so it can cross a worker boundary and be stored. */
export interface EngineState {
  settings: EngineSettings;
  numItems: number;
  transitions?: CsrMatrix;
  sessionKnn?: SessionIndex;
  attributePopularity?: AttributeLists;
  embeddings?: ItemVectors;
  popularity: Float32Array;
}

export interface EnginePart {
  name: RecallerName;
  weight: number;
  scorer: Scorer;
}

/** Fits every recaller with a weight; `progress` hears each stage. */
export function fitEngine(data: TrainingData, settings: EngineSettings = defaultEngineSettings, progress: (stage: string, done: number) => void = () => {}): EngineState {
  const state: EngineState = { settings, numItems: data.numItems, popularity: fitPopularity(data) };
  progress('transitions', 0.1);
  if (settings.transitions.weight > 0) state.transitions = fitTransitions(data, settings.transitions);
  progress('session-knn', 0.3);
  if (settings.sessionKnn.weight > 0) state.sessionKnn = fitSessionKnn(data, settings.sessionKnn);
  progress('attribute-popularity', 0.4);
  if (settings.attributePopularity.weight > 0 && data.itemAttributes) state.attributePopularity = fitAttributePopularity(data, data.itemAttributes, settings.attributePopularity);
  if (settings.embeddings.weight > 0) state.embeddings = fitEmbeddings(data, settings.embeddings, (done) => progress('embeddings', 0.4 + 0.6 * done));
  progress('done', 1);
  return state;
}

export function restoreEngine(state: EngineState): EnginePart[] {
  const s = state.settings;
  const parts: EnginePart[] = [];
  if (state.transitions) parts.push({ name: 'transitions', weight: s.transitions.weight, scorer: transitionsScorer(state.transitions, s.transitions) });
  if (state.sessionKnn) parts.push({ name: 'sessionKnn', weight: s.sessionKnn.weight, scorer: sessionKnnScorer(state.sessionKnn, s.sessionKnn) });
  if (state.attributePopularity) parts.push({ name: 'attributePopularity', weight: s.attributePopularity.weight, scorer: attributePopularityScorer(state.attributePopularity, s.attributePopularity) });
  if (state.embeddings) parts.push({ name: 'embeddings', weight: s.embeddings.weight, scorer: embeddingsScorer(state.embeddings, s.embeddings) });
  if (s.popularity.weight > 0) parts.push({ name: 'popularity', weight: s.popularity.weight, scorer: popularityScorer(state.popularity) });
  return parts;
}

/**
 * The blend: each recaller's scores rescaled so the history's best item scores 1 (recallers
 * live on different scales), times its weight, summed. `byPart`, when given, receives each
 * part's weighted contribution so a caller can say which recaller put an item forward.
 * The returned function reuses its scratch array: call it from one thread at a time.
 */
export function createBlender(parts: EnginePart[], numItems: number) {
  const scratch = new Float32Array(numItems);
  return (history: Int32Array, scores: Float32Array, byPart?: Float32Array[]): void => {
    parts.forEach((part, p) => {
      scratch.fill(0);
      part.scorer.scoreInto(history, scratch);
      let max = 0;
      for (let i = 0; i < scratch.length; i++) if (scratch[i] > max) max = scratch[i];
      if (max <= 0) return;
      const scale = part.weight / max;
      const into = byPart?.[p];
      for (let i = 0; i < scores.length; i++) {
        const v = scale * scratch[i];
        scores[i] += v;
        if (into) into[i] = v;
      }
    });
  };
}

export interface TopItem {
  item: number;
  score: number;
  /** Index into the parts of the recaller that contributed most. */
  part: number;
}

/**
 * The blend's best items for a history, computed on the items the recallers touch instead
 * of the whole catalogue: the same ranking as `createBlender` for the top `limit` (a test
 * holds the two together), at a fraction of the cost when the catalogue is large. Dense
 * scorers (popularity) must not depend on the history: their scores are taken once.
 */
export function createTopBlender(parts: EnginePart[], numItems: number) {
  const scratch = new Float32Array(numItems);
  const total = new Float32Array(numItems);
  const best = new Float32Array(numItems);
  const bestPart = new Int16Array(numItems);
  const seen = new Uint8Array(numItems);
  const union = new Int32Array(numItems);
  const touched: number[] = [];
  const dense = parts.flatMap((part, index) => {
    if (!part.scorer.dense) return [];
    const scores = new Float32Array(numItems);
    part.scorer.scoreInto(new Int32Array(0), scores);
    let max = 0;
    for (const s of scores) if (s > max) max = s;
    const scale = max > 0 ? part.weight / max : 0;
    const order = Int32Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
    return [{ index, scores, scale, order }];
  });

  return (history: Int32Array, limit: number): TopItem[] => {
    let unionCount = 0;
    parts.forEach((part, p) => {
      if (part.scorer.dense) return;
      touched.length = 0;
      part.scorer.scoreInto(history, scratch, touched);
      let max = 0;
      for (const i of touched) if (scratch[i] > max) max = scratch[i];
      const scale = max > 0 ? part.weight / max : 0;
      for (const i of touched) {
        const v = scale * scratch[i];
        scratch[i] = 0;
        if (!seen[i]) {
          seen[i] = 1;
          union[unionCount++] = i;
        }
        total[i] += v;
        if (v > best[i]) {
          best[i] = v;
          bestPart[i] = p;
        }
      }
    });
    const excluded = new Set(history);
    for (const d of dense) {
      let taken = 0;
      for (let k = 0; k < d.order.length && taken < limit + excluded.size; k++) {
        const i = d.order[k];
        if (!seen[i]) {
          seen[i] = 1;
          union[unionCount++] = i;
        }
        taken++;
      }
    }
    const heap = new TopHeap(limit);
    for (let u = 0; u < unionCount; u++) {
      const i = union[u];
      let score = total[i];
      let part = bestPart[i];
      let strongest = best[i];
      for (const d of dense) {
        const v = d.scale * d.scores[i];
        score += v;
        if (v > strongest) {
          strongest = v;
          part = d.index;
        }
      }
      if (!excluded.has(i) && score > 0) heap.offer(i, score, part);
      total[i] = best[i] = 0;
      bestPart[i] = 0;
      seen[i] = 0;
    }
    return heap.sorted();
  };
}

/** The `size` best (score, then lower item first) of what it is offered: a binary min-heap on the worst kept. */
class TopHeap {
  private readonly items: TopItem[] = [];

  constructor(private readonly size: number) {}

  offer(item: number, score: number, part: number) {
    const heap = this.items;
    if (heap.length < this.size) {
      heap.push({ item, score, part });
      this.up(heap.length - 1);
    } else if (this.size > 0 && worse(heap[0], { item, score, part })) {
      heap[0] = { item, score, part };
      this.down(0);
    }
  }

  sorted(): TopItem[] {
    return this.items.sort((a, b) => b.score - a.score || a.item - b.item);
  }

  private up(i: number) {
    const heap = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!worse(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private down(i: number) {
    const heap = this.items;
    for (;;) {
      let smallest = i;
      for (const child of [2 * i + 1, 2 * i + 2]) if (child < heap.length && worse(heap[child], heap[smallest])) smallest = child;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
      i = smallest;
    }
  }
}

/** a ranks below b. */
const worse = (a: TopItem, b: TopItem) => a.score < b.score || (a.score === b.score && a.item > b.item);
