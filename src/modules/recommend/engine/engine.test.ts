import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leaveOneOut } from '../offline/split.ts';
import { evaluate } from '../offline/evaluate.ts';
import { attributePopularityScorer, defaultAttributePopularityOptions, fitAttributePopularity } from './attribute-popularity.ts';
import { defaultEmbeddingOptions, embeddingsScorer, fitEmbeddings } from './embeddings.ts';
import { createBlender, createTopBlender, defaultEngineSettings, fitEngine, restoreEngine, type EnginePart } from './model.ts';
import { fitPopularity, popularityScorer } from './popularity.ts';
import { defaultSessionKnnOptions, fitSessionKnn, sessionKnnScorer } from './session-knn.ts';
import { TripletBuilder } from './sparse.ts';
import { defaultTransitionOptions, fitTransitions, transitionsScorer, type TransitionOptions } from './transitions.ts';
import type { Scorer, TrainingData } from './types.ts';

const seqs = (...rows: number[][]) => rows.map((r) => Int32Array.from(r));
const score = (r: Scorer, history: number[], numItems: number) => {
  const out = new Float32Array(numItems);
  r.scoreInto(Int32Array.from(history), out);
  return [...out];
};
const argmaxExcluding = (scores: number[], excluded: number[]) => scores.reduce((best, s, i) => (!excluded.includes(i) && (best < 0 || s > scores[best]) ? i : best), -1);
const transitions = (data: TrainingData, o: Partial<TransitionOptions>) => {
  const options = { ...defaultTransitionOptions, ...o };
  return transitionsScorer(fitTransitions(data, options), options);
};
const sessionKnn = (data: TrainingData, o: Partial<typeof defaultSessionKnnOptions> = {}) => {
  const options = { ...defaultSessionKnnOptions, ...o };
  return sessionKnnScorer(fitSessionKnn(data, options), options);
};

test('triplet builder sums duplicates per row', () => {
  const b = new TripletBuilder(3);
  b.add(2, 1, 1);
  b.add(0, 2, 0.5);
  b.add(2, 1, 2);
  b.add(2, 0, 1);
  const m = b.build();
  assert.deepEqual([...m.rowStart], [0, 1, 1, 3]);
  assert.deepEqual(new Map([...m.cols.subarray(1, 3)].map((c, i) => [c, m.values[1 + i]])), new Map([[1, 3], [0, 1]]));
});

test('popularity ranks by training count', () => {
  const s = score(popularityScorer(fitPopularity({ sequences: seqs([0, 1], [1, 2], [1, 2]), numItems: 4 })), [], 4);
  assert.ok(s[1] > s[2] && s[2] > s[0] && s[0] > s[3]);
});

test('transitions: a first-order chain predicts the observed successor', () => {
  const s = score(transitions({ sequences: seqs([0, 1, 2], [0, 1, 2], [3, 2, 4], [3, 4]), numItems: 5 }, { window: 1, backwardWeight: 0, queryLength: 1 }), [0, 1], 5);
  assert.equal(argmaxExcluding(s, [0, 1]), 2);
  assert.ok(Math.abs(s[2] - 1) < 1e-6, 'row-normalised: P(2 | 1) = 1');
  assert.equal(s[4], 0);
});

test('transitions: recency decay prefers successors of the latest item', () => {
  const s = score(transitions({ sequences: seqs([0, 5], [1, 6]), numItems: 7 }, { window: 1, backwardWeight: 0, queryLength: 2, recencyDecay: 0.5 }), [0, 1], 7);
  assert.ok(s[6] > s[5] && s[5] > 0);
  assert.ok(Math.abs(s[5] / s[6] - 0.5) < 1e-6);
});

test('transitions: window and distance decay reach second-order successors', () => {
  const s = score(transitions({ sequences: seqs([0, 1, 2]), numItems: 3 }, { window: 2, distanceDecay: 0.5, backwardWeight: 0, queryLength: 1 }), [0], 3);
  assert.ok(Math.abs(s[1] - 2 / 3) < 1e-6 && Math.abs(s[2] - 1 / 3) < 1e-6);
});

test('transitions: backward weight links an item to its predecessors', () => {
  const data = { sequences: seqs([0, 1]), numItems: 2 };
  assert.equal(score(transitions(data, { backwardWeight: 0, queryLength: 1 }), [1], 2)[0], 0);
  assert.ok(score(transitions(data, { backwardWeight: 0.5, queryLength: 1 }), [1], 2)[0] > 0);
});

test('session kNN scores items of sequences sharing the recent item, near the match first', () => {
  const s = score(sessionKnn({ sequences: seqs([9, 1, 2, 3], [4, 5], [1, 6]), numItems: 10 }, { neighbours: 10, proximityDecay: 0.5 }), [7, 1], 10);
  assert.ok(s[2] > s[3] && s[3] > 0, 'closer to the matched item scores higher');
  assert.ok(s[6] > s[2], 'a shorter neighbour (higher length-normalised similarity) scores higher');
  assert.equal(s[4] + s[5], 0);
  assert.ok(s[9] > 0 && s[9] < s[2], 'items before the match count, discounted');
});

test('session kNN keeps only the top neighbours, and forgets a query before the next', () => {
  const s = score(sessionKnn({ sequences: seqs([1, 2], [1, 3, 4, 5, 6]), numItems: 7 }, { neighbours: 1 }), [1], 7);
  assert.ok(s[2] > 0);
  assert.equal(s[3], 0);
  const knn = sessionKnn({ sequences: seqs([1, 2], [3, 4]), numItems: 5 });
  const first = score(knn, [1], 5);
  score(knn, [3], 5);
  assert.deepEqual(score(knn, [1], 5), first);
});

// Items 0..2 have attribute 0 ("lipstick"), items 3..4 attribute 1 ("shampoo"); item 5 has none.
const attributes = [[0], [0], [0], [1], [1], []].map((a) => Int32Array.from(a));
const attributeSequences = seqs([1, 3], [1, 2], [1, 4], [4, 3], [4, 2]);

test("attribute popularity recommends the popular items of the recent items' attributes", () => {
  const o = { ...defaultAttributePopularityOptions, queryLength: 1 };
  const s = score(attributePopularityScorer(fitAttributePopularity({ sequences: attributeSequences, numItems: 6 }, attributes, o), o), [0], 6);
  assert.ok(s[1] > s[2] && s[2] > 0, 'the popular lipstick first');
  assert.equal(s[3] + s[4] + s[5], 0, 'nothing of another attribute');
  const top1 = { ...defaultAttributePopularityOptions, topItems: 1 };
  const t = score(attributePopularityScorer(fitAttributePopularity({ sequences: attributeSequences, numItems: 6 }, attributes, top1), top1), [3], 6);
  assert.ok(t[4] > 0);
  assert.equal(t[3], 0);
});

const constant = (values: number[]): Scorer => ({ scoreInto: (_h, into) => values.forEach((v, i) => (into[i] += v)) });

test('the blend rescales each recaller to a best of 1 before weighting, and reports each part', () => {
  const parts: EnginePart[] = [{ name: 'transitions', weight: 1, scorer: constant([10, 0, 5]) }, { name: 'popularity', weight: 2, scorer: constant([0, 0.2, 0.1]) }];
  const out = new Float32Array(3);
  const byPart = [new Float32Array(3), new Float32Array(3)];
  createBlender(parts, 3)(new Int32Array(0), out, byPart);
  assert.deepEqual([...out].map((x) => Number(x.toFixed(6))), [1, 2, 1.5]);
  assert.deepEqual([...byPart[1]].map((x) => Number(x.toFixed(6))), [0, 2, 1]);
  const none = new Float32Array(2);
  createBlender([{ name: 'popularity', weight: 1, scorer: constant([0, 0]) }], 2)(new Int32Array(0), none);
  assert.deepEqual([...none], [0, 0]);
});

test('the engine learns a repeated pattern end to end, and its state survives a round trip', async () => {
  const patterns = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]];
  const sequences = Array.from({ length: 30 }, (_, u) => Int32Array.from(patterns[u % 3]));
  const split = leaveOneOut(sequences, 'test');
  const hr1 = (train: Int32Array[]) => {
    const parts = restoreEngine(structuredClone(fitEngine({ sequences: train, numItems: 12 }, defaultEngineSettings)));
    const blend = createBlender(parts, 12);
    return evaluate({ scoreInto: (h, s) => blend(h, s) }, split.cases, 12, [1]).summary()['HR@1'];
  };
  assert.equal(hr1([...split.train, ...sequences.slice(0, 3)]), 1, 'with complete sequences from other users');
  assert.ok(hr1(split.train) < 1, 'training prefixes alone never show the last step');
});

test('serving ranks the top items exactly as the full-catalogue blend does', () => {
  let seed = 11;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const numItems = 400;
  const sequences = Array.from({ length: 300 }, () => Int32Array.from({ length: 5 + Math.floor(random() * 20) }, () => Math.floor(Math.pow(random(), 2) * numItems)));
  const itemAttributes = Array.from({ length: numItems }, (_, i) => Int32Array.of(i % 13, 13 + (i % 7)));
  const parts = restoreEngine(fitEngine({ sequences, numItems, itemAttributes }, defaultEngineSettings));
  const dense = createBlender(parts, numItems);
  const top = createTopBlender(parts, numItems);
  for (let q = 0; q < 50; q++) {
    const history = sequences[q].subarray(0, 4);
    const scores = new Float32Array(numItems);
    dense(history, scores);
    for (const h of history) scores[h] = -Infinity;
    const expected = Array.from(scores.keys()).filter((i) => scores[i] > 0).sort((a, b) => scores[b] - scores[a] || a - b).slice(0, 20);
    const got = top(history, 20);
    assert.deepEqual(got.map((t) => t.item), expected, `query ${q}`);
    assert.ok(got.every((t) => t.part >= 0 && t.part < parts.length));
  }
});

test('item embeddings place items seen together near each other, searched item by item or through clusters', () => {
  // 20 groups of 5 items: items of a group are seen together far more often than chance.
  let seed = 3;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const sequences = Array.from({ length: 2000 }, (_, u) => Int32Array.from({ length: 6 }, () => (u % 20) * 5 + Math.floor(random() * 5)));
  for (const clusterFrom of [1_000, 50]) {
    const o = { ...defaultEmbeddingOptions, epochs: 5, candidates: 4, clusterFrom, probes: 3 };
    const vectors = fitEmbeddings({ sequences, numItems: 100 }, o);
    assert.equal(vectors.centroids !== undefined, clusterFrom === 50);
    const s = score(embeddingsScorer(vectors, o), [0], 100);
    const proposed = s.flatMap((v, i) => (v > 0 ? [i] : []));
    assert.ok(proposed.length > 0 && proposed.length <= 4, `${proposed}`);
    assert.ok(proposed.filter((i) => i < 5).length >= 3, `mostly the first group's items: ${proposed} (clusterFrom ${clusterFrom})`);
  }
});
