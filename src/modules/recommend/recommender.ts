import { createTopBlender, restoreEngine, type EnginePart } from './engine/model.ts';
import type { CsrMatrix } from './engine/sparse.ts';
import type { ModelData } from './models.ts';
import type { Candidate, Recaller } from './ranking.ts';

const ENGINE_CANDIDATES = 150;

/** A model ready to serve: the engine's recallers over dense item numbers, and lookups by product id. */
export class LoadedModel {
  readonly indexOf: Map<string, number>;
  readonly parts: EnginePart[];
  private readonly transitions?: CsrMatrix;
  private readonly top: ReturnType<typeof createTopBlender>;
  /** Items by popularity, most popular first. */
  readonly popular: Int32Array;

  constructor(readonly version: number, readonly data: ModelData) {
    this.indexOf = new Map(data.itemIds.map((id, i) => [id, i]));
    this.parts = restoreEngine(data.engine);
    this.transitions = data.engine.transitions;
    this.top = createTopBlender(this.parts, data.itemIds.length);
    const popularity = data.engine.popularity;
    this.popular = Int32Array.from(popularity.keys()).sort((a, b) => popularity[b] - popularity[a] || a - b);
  }

  get itemCount() {
    return this.data.itemIds.length;
  }

  /** Dense item numbers of the known products among these, in the same order. */
  itemsOf(productIds: string[]): Int32Array {
    return Int32Array.from(productIds.flatMap((id) => (this.indexOf.has(id) ? [this.indexOf.get(id)!] : [])));
  }

  /**
   * The engine's best candidates for a history (oldest first), scored 0..1, each named
   * after the recaller that contributed most and, for sequence recallers, the history
   * product that led to it. Serving is synchronous, so the scratch arrays are shared.
   */
  recall(history: Int32Array, limit = ENGINE_CANDIDATES): Candidate[] {
    if (!history.length) return [];
    const top = this.top(history, limit);
    const max = top[0]?.score ?? 0;
    const links = this.strongestLinks(history, new Set(top.map((t) => t.item)));
    return top.map(({ item, score, part }) => {
      const recaller = this.parts[part].name as Recaller;
      const sequential = recaller === 'transitions' || recaller === 'sessionKnn' || recaller === 'embeddings';
      const because = sequential ? (links.get(item) ?? history[history.length - 1]) : undefined;
      return { productId: this.data.itemIds[item], score: max > 0 ? score / max : 0, recaller, ...(because !== undefined ? { because: this.data.itemIds[because] } : {}) };
    });
  }

  /** Items bought in the same orders as these products, most often first. */
  boughtWith(items: Int32Array, limit: number): Candidate[] {
    const m = this.data.boughtTogether;
    const found = new Map<number, { score: number; because: number }>();
    for (const a of items) {
      for (let i = m.rowStart[a]; i < m.rowStart[a + 1]; i++) {
        const b = m.cols[i];
        const previous = found.get(b);
        found.set(b, { score: (previous?.score ?? 0) + m.values[i], because: previous?.because ?? a });
      }
    }
    for (const a of items) found.delete(a);
    const sorted = [...found].sort((x, y) => y[1].score - x[1].score || x[0] - y[0]).slice(0, limit);
    const max = sorted[0]?.[1].score ?? 1;
    return sorted.map(([item, { score, because }]) => ({ productId: this.data.itemIds[item], score: score / max, recaller: 'boughtTogether', because: this.data.itemIds[because] }));
  }

  /** What a crowd's members like, best first. */
  crowdFavourites(crowdIds: string[], limit: number): Candidate[] {
    const out: Candidate[] = [];
    for (const crowdId of crowdIds) {
      const items = this.data.crowdItems[crowdId] ?? new Int32Array();
      items.slice(0, limit).forEach((item, rank) => out.push({ productId: this.data.itemIds[item], score: 1 - rank / (limit + 1), recaller: 'crowd' }));
    }
    return out;
  }

  popularity(item: number): number {
    return this.data.engine.popularity[item] ?? 0;
  }

  /**
   * For each candidate, the recent history item with the strongest (recency-decayed) transition
   * to it; candidates no recent item leads to are left out (the caller names the latest item).
   * One walk over each recent item's row, not one per candidate.
   */
  private strongestLinks(history: Int32Array, candidates: Set<number>): Map<number, number> {
    const m = this.transitions;
    const from = new Map<number, number>();
    if (!m) return from;
    const weight = new Map<number, number>();
    for (let p = history.length - 1, decay = 1; p >= Math.max(0, history.length - 10); p--, decay *= 0.8) {
      const h = history[p];
      for (let i = m.rowStart[h]; i < m.rowStart[h + 1]; i++) {
        const item = m.cols[i];
        if (candidates.has(item) && m.values[i] * decay > (weight.get(item) ?? 0)) {
          weight.set(item, m.values[i] * decay);
          from.set(item, h);
        }
      }
    }
    return from;
  }
}
