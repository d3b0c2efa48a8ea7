import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvertedIndex } from './inverted-index.ts';

describe('inverted index', () => {
  it('loads postings in CSR form, appends newer ones and finds them', () => {
    const index = new InvertedIndex(true);
    const [a, b] = [index.intern('手机'), index.intern('华为')];
    index.load(3, Uint32Array.of(a, b, a), Uint32Array.of(0, 0, 2), Float32Array.of(0.5, 0.25, 0.75));
    assert.deepEqual([index.df[a], index.df[b]], [2, 1]);
    assert.equal(index.find(a, 2), 0.75);
    assert.equal(index.find(b, 2), -1);
    index.add(b, 5, 0.125);
    assert.equal(index.find(b, 5), 0.125);
    assert.equal(index.df[b], 2);
    assert.equal(index.lookup('小米'), -1);
  });

  it('compacts: drops removed documents, renumbers the rest, merges appended postings', () => {
    const index = new InvertedIndex(false);
    const t = index.intern('鞋');
    index.load(2, Uint32Array.of(t, t), Uint32Array.of(0, 1), null);
    index.add(t, 2, 1);
    index.release(t);
    index.compact(Int32Array.of(0, -1, 1)); // slot 1 removed, slot 2 becomes 1
    assert.equal(index.df[t], 2);
    assert.deepEqual([...index.docs.subarray(index.baseStart(t), index.baseEnd(t))], [0, 1]);
    assert.equal(index.deltaSize, 0);
  });

  it('keys a gram index by char codes', () => {
    const index = new InvertedIndex(false, true);
    const id = index.intern('亲子');
    assert.equal(index.internGram('亲'.charCodeAt(0) * 0x10000 + '子'.charCodeAt(0)), id);
    assert.equal(index.lookup('亲子'), id);
    assert.equal(index.term(id), '亲子');
    assert.equal(index.lookup('亲'), -1);
    const char = index.intern('亲');
    assert.notEqual(char, id);
    assert.equal(index.term(char), '亲');
  });
});
