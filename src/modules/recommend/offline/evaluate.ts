import type { EvalCase } from './split.ts';
import type { Scorer } from '../engine/types.ts';
import { RankingMetrics, rankOfTarget } from './metrics.ts';

/** Full ranking over the whole catalogue for every case; history items excluded. */
export function evaluate(model: Scorer, cases: EvalCase[], numItems: number, cutoffs: number[]): RankingMetrics {
  const metrics = new RankingMetrics(cutoffs);
  const scores = new Float32Array(numItems);
  for (const { history, target } of cases) {
    scores.fill(0);
    model.scoreInto(history, scores);
    metrics.add(rankOfTarget(scores, target, history));
  }
  return metrics;
}
