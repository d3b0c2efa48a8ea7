/**
 * How long until a catalogue change is searchable: starts the server, creates products and
 * changes prices over HTTP, and polls /search until each change shows. Prints JSON lines.
 *   node --import tsx bench/search-freshness.ts [--db pglite|postgres] [--changes 20]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SERVER_NODE_FLAGS } from './support.ts';

const { values: opts } = parseArgs({ options: { db: { type: 'string', default: 'pglite' }, changes: { type: 'string', default: '20' } } });
const CHANGES = Number(opts.changes);
const ADMIN = { email: 'bench-admin@quanyu.local', password: 'bench-admin-pass' };

const port = await new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(p));
  });
});
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanyu-fresh-'));
const schema = `fresh_${Date.now()}`;
const dbEnv = opts.db === 'postgres'
  ? { DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'postgres://quanyu:quanyu@127.0.0.1:5432/quanyu_bench', QUANYU_DB_SCHEMA: schema }
  : { QUANYU_DATA_DIR: dataDir };
const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'src/main.ts'], {
  env: { ...process.env, ...dbEnv, PORT: String(port), HOST: '127.0.0.1', QUANYU_DEMO: '0', QUANYU_ADMIN_EMAIL: ADMIN.email, QUANYU_ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn' },
  stdio: 'ignore',
});
const base = `http://127.0.0.1:${port}/api/v1`;
const call = async (method: string, p: string, body?: unknown, token?: string) => {
  const r = await fetch(base + p, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  return r.json() as Promise<any>;
};
try {
  for (let i = 0; i < 240; i++) {
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const admin = (await call('POST', '/auth/login', ADMIN)).token;
  await call('POST', '/auth/register', { email: 'fresh-owner@quanyu.local', password: 'owner-pass-1' });
  const merchant = await call('POST', '/admin/merchants', { name: '新鲜度测试店', kind: 'marketplace', ownerEmail: 'fresh-owner@quanyu.local', commissionRateBps: 500 }, admin);
  const owner = (await call('POST', '/auth/login', { email: 'fresh-owner@quanyu.local', password: 'owner-pass-1' })).token;
  const delays = { create: [] as number[], price: [] as number[] };
  const until = async (check: () => Promise<boolean>) => {
    const start = performance.now();
    while (!(await check())) {
      if (performance.now() - start > 10_000) throw new Error('not searchable within 10 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  for (let i = 0; i < CHANGES; i++) {
    const word = `鲜度测试${i}号`;
    const t0 = performance.now();
    const product = await call('POST', `/merchants/${merchant.id}/products`, { title: `${word} 双肩包`, skus: [{ code: `F${i}`, price: { amount: 10000, currency: 'CNY' }, stock: 5 }] }, owner);
    await until(async () => (await call('GET', `/search?q=${encodeURIComponent(word)}`)).items.some((x: any) => x.productId === product.id));
    delays.create.push(performance.now() - t0);
    const t1 = performance.now();
    await call('PATCH', `/merchants/${merchant.id}/skus/${product.skus[0].id}`, { price: { amount: 8800, currency: 'CNY' } }, owner);
    await until(async () => (await call('GET', `/search?q=${encodeURIComponent(word)}`)).items.some((x: any) => x.productId === product.id && x.price.amount === 8800));
    delays.price.push(performance.now() - t1);
  }
  for (const [change, values] of Object.entries(delays)) {
    const sorted = values.sort((a, b) => a - b);
    const q = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
    console.log(JSON.stringify({ bench: 'search-freshness', db: opts.db, change, samples: sorted.length, p50Ms: q(0.5), maxMs: Math.round(sorted.at(-1)!) }));
  }
} finally {
  server.kill('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (opts.db === 'postgres') {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: dbEnv.DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}
