import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadItemAttributes } from './attributes.ts';
import { parseBeautyFormat } from './beauty.ts';
import { evalReco } from './eval-reco.ts';
import { RankingMetrics, rankOfTarget } from './metrics.ts';
import { leaveOneOut } from './split.ts';
import { parseTaobaoFormat } from './taobao.ts';

test('rank: strictly higher items count, ties count against the target, history is excluded, a target in the history or NaN is a miss', () => {
  assert.equal(rankOfTarget(Float32Array.from([0.1, 0.9, 0.5, 0.3]), 2, []), 1);
  assert.equal(rankOfTarget(new Float32Array(5), 0, []), 4);
  assert.equal(rankOfTarget(Float32Array.from([1, 1, 0]), 1, []), 1);
  assert.equal(rankOfTarget(Float32Array.from([0.9, 0.8, 0.5, 0.1]), 2, [0, 1]), 0);
  assert.equal(rankOfTarget(Float32Array.from([0.9, 0.8, 0.5]), 0, [0]), 3);
  assert.equal(rankOfTarget(Float32Array.from([NaN, 0]), 0, []), 2);
});

test('HR and NDCG use log2(rank + 2) at each cut-off', () => {
  const m = new RankingMetrics([1, 10]);
  m.add(0);
  m.add(3);
  m.add(10);
  const s = m.summary();
  assert.equal(s['HR@1'], 1 / 3);
  assert.equal(s['NDCG@1'], 1 / 3);
  assert.equal(s['HR@10'], 2 / 3);
  assert.ok(Math.abs(s['NDCG@10'] - (1 + 1 / Math.log2(5)) / 3) < 1e-12);
});

test('the benchmark format: dense ids, malformed lines reported by number and skipped', () => {
  const ds = parseBeautyFormat('1 10 20 30\nbad line\n2 20 40\n3\n4 x 5\n\n5 10 40 50\n');
  assert.deepEqual(ds.sequences.map((s) => [...s]), [[0, 1, 2], [1, 3], [0, 3, 4]]);
  assert.deepEqual(ds.itemLabels, ['10', '20', '30', '40', '50']);
  assert.deepEqual(ds.parseReport, { malformedLines: 3, firstMalformedLines: [2, 4, 5] });
});

const TAOBAO = ['user,item,category,behavior,timestamp', '1,100,7,pv,30', '1,200,7,pv,10', '1,200,7,cart,11', '1,300,7,pv,40', '1,400,7,buy,35', '2,100,7,pv,5', '2,oops,7,pv,6', '2,500,7,click,7'].join('\n');

test('Taobao rows: time order, repeats collapsed, bad rows reported; the conversion target cuts after the last cart or buy', () => {
  const labels = (ds: ReturnType<typeof parseTaobaoFormat>) => ds.sequences.map((s) => [...s].map((i) => ds.itemLabels[i]));
  const ds = parseTaobaoFormat(TAOBAO, 'last');
  assert.deepEqual(labels(ds), [['200', '100', '400', '300'], ['100']]);
  assert.deepEqual(ds.parseReport, { malformedLines: 2, firstMalformedLines: [8, 9] });
  assert.deepEqual(labels(parseTaobaoFormat(TAOBAO, 'last-cart-or-buy')), [['200', '100', '400']]);
});

test('leave-one-out: validation trains without the last two items, test without the last', () => {
  const seqs = [Int32Array.from([1, 2, 3, 4]), Int32Array.from([5, 6])];
  const val = leaveOneOut(seqs, 'validation');
  assert.deepEqual(val.train.map((s) => [...s]), [[1, 2]]);
  assert.deepEqual(val.cases.map((c) => [[...c.history], c.target]), [[[1, 2], 3]]);
  const t = leaveOneOut(seqs, 'test');
  assert.deepEqual(t.train.map((s) => [...s]), [[1, 2, 3], [5]]);
  assert.deepEqual(t.cases.map((c) => [[...c.history], c.target]), [[[1, 2, 3], 4]]);
});

test('item attributes are aligned to dense ids by label', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'attrs-')), 'x_item2attributes.json');
  writeFileSync(file, JSON.stringify({ '10': [7, 8], '30': [8], junk: 'x' }));
  assert.deepEqual(loadItemAttributes(file, ['30', '20', '10']).map((a) => [...a]), [[0], [], [1, 0]]);
});

test('eval-reco on a small file with malformed lines: one result, the bad lines counted', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'eval-')), 'small.txt');
  const lines = Array.from({ length: 60 }, (_, u) => `${u + 1} ${[1, 2, 3, 4].map((i) => i + 4 * (u % 3)).join(' ')}`);
  writeFileSync(file, [...lines, 'not a line', ''].join('\n'));
  const { result, malformed } = evalReco({ file, format: 'beauty', cutoffs: [1, 5] });
  assert.equal(result.users, 60);
  assert.equal(result.items, 12);
  assert.ok(result['HR@5'] >= result['HR@1']);
  assert.deepEqual(malformed, { malformedLines: 1, firstMalformedLines: [61] });
});
