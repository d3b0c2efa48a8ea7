/** Relevance and latency metrics (binary relevance). */

/** Relevant results in the top 10 over min(10, |relevant|). */
export function recallAt10(results: string[], relevant: Set<string>): number {
  if (relevant.size === 0) return 0;
  const found = results.slice(0, 10).filter((id) => relevant.has(id)).length;
  return found / Math.min(10, relevant.size);
}

/** DCG of the top 10 over the ideal DCG of min(10, |relevant|) relevant results on top. */
export function ndcgAt10(results: string[], relevant: Set<string>): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  results.slice(0, 10).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(10, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const round = (x: number, digits = 3) => Number(x.toFixed(digits));
