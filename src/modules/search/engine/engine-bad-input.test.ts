import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATALOGUE, doc, engineWith } from './test-fixtures.ts';
import type { SearchQuery } from './types.ts';

/**
 * Runs a search and checks it answers with a well-formed result. Stalls are prevented by
 * bounds the tests check (at most 32 query terms), not by timing, which drifts on shared machines.
 */
function searchQuickly(engine: ReturnType<typeof engineWith>, query: SearchQuery) {
  const result = engine.search(query);
  assert.ok(Array.isArray(result.hits) && Number.isInteger(result.total) && Array.isArray(result.terms));
  return result;
}

describe('bad input never throws and never stalls', () => {
  const engine = engineWith();
  engine.search({ q: 'warm up' });

  it('empty query browses everything that passes the filters', () => {
    const result = searchQuickly(engine, { q: '' });
    assert.equal(result.total, CATALOGUE.length);
    assert.equal(result.matchMode, 'all');
    assert.equal(searchQuickly(engine, { q: '   ', filters: { category: '数码/手机' } }).total, 2);
  });

  it('a 10,000-character query', () => {
    for (const q of ['手机'.repeat(5_000), 'a'.repeat(10_000), 'shou ji '.repeat(1_250), '手机 iphone 15.6寸 '.repeat(600)]) {
      const result = searchQuickly(engine, { q });
      assert.ok(result.terms.length <= 32);
    }
  });

  it('emoji, symbols, regex- and SQL-looking queries', () => {
    for (const q of ['😀', '😀😀 手机 🎉', '.*', '(a+)+$', '[', '\\', "' OR 1=1 --", 'DROP TABLE products;', '<script>', '%00', '\u0000\uffff', '\ud800']) {
      searchQuickly(engine, { q });
    }
    assert.equal(searchQuickly(engine, { q: '😀' }).total, 0);
    assert.ok(searchQuickly(engine, { q: '😀 手机' }).total > 0);
  });

  it('caps huge limits and offsets, and clamps negative or fractional ones', () => {
    const many = engineWith(Array.from({ length: 300 }, (_, i) => doc(`d${i}`, `保温杯 ${i}`)));
    assert.equal(searchQuickly(many, { q: '保温杯', limit: 10_000 }).hits.length, 100);
    assert.equal(searchQuickly(many, { q: '保温杯', limit: -5, offset: -3 }).hits.length, 0);
    assert.equal(searchQuickly(many, { q: '保温杯', limit: 2.7, offset: 1.2 }).hits.length, 2);
    assert.equal(searchQuickly(many, { q: '保温杯', offset: 1e12 }).hits.length, 0);
    assert.equal(searchQuickly(many, { q: '保温杯', limit: Number.NaN }).hits.length, 20);
  });

  it('wrong types anywhere in the query', () => {
    const odd = [
      { q: null },
      { q: 42 },
      { q: ['手机'] },
      { q: '手机', sort: 'cheapest', facets: ['colour', 'brand'], filters: 'x' },
      { q: '手机', filters: { minPrice: 'cheap', maxPrice: null, brand: 7, inStock: 'yes', category: {} } },
      { q: '手机', rerank: 'no', rerankDepth: -1 },
      { q: '手机', rerank: () => null },
      { q: '手机', rerank: () => [{ id: 'nope', textScore: 0, score: 1 }] },
      null,
      undefined,
    ];
    for (const query of odd) searchQuickly(engine, query as never);
    const facets = searchQuickly(engine, { q: '手机', facets: ['colour', 'brand'] } as never).facets;
    assert.deepEqual(Object.keys(facets), ['brand']);
  });

  it('bad documents are skipped, not indexed half-way', () => {
    const fresh = engineWith([]);
    fresh.upsert(null as never);
    fresh.upsert({ title: 'no id' } as never);
    fresh.upsert({ id: 'weird', title: 42, price: 'free', createdAt: null } as never);
    fresh.rebuild([null, { id: '' }, doc('ok', '保温杯')] as never);
    assert.equal(fresh.stats().documents, 1);
    assert.equal(searchQuickly(fresh, { q: '' }).total, 1);
  });
});
