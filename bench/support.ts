/**
 * What the HTTP benchmarks share: a server child on PGlite or on a fresh PostgreSQL schema,
 * cleanup that also runs on SIGINT, an undici keep-alive pool with small JSON helpers, CPU and
 * memory readings from /proc, and a direct database connection for the checks after a run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { Pool } from 'undici';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The V8 flags `npm start` runs the server with (package.json): benchmarks time the server users run. */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round = (x: number) => Math.round(x * 10) / 10;

export type Db = 'pglite' | 'postgres';
/** `--db pglite|postgres|both` as a list. */
export function dbList(option: string): Db[] {
  const dbs = option === 'both' ? ['pglite', 'postgres'] : [option];
  if (!dbs.every((d) => d === 'pglite' || d === 'postgres')) throw new Error('usage: --db pglite|postgres|both');
  return dbs as Db[];
}

/** The value at quantile q of an ascending list, rounded to 0.1. */
export const quantile = (sorted: number[], q: number) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]) : null);

// ---- cleanup: server children are always killed, also on error and SIGINT ----------------------------
const cleanups = new Set<() => Promise<unknown>>();
const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
let interrupted = false;
export const wasInterrupted = () => interrupted;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, async () => {
    interrupted = true;
    const undo = async () => { for (const f of [...cleanups].reverse()) await f().catch(() => {}); }; // stop the server, then drop its data
    await Promise.race([undo(), sleep(25_000)]);
    process.exit(130);
  });

// ---- where the server keeps its data ---------------------------------------------------------------
export type Query = (text: string, params?: unknown[]) => Promise<any[]>;
export interface Direct { query: Query; close: () => Promise<void> }

/**
 * A fresh PGlite data dir or PostgreSQL schema (BENCH_DATABASE_URL, default the quanyu_bench
 * database of scripts/postgres-up.sh). `open` connects to it directly: any time on
 * PostgreSQL, only once the server has stopped on PGlite (the server holds the data dir).
 */
export function benchDatabase(db: Db) {
  const dataDir = db === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'quanyu-bench-')) : '';
  const databaseUrl = process.env.BENCH_DATABASE_URL || 'postgres://quanyu:quanyu@127.0.0.1:5432/quanyu_bench';
  const schema = `bench_${Date.now()}`;
  const env: Record<string, string> = db === 'pglite' ? { QUANYU_DATA_DIR: dataDir } : { DATABASE_URL: databaseUrl, QUANYU_DB_SCHEMA: schema };
  const cleanup = async () => {
    if (db === 'pglite') return fs.rmSync(dataDir, { recursive: true, force: true });
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  };
  cleanups.add(cleanup);
  return {
    env,
    /** The PostgreSQL database whose backends count as this benchmark's (none on PGlite). */
    pgDatabase: db === 'postgres' ? new URL(databaseUrl).pathname.slice(1) : '',
    async open(): Promise<Direct> {
      if (db === 'pglite') {
        const lite = new PGlite(path.join(dataDir, 'pglite'));
        return { query: async (text, params) => (await lite.query<any>(text, params)).rows, close: () => lite.close() };
      }
      const c = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
      await c.connect();
      return { query: async (text, params) => (await c.query(text, params)).rows, close: () => c.end() };
    },
    async drop() {
      await cleanup().catch((e) => console.error(`[${db}] cleanup failed: ${e}`));
      cleanups.delete(cleanup);
    },
  };
}

// ---- server child -----------------------------------------------------------------------------------
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

export interface ServerOptions {
  admin: { email: string; password: string };
  /** Write a V8 CPU profile of the server here (node --cpu-prof). */
  cpuProfDir?: string;
  /** Load the demo marketplace on start. */
  demo?: boolean;
  /** Extra settings, e.g. QUANYU_DB_POOL_SIZE. */
  env?: Record<string, string>;
}

/** Starts `node --import tsx src/main.ts` on a free port and waits until /health answers. */
export async function startServer(dbEnv: Record<string, string>, options: ServerOptions) {
  const port = await freePort();
  const prof = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.cpuProfDir)}`] : [];
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...prof, '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, DATABASE_URL: '', QUANYU_DB_SCHEMA: '', ...dbEnv, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      QUANYU_DEMO: options.demo ? '1' : '0', QUANYU_ADMIN_EMAIL: options.admin.email, QUANYU_ADMIN_PASSWORD: options.admin.password, ...options.env,
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
  // Up to 4 minutes: the demo's seeding and orders run before the server listens.
  for (let t = Date.now(); ; await sleep(200)) {
    const failure = child.exitCode !== null ? `server exited with ${child.exitCode}` : Date.now() - t > 240_000 ? 'server did not answer /health in 240 s' : '';
    if (failure) throw (await close(), new Error(`${failure}:\n${log}`));
    try {
      const r = await http.request({ path: '/api/v1/health', method: 'GET' });
      await r.body.dump();
      if (r.statusCode === 200) break;
    } catch { /* not listening yet */ }
  }
  return { child, origin, http, stop: close, log: () => log };
}

// ---- JSON over the pool -----------------------------------------------------------------------------
export type Http = Pool;
export interface Answer { status: number; json: any }
export async function call(http: Http, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, token?: string, extraHeaders: Record<string, string> = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...extraHeaders };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await http.request({ path: `/api/v1${url}`, method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.body.text();
  return { status: r.statusCode, json: text ? JSON.parse(text) : undefined };
}
export async function must(expected: number, answer: Promise<Answer>, what: string) {
  const a = await answer;
  if (a.status !== expected) throw new Error(`${what}: HTTP ${a.status} ${JSON.stringify(a.json).slice(0, 300)}`);
  return a.json;
}
export async function inParallel<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) { const i = next++; await fn(items[i], i); }
  }));
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
export function cpuSnapshot(serverPid: number, database: string) {
  const postgres = new Map(postgresPids(database).map((pid) => [pid, ticksOf(pid)]));
  const [user, nice, system, , , irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return { at: performance.now(), server: ticksOf(serverPid), bench: process.cpuUsage(), postgres, machine: user + nice + system + irq + softirq, steal };
}
/**
 * CPU used between a snapshot and now, in % of one core; machineCpuPct is everything on the box (out of cores x 100),
 * stealCpuPct the time the hypervisor gave our virtual CPUs to someone else (runs with much of it are not comparable).
 */
export function cpuSince(a: ReturnType<typeof cpuSnapshot>, serverPid: number, database: string) {
  const b = cpuSnapshot(serverPid, database), secs = (b.at - a.at) / 1000;
  let pgTicks = 0;
  for (const [pid, t] of b.postgres) pgTicks += t - (a.postgres.get(pid) ?? t); // processes alive at both ends
  const pct = (ticks: number) => Math.round((ticks / TICK / secs) * 100);
  const u = process.cpuUsage(a.bench);
  return { serverCpuPct: pct(b.server - a.server), postgresCpuPct: pct(pgTicks), benchCpuPct: pct(((u.user + u.system) / 1e6) * TICK), machineCpuPct: pct(b.machine - a.machine), stealCpuPct: pct(b.steal - a.steal) };
}
/** The machine's CPU time counters from /proc/stat: all time, and the time the host gave our virtual CPUs to others. */
export function machineTicks() {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] };
}
/** Percent of all CPU time since the snapshot that the host stole: runs with much of it are not comparable. */
export function stealPctSince(a: ReturnType<typeof machineTicks>) {
  const b = machineTicks();
  return b.total > a.total ? round((100 * (b.steal - a.steal)) / (b.total - a.total)) : 0;
}
export const peakRssMb = (pid: number) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : null;
};
