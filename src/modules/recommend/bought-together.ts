import { TripletBuilder, type CsrMatrix } from './engine/sparse.ts';

/** "Often bought together": for each item, the items paid for in the same orders, by count. */
export function fitBoughtTogether(orders: Int32Array[], numItems: number): CsrMatrix {
  const builder = new TripletBuilder(numItems);
  for (const items of orders) for (const a of items) for (const b of items) if (a !== b) builder.add(a, b, 1);
  return builder.build();
}
