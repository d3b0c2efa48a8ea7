/**
 * Recommendation serving benchmark (issue 5): the feed with 100,000 products and 10,000
 * people. Starts bench/reco/server.ts (the real app on PostgreSQL or PGlite, a synthetic
 * marketplace, a model trained by the real job, in-process timings), then times GET /feed
 * and GET /products/{id}/similar over HTTP at 1 and 8 connections. Prints JSON lines.
 *
 *   node --import tsx bench/reco.ts [--db postgres|pglite|both] [--items 100000] [--people 10000] [--seconds 15]
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { benchDatabase, dbList, machineTicks, quantile, ROOT, SERVER_NODE_FLAGS, stealPctSince } from './support.ts';

const { values: opts } = parseArgs({ options: { db: { type: 'string', default: 'postgres' }, items: { type: 'string', default: '100000' }, people: { type: 'string', default: '10000' }, seconds: { type: 'string', default: '15' } } });

async function runOn(db: 'postgres' | 'pglite') {
  const database = benchDatabase(db);
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'bench/reco/server.ts', '--items', opts.items!, '--people', opts.people!], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DATABASE_URL: '', QUANYU_DB_SCHEMA: '', ...database.env, LOG_LEVEL: 'warn' },
  });
  try {
    let ready: { url: string; devices: number; products: string[] } | undefined;
    for await (const line of readline.createInterface({ input: child.stdout! })) {
      if (!line.startsWith('{')) continue;
      const message = JSON.parse(line);
      if (message.ready) {
        ready = message;
        break;
      }
      console.log(JSON.stringify({ ...message, db }));
    }
    if (!ready) throw new Error('the benchmark server stopped before it was ready');
    for (const connections of [1, 8]) {
      for (const surface of ['feed', 'similar'] as const) {
        const path = () =>
          surface === 'feed' ? '/api/v1/feed?limit=20' : `/api/v1/products/${ready!.products[Math.floor(Math.random() * ready!.products.length)]}/similar?limit=12`;
        const device = () => `bench-device-${String(Math.floor(Math.random() * ready!.devices)).padStart(6, '0')}`;
        console.log(JSON.stringify({ bench: 'reco', db, scenario: 'http', surface, connections, ...(await load(ready.url, connections, Number(opts.seconds), path, device)) }));
      }
    }
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    await database.drop();
  }
}

/** Each connection sends requests back to back for `seconds`; latencies of every answer. */
async function load(url: string, connections: number, seconds: number, path: () => string, device: () => string) {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const times: number[] = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  const ticks = machineTicks();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (Date.now() < until) {
      const t = performance.now();
      const answer = await pool.request({ method: 'GET', path: path(), headers: { 'x-device-id': device() } });
      await answer.body.text();
      times.push(performance.now() - t);
      if (answer.statusCode !== 200) errors++;
    }
  }));
  await pool.close();
  times.sort((a, b) => a - b);
  return { requests: times.length, requestsPerSecond: Math.round(times.length / seconds), p50ms: quantile(times, 0.5), p99ms: quantile(times, 0.99), errors, stealPct: stealPctSince(ticks) };
}

for (const db of dbList(opts.db!)) await runOn(db as 'postgres' | 'pglite');
