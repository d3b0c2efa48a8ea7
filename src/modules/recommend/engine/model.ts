import { attributePopularityScorer, defaultAttributePopularityOptions, fitAttributePopularity, type AttributeLists, type AttributePopularityOptions } from './attribute-popularity.ts';
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
  /** Small: popularity breaks ties and covers histories with no signal. */
  popularity: { weight: number };
}

export const defaultEngineSettings: EngineSettings = {
  transitions: { ...defaultTransitionOptions, weight: 1 },
  sessionKnn: { ...defaultSessionKnnOptions, proximityDecay: 0.85, weight: 1 },
  attributePopularity: { ...defaultAttributePopularityOptions, weight: 0.5 },
  popularity: { weight: 0.001 },
};

export type RecallerName = 'transitions' | 'sessionKnn' | 'attributePopularity' | 'popularity';

/** What training produces: plain typed arrays, so it can cross a worker boundary and be stored. */
export interface EngineState {
  settings: EngineSettings;
  numItems: number;
  transitions?: CsrMatrix;
  sessionKnn?: SessionIndex;
  attributePopularity?: AttributeLists;
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
  progress('session-knn', 0.6);
  if (settings.sessionKnn.weight > 0) state.sessionKnn = fitSessionKnn(data, settings.sessionKnn);
  progress('attribute-popularity', 0.8);
  if (settings.attributePopularity.weight > 0 && data.itemAttributes) state.attributePopularity = fitAttributePopularity(data, data.itemAttributes, settings.attributePopularity);
  progress('done', 1);
  return state;
}

export function restoreEngine(state: EngineState): EnginePart[] {
  const s = state.settings;
  const parts: EnginePart[] = [];
  if (state.transitions) parts.push({ name: 'transitions', weight: s.transitions.weight, scorer: transitionsScorer(state.transitions, s.transitions) });
  if (state.sessionKnn) parts.push({ name: 'sessionKnn', weight: s.sessionKnn.weight, scorer: sessionKnnScorer(state.sessionKnn, s.sessionKnn) });
  if (state.attributePopularity) parts.push({ name: 'attributePopularity', weight: s.attributePopularity.weight, scorer: attributePopularityScorer(state.attributePopularity, s.attributePopularity) });
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
