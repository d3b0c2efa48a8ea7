import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBps, splitByWeights } from './money.ts';

test('split by weights adds up exactly, largest remainder first', () => {
  assert.deepEqual(splitByWeights(1000, [1000, 1000, 1000]), [334, 333, 333]);
  assert.deepEqual(splitByWeights(-0 + 10, [1, 1, 1]), [4, 3, 3]);
  assert.deepEqual(splitByWeights(5000, [10000, 30000]), [1250, 3750]);
  assert.deepEqual(splitByWeights(7, [0, 5]), [0, 7]);
  assert.deepEqual(splitByWeights(100, [0, 0]), [0, 0]);
  for (let i = 0; i < 200; i++) {
    const weights = Array.from({ length: 1 + (i % 7) }, (_, k) => ((i * 7919 + k * 104729) % 50000) + 1);
    const total = (i * 131) % 100000;
    const parts = splitByWeights(total, weights);
    assert.equal(parts.reduce((a, b) => a + b, 0), total);
    assert.ok(parts.every((p) => Number.isInteger(p) && p >= 0));
  }
});

test('basis points round half up in integers', () => {
  assert.equal(applyBps(10000, 500), 500);
  assert.equal(applyBps(199, 500), 10); // 9.95 -> 10
  assert.equal(applyBps(189, 500), 9); // 9.45 -> 9
  assert.equal(applyBps(0, 800), 0);
  assert.equal(applyBps(123456, 10000), 123456);
});
