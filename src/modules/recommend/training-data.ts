import type { BehaviorType } from '../profiles/fold.ts';

/** One person's interaction with a product, as recommendation learns from it. */
export interface Interaction {
  person: string;
  productId: string;
  type: BehaviorType;
  at: number;
  orderId: string | null;
}

/**
 * What the engine trains on: each person's products in time order as dense item numbers,
 * the purchases grouped by order (for "often bought together"), and each item's attributes
 * (category path levels and brand) as numbers.
 */
export interface TrainingSet {
  itemIds: string[];
  sequences: Int32Array[];
  persons: string[];
  orders: Int32Array[];
  itemAttributes: Int32Array[];
  interactions: number;
}

/** Groups interactions by person in time order; a repeat of the same product in a row is kept once. */
export function buildTrainingSet(interactions: Interaction[], attributesOf: (productId: string) => string[]): TrainingSet {
  const itemIds: string[] = [];
  const indexOf = new Map<string, number>();
  const item = (productId: string) => {
    let i = indexOf.get(productId);
    if (i === undefined) indexOf.set(productId, (i = itemIds.push(productId) - 1));
    return i;
  };
  const byPerson = new Map<string, Interaction[]>();
  for (const x of interactions) {
    const list = byPerson.get(x.person);
    list ? list.push(x) : byPerson.set(x.person, [x]);
  }
  const sequences: Int32Array[] = [];
  const persons: string[] = [];
  const orderItems = new Map<string, Set<number>>();
  for (const [person, list] of byPerson) {
    list.sort((a, b) => a.at - b.at);
    const seq: number[] = [];
    for (const x of list) {
      const i = item(x.productId);
      if (seq[seq.length - 1] !== i) seq.push(i);
      if (x.type === 'buy' && x.orderId) (orderItems.get(x.orderId) ?? orderItems.set(x.orderId, new Set()).get(x.orderId)!).add(i);
    }
    sequences.push(Int32Array.from(seq));
    persons.push(person);
  }
  const attributeIds = new Map<string, number>();
  const itemAttributes = itemIds.map((id) => Int32Array.from(attributesOf(id), (a) => attributeIds.get(a) ?? attributeIds.set(a, attributeIds.size).get(a)!));
  const orders = [...orderItems.values()].filter((s) => s.size > 1).map((s) => Int32Array.from(s));
  return { itemIds, sequences, persons, orders, itemAttributes, interactions: interactions.length };
}

/** Category path levels and brand, e.g. ["c:美妆", "c:美妆/彩妆", "b:花西子"]. */
export function productAttributes(category: string | undefined, brand: string | undefined): string[] {
  const out: string[] = [];
  if (category) {
    const parts = category.split('/');
    for (let i = 1; i <= parts.length; i++) out.push(`c:${parts.slice(0, i).join('/')}`);
  }
  if (brand) out.push(`b:${brand}`);
  return out;
}
