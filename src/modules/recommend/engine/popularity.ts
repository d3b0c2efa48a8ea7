import { itemCounts, type Scorer, type TrainingData } from './types.ts';

/** Global popularity: log(1 + count) of each item in the training sequences. */
export function fitPopularity(data: TrainingData): Float32Array {
  return itemCounts(data).map((c) => Math.log1p(c));
}

export function popularityScorer(scores: Float32Array): Scorer {
  return {
    dense: true,
    scoreInto(_history, into) {
      for (let i = 0; i < into.length; i++) into[i] += scores[i];
    },
  };
}
