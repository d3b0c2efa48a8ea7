/** Money is an integer count of fen plus a currency. No floats touch it. */
export interface Money {
  amount: number;
  currency: string;
}

export const CURRENCY = 'CNY';

export function money(amount: number, currency = CURRENCY): Money {
  if (!Number.isSafeInteger(amount)) throw new Error(`money amount must be an integer, got ${amount}`);
  return { amount, currency };
}

/** amount x basis points / 10000, rounded half up, in integers only. */
export function applyBps(amount: number, bps: number): number {
  return Math.floor((amount * bps + 5000) / 10000);
}

/**
 * Splits total over parts in proportion to weights, largest remainder first,
 * so the parts are integers that add up to exactly total (分摊).
 */
export function splitByWeights(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const shares = weights.map((w) => Math.floor((total * w) / sum));
  let rest = total - shares.reduce((a, b) => a + b, 0);
  const byRemainder = weights
    .map((w, i) => ({ i, remainder: (total * w) % sum }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % byRemainder.length, rest--) shares[byRemainder[k].i]++;
  return shares;
}

export function formatYuan(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
