/**
 * Orders and pages: a comparator per sort order, and a bounded heap that keeps only the
 * best offset+limit candidates, so ordering 200,000 matches costs O(n log k), not a full sort.
 */
import type { DocTable } from './doc-table.ts';
import type { SortOrder } from './types.ts';

export const SORTS: readonly SortOrder[] = ['relevance', 'sales', 'price_asc', 'price_desc', 'newest'];

/** Returns "a ranks before b". Ties always end on slot so results are deterministic. */
export function comparator(sort: SortOrder, table: DocTable, score: ArrayLike<number>): (a: number, b: number) => boolean {
  const { sales, price, createdAt } = table;
  const tie = (a: number, b: number) =>
    score[a] !== score[b] ? score[a] > score[b] : sales[a] !== sales[b] ? sales[a] > sales[b] : createdAt[a] !== createdAt[b] ? createdAt[a] > createdAt[b] : a < b;
  switch (sort) {
    case 'sales':
      return (a, b) => (sales[a] !== sales[b] ? sales[a] > sales[b] : tie(a, b));
    case 'price_asc':
      return (a, b) => (price[a] !== price[b] ? price[a] < price[b] : tie(a, b));
    case 'price_desc':
      return (a, b) => (price[a] !== price[b] ? price[a] > price[b] : tie(a, b));
    case 'newest':
      return (a, b) => (createdAt[a] !== createdAt[b] ? createdAt[a] > createdAt[b] : tie(a, b));
    default:
      return tie;
  }
}

/** The k best of the first n candidates, best first. */
export function topK(candidates: Int32Array, n: number, k: number, before: (a: number, b: number) => boolean): number[] {
  k = Math.min(k, n);
  if (k <= 0) return [];
  const order = (a: number, b: number) => (before(a, b) ? -1 : before(b, a) ? 1 : 0);
  if (k === n) return Array.from(candidates.subarray(0, n)).sort(order);
  // Min-heap on "before": the root is the worst of the best k seen so far.
  const heap: number[] = new Array(k); // a plain array: typed ones this size are allocated off-heap and pressure the GC
  let size = 0;
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < size && before(heap[worst], heap[l])) worst = l;
      if (r < size && before(heap[worst], heap[r])) worst = r;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst], heap[i]];
      i = worst;
    }
  };
  for (let i = 0; i < n; i++) {
    const c = candidates[i];
    if (size < k) {
      let j = size++;
      heap[j] = c;
      while (j > 0) {
        const parent = (j - 1) >> 1;
        if (!before(heap[parent], heap[j])) break;
        [heap[parent], heap[j]] = [heap[j], heap[parent]];
        j = parent;
      }
    } else if (before(c, heap[0])) {
      heap[0] = c;
      siftDown(0);
    }
  }
  return heap.slice(0, size).sort(order);
}
