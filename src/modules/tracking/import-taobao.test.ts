import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../testing/harness.ts';
import { importTaobaoBehavior } from './import-taobao.ts';

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.close());

test('the Taobao behaviour file becomes people, items, events and profiles; bad rows are counted; the same file is refused twice', async () => {
  const day = 1511568000; // 2017-11-25 00:00 UTC, inside the dataset's week
  const rows = [
    ...[0, 1, 2, 3].map((i) => `1,100${i},42,pv,${day + i * 60}`),
    `1,1001,42,cart,${day + 300}`,
    `1,1001,42,buy,${day + 400}`,
    `2,2001,7,fav,${day + 500}`,
    `2,2002,7,pv,${day + 600}`,
    `3,3001,9,teleport,${day}`,
    `x,3001,9,pv,${day}`,
    `4,4001,9,pv,${day},extra`,
    `5,5001,9,pv,${Math.floor(Date.now() / 1000) + 86_400}`,
  ];
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'taobao-')), 'UserBehavior.csv');
  fs.writeFileSync(file, rows.join('\n') + '\n');
  const { db, services } = server.app.context;
  const progress: number[] = [];
  const summary = await importTaobaoBehavior(db, services, file, ({ bytes, totalBytes }) => progress.push(bytes / totalBytes));

  assert.equal(summary.rows, 12);
  assert.equal(summary.events, 8);
  assert.deepEqual(summary.byType, { view: 5, cart: 1, buy: 1, favorite: 1 });
  assert.equal(summary.persons, 2);
  assert.equal(summary.items, 6);
  assert.equal(summary.rejectedCount, 4);
  assert.deepEqual(summary.rejected.map((r) => r.line), [9, 10, 11, 12]);
  assert.equal(progress.at(-1), 1);

  const found = (await server.http('GET', '/admin/people?q=taobao_user:1', { token: server.operator.token })).body.items;
  const person = (await server.http('GET', `/admin/people/${found[0].personId}`, { token: server.operator.token })).body;
  assert.equal(person.profile.summary.events, 6);
  assert.equal(person.profile.summary.orders, 1);
  assert.equal(person.profile.summary.lifecycle, 'lost', 'last seen in 2017');
  assert.ok(person.profile.tags.some((t: any) => t.id === 'category:taobao-42'));
  await assert.rejects(importTaobaoBehavior(db, services, file), /imported before/);
});
