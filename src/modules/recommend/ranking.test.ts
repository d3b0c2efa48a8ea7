import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SearchDocument } from '../search/engine/types.ts';
import { applyRules, FEED_RULES, nearDuplicateKey, rankCandidates, reasonOf, type Candidate, type Recaller } from './ranking.ts';

const doc = (id: string, category: string, extra: Partial<SearchDocument> = {}): SearchDocument => ({
  id, title: `商品${id}`, category, brand: 'b', merchantId: 'm1', merchantKind: 'marketplace', price: 1000, inStock: true, sales: 0, createdAt: 0, ...extra,
});
const noFeatures = { gmvShare: () => 0, service: () => 0 };
const candidate = (productId: string, score: number, recaller: Recaller = 'transitions'): Candidate => ({ productId, score, recaller });

test('ranking lifts the categories a person likes and keeps the best score of a product found twice', () => {
  const docs = new Map([['a', doc('a', '美妆/口红')], ['b', doc('b', '数码/手机')]]);
  const likesBeauty = { affinity: (category?: string) => (category?.startsWith('美妆') ? 1 : 0), categoryMedian: () => undefined };
  const ranked = rankCandidates([candidate('b', 1), candidate('a', 0.8), candidate('a', 0.1, 'popularity')], (id) => docs.get(id), likesBeauty, noFeatures);
  assert.deepEqual(ranked.map((r) => r.productId), ['a', 'b']);
  assert.equal(ranked[0].recaller, 'transitions');
  const neutral = rankCandidates([candidate('b', 1), candidate('a', 0.8)], (id) => docs.get(id), { categoryMedian: () => undefined }, noFeatures);
  assert.deepEqual(neutral.map((r) => r.productId), ['b', 'a'], 'without a profile the recaller decides');
});

test('rules: out of stock and excluded products never show; at most 3 of a leaf category in any 10', () => {
  const docs = Array.from({ length: 12 }, (_, i) => doc(`c${i}`, '家居/杯具', { title: `杯子${i}` }));
  docs.push(doc('x', '美妆/口红', { inStock: false }), doc('y', '数码/手机'), doc('z', '数码/耳机'));
  const byId = new Map(docs.map((d) => [d.id, d]));
  const ranked = rankCandidates(docs.map((d, i) => candidate(d.id, 1 - i / 100)), (id) => byId.get(id), { categoryMedian: () => undefined }, noFeatures);
  const shown = applyRules(ranked, { ...FEED_RULES, exclude: new Set(['z']) }, 6).map((r) => r.productId);
  assert.deepEqual(shown.slice(0, 4), ['c0', 'c1', 'c2', 'y'], 'the fourth cup waits');
  assert.ok(!shown.includes('x') && !shown.includes('z'));
  assert.equal(shown.length, 6, 'held-back items fill the page when nothing else is left');
});

test('rules: near-duplicate listings show once; a new arrival gets a place in each window', () => {
  const docs = [doc('a', 'c/1', { title: '保温杯 500ml' }), doc('b', 'c/2', { title: '保温杯500ML【包邮】' }), ...Array.from({ length: 12 }, (_, i) => doc(`o${i}`, `c/${i + 3}`))];
  docs.push(doc('new', 'n/1'));
  const byId = new Map(docs.map((d) => [d.id, d]));
  assert.equal(nearDuplicateKey(docs[0]), nearDuplicateKey(docs[1]));
  const candidates = docs.map((d, i) => candidate(d.id, 1 - i / 100, d.id === 'new' ? 'newArrival' : 'transitions'));
  candidates[candidates.length - 1].score = 0.01;
  const shown = applyRules(rankCandidates(candidates, (id) => byId.get(id), { categoryMedian: () => undefined }, noFeatures), { ...FEED_RULES, exclude: new Set() }, 10).map((r) => r.productId);
  assert.ok(shown.includes('a') && !shown.includes('b'));
  assert.ok(shown.includes('new'), `a new arrival within the first 10: ${shown}`);
});

test('each recaller has a reason a person can read, naming the product behind it', () => {
  const title = (id: string) => ({ p1: { zh: '焕颜精华液' } })[id];
  assert.equal(reasonOf({ productId: 'x', score: 1, recaller: 'transitions', because: 'p1' }, title).zh, '因为你看过「焕颜精华液」');
  assert.equal(reasonOf({ productId: 'x', score: 1, recaller: 'categoryPopular' }, title, '美妆/护肤').zh, '「美妆」本周热门');
  assert.equal(reasonOf({ productId: 'x', score: 1, recaller: 'newArrival' }, title).en, 'new arrival');
  for (const recaller of ['transitions', 'sessionKnn', 'attributePopularity', 'embeddings', 'popularity', 'categoryPopular', 'newArrival', 'crowd', 'content', 'editorial', 'boughtTogether'] as Recaller[])
    assert.ok(reasonOf({ productId: 'x', score: 1, recaller }, title).zh.length > 1, recaller);
});

test('English reasons name the product by its English title when it has one', () => {
  const title = (id: string) => ({ p1: { zh: '焕颜精华液', en: 'Radiance serum' }, p2: { zh: '羚跑双肩包' } })[id];
  assert.equal(reasonOf({ productId: 'x', score: 1, recaller: 'transitions', because: 'p1' }, title).en, 'because you viewed "Radiance serum"');
  assert.equal(reasonOf({ productId: 'x', score: 1, recaller: 'boughtTogether', because: 'p2' }, title).en, 'often bought with "羚跑双肩包"');
});
