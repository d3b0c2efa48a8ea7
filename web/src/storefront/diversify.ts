import type { ProductCard } from '../shared/types';

/** Round-robin over top-level categories so a short list is not all phones; keeps each category's order. */
export function diversify(items: ProductCard[], limit: number): ProductCard[] {
  const buckets = new Map<string, ProductCard[]>();
  for (const p of items) {
    const top = (p.category ?? '').split('/')[0];
    const b = buckets.get(top);
    if (b) b.push(p); else buckets.set(top, [p]);
  }
  const out: ProductCard[] = [];
  const queues = [...buckets.values()];
  for (let round = 0; out.length < limit && queues.some((q) => q.length > round); round++) {
    for (const q of queues) if (q[round] && out.length < limit) out.push(q[round]);
  }
  return out;
}
