/** Items are dense numbers 0..numItems-1; a history is a person's items, most recent last. */
export interface TrainingData {
  sequences: Int32Array[];
  numItems: number;
  /** Attribute numbers per item (category levels, brand), when the catalogue has them. */
  itemAttributes?: Int32Array[];
}

/**
 * Adds scores for items of the catalogue, given a history. `touched`, when given, receives
 * each item whose score was 0 before (so a caller can work on those alone); a scorer that
 * scores every item (popularity) is marked `dense` and reports none.
 */
export interface Scorer {
  scoreInto(history: Int32Array, scores: Float32Array, touched?: number[]): void;
  dense?: boolean;
}

export function itemCounts({ sequences, numItems }: TrainingData): Float32Array {
  const counts = new Float32Array(numItems);
  for (const seq of sequences) for (const item of seq) counts[item]++;
  return counts;
}

/** Calls add(item, weight) for the last `length` history items, weight halving by `decay` per step back. */
export function forRecent(history: Int32Array, length: number, decay: number, add: (item: number, weight: number) => void): void {
  let weight = 1;
  const stop = Math.max(0, history.length - length);
  for (let p = history.length - 1; p >= stop; p--, weight *= decay) add(history[p], weight);
}
