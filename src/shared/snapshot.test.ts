import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Sql } from '../db/database.ts';
import { createSnapshot } from './snapshot.ts';

const db = {} as Sql;

/** A table whose reads we count and whose answer we change; `gate` holds a read until released. */
function table() {
  const t = { value: 1, reads: 0, gate: undefined as Promise<void> | undefined };
  const load = async () => {
    t.reads++;
    const seen = t.value;
    await t.gate;
    return seen;
  };
  return { t, load };
}

test('snapshot: a cold read waits for the load; reads within the age are served from memory', async () => {
  const { t, load } = table();
  const snapshot = createSnapshot({ name: 'test', maxAgeMs: 60_000, db, load });
  assert.equal(await snapshot.get(), 1);
  t.value = 2;
  assert.equal(await snapshot.get(), 1);
  assert.equal(t.reads, 1);
});

test('snapshot: a stale read answers at once with what it has and refreshes behind', async () => {
  const { t, load } = table();
  const snapshot = createSnapshot({ name: 'test', maxAgeMs: 0, db, load });
  assert.equal(await snapshot.get(), 1);
  t.value = 2;
  await new Promise((r) => setTimeout(r, 2));
  assert.equal(await snapshot.get(), 1, 'the stale value, not a wait');
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(await snapshot.get(), 2, 'the refresh behind has landed');
});

test('snapshot: after invalidate the next read sees the write; a load begun before it is not kept', async () => {
  const { t, load } = table();
  const snapshot = createSnapshot({ name: 'test', maxAgeMs: 60_000, db, load });
  let release!: () => void;
  t.gate = new Promise((r) => (release = r));
  const early = snapshot.get(); // reads value 1, held at the gate
  t.value = 2;
  snapshot.invalidate(); // the write committed while that load was in flight
  t.gate = undefined;
  assert.equal(await snapshot.get(), 2);
  release();
  assert.equal(await early, 1, 'the early caller gets what its load read');
  assert.equal(await snapshot.get(), 2, 'but the early load did not replace the fresh snapshot');
});

test('snapshot: concurrent cold reads share one load', async () => {
  const { t, load } = table();
  const snapshot = createSnapshot({ name: 'test', maxAgeMs: 60_000, db, load });
  assert.deepEqual(await Promise.all([snapshot.get(), snapshot.get(), snapshot.get()]), [1, 1, 1]);
  assert.equal(t.reads, 1);
});
