/**
 * Behaviour ingestion benchmark (shared BENCHMARKS.md, "Events"): storefront batches of 100
 * events to POST /api/v1/events over keep-alive connections, from many devices and some
 * signed-in shoppers, against a real server child with the demo catalogue, on PGlite and/or
 * PostgreSQL. Meanwhile a signed-in probe shopper measures how long until GET /me/profile
 * counts an event it just sent. After the run the database is checked: stored rows = accepted
 * events, and sampled profiles count exactly their stored events. Prints one JSON line per
 * scenario and one per check.
 *
 *   node --import tsx bench/events.ts [--db pglite|postgres|both] [--seconds 20] [--warmup 5]
 *     [--connections 16,64] [--devices 2000] [--shoppers 50] [--db-pool N] [--server-cpu-prof DIR]
 */
import { parseArgs } from 'node:util';
import { Client, Pool } from 'undici';
import {
  benchDatabase, call, cpuSince, cpuSnapshot, dbList, inParallel, must, peakRssMb, quantile, round, sleep, startServer, wasInterrupted, type Db, type Direct,
} from './support.ts';

const { values: opts } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16,64' },
    devices: { type: 'string', default: '2000' },
    shoppers: { type: 'string', default: '50' },
    'db-pool': { type: 'string' }, // QUANYU_DB_POOL_SIZE for the server (its default when absent)
    'server-cpu-prof': { type: 'string' },
  },
});
const DBS = dbList(opts.db!);
const SECONDS = Number(opts.seconds), WARMUP = Number(opts.warmup);
const CONNECTIONS = opts.connections!.split(',').map(Number);
const DEVICES = Number(opts.devices), SHOPPERS = Number(opts.shoppers);
if (!(SECONDS > 0) || !(WARMUP >= 0) || !CONNECTIONS.every((c) => c > 0) || !(DEVICES > 0) || !(SHOPPERS >= 0)) throw new Error('usage: --seconds N --warmup N --connections 16,64 --devices N --shoppers N');

const BATCH = 100;
const BODIES_PER_SENDER = 2;
const PROBE_EVERY_MS = 300, PROBE_GIVE_UP_MS = 10_000;
const SAMPLE_DEVICES = 50, SAMPLE_SHOPPERS = 10;
const ADMIN = { email: 'bench-operator@quanyu.test', password: 'bench-operator-pw' };
const PASSWORD = 'bench-password-1';
const CHANNELS = ['douyin', 'wechat', 'xiaohongshu', 'baidu', 'weibo'];
const CAMPAIGNS = ['618', 'double11', 'spring-sale', undefined];
const EVENTS_PATH = '/api/v1/events';

// ---- what a storefront sends ------------------------------------------------------------------------
interface Product { id: string; brand: string | null; category: string | null }
interface Sender { subject: string; headers: Record<string, string>; bodies: string[] }

const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)];
const int = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/**
 * One shopper's batch: mostly product views, some result clicks, searches, carts, favourites,
 * shares and page views; most of the products from the shopper's favourite category, and the
 * arrival channel of the session (if any) on every event, as the web app sends them.
 */
function batch(products: Product[], favourite: Product[], arrival: Record<string, string>): string {
  const events = Array.from({ length: BATCH }, () => {
    const p = Math.random() < 0.7 ? pick(favourite) : pick(products);
    const query = [p.brand, p.category?.split('/').at(-1)].filter(Boolean).join(' ') || '手机';
    const r = Math.random();
    const e =
      r < 0.6 ? { type: 'view', productId: p.id, page: `/products/${p.id}` }
      : r < 0.65 ? { type: 'view', page: pick(['/', '/cart', `/search?q=${query}`, '/me/orders']) }
      : r < 0.75 ? { type: 'click', productId: p.id, query, position: int(1, 40) }
      : r < 0.83 ? { type: 'search', query, results: int(0, 500) }
      : r < 0.91 ? { type: 'cart', productId: p.id }
      : r < 0.95 ? { type: 'favorite', productId: p.id }
      : r < 0.98 ? { type: 'share', productId: p.id }
      : { type: 'content_view', contentId: `live-${int(1, 50)}` };
    return { ...e, ...arrival };
  });
  return JSON.stringify({ events });
}

function makeSender(products: Product[], byTop: Map<string, Product[]>, subject: string, headers: Record<string, string>): Sender {
  const favourite = pick([...byTop.values()]);
  const campaign = pick(CAMPAIGNS);
  const arrival: Record<string, string> = Math.random() < 0.25 ? { channel: pick(CHANNELS), ...(campaign && { campaign }) } : {};
  const bodies = Array.from({ length: BODIES_PER_SENDER }, () => batch(products, favourite, arrival));
  return { subject, headers: { 'content-type': 'application/json', ...headers }, bodies };
}

// ---- load: every connection sends batches back to back, senders taken round-robin ----------------------
/** Round-robin over all senders across scenarios, so each device sends at the average rate, far below its limit. */
class Senders {
  private n = 0;
  constructor(readonly list: Sender[]) {}
  next() {
    const n = this.n++, s = this.list[n % this.list.length];
    return { headers: s.headers, body: s.bodies[Math.floor(n / this.list.length) % s.bodies.length] };
  }
  /** Those that have sent at least one batch. */
  used() { return this.list.slice(0, Math.min(this.n, this.list.length)); }
}

class Load {
  latencies: number[] = [];
  accepted = 0; // events
  rejected = 0; // events refused inside a 202
  errors = 0; // requests not answered 202
  errorsByStatus: Record<string, number> = {};
  errorSample = '';

  /** Answers the seconds from the first request to the last answer. */
  async run(pool: Pool, senders: Senders, connections: number, seconds: number) {
    const start = performance.now(), end = start + seconds * 1000;
    await Promise.all(Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const { headers, body } = senders.next();
        const sent = performance.now();
        let status = 'network';
        try {
          const r = await pool.request({ path: EVENTS_PATH, method: 'POST', headers, body });
          const text = await r.body.text();
          status = String(r.statusCode);
          if (r.statusCode === 202) {
            const a = JSON.parse(text);
            this.accepted += a.accepted;
            this.rejected += a.rejected.length;
          } else this.errorSample ||= `HTTP ${status} ${text.slice(0, 200)}`;
        } catch (e) {
          this.errorSample ||= String((e as Error).message ?? e);
        }
        this.latencies.push(performance.now() - sent);
        if (status !== '202') (this.errors++, (this.errorsByStatus[status] = (this.errorsByStatus[status] ?? 0) + 1), await sleep(10));
      }
    }));
    return (performance.now() - start) / 1000;
  }
}

// ---- freshness: a signed-in shopper sends one event and polls its profile until it counts it -------------
async function probeFreshness(origin: string, token: string, deviceId: string, productId: string, seconds: number) {
  const client = new Client(origin, { keepAliveTimeout: 60_000 }); // its own connection: not queued behind the load
  const headers = { authorization: `Bearer ${token}`, 'x-device-id': deviceId };
  const profileEvents = async () => {
    const r = await client.request({ path: '/api/v1/me/profile', method: 'GET', headers });
    const json = JSON.parse(await r.body.text());
    if (r.statusCode !== 200) throw new Error(`GET /me/profile: HTTP ${r.statusCode} ${JSON.stringify(json).slice(0, 200)}`);
    return json.summary.events as number;
  };
  const body = JSON.stringify({ events: [{ type: 'view', productId, page: `/products/${productId}` }] });
  const delays: number[] = [];
  let misses = 0, accepted = 0, seen = await profileEvents();
  const end = performance.now() + seconds * 1000;
  try {
    while (performance.now() < end) {
      const start = performance.now();
      const r = await client.request({ path: EVENTS_PATH, method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
      await r.body.dump();
      if (r.statusCode === 202) {
        accepted++;
        let events = await profileEvents();
        while (events <= seen && performance.now() - start < PROBE_GIVE_UP_MS) (await sleep(10), (events = await profileEvents()));
        if (events > seen) delays.push(performance.now() - start);
        else misses++;
        seen = events;
      } else misses++;
      await sleep(Math.max(0, start + PROBE_EVERY_MS - performance.now()));
    }
  } finally {
    await client.close();
  }
  delays.sort((a, b) => a - b);
  return { accepted, freshness: { n: delays.length, p50ms: quantile(delays, 0.5), p99ms: quantile(delays, 0.99), maxMs: delays.length ? round(delays.at(-1)!) : null, misses } };
}

// ---- one database: start with the demo, set up senders, run every scenario, check ---------------------
async function benchDb(db: Db) {
  const stamp = `${Date.now()}`;
  const database = benchDatabase(db);
  const poolEnv = opts['db-pool'] ? { QUANYU_DB_POOL_SIZE: opts['db-pool'] } : undefined;
  const server = await startServer(database.env, { admin: ADMIN, demo: true, cpuProfDir: opts['server-cpu-prof'], env: poolEnv }).catch(async (e) => { await database.drop(); throw e; });
  const { http, origin } = server, pid = server.child.pid!;
  let acceptedTotal = 0;
  let subjects: { all: string[]; sample: string[] } | undefined; // set once the load ran
  try {
    // The demo catalogue, a page at a time.
    const products: Product[] = [];
    for (let page = 1; ; page++) {
      const { items, total } = await must(200, call(http, 'GET', `/products?page=${page}&pageSize=100`), 'list products');
      products.push(...items.map((p: any) => ({ id: p.id, brand: p.brand, category: p.category })));
      if (!items.length || products.length >= total) break;
    }
    const byTop = new Map<string, Product[]>();
    for (const p of products) {
      const top = p.category?.split('/')[0] ?? '';
      byTop.set(top, [...(byTop.get(top) ?? []), p]);
    }

    // Shoppers sign up on their own device (registration is scrypt-heavy: a few at a time, before any timing).
    const register = async (name: string) => {
      const deviceId = `bench-${stamp}-${name}`;
      const a = await must(201, call(http, 'POST', '/auth/register', { email: `${name}-${stamp}@quanyu.test`, password: PASSWORD }, undefined, { 'x-device-id': deviceId }), 'shopper register');
      return { token: a.token as string, deviceId, subject: `account:${a.user.id}` };
    };
    const senders: Sender[] = [];
    await inParallel(Array.from({ length: SHOPPERS }, (_, i) => i), 4, async (i) => {
      const s = await register(`shopper${i}`);
      senders.push(makeSender(products, byTop, s.subject, { authorization: `Bearer ${s.token}`, 'x-device-id': s.deviceId }));
    });
    const probe = await register('probe');
    for (let i = 0; i < DEVICES; i++) {
      const deviceId = `bench-${stamp}-d${i}`;
      senders.push(makeSender(products, byTop, `device:${deviceId}`, { 'x-device-id': deviceId }));
    }
    senders.sort(() => Math.random() - 0.5); // shoppers spread among the devices
    const rotation = new Senders(senders);

    for (const connections of CONNECTIONS) {
      const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: 60_000, bodyTimeout: 60_000 });
      try {
        if (WARMUP > 0) {
          const warm = new Load();
          await warm.run(pool, rotation, connections, WARMUP);
          acceptedTotal += warm.accepted;
        }
        const load = new Load();
        const cpu0 = cpuSnapshot(pid, database.pgDatabase);
        const [elapsed, probed] = await Promise.all([load.run(pool, rotation, connections, SECONDS), probeFreshness(origin, probe.token, probe.deviceId, products[0].id, SECONDS)]);
        const cpu = cpuSince(cpu0, pid, database.pgDatabase);
        acceptedTotal += load.accepted + probed.accepted;
        const requests = load.latencies.length;
        load.latencies.sort((a, b) => a - b);
        console.log(JSON.stringify({
          bench: 'events', db, scenario: 'ingest', connections, ...(opts['db-pool'] && { dbPool: Number(opts['db-pool']) }), seconds: round(elapsed), batch: BATCH, senders: senders.length,
          events: load.accepted, eventsPerSecond: Math.round(load.accepted / elapsed), requestsPerSecond: round(requests / elapsed),
          p50ms: quantile(load.latencies, 0.5), p99ms: quantile(load.latencies, 0.99), errors: load.errors, errorsByStatus: load.errorsByStatus, errorSample: load.errorSample,
          rejectedEvents: load.rejected, freshness: probed.freshness, peakRssMb: peakRssMb(pid), ...cpu,
          otherCpuPct: Math.max(0, cpu.machineCpuPct - cpu.serverCpuPct - cpu.postgresCpuPct - cpu.benchCpuPct), // anything else on this shared machine
          serverCpuMsPerRequest: round((cpu.serverCpuPct * 10 * elapsed) / requests), postgresCpuMsPerRequest: round((cpu.postgresCpuPct * 10 * elapsed) / requests),
        }));
      } finally {
        await pool.close();
      }
    }
    // Sample devices and shoppers that sent something, and the probe.
    const used = rotation.used().sort(() => Math.random() - 0.5);
    const sample = [...used.filter((s) => s.subject.startsWith('device:')).slice(0, SAMPLE_DEVICES), ...used.filter((s) => s.subject.startsWith('account:')).slice(0, SAMPLE_SHOPPERS)];
    subjects = { all: [...senders.map((s) => s.subject), probe.subject], sample: [...sample.map((s) => s.subject), probe.subject] };
  } catch (e) {
    if (!wasInterrupted()) console.error(`[${db}] ${(e as Error).stack}\n--- server log tail ---\n${server.log()}`);
    process.exitCode = 1;
  } finally {
    await server.stop();
  }
  try {
    // The check runs with the server stopped: PGlite's data dir is then ours, and on PostgreSQL nothing is in flight.
    if (subjects) await checkDatabase(db, await database.open(), acceptedTotal, subjects);
  } finally {
    await database.drop();
  }
}

async function checkDatabase(db: Db, direct: Direct, accepted: number, subjects: { all: string[]; sample: string[] }) {
  const { query } = direct, { sample } = subjects;
  try {
    const [{ n }] = await query(`SELECT count(*)::int AS n FROM behavior_events WHERE subject = ANY($1)`, [subjects.all]);
    // A person's profile against the events stored under every identifier of that person.
    const rows = await query(
      `SELECT i.key, coalesce(p.events, 0) AS profile,
              (SELECT count(*)::int FROM behavior_events e WHERE e.subject IN (SELECT key FROM person_identifiers j WHERE j.person_id = i.person_id)) AS stored
         FROM person_identifiers i LEFT JOIN profiles p ON p.person_id = i.person_id WHERE i.key = ANY($1)`,
      [sample],
    );
    const mismatches = rows.filter((r) => r.profile !== r.stored);
    console.log(JSON.stringify({
      bench: 'events', db, scenario: 'check', acceptedEvents: accepted, storedEvents: n, countsMatch: n === accepted,
      profilesChecked: rows.length, profilesMissing: sample.length - rows.length, profileMismatches: mismatches.length,
      ...(mismatches.length && { mismatchSample: mismatches.slice(0, 3) }),
    }));
    if (n !== accepted || mismatches.length || rows.length !== sample.length) process.exitCode = 1;
  } finally {
    await direct.close();
  }
}

for (const db of DBS) await benchDb(db);
