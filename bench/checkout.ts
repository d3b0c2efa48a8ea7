/**
 * Checkout benchmark (shared BENCHMARKS.md, "Checkout"): whole storefront checkouts over HTTP
 * (cart -> order -> payment -> sandbox pay) against a real server child, on PGlite and/or
 * PostgreSQL. Prints one JSON line per scenario.
 *
 *   node --import tsx bench/checkout.ts [--db pglite|postgres|both] [--seconds 20] [--warmup 5]
 *     [--scenarios spread,hot,sellout] [--buyers 8,32] [--server-cpu-prof DIR]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { Pool } from 'undici';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    scenarios: { type: 'string', default: 'spread,hot,sellout' },
    buyers: { type: 'string', default: '8,32' },
    'server-cpu-prof': { type: 'string' },
  },
});
const SECONDS = Number(opts.seconds);
const WARMUP = Number(opts.warmup);
const SCENARIOS = opts.scenarios!.split(',');
const BUYER_COUNTS = opts.buyers!.split(',').map(Number);
const DBS = opts.db === 'both' ? ['pglite', 'postgres'] : [opts.db!];
if (!DBS.every((d) => d === 'pglite' || d === 'postgres') || !(SECONDS > 0) || !(WARMUP >= 0)) throw new Error('usage: --db pglite|postgres|both --seconds N --warmup N');

const SPREAD_SKUS = 1000, SPREAD_STOCK = 100_000, HOT_STOCK = 1_000_000;
const SELLOUT = { stock: 100, buyers: 300, concurrency: 64 };
const MAX_PER_BUYER = 1_000_000; // every loop is bounded by count as well as by time
const ADMIN = { email: 'bench-operator@quanyu.test', password: 'bench-operator-pw' };
const PASSWORD = 'bench-password-1';
const ADDRESS = { name: '张三', phone: '13800000000', region: '上海市浦东新区', line1: '世纪大道 1 号' };
const PAID = `('paid', 'shipped', 'completed')`;

// ---- cleanup: the server child is always killed, also on error and SIGINT -------------------------
const cleanups = new Set<() => Promise<unknown>>();
const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, async () => {
    interrupted = true;
    const undo = async () => { for (const f of [...cleanups].reverse()) await f().catch(() => {}); }; // stop the server, then drop its data
    await Promise.race([undo(), sleep(25_000)]);
    process.exit(130);
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- server child -----------------------------------------------------------------------------------
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const prof = opts['server-cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts['server-cpu-prof'])}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, DATABASE_URL: '', QUANYU_DB_SCHEMA: '', ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      QUANYU_DEMO: '0', QUANYU_ADMIN_EMAIL: ADMIN.email, QUANYU_ADMIN_PASSWORD: ADMIN.password,
    },
  });
  children.add(child);
  let log = '';
  const keep = (d: Buffer) => (log = (log + d).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => (children.delete(child), r())));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT'); // main.ts closes the app (and PGlite) on SIGINT
    if (await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)])) return;
    child.kill('SIGKILL');
    await exited;
  };
  cleanups.add(stop);
  const origin = `http://127.0.0.1:${port}`;
  const http = new Pool(origin, { connections: 128, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 60_000, bodyTimeout: 60_000 });
  const close = async () => (cleanups.delete(stop), await http.close().catch(() => {}), await stop());
  for (let t = Date.now(); ; await sleep(200)) {
    const failure = child.exitCode !== null ? `server exited with ${child.exitCode}` : Date.now() - t > 120_000 ? 'server did not answer /health in 120 s' : '';
    if (failure) throw (await close(), new Error(`${failure}:\n${log}`));
    try {
      const r = await http.request({ path: '/api/v1/health', method: 'GET' });
      await r.body.dump();
      if (r.statusCode === 200) break;
    } catch { /* not listening yet */ }
  }
  return { child, http, stop: close, log: () => log };
}

type Http = Pool;
interface Answer { status: number; json: any }
async function call(http: Http, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, token?: string, idempotencyKey?: string): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const r = await http.request({ path: `/api/v1${url}`, method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.body.text();
  return { status: r.statusCode, json: text ? JSON.parse(text) : undefined };
}
async function must(expected: number, answer: Promise<Answer>, what: string) {
  const a = await answer;
  if (a.status !== expected) throw new Error(`${what}: HTTP ${a.status} ${JSON.stringify(a.json).slice(0, 300)}`);
  return a.json;
}
async function inParallel<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) { const i = next++; await fn(items[i], i); }
  }));
}

// ---- one checkout = 4 storefront requests -----------------------------------------------------------
type Outcome = { kind: 'paid' } | { kind: 'refused' } | { kind: 'error'; detail: string };
async function checkout(http: Http, token: string, skuId: string): Promise<Outcome> {
  const error = (step: string, a: Answer): Outcome => ({ kind: 'error', detail: `${step}: HTTP ${a.status} ${a.json?.code ?? ''} ${a.json?.detail ?? ''}`.trim() });
  try {
    let a = await call(http, 'PUT', '/cart/items', { skuId, quantity: 1 }, token);
    if (a.status !== 200) return error('cart', a);
    a = await call(http, 'POST', '/orders', { address: ADDRESS }, token, randomUUID());
    if (a.status !== 201) {
      await call(http, 'PUT', '/cart/items', { skuId, quantity: 0 }, token); // keep the cart to one line
      return a.status === 409 && a.json?.code === 'out_of_stock' ? { kind: 'refused' } : error('order', a);
    }
    a = await call(http, 'POST', '/payments', { orderGroupId: a.json.orderGroupId, provider: 'sandbox' }, token, randomUUID());
    if (a.status !== 201) return error('payment', a);
    a = await call(http, 'POST', `/payments/${a.json.id}/sandbox/pay`, undefined, token);
    if (a.status !== 200 || a.json?.status !== 'succeeded') return error('pay', a);
    return { kind: 'paid' };
  } catch (e) {
    return { kind: 'error', detail: String((e as Error).message ?? e) };
  }
}

class Tally {
  latencies: number[] = [];
  errors = 0;
  refused = 0;
  errorSample = '';
  async run(http: Http, token: string, skuId: string) {
    const start = performance.now();
    const o = await checkout(http, token, skuId);
    if (o.kind === 'paid') this.latencies.push(performance.now() - start);
    else if (o.kind === 'refused') this.refused++;
    else { this.errors++; this.errorSample ||= o.detail; await sleep(10); }
  }
  summary(seconds: number) {
    const sorted = this.latencies.sort((a, b) => a - b);
    const at = (q: number) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]) : null);
    return { seconds: round(seconds), orders: sorted.length, ordersPerSec: round(sorted.length / seconds), p50Ms: at(0.5), p99Ms: at(0.99), errors: this.errors, errorSample: this.errorSample };
  }
}
const round = (x: number) => Math.round(x * 10) / 10;

/** Every buyer checks out in a loop until the deadline; returns the tally and the window length. */
async function loop(http: Http, tokens: string[], pickSku: () => string, seconds: number) {
  const tally = new Tally();
  const start = performance.now(), end = start + seconds * 1000;
  await Promise.all(tokens.map(async (token) => {
    for (let i = 0; i < MAX_PER_BUYER && performance.now() < end; i++) await tally.run(http, token, pickSku());
  }));
  return { tally, elapsed: (performance.now() - start) / 1000 };
}

// ---- CPU and memory from /proc ----------------------------------------------------------------------
const TICK = 100; // USER_HZ on Linux
const ticksOf = (pid: number | string) => {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime, all threads
  } catch { return 0; }
};
/** Postgres processes working for this benchmark: our database's backends and the shared background ones. */
function postgresPids(database: string) {
  if (!database) return []; // PGlite runs inside the server
  return fs.readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    let title = '';
    try { title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { return false; }
    if (!title.startsWith('postgres: ')) return false;
    const backend = /^postgres: [^:]+: \S+ (\S+) (\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\])/.exec(title);
    return !backend || backend[1] === database;
  });
}
function cpuSnapshot(serverPid: number, database: string) {
  const postgres = new Map(postgresPids(database).map((pid) => [pid, ticksOf(pid)]));
  const [user, nice, system, , , irq, softirq] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return { at: performance.now(), server: ticksOf(serverPid), bench: process.cpuUsage(), postgres, machine: user + nice + system + irq + softirq };
}
/** CPU used between a snapshot and now, in % of one core; machineCpuPct is everything on the box (out of cores x 100). */
function cpuSince(a: ReturnType<typeof cpuSnapshot>, serverPid: number, database: string) {
  const b = cpuSnapshot(serverPid, database), secs = (b.at - a.at) / 1000;
  let pgTicks = 0;
  for (const [pid, t] of b.postgres) pgTicks += t - (a.postgres.get(pid) ?? t); // processes alive at both ends
  const pct = (ticks: number) => Math.round((ticks / TICK / secs) * 100);
  const u = process.cpuUsage(a.bench);
  return { serverCpuPct: pct(b.server - a.server), postgresCpuPct: pct(pgTicks), benchCpuPct: pct(((u.user + u.system) / 1e6) * TICK), machineCpuPct: pct(b.machine - a.machine) };
}
const peakRssMb = (pid: number) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : null;
};

// ---- the database check: units paid vs what each SKU had --------------------------------------------
type Query = (text: string, params: unknown[]) => Promise<any[]>;
async function stockCheck(q: Query, initial: Map<string, number>) {
  const ids = [...initial.keys()];
  const levels = await q('SELECT sku_id, available, reserved, sold FROM stock_levels WHERE sku_id = ANY($1)', [ids]);
  const paidRows = await q(
    `SELECT l.sku_id, sum(l.quantity)::int AS paid FROM order_lines l JOIN orders o ON o.id = l.order_id
      WHERE o.status IN ${PAID} AND l.sku_id = ANY($1) GROUP BY l.sku_id`, [ids]);
  const paid = new Map(paidRows.map((r) => [r.sku_id, Number(r.paid)]));
  let oversold = 0, sold = 0, negative = 0, stockMismatch = 0;
  for (const l of levels) {
    const units = paid.get(l.sku_id) ?? 0, had = initial.get(l.sku_id)!;
    sold += units;
    oversold += Math.max(0, units - had);
    if (l.available < 0 || l.reserved < 0) negative++;
    if (l.sold !== units || l.available + l.reserved + l.sold !== had) stockMismatch++;
  }
  if (levels.length !== ids.length) stockMismatch += ids.length - levels.length;
  return { oversold, sold, negative, stockMismatch };
}

// ---- one database: start, set up, run every scenario, check, stop ------------------------------------
async function benchDb(db: 'pglite' | 'postgres') {
  const stamp = `${Date.now()}`;
  const dataDir = db === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'quanyu-bench-')) : '';
  const databaseUrl = process.env.BENCH_DATABASE_URL || 'postgres://quanyu:quanyu@127.0.0.1:5432/quanyu_bench';
  const schema = `bench_${stamp}`;
  const pgDatabase = db === 'postgres' ? new URL(databaseUrl).pathname.slice(1) : '';
  const env: Record<string, string> = db === 'pglite' ? { QUANYU_DATA_DIR: dataDir } : { DATABASE_URL: databaseUrl, QUANYU_DB_SCHEMA: schema };
  const dropSchema = async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  };
  const removeDir = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  const cleanup = db === 'pglite' ? removeDir : dropSchema;
  cleanups.add(cleanup);

  const server = await startServer(env).catch(async (e) => { await cleanup().catch(() => {}); cleanups.delete(cleanup); throw e; });
  const { http } = server, pid = server.child.pid!;
  let pgClient: pg.Client | undefined;
  const pending: { line: Record<string, unknown>; initial: Map<string, number> }[] = [];
  const flush = async (q: Query) => {
    for (const { line, initial } of pending.splice(0)) {
      const c = await stockCheck(q, initial);
      line.oversold = c.oversold; // keys keep the order they were first set in
      if ('sold' in line) line.sold = c.sold;
      console.log(JSON.stringify({ ...line, negative: c.negative, stockMismatch: c.stockMismatch }));
    }
  };
  try {
    // Accounts and stores.
    const admin = (await must(200, call(http, 'POST', '/auth/login', ADMIN), 'operator login')).token;
    const merchants: { id: string; token: string }[] = [];
    for (const [i, kind] of (['self_operated', 'marketplace'] as const).entries()) {
      const email = `owner${i}-${stamp}@quanyu.test`;
      await must(201, call(http, 'POST', '/auth/register', { email, password: PASSWORD }), 'owner register');
      const m = await must(201, call(http, 'POST', '/admin/merchants', { name: `Bench store ${i}`, kind, ownerEmail: email, commissionRateBps: kind === 'self_operated' ? 0 : 500 }, admin), 'create merchant');
      merchants.push({ id: m.id, token: (await must(200, call(http, 'POST', '/auth/login', { email, password: PASSWORD }), 'owner login')).token });
    }
    let productNo = 0;
    /** Creates SKUs (100 per product, products alternating between the two stores) with the given stock. */
    const createSkus = async (count: number, stock: number) => {
      const ids: string[] = [];
      for (let left = count; left > 0; left -= 100) {
        const m = merchants[productNo % 2], n = Math.min(100, left), no = productNo++;
        const skus = Array.from({ length: n }, (_, i) => ({ code: `B${no}-${i}`, attributes: { 规格: `${i}` }, price: { amount: 990 + i, currency: 'CNY' }, stock }));
        const p = await must(201, call(http, 'POST', `/merchants/${m.id}/products`, { title: `压测商品 ${no}`, brand: 'Bench', category: '压测/商品', skus }, m.token), 'create product');
        ids.push(...p.skus.map((s: { id: string }) => s.id));
      }
      return ids;
    };
    // Buyers: registration is scrypt-heavy, so a few at a time, before any timing.
    const buyerCount = Math.max(...BUYER_COUNTS, SCENARIOS.includes('sellout') ? SELLOUT.buyers : 0);
    const buyers: string[] = [];
    await inParallel(Array.from({ length: buyerCount }, (_, i) => i), 4, async (i) => {
      buyers[i] = (await must(201, call(http, 'POST', '/auth/register', { email: `buyer${i}-${stamp}@quanyu.test`, password: PASSWORD }), 'buyer register')).token;
    });
    if (db === 'postgres') {
      pgClient = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
      await pgClient.connect();
    }
    /** Queues a result line (trial balance and peak RSS now; the stock check now on Postgres, after stopping on PGlite). */
    const record = async (result: Record<string, unknown>, cpu: object, initial: Map<string, number>, sellout?: { refused: number }) => {
      const tb = await must(200, call(http, 'GET', '/admin/ledger/trial-balance', undefined, admin), 'trial balance');
      const line = { bench: 'checkout', db, ...result, oversold: null, trialBalance: tb.total.amount, peakRssMb: peakRssMb(pid), ...(sellout && { stock: SELLOUT.stock, sold: null, ...sellout }), ...cpu };
      pending.push({ line, initial });
      if (pgClient) await flush((text, params) => pgClient!.query(text, params).then((r) => r.rows));
    };

    for (const scenario of SCENARIOS.filter((s) => s === 'spread' || s === 'hot'))
      for (const n of BUYER_COUNTS) {
        const skus = scenario === 'spread' ? await createSkus(SPREAD_SKUS, SPREAD_STOCK) : await createSkus(1, HOT_STOCK);
        const stock = scenario === 'spread' ? SPREAD_STOCK : HOT_STOCK;
        const pick = () => skus[Math.floor(Math.random() * skus.length)];
        if (WARMUP > 0) await loop(http, buyers.slice(0, n), pick, WARMUP);
        const cpu0 = cpuSnapshot(pid, pgDatabase);
        const { tally, elapsed } = await loop(http, buyers.slice(0, n), pick, SECONDS);
        const cpu = cpuSince(cpu0, pid, pgDatabase);
        await record({ scenario, buyers: n, ...tally.summary(elapsed) }, cpu, new Map(skus.map((s) => [s, stock])));
      }

    if (SCENARIOS.includes('sellout')) {
      const [sku] = await createSkus(1, SELLOUT.stock);
      const tally = new Tally(), start = performance.now(), cpu0 = cpuSnapshot(pid, pgDatabase);
      await inParallel(buyers.slice(0, SELLOUT.buyers), SELLOUT.concurrency, (token) => tally.run(http, token, sku));
      const elapsed = (performance.now() - start) / 1000, cpu = cpuSince(cpu0, pid, pgDatabase);
      await record({ scenario: 'sellout', buyers: SELLOUT.buyers, concurrency: SELLOUT.concurrency, ...tally.summary(elapsed) }, cpu, new Map([[sku, SELLOUT.stock]]), { refused: tally.refused });
    }
  } catch (e) {
    if (!interrupted) console.error(`[${db}] ${(e as Error).stack}\n--- server log tail ---\n${server.log()}`);
    process.exitCode = 1;
  } finally {
    await pgClient?.end().catch(() => {});
    await server.stop();
    if (db === 'pglite' && pending.length) {
      // The server held the data dir; now that it is stopped, open it ourselves for the check.
      const lite = new PGlite(path.join(dataDir, 'pglite'));
      try { await flush(async (text, params) => (await lite.query<any>(text, params)).rows); } finally { await lite.close(); }
    }
    await cleanup().catch((e) => console.error(`[${db}] cleanup failed: ${e}`));
    cleanups.delete(cleanup);
  }
}

for (const db of DBS) await benchDb(db as 'pglite' | 'postgres');
