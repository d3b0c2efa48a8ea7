import { seededRandom } from '../../../shared/random.ts';
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
  /** Catalogues this large or larger are searched through clusters (IVF) instead of item by item. */
  clusterFrom: number;
  /** Clusters searched per query. */
  probes: number;
  seed: number;
}

export const defaultEmbeddingOptions: EmbeddingOptions = {
  dimensions: 32, window: 3, negatives: 5, epochs: 3, learningRate: 0.025, queryLength: 5, recencyDecay: 0.5, candidates: 200, clusterFrom: 5_000, probes: 12, seed: 42,
};

/**
 * Item vectors: `input` embeds a history, `output` scores the items (row-major, `dimensions`
 * per item). For a large catalogue the output vectors are grouped by k-means: `centroids`,
 * and each cluster's items in `clusterItems` from `clusterStart[c]` to `clusterStart[c + 1]`.
 */
export interface ItemVectors {
  dimensions: number;
  input: Float32Array;
  output: Float32Array;
  centroids?: Float32Array;
  clusterStart?: Int32Array;
  clusterItems?: Int32Array;
}

/** item2vec: skip-gram with negative sampling over the training sequences, in typed arrays. */
export function fitEmbeddings(data: TrainingData, o: EmbeddingOptions, progress: (done: number) => void = () => {}): ItemVectors {
  const d = o.dimensions;
  const random = seededRandom(o.seed);
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
  return { dimensions: d, input, output, ...(data.numItems >= o.clusterFrom ? clusterItems(output, d, random) : {}) };
}

/** k-means (a few rounds, centroids learned on a sample) over the output vectors, then every item to its nearest centroid. */
function clusterItems(output: Float32Array, d: number, random: () => number) {
  const n = output.length / d;
  const k = Math.round(Math.sqrt(n));
  const centroids = new Float32Array(k * d);
  for (let c = 0; c < k; c++) {
    const item = Math.floor(random() * n);
    centroids.set(output.subarray(item * d, item * d + d), c * d);
  }
  const sample = Int32Array.from({ length: Math.min(n, 20 * k) }, () => Math.floor(random() * n));
  const nearest = (item: number) => {
    let best = 0;
    let bestDistance = Infinity;
    for (let c = 0; c < k; c++) {
      let distance = 0;
      for (let j = 0; j < d; j++) {
        const diff = output[item * d + j] - centroids[c * d + j];
        distance += diff * diff;
      }
      if (distance < bestDistance) [best, bestDistance] = [c, distance];
    }
    return best;
  };
  for (let round = 0; round < 4; round++) {
    const sums = new Float32Array(k * d);
    const counts = new Int32Array(k);
    for (const item of sample) {
      const c = nearest(item);
      counts[c]++;
      for (let j = 0; j < d; j++) sums[c * d + j] += output[item * d + j];
    }
    for (let c = 0; c < k; c++) if (counts[c]) for (let j = 0; j < d; j++) centroids[c * d + j] = sums[c * d + j] / counts[c];
  }
  const assigned = Int32Array.from({ length: n }, (_, item) => nearest(item));
  const clusterStart = new Int32Array(k + 1);
  for (const c of assigned) clusterStart[c + 1]++;
  for (let c = 0; c < k; c++) clusterStart[c + 1] += clusterStart[c];
  const fill = clusterStart.slice(0, k);
  const items = new Int32Array(n);
  assigned.forEach((c, item) => (items[fill[c]++] = item));
  return { centroids, clusterStart, clusterItems: items };
}

/**
 * Proposes the `candidates` items whose output vectors best match the recency-weighted sum
 * of the history's input vectors (dot products clipped at 0). A clustered catalogue is
 * searched in the `probes` clusters whose centroids match best.
 */
export function embeddingsScorer(vectors: ItemVectors, o: EmbeddingOptions): Scorer {
  const { dimensions: d, input, output, centroids, clusterStart, clusterItems } = vectors;
  const numItems = output.length / d;
  const query = new Float32Array(d);
  const dots = new Float32Array(numItems);
  const scanned: number[] = [];
  const allItems = Int32Array.from({ length: numItems }, (_, i) => i);
  const centroidMatch = new Float64Array(clusterStart ? clusterStart.length - 1 : 0);
  const dot = (vectors: Float32Array, row: number) => {
    let sum = 0;
    for (let k = 0, base = row * d; k < d; k++) sum += query[k] * vectors[base + k];
    return sum;
  };
  /** Items to score: every item, or the members of the best-matching clusters. */
  const itemsToScan = (): Iterable<number> => {
    if (!centroids || !clusterStart || !clusterItems) return allItems;
    const clusters = clusterStart.length - 1;
    for (let c = 0; c < clusters; c++) centroidMatch[c] = dot(centroids, c);
    const order = Array.from({ length: clusters }, (_, c) => c).sort((a, b) => centroidMatch[b] - centroidMatch[a]).slice(0, o.probes);
    scanned.length = 0;
    for (const c of order) for (let i = clusterStart[c]; i < clusterStart[c + 1]; i++) scanned.push(clusterItems[i]);
    return scanned;
  };
  return {
    scoreInto(history, into, touched) {
      query.fill(0);
      forRecent(history, o.queryLength, o.recencyDecay, (item, weight) => {
        for (let k = 0, base = item * d; k < d; k++) query[k] += weight * input[base + k];
      });
      const found: number[] = [];
      for (const j of itemsToScan()) {
        const value = dot(output, j);
        if (value > 0) {
          dots[j] = value;
          found.push(j);
        }
      }
      const keep = found.length > o.candidates ? found.sort((a, b) => dots[b] - dots[a] || a - b).slice(0, o.candidates) : found;
      for (const j of keep) {
        if (touched && into[j] === 0) touched.push(j);
        into[j] += dots[j];
      }
      for (const j of found) dots[j] = 0;
    },
  };
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
