import { forRecent, itemCounts, type Scorer, type TrainingData } from './types.ts';

export interface EmbeddingOptions {
  dimensions: number;
  /** Context window (items on each side) for skip-gram pairs. */
  window: number;
  negatives: number;
  epochs: number;
  learningRate: number;
  /** History items averaged into the query vector, and their decay per step back. */
  queryLength: number;
  recencyDecay: number;
  /** The recaller proposes this many nearest items. */
  candidates: number;
  seed: number;
}

export const defaultEmbeddingOptions: EmbeddingOptions = { dimensions: 32, window: 3, negatives: 5, epochs: 3, learningRate: 0.025, queryLength: 5, recencyDecay: 0.5, candidates: 200, seed: 42 };

/** Item vectors: `input` embeds a history, `output` scores the items (row-major, `dimensions` per item). */
export interface ItemVectors {
  dimensions: number;
  input: Float32Array;
  output: Float32Array;
}

/** item2vec: skip-gram with negative sampling over the training sequences, in typed arrays. */
export function fitEmbeddings(data: TrainingData, o: EmbeddingOptions, progress: (done: number) => void = () => {}): ItemVectors {
  const d = o.dimensions;
  const random = mulberry32(o.seed);
  const input = Float32Array.from({ length: data.numItems * d }, () => (random() - 0.5) / d);
  const output = new Float32Array(data.numItems * d);
  const negativeTable = unigramTable(itemCounts(data));
  const gradient = new Float32Array(d);
  const totalSteps = o.epochs * data.sequences.length;
  let step = 0;

  /** One logistic step on (center, context, label); the input gradient is accumulated. */
  const update = (center: number, context: number, label: number, lr: number) => {
    const a = center * d;
    const b = context * d;
    let dot = 0;
    for (let k = 0; k < d; k++) dot += input[a + k] * output[b + k];
    const g = lr * (label - sigmoid(dot));
    for (let k = 0; k < d; k++) {
      gradient[k] += g * output[b + k];
      output[b + k] += g * input[a + k];
    }
  };

  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const seq of data.sequences) {
      const lr = o.learningRate * Math.max(0.0001, 1 - step++ / totalSteps);
      for (let p = 0; p < seq.length; p++) {
        for (let q = Math.max(0, p - o.window); q < Math.min(seq.length, p + o.window + 1); q++) {
          if (q === p || seq[q] === seq[p]) continue;
          gradient.fill(0);
          update(seq[p], seq[q], 1, lr);
          for (let n = 0; n < o.negatives; n++) {
            const negative = negativeTable[(random() * negativeTable.length) | 0];
            if (negative !== seq[q]) update(seq[p], negative, 0, lr);
          }
          const base = seq[p] * d;
          for (let k = 0; k < d; k++) input[base + k] += gradient[k];
        }
      }
    }
    progress((epoch + 1) / o.epochs);
  }
  return { dimensions: d, input, output };
}

/**
 * Proposes the `candidates` items whose output vectors best match the recency-weighted sum
 * of the history's input vectors (dot products clipped at 0).
 */
export function embeddingsScorer(vectors: ItemVectors, o: EmbeddingOptions): Scorer {
  const { dimensions: d, input, output } = vectors;
  const numItems = output.length / d;
  const query = new Float32Array(d);
  const dots = new Float32Array(numItems);
  return {
    scoreInto(history, into, touched) {
      query.fill(0);
      forRecent(history, o.queryLength, o.recencyDecay, (item, weight) => {
        for (let k = 0, base = item * d; k < d; k++) query[k] += weight * input[base + k];
      });
      let positive = 0;
      for (let j = 0, base = 0; j < numItems; j++, base += d) {
        let dot = 0;
        for (let k = 0; k < d; k++) dot += query[k] * output[base + k];
        dots[j] = dot > 0 ? dot : 0;
        if (dot > 0) positive++;
      }
      const threshold = positive > o.candidates ? kthLargest(dots, o.candidates) : Number.MIN_VALUE;
      for (let j = 0; j < numItems; j++) {
        if (dots[j] < threshold || dots[j] <= 0) continue;
        if (touched && into[j] === 0) touched.push(j);
        into[j] += dots[j];
      }
    },
  };
}

/** The k-th largest value (k >= 1) by partial selection on a copy of the positive values. */
function kthLargest(values: Float32Array, k: number): number {
  const positive = values.filter((v) => v > 0).sort();
  return positive[positive.length - k];
}

function sigmoid(x: number): number {
  if (x > 8) return 1;
  if (x < -8) return 0;
  return 1 / (1 + Math.exp(-x));
}

/** Negative-sampling table with probabilities proportional to count^0.75 (word2vec). */
function unigramTable(counts: Float32Array): Int32Array {
  const size = Math.max(1_000, counts.length * 20);
  const weights = Array.from(counts, (c) => Math.pow(c, 0.75));
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const table = new Int32Array(size);
  let item = 0;
  let cumulative = weights[0] / total;
  for (let i = 0; i < size; i++) {
    while (i / size > cumulative && item < counts.length - 1) cumulative += weights[++item] / total;
    table[i] = item;
  }
  return table;
}

/** A small deterministic PRNG, so training is reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
