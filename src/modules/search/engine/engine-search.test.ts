import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATALOGUE, doc, engineWith, ids } from './test-fixtures.ts';

describe('ranking (BM25F)', () => {
  it('ranks a brand + type match above a type-only match', () => {
    const engine = engineWith([
      doc('type-only', '新款手机 大屏 长续航 双卡双待', { brand: '小辣椒' }),
      doc('brand-and-type', '新款手机 大屏 长续航', { brand: '华为' }),
      doc('other', '华为 充电器 快充'),
    ]);
    const result = engine.search({ q: '华为 手机' });
    assert.equal(result.matchMode, 'all');
    assert.deepEqual(ids(result), ['brand-and-type']);
    const relaxed = engine.search({ q: '手机' });
    assert.deepEqual(new Set(ids(relaxed)), new Set(['type-only', 'brand-and-type']));
  });

  it('ranks a title match above a merchant-name match', () => {
    const engine = engineWith([
      doc('merchant', '普通商品', { merchantName: '耳机专卖店' }),
      doc('title', '蓝牙耳机 降噪', { merchantName: '杂货铺' }),
    ]);
    assert.deepEqual(ids(engine.search({ q: '耳机' })), ['title', 'merchant']);
  });

  it('reports text scores; without a reranker score equals textScore', () => {
    const hit = engineWith().search({ q: '手机' }).hits[0];
    assert.ok(hit.textScore > 0);
    assert.equal(hit.score, hit.textScore);
  });
});

describe('matching: all terms first, then relaxed', () => {
  it('requires every term while some document has them all', () => {
    const result = engineWith().search({ q: '华为 手机' });
    assert.equal(result.matchMode, 'all');
    assert.deepEqual(ids(result), ['mate']);
    assert.deepEqual(result.terms, ['华为', '手机']);
  });

  it('relaxes to the documents matching the most terms when none has all', () => {
    const result = engineWith().search({ q: '华为 手机 zzqqxx' });
    assert.equal(result.matchMode, 'relaxed');
    assert.deepEqual(ids(result), ['mate']);
  });

  it('says none when nothing matches', () => {
    const result = engineWith().search({ q: 'zzqqxx' });
    assert.equal(result.matchMode, 'none');
    assert.equal(result.total, 0);
    assert.deepEqual(result.hits, []);
  });
});

describe('filters', () => {
  const engine = engineWith();
  it('filters by category prefix on path segments', () => {
    assert.deepEqual(new Set(ids(engine.search({ q: '', filters: { category: '数码' }, limit: 50 }))), new Set(['iphone', 'mate', 'case', 'laptop', 'trad', 'headset']));
    assert.deepEqual(new Set(ids(engine.search({ q: '', filters: { category: '数码/手机' } }))), new Set(['iphone', 'mate']));
    assert.equal(engine.search({ q: '', filters: { category: '数' } }).total, 0);
  });

  it('filters by brand (case-insensitive), merchant, merchant kind, price range and stock', () => {
    assert.deepEqual(ids(engine.search({ q: '', filters: { brand: 'apple' } })), ['iphone']);
    assert.deepEqual(new Set(ids(engine.search({ q: '', filters: { merchantId: 'm2' } }))), new Set(['shoes', 'bag']));
    assert.deepEqual(ids(engine.search({ q: '', filters: { merchantKind: 'self_operated' } })), ['iphone']);
    assert.deepEqual(new Set(ids(engine.search({ q: '手机', filters: { minPrice: 3_000, maxPrice: 700_000 } }))), new Set(['mate', 'case']));
    assert.ok(!ids(engine.search({ q: '苹果', filters: { inStock: true } })).includes('apple-fruit'));
    assert.ok(ids(engine.search({ q: '苹果' })).includes('apple-fruit'));
  });

  it('an unknown brand or merchant matches nothing; unknown filter keys are ignored', () => {
    assert.equal(engine.search({ q: '', filters: { brand: '不存在' } }).total, 0);
    assert.equal(engine.search({ q: '', filters: { merchantId: 'nobody' } }).total, 0);
    const all = engine.search({ q: '' }).total;
    assert.equal(engine.search({ q: '', filters: { colour: 'red', minPrice: Number.NaN } as never }).total, all);
  });
});

describe('facets', () => {
  it('counts categories (full path), brands, merchant kinds and price bands over all matches', () => {
    const result = engineWith().search({ q: '手机', facets: ['category', 'brand', 'merchantKind', 'price'], limit: 1 });
    assert.equal(result.total, 4); // iphone, mate, case, trad
    assert.equal(result.hits.length, 1);
    assert.deepEqual(result.facets.category, [
      { value: '数码/手机', count: 2 },
      { value: '数码/手机配件', count: 2 },
    ]);
    assert.deepEqual(result.facets.merchantKind, [
      { value: 'marketplace', count: 3 },
      { value: 'self_operated', count: 1 },
    ]);
    assert.deepEqual(result.facets.price, [
      { value: '0-5000', count: 2 },
      { value: '500000-', count: 2 },
    ]);
    assert.equal(result.facets.brand!.find((f) => f.value === 'Apple')?.count, 1);
  });

  it('counts after filters and leaves out facets not asked for', () => {
    const result = engineWith().search({ q: '', filters: { category: '鞋靴' }, facets: ['brand'] });
    assert.deepEqual(result.facets, { brand: [{ value: '艾熙', count: 1 }, { value: '测试', count: 1 }] });
  });

  it('counts a facet without its own filter, so the other choices stay visible', () => {
    const engine = engineWith();
    const all = engine.search({ q: '手机', facets: ['brand', 'merchantKind'] });
    const apple = engine.search({ q: '手机', filters: { brand: 'Apple' }, facets: ['brand', 'merchantKind'] });
    assert.equal(apple.total, 1);
    assert.deepEqual(apple.facets.brand, all.facets.brand, 'brand counts ignore the brand filter');
    assert.equal(apple.facets.merchantKind!.reduce((a, f) => a + f.count, 0), 1, 'other facets respect it');
    assert.deepEqual(ids(apple), ['iphone'], 'the hits are still filtered');
  });
});

describe('highlighting the English title', () => {
  it('marks matches in titleEn too, escaped like the title', () => {
    const engine = engineWith([doc('bag', '羚跑 城市双肩包 <大容量>', { titleEn: 'Lingpao City Backpack <Large>' })]);
    const [hit] = engine.search({ q: 'backpack' }).hits;
    assert.equal(hit.highlightEn, 'Lingpao City <em>Backpack</em> &lt;Large&gt;');
    assert.equal(hit.highlight, '羚跑 城市双肩包 &lt;大容量&gt;');
    assert.equal(engineWith([doc('x', '无英文标题 双肩包')]).search({ q: '双肩包' }).hits[0].highlightEn, undefined);
  });
});

describe('sorting and pagination', () => {
  const engine = engineWith();
  it('sorts by sales, price both ways and newest', () => {
    assert.deepEqual(ids(engine.search({ q: '', sort: 'sales', limit: 3 })), ['case', 'apple-fruit', 'mate']);
    assert.deepEqual(ids(engine.search({ q: '手机', sort: 'price_asc' })), ['trad', 'case', 'mate', 'iphone']);
    assert.deepEqual(ids(engine.search({ q: '手机', sort: 'price_desc', limit: 2 })), ['iphone', 'mate']);
    assert.deepEqual(ids(engine.search({ q: '', sort: 'newest', limit: 2 })), ['dress', 'mate']);
  });

  it('pages with offset and limit over the same order', () => {
    const all = ids(engine.search({ q: '', sort: 'sales', limit: 100 }));
    assert.equal(all.length, CATALOGUE.length);
    const pages = [0, 4, 8].flatMap((offset) => ids(engine.search({ q: '', sort: 'sales', offset, limit: 4 })));
    assert.deepEqual(pages, all);
    assert.deepEqual(ids(engine.search({ q: '', offset: 500 })), []);
  });

  it('lets a reranker reorder the head and keeps the text score', () => {
    const result = engine.search({
      q: '手机',
      rerank: (hits) => hits.map((h) => ({ ...h, score: h.id === 'trad' ? 100 : h.textScore, explain: { boost: h.id === 'trad' ? 1 : 0 } })).sort((a, b) => b.score - a.score),
    });
    assert.equal(result.hits[0].id, 'trad');
    assert.equal(result.hits[0].score, 100);
    assert.ok(result.hits[0].textScore < 100);
    assert.deepEqual(result.hits[0].explain, { boost: 1 });
  });
});

describe('highlight', () => {
  it('wraps matched text in <em> and escapes the rest', () => {
    const hit = engineWith().search({ q: '女鞋' }).hits[0];
    assert.equal(hit.id, 'xss');
    assert.equal(hit.highlight, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <em>女鞋</em> &amp; 凉鞋');
  });

  it('highlights the original characters of full-width and traditional text', () => {
    const engine = engineWith();
    assert.equal(engine.search({ q: 'abc' }).hits[0].highlight, '<em>ＡＢＣ</em>全角标题 ｔｅｓｔ');
    assert.match(engine.search({ q: '手机壳' }).hits.find((h) => h.id === 'trad')!.highlight, /<em>手機殼<\/em>/);
  });
});

describe('keeping the index current', () => {
  it('upserts, replaces and removes one document at a time', () => {
    const engine = engineWith();
    engine.upsert(doc('new', '全新 机械键盘 青轴', { category: '数码/外设' }));
    assert.deepEqual(ids(engine.search({ q: '机械键盘' })), ['new']);
    engine.upsert(doc('new', '全新 无线鼠标', { category: '数码/外设' }));
    assert.equal(engine.search({ q: '机械键盘' }).total, 0);
    assert.deepEqual(ids(engine.search({ q: '鼠标' })), ['new']);
    assert.equal(engine.get('new')?.title, '全新 无线鼠标');
    engine.remove('new');
    assert.equal(engine.search({ q: '鼠标' }).total, 0);
    assert.equal(engine.get('new'), undefined);
    assert.equal(engine.stats().documents, CATALOGUE.length);
    engine.remove('never-there');
  });

  it('stays correct through many upserts (compaction)', () => {
    const engine = engineWith([]);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 1500; i++) engine.upsert(doc(`d${i}`, `商品${i} ${round === 2 ? '终版' : '草稿'} 保温杯`, { sales: i }));
    }
    assert.equal(engine.stats().documents, 1500);
    assert.equal(engine.search({ q: '终版 保温杯' }).total, 1500);
    assert.equal(engine.search({ q: '草稿' }).total, 0);
    assert.deepEqual(ids(engine.search({ q: '保温杯', sort: 'sales', limit: 1 })), ['d1499']);
  });

  it('rebuild replaces everything; documents() and stats() reflect it', () => {
    const engine = engineWith();
    engine.rebuild([doc('only', '唯一 商品'), doc('only', '唯一 商品 新版')]);
    assert.deepEqual([...engine.documents()].map((d) => d.title), ['唯一 商品 新版']);
    assert.equal(engine.search({ q: '手机' }).total, 0);
    const stats = engine.stats();
    assert.equal(stats.documents, 1);
    assert.ok(stats.terms > 0 && (stats.memoryBytes ?? 0) > 0);
  });

  it('keeps its own copy of a document', () => {
    const original = doc('copy', '保温杯 大容量');
    const engine = engineWith([original]);
    original.title = 'changed';
    assert.equal(engine.get('copy')?.title, '保温杯 大容量');
  });
});
