/**
 * Rank of the target among all items, 0-based. Items in `excluded` (the user's
 * history) are removed from the ranking; if the target itself is excluded it can
 * never be recommended, so the rank is the catalogue size (a miss). Ties are
 * counted as ranked above the target, so a constant scorer gets the worst rank.
 * Note: overwrites the scores of excluded items with -Infinity.
 */
export function rankOfTarget(scores: Float32Array, target: number, excluded: ArrayLike<number>): number {
  for (let h = 0; h < excluded.length; h++) {
    if (excluded[h] === target) return scores.length;
    scores[excluded[h]] = -Infinity;
  }
  const targetScore = scores[target];
  if (Number.isNaN(targetScore)) return scores.length;
  let rank = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] >= targetScore) rank++;
  }
  return rank - 1; // the target itself was counted
}

export type MetricName = `HR@${number}` | `NDCG@${number}`;

/** Accumulates hit rate and NDCG at several cut-offs (NDCG gain 1/log2(rank+2)). */
export class RankingMetrics {
  private readonly hits: Float64Array;
  private readonly gains: Float64Array;
  private count = 0;

  constructor(readonly cutoffs: number[]) {
    this.hits = new Float64Array(cutoffs.length);
    this.gains = new Float64Array(cutoffs.length);
  }

  add(rank: number): void {
    this.count++;
    for (let c = 0; c < this.cutoffs.length; c++) {
      if (rank < this.cutoffs[c]) {
        this.hits[c] += 1;
        this.gains[c] += 1 / Math.log2(rank + 2);
      }
    }
  }

  get users(): number {
    return this.count;
  }

  summary(): Record<MetricName, number> {
    const out: Record<string, number> = {};
    this.cutoffs.forEach((k, c) => {
      out[`HR@${k}`] = this.count ? this.hits[c] / this.count : 0;
      out[`NDCG@${k}`] = this.count ? this.gains[c] / this.count : 0;
    });
    return out as Record<MetricName, number>;
  }
}
