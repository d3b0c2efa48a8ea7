import { forRecent, itemCounts, type Scorer, type TrainingData } from './types.ts';

export interface AttributePopularityOptions {
  /** Items kept per attribute (its most popular ones). */
  topItems: number;
  queryLength: number;
  recencyDecay: number;
}

export const defaultAttributePopularityOptions: AttributePopularityOptions = { topItems: 200, queryLength: 5, recencyDecay: 0.5 };

/** Per attribute, its most popular items and their scores. */
export interface AttributeLists {
  itemAttributes: Int32Array[];
  items: Int32Array[];
  scores: Float32Array[];
}

/**
 * "Popular in my categories": for the attributes (category levels, brand) of the recent
 * history items, each attribute's most popular items by P(item | attribute), weighted by
 * the attribute's inverse document frequency so broad attributes count less.
 */
export function fitAttributePopularity(data: TrainingData, itemAttributes: Int32Array[], o: AttributePopularityOptions): AttributeLists {
  const counts = itemCounts(data);
  const members: number[][] = [];
  itemAttributes.forEach((attrs, item) => {
    for (const a of attrs) (members[a] ??= []).push(item);
  });
  const items: Int32Array[] = [];
  const scores: Float32Array[] = [];
  for (let a = 0; a < members.length; a++) {
    const all = members[a] ?? [];
    const idf = Math.log(1 + data.numItems / Math.max(1, all.length));
    const top = all.filter((i) => counts[i] > 0).sort((x, y) => counts[y] - counts[x]).slice(0, o.topItems);
    const total = top.reduce((sum, i) => sum + counts[i], 0) || 1;
    items.push(Int32Array.from(top));
    scores.push(Float32Array.from(top, (i) => (idf * counts[i]) / total));
  }
  return { itemAttributes, items, scores };
}

export function attributePopularityScorer(lists: AttributeLists, o: AttributePopularityOptions): Scorer {
  return {
    scoreInto: (history, into, touched) =>
      forRecent(history, o.queryLength, o.recencyDecay, (item, weight) => {
        for (const a of lists.itemAttributes[item] ?? []) {
          const items = lists.items[a];
          const scores = lists.scores[a];
          for (let i = 0; i < items.length; i++) {
            if (touched && into[items[i]] === 0) touched.push(items[i]);
            into[items[i]] += weight * scores[i];
          }
        }
      }),
  };
}
