/**
 * 分摊: splits `total` fen over lines in proportion to `weights`, in integers, largest
 * remainder first, so the shares add up to exactly `total`. No share exceeds its cap:
 * a capped line takes its cap and the rest is split again over the others. Remainder
 * ties go to the smaller key, so the split does not depend on the order of the lines.
 * Throws when the caps together cannot hold the total: the caller must not discount
 * more than the lines pay.
 */
export function apportion(total: number, weights: number[], caps: number[], keys: string[]): number[] {
  const shares = weights.map(() => 0);
  if (total <= 0) return shares;
  let left = total;
  let open = weights.map((_, i) => i).filter((i) => weights[i] > 0 && caps[i] > 0);
  for (;;) {
    if (!open.length) throw new Error(`cannot apportion ${total}: the lines hold only ${total - left}`);
    const sum = open.reduce((a, i) => a + weights[i], 0);
    const full = open.filter((i) => product(left, weights[i]) > product(caps[i], sum));
    if (!full.length) break;
    for (const i of full) {
      shares[i] = caps[i];
      left -= caps[i];
    }
    open = open.filter((i) => shares[i] === 0);
  }
  splitLargestRemainder(left, open, weights, keys, shares);
  return shares;
}

function splitLargestRemainder(total: number, open: number[], weights: number[], keys: string[], shares: number[]) {
  const sum = open.reduce((a, i) => a + weights[i], 0);
  const remainders = new Map<number, number | bigint>();
  let given = 0;
  for (const i of open) {
    const [quotient, remainder] = divide(total, weights[i], sum);
    shares[i] = quotient;
    remainders.set(i, remainder);
    given += quotient;
  }
  const byRemainder = [...open].sort((a, b) => compare(remainders.get(b)!, remainders.get(a)!) || (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  for (let k = 0; given < total; k++, given++) shares[byRemainder[k]]++;
}

/** a x b compared exactly: fen amounts times weights can pass 2^53. */
function product(a: number, b: number): number | bigint {
  const p = a * b;
  return Number.isSafeInteger(p) ? p : BigInt(a) * BigInt(b);
}

/** floor(total x weight / sum) and its remainder, exactly. */
function divide(total: number, weight: number, sum: number): [number, number | bigint] {
  const p = total * weight;
  if (Number.isSafeInteger(p)) return [Math.floor(p / sum), p % sum];
  const big = BigInt(total) * BigInt(weight);
  return [Number(big / BigInt(sum)), big % BigInt(sum)];
}

function compare(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
