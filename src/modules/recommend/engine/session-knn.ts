import { forRecent, type Scorer, type TrainingData } from './types.ts';

export interface SessionKnnOptions {
  /** Number of most similar training sequences used. */
  neighbours: number;
  /** Number of most recent history items matched against the training sequences. */
  queryLength: number;
  /** Match weight multiplier per step back in the history (V-SKNN/STAN style). */
  recencyDecay: number;
  /** Item weight multiplier per step away from the matched item in the neighbour (STAN). */
  proximityDecay: number;
  /** Only the last `maxPostings` sequences per item are indexed, bounding query cost. */
  maxPostings: number;
}

export const defaultSessionKnnOptions: SessionKnnOptions = { neighbours: 100, queryLength: 10, recencyDecay: 0.7, proximityDecay: 0.7, maxPostings: 1000 };

/** For each item, the training sequences holding it and where: what a query walks. */
export interface SessionIndex {
  sequences: Int32Array[];
  start: Int32Array;
  sequence: Int32Array;
  position: Int32Array;
}

/** Indexes the training sequences by item; the newest `maxPostings` per item are kept. */
export function fitSessionKnn({ sequences, numItems }: TrainingData, o: SessionKnnOptions): SessionIndex {
  const counts = new Int32Array(numItems + 1);
  for (const seq of sequences) for (const item of seq) counts[item + 1]++;
  const start = new Int32Array(numItems + 1);
  for (let i = 0; i < numItems; i++) start[i + 1] = start[i] + Math.min(counts[i + 1], o.maxPostings);
  const fill = new Int32Array(numItems);
  const sequence = new Int32Array(start[numItems]);
  const position = new Int32Array(start[numItems]);
  for (let s = sequences.length - 1; s >= 0; s--) {
    const seq = sequences[s];
    for (let q = 0; q < seq.length; q++) {
      const item = seq[q];
      if (fill[item] >= o.maxPostings) continue;
      const at = start[item] + fill[item]++;
      sequence[at] = s;
      position[at] = q;
    }
  }
  return { sequences, start, sequence, position };
}

/**
 * Sequence-kNN: finds training sequences that share (recent) items with the history, then
 * scores their items by neighbour similarity and by how close each sits to the matched item.
 */
export function sessionKnnScorer(index: SessionIndex, o: SessionKnnOptions): Scorer {
  const { sequences } = index;
  const similarity = new Float32Array(sequences.length);
  const anchorWeight = new Float32Array(sequences.length);
  const anchor = new Int32Array(sequences.length);
  const lengthNorm = Float32Array.from(sequences, (s) => 1 / Math.sqrt(Math.max(1, s.length)));

  /** The sequences sharing an item with the recent history, in match order (a buffer reused by every query). */
  const matched = new Int32Array(sequences.length);
  let matchedCount = 0;

  function matchSequences(history: Int32Array) {
    matchedCount = 0;
    forRecent(history, o.queryLength, o.recencyDecay, (item, weight) => {
      for (let i = index.start[item]; i < index.start[item + 1]; i++) {
        const s = index.sequence[i];
        if (similarity[s] === 0) matched[matchedCount++] = s;
        similarity[s] += weight * lengthNorm[s];
        if (weight > anchorWeight[s]) {
          anchorWeight[s] = weight;
          anchor[s] = index.position[i];
        }
      }
    });
  }

  function addNeighbour(s: number, into: Float32Array, touched?: number[]) {
    const seq = sequences[s];
    const sim = similarity[s];
    const add = (item: number, w: number) => {
      if (touched && into[item] === 0) touched.push(item);
      into[item] += w;
    };
    let w = sim;
    for (let q = anchor[s] + 1; q < seq.length; q++, w *= o.proximityDecay) add(seq[q], w);
    w = sim * o.proximityDecay;
    for (let q = anchor[s] - 1; q >= 0; q--, w *= o.proximityDecay) add(seq[q], w);
  }

  /** The `neighbours` most similar of the matched sequences (ties in match order), without sorting them all. */
  function mostSimilar(): number[] {
    const values = new Float32Array(matchedCount);
    for (let i = 0; i < matchedCount; i++) values[i] = similarity[matched[i]];
    const threshold = values.sort()[matchedCount - o.neighbours];
    const out: number[] = [];
    for (let i = 0; i < matchedCount; i++) if (similarity[matched[i]] > threshold) out.push(matched[i]);
    for (let i = 0; i < matchedCount && out.length < o.neighbours; i++) if (similarity[matched[i]] === threshold) out.push(matched[i]);
    return out;
  }

  return {
    scoreInto(history, into, touchedItems) {
      matchSequences(history);
      const neighbours = matchedCount <= o.neighbours ? matched.subarray(0, matchedCount) : mostSimilar();
      for (const s of neighbours) addNeighbour(s, into, touchedItems);
      for (let i = 0; i < matchedCount; i++) similarity[matched[i]] = anchorWeight[matched[i]] = 0;
    },
  };
}
