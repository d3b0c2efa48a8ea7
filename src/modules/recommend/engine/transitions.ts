import { addRow, mapValues, rowSum, TripletBuilder, type CsrMatrix } from './sparse.ts';
import { forRecent, itemCounts, type Scorer, type TrainingData } from './types.ts';

export interface TransitionOptions {
  /** Max distance between two items of a sequence that still counts as a transition. */
  window: number;
  /** Weight multiplier per extra step of distance. */
  distanceDecay: number;
  /** Weight of backward transitions (b seen before a) relative to forward ones. */
  backwardWeight: number;
  /** 'row': P(next | item). 'cosine': count / sqrt(count(a) * count(b)). */
  normalisation: 'row' | 'cosine';
  /** Number of most recent history items used as the query. */
  queryLength: number;
  /** Weight multiplier per step back in the history. */
  recencyDecay: number;
}

export const defaultTransitionOptions: TransitionOptions = { window: 5, distanceDecay: 0.5, backwardWeight: 0.25, normalisation: 'row', queryLength: 5, recencyDecay: 0.5 };

/**
 * Higher-order Markov recaller: item-to-item transition weights within a window of the
 * training sequences, normalised, queried with the last few history items with recency
 * decay. With a wide window and cosine normalisation it is sequence co-occurrence (item-kNN).
 */
export function fitTransitions(data: TrainingData, o: TransitionOptions): CsrMatrix {
  const builder = new TripletBuilder(data.numItems);
  for (const seq of data.sequences) {
    for (let p = 0; p < seq.length; p++) {
      let weight = 1;
      for (let q = p + 1; q < seq.length && q - p <= o.window; q++, weight *= o.distanceDecay) {
        if (seq[p] === seq[q]) continue;
        builder.add(seq[p], seq[q], weight);
        if (o.backwardWeight > 0) builder.add(seq[q], seq[p], weight * o.backwardWeight);
      }
    }
  }
  const counts = itemCounts(data);
  const m = builder.build();
  if (o.normalisation === 'cosine') return mapValues(m, (r, c, v) => v / Math.sqrt(counts[r] * counts[c]));
  const sums = Float32Array.from({ length: m.rows }, (_, r) => rowSum(m, r));
  return mapValues(m, (r, _c, v) => v / sums[r]);
}

export function transitionsScorer(matrix: CsrMatrix, o: TransitionOptions): Scorer {
  return { scoreInto: (history, into, touched) => forRecent(history, o.queryLength, o.recencyDecay, (item, weight) => addRow(matrix, item, weight, into, touched)) };
}
