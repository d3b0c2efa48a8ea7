import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doc, engineWith, ids } from './test-fixtures.ts';

describe('Chinese, pinyin and folding in queries', () => {
  const engine = engineWith();

  it('finds 手机 from "shouji", "shou ji" and "sj"', () => {
    for (const q of ['shouji', 'shou ji', 'sj']) {
      const found = ids(engine.search({ q, limit: 20 }));
      assert.ok(found.includes('mate') && found.includes('iphone'), `${q}: ${found}`);
    }
    assert.deepEqual(engine.search({ q: 'shouji' }).terms, ['手机']);
  });

  it('reads pinyin typed with or without spaces, next to a Han brand', () => {
    for (const q of ['艾熙 qinzixie', '艾熙 qin zi xie', 'aixi qinzixie']) assert.deepEqual(ids(engine.search({ q })), ['shoes'], q);
    assert.deepEqual(ids(engine.search({ q: 'nüxie' })), ['xss']);
  });

  it('finds words jieba does not know, typed without a space ("艾熙亲子鞋")', () => {
    assert.deepEqual(ids(engine.search({ q: '艾熙亲子鞋' })), ['shoes']);
    assert.deepEqual(ids(engine.search({ q: '亲子鞋艾熙' })), ['shoes']);
    assert.deepEqual(ids(engine.search({ q: '羚跑电脑包' })), ['bag']);
  });

  it('matches traditional and full-width queries', () => {
    assert.ok(ids(engine.search({ q: '手機' })).includes('iphone'));
    assert.ok(ids(engine.search({ q: '蘋果 手機殼' })).includes('case'));
    assert.deepEqual(ids(engine.search({ q: 'ＴＥＳＴ' })), ['wide']);
  });

  it('matches numbers with units and model codes', () => {
    assert.deepEqual(ids(engine.search({ q: '15.6寸' })), ['bag']);
    assert.deepEqual(ids(engine.search({ q: '256G' })), ['iphone']);
    assert.deepEqual(ids(engine.search({ q: 'iphone 15' })), ['iphone', 'case']);
    assert.deepEqual(ids(engine.search({ q: 'HD600' })), ['headset']);
  });
});

describe('typo tolerance (Latin words)', () => {
  const engine = engineWith();

  it('allows one edit from 5 letters and two from 9', () => {
    assert.deepEqual(ids(engine.search({ q: 'lenvo' })), ['laptop']);
    assert.deepEqual(ids(engine.search({ q: 'iphnoe' })), ['iphone', 'case']);
    assert.deepEqual(ids(engine.search({ q: 'senheisre' })), ['headset']);
  });

  it('allows none below 5 letters', () => {
    assert.equal(engine.search({ q: 'appel' }).total > 0, true); // 5 letters: 1 swap
    assert.equal(engine.search({ q: 'mtae' }).total, 0);
  });
});

describe('did you mean', () => {
  const engine = engineWith();

  it('corrects a Latin typo beyond what search tolerates', () => {
    const result = engine.search({ q: 'ipbome' });
    assert.equal(result.total, 0);
    assert.equal(result.didYouMean, 'iphone');
    assert.ok(engine.search({ q: result.didYouMean! }).total > 0);
  });

  it('turns mistyped pinyin into the Han word', () => {
    const result = engine.search({ q: 'shuoji' });
    assert.equal(result.total, 0);
    assert.equal(result.didYouMean, '手机');
  });

  it('proposes a frequent word that sounds the same (平果 → 苹果)', () => {
    const result = engine.search({ q: '平果' });
    assert.equal(result.total, 0);
    assert.equal(result.didYouMean, '苹果');
  });

  it('keeps the rest of the query, and says nothing when it has no fix', () => {
    assert.equal(engine.search({ q: '华为 shuoji' }).didYouMean, '华为手机');
    assert.equal(engine.search({ q: 'qqqqzzzz' }).didYouMean, undefined);
    assert.equal(engine.search({ q: '手机' }).didYouMean, undefined);
  });
});

describe('synonyms', () => {
  it('expands a term to its synonyms, multi-word ones included', () => {
    const engine = engineWith([doc('en', 'Mobile phone holder for cars'), doc('zh', '车载手机支架')]);
    assert.deepEqual(ids(engine.search({ q: '手机支架' })), ['zh']);
    engine.setSynonyms([{ terms: ['手机', 'mobile phone'] }, { terms: ['支架', 'holder'] }]);
    assert.deepEqual(new Set(ids(engine.search({ q: '手机支架' }))), new Set(['en', 'zh']));
    assert.deepEqual(new Set(ids(engine.search({ q: 'mobile phone holder' }))), new Set(['en', 'zh']));
    engine.setSynonyms([]);
    assert.deepEqual(ids(engine.search({ q: 'mobile phone holder' })), ['en']);
  });

  it('keeps a Chinese synonym term whole even when no title holds it (大哥大 = 手机)', () => {
    const engine = engineWith([doc('phone', '华为 Mate60 手机'), doc('tea', '大红袍 茶叶')]);
    assert.equal(engine.search({ q: '大哥大' }).matchMode === 'all' && ids(engine.search({ q: '大哥大' })).includes('phone'), false);
    engine.setSynonyms([{ terms: ['大哥大', '手机'] }]);
    assert.deepEqual(ids(engine.search({ q: '大哥大' })), ['phone']);
    assert.deepEqual(engine.search({ q: '大哥大' }).matchMode, 'all');
  });

  it('applies a synonym with `when` only if the query holds one of those terms', () => {
    const engine = engineWith();
    engine.setSynonyms([{ terms: ['苹果', 'apple', 'iphone'], when: ['手机'] }]);
    assert.ok(ids(engine.search({ q: '苹果 手机' })).includes('iphone'));
    assert.ok(!ids(engine.search({ q: '苹果', limit: 50 })).includes('iphone'));
    assert.ok(ids(engine.search({ q: '苹果', limit: 50 })).includes('apple-fruit'));
  });

  it('ignores malformed synonym entries', () => {
    const engine = engineWith();
    engine.setSynonyms([{ terms: ['only-one'] }, { terms: null } as never, null as never, { terms: [42, '手机'] } as never]);
    assert.ok(engine.search({ q: '手机' }).total > 0);
  });
});
