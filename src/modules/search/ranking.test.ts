import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SearchDocument } from './engine/types.ts';
import { emptyFeatureData, median, policyReranker, priceStars } from './ranking.ts';
import { DEFAULT_POLICIES } from './policies.ts';

const doc = (id: string, price: number, extra: Partial<SearchDocument> = {}): SearchDocument => ({
  id, title: id, merchantId: 'm1', merchantKind: 'marketplace', price, inStock: true, sales: 0, createdAt: Date.now() - 90 * 86_400_000, category: '数码/耳机', ...extra,
});

test('price power stars compare a price with the median of its category', () => {
  assert.equal(priceStars(70, 100), 5);
  assert.equal(priceStars(90, 100), 4);
  assert.equal(priceStars(100, 100), 3);
  assert.equal(priceStars(125, 100), 2);
  assert.equal(priceStars(200, 100), 1);
  assert.equal(priceStars(100, undefined), 3, 'no comparison, no judgement');
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('a policy blends features by its weights and explains each contribution', () => {
  const docs = new Map([doc('popular', 30000), doc('cheap', 10000), doc('new', 30000, { createdAt: Date.now() })].map((d) => [d.id, d]));
  const data = emptyFeatureData();
  data.gmv30d.set('popular', 500000);
  data.buyers30d.set('popular', 40);
  data.clickers30d.set('popular', 100);
  data.maxGmv30d = 500000;
  data.categoryMedianPrice.set('数码/耳机', 30000);
  const hits = [...docs.keys()].map((id) => ({ id, textScore: 2, score: 2 }));
  const rank = (name: string) => policyReranker(DEFAULT_POLICIES.find((p) => p.name === name)!.weights, data, (id) => docs.get(id), () => 0)(hits);

  const byGmv = rank('gmv');
  assert.equal(byGmv[0].id, 'popular');
  assert.equal(byGmv[0].explain!.gmv, 0.35);
  assert.ok(Math.abs(byGmv[0].explain!.conversion - 0.25 * (40 + 1) / (100 + 10)) < 0.001, 'conversion is smoothed toward 10%');
  assert.equal(rank('price_power')[0].id, 'cheap');
  assert.equal(rank('conversion')[0].id, 'popular');
  const byText = rank('relevance');
  assert.ok(byText.every((h) => h.score === 1), 'text only: equal relevance, equal scores');
  for (const hit of byGmv) assert.ok(Math.abs(hit.score - Object.values(hit.explain!).reduce((a, b) => a + b, 0)) < 0.001);
});

test('the personalisation hook only moves results when a policy weighs it', () => {
  const docs = new Map([doc('a', 100), doc('b', 100)].map((d) => [d.id, d]));
  const hits = [{ id: 'a', textScore: 1, score: 1 }, { id: 'b', textScore: 1, score: 1 }];
  const likesB = (d: SearchDocument) => (d.id === 'b' ? 1 : 0);
  const weights = { ...DEFAULT_POLICIES[0].weights };
  assert.equal(policyReranker(weights, emptyFeatureData(), (id) => docs.get(id), likesB)(hits)[0].id, 'b');
  assert.equal(policyReranker({ ...weights, personal: 0 }, emptyFeatureData(), (id) => docs.get(id), likesB)(hits)[0].explain!.personal, 0);
});
