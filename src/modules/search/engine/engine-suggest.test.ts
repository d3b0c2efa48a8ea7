import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineWith } from './test-fixtures.ts';

describe('suggestions', () => {
  it('completes a prefix from the vocabulary, most frequent first', () => {
    const engine = engineWith();
    assert.deepEqual(engine.suggest('手'), ['手机', '手机配件']);
    assert.ok(engine.suggest('thin').includes('thinkpad'));
  });

  it('completes the last word after what was typed before it', () => {
    assert.ok(engineWith().suggest('苹果手').includes('苹果手机'));
  });

  it('completes from pinyin and pinyin initials', () => {
    const engine = engineWith();
    assert.ok(engine.suggest('shouj').includes('手机'));
    assert.ok(engine.suggest('shou j').includes('手机'));
    assert.ok(engine.suggest('sj').includes('手机'));
  });

  it('suggests brands as written', () => {
    assert.ok(engineWith().suggest('len').includes('Lenovo'));
  });

  it('puts past queries first, also when typed in pinyin, and shows popular ones for an empty box', () => {
    const engine = engineWith();
    engine.recordQuery('手机壳 透明');
    engine.recordQuery('手机壳 透明');
    engine.recordQuery('手机 华为');
    assert.equal(engine.suggest('手机')[0], '手机壳 透明');
    assert.ok(engine.suggest('shoujike').includes('手机壳 透明'));
    assert.deepEqual(engine.suggest('', 2), ['手机壳 透明', '手机 华为']);
  });

  it('respects the limit and never throws on odd input', () => {
    const engine = engineWith();
    assert.ok(engine.suggest('s', 3).length <= 3);
    for (const odd of ['', '😀', 'x'.repeat(10_000), '.*', "'; DROP TABLE", null, undefined, 42]) {
      assert.ok(Array.isArray(engine.suggest(odd as never, 1_000_000)));
    }
    engine.recordQuery(null as never);
    engine.recordQuery('x'.repeat(10_000));
  });
});
