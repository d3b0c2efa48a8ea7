/**
 * The flash-sale rush (秒杀): a store puts 1,000 units of one SKU (all its stock) on a flash sale
 * that is live now, limit 1 per person; 5,000 signed-in shoppers, registered beforehand, each
 * send one grab (POST /flash-sales/{id}/grabs) for it at once, over loopback with undici at the
 * given concurrency; the server writes each successful grab's order behind it. The real server
 * (node --import tsx src/main.ts) runs on PostgreSQL: DATABASE_URL when set, else the
 * quanyu_bench_flash database of scripts/postgres-up.sh, in a fresh schema dropped afterwards.
 *
 * Timed: each grab's answer (p50Ms/p99Ms/maxMs, what the shopper waits for), and, from the
 * database's own timestamps, each successful grab's time until its order existed (orderP50Ms,
 * orderP99Ms), and the seconds from the rush's start until all `units` orders existed.
 * Checked after the rush, in the database itself: exactly `units` grabs ordered (none failed) and
 * `units` orders, the rest refused 409, the sale's counter at `units`, the SKU's stock consistent
 * (nothing on general sale, `units` reserved by orders, the sale's hold empty), no 5xx. One JSON
 * line; target: sold exactly 1,000 and grab p99 < 500 ms.
 *
 *   node --import tsx bench/pricing/flash-sale.ts [--units 1000] [--buyers 5000] [--concurrency 500] [--pool 8] [--server-cpu-prof DIR]
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { benchDatabase, call, cpuSince, cpuSnapshot, inParallel, must, quantile, ROOT, round, sleep, startServer } from '../support.ts';

export interface FlashSaleFigures {
  bench: 'pricing-flash-sale';
  units: number;
  buyers: number;
  concurrency: number;
  sold: number;
  refused: number;
  errors: number;
  /** The grab's answer, as the shopper waits for it. */
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** The grabs that took units (202) alone. */
  takenP50Ms: number | null;
  takenP99Ms: number | null;
  seconds: number;
  /** From a grab's units being taken to its order existing (database timestamps). */
  orderP50Ms: number | null;
  orderP99Ms: number | null;
  orderMaxMs: number | null;
  /** From the rush's start until every sold unit had its order. */
  allOrderedSeconds: number | null;
  grabsOrdered: number;
  grabsFailed: number;
  /** Refusals by problem code (out_of_stock once the sale is sold out). */
  refusedBy: Record<string, number>;
  /** The database's sessions sampled every 50 ms during the rush: how often any waited on a row lock (the sale's counter), and how many on average. */
  lockWaits: { samples: number; withLockWait: number; meanLockWaiters: number; meanActive: number };
  flashSold: number;
  stock: { available: number; reserved: number; sold: number; hold: number; ordersHolding: number };
  consistent: boolean;
  registerSeconds: number;
  serverPool: number;
  serverCpuPct: number;
  postgresCpuPct: number;
  benchCpuPct: number;
  machineCpuPct: number;
  stealCpuPct: number;
  errorSample?: string;
}

const ADMIN = { email: 'bench-operator@quanyu.test', password: 'bench-operator-pw' };
const PASSWORD = 'bench-password-1';
const ADDRESS = { name: '张三', phone: '13800000000', region: '上海市浦东新区', line1: '世纪大道 1 号' };
const RUSH_DEADLINE_MS = 120_000;
const OUTBOX_DRAIN_MS = 180_000;
const ORDERS_DEADLINE_MS = 300_000;
/** Registration hashes each password with scrypt (about 75 ms of CPU): a few at a time keep every core busy. */
const REGISTER_PARALLEL = 8;

/** DATABASE_URL, or the machine's PostgreSQL with a database of this bench's own. */
function databaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const out = execFileSync('bash', [path.join(ROOT, 'scripts', 'postgres-up.sh')], { env: { ...process.env, QUANYU_PG_DB: 'quanyu_bench_flash' }, encoding: 'utf8' });
  return out.trim().split('\n').pop()!;
}

/** Samples pg_stat_activity of this database until stopped (is the sale's counter row the limit?). */
function sampleLockWaits(direct: { query: (text: string, params?: unknown[]) => Promise<any[]> }) {
  let stopped = false, samples = 0, withLockWait = 0, waiters = 0, active = 0;
  const done = (async () => {
    while (!stopped) {
      const [row] = await direct.query(`SELECT count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS lock, count(*) FILTER (WHERE state = 'active')::int AS active
        FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      samples++;
      if (row.lock) withLockWait++;
      waiters += row.lock;
      active += row.active;
      await sleep(50);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      return { samples, withLockWait, meanLockWaiters: round(waiters / Math.max(1, samples)), meanActive: round(active / Math.max(1, samples)) };
    },
  };
}

export async function runFlashSaleBench(options: { units?: number; buyers?: number; concurrency?: number; pool?: number; cpuProfDir?: string } = {}): Promise<FlashSaleFigures> {
  const units = options.units ?? 1000, buyers = options.buyers ?? 5000, concurrency = options.concurrency ?? 500, pool = options.pool ?? 8;
  process.env.BENCH_DATABASE_URL = databaseUrl();
  const database = benchDatabase('postgres');
  const server = await startServer(database.env, { admin: ADMIN, cpuProfDir: options.cpuProfDir, env: { QUANYU_DB_POOL_SIZE: String(pool) } }).catch(async (e) => { await database.drop(); throw e; });
  const { http } = server;
  const direct = await database.open();
  try {
    // The store, its product (all its stock goes into the sale) and the sale, live now.
    const stamp = Date.now();
    const admin = (await must(200, call(http, 'POST', '/auth/login', ADMIN), 'operator login')).token;
    const ownerEmail = `flash-owner-${stamp}@quanyu.test`;
    await must(201, call(http, 'POST', '/auth/register', { email: ownerEmail, password: PASSWORD }), 'owner register');
    const store = await must(201, call(http, 'POST', '/admin/merchants', { name: '秒杀压测店', kind: 'marketplace', ownerEmail, commissionRateBps: 500 }, admin), 'create merchant');
    const owner = (await must(200, call(http, 'POST', '/auth/login', { email: ownerEmail, password: PASSWORD }), 'owner login')).token;
    const product = await must(201, call(http, 'POST', `/merchants/${store.id}/products`, {
      title: '秒杀压测 爆款耳机', brand: 'Bench', category: '压测/秒杀', skus: [{ code: 'FLASH-1', price: { amount: 29900, currency: 'CNY' }, stock: units }],
    }, owner), 'create product');
    const skuId: string = product.skus[0].id;
    const sale = await must(201, call(http, 'POST', `/merchants/${store.id}/flash-sales`, {
      skuId, unitPrice: { amount: 9900, currency: 'CNY' }, quantity: units, perPersonLimit: 1,
      startsAt: new Date(Date.now() - 1000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    }, owner), 'create flash sale');

    // Shoppers, each with their own token, before any timing.
    const registerStart = performance.now();
    const tokens: string[] = new Array(buyers);
    await inParallel(Array.from({ length: buyers }, (_, i) => i), REGISTER_PARALLEL, async (i) => {
      tokens[i] = (await must(201, call(http, 'POST', '/auth/register', { email: `flash-${stamp}-${i}@quanyu.test`, password: PASSWORD }), 'shopper register')).token;
    });
    const registerSeconds = round((performance.now() - registerStart) / 1000);
    // New accounts set off background work (people, profiles) through the outbox: let it finish first.
    for (const until = Date.now() + OUTBOX_DRAIN_MS; Date.now() < until; await sleep(500))
      if (!(await direct.query('SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT 1')).length) break;

    // The rush: every shopper grabs one unit, `concurrency` requests in flight at any moment.
    const rush = new Pool(server.origin, { connections: concurrency, pipelining: 1, headersTimeout: RUSH_DEADLINE_MS, bodyTimeout: RUSH_DEADLINE_MS });
    const latencies: number[] = [];
    const takenLatencies: number[] = [];
    const refusedBy: Record<string, number> = {};
    let sold = 0, refused = 0, errors = 0, errorSample = '';
    const deadline = performance.now() + RUSH_DEADLINE_MS;
    const cpu0 = cpuSnapshot(server.child.pid!, database.pgDatabase);
    const start = performance.now();
    const sampling = sampleLockWaits(direct);
    await inParallel(tokens, concurrency, async (token) => {
      if (performance.now() > deadline) return void errors++;
      const t = performance.now();
      try {
        const a = await call(rush, 'POST', `/flash-sales/${sale.id}/grabs`, { skuId, quantity: 1, address: ADDRESS }, token, { 'idempotency-key': randomUUID() });
        latencies.push(performance.now() - t);
        if (a.status === 202) (sold++, takenLatencies.push(performance.now() - t));
        else if (a.status === 409) { refused++; refusedBy[a.json?.code] = (refusedBy[a.json?.code] ?? 0) + 1; }
        else { errors++; errorSample ||= `HTTP ${a.status} ${a.json?.code ?? ''} ${a.json?.detail ?? ''}`; }
      } catch (e) {
        errors++;
        errorSample ||= String((e as Error).message ?? e);
      }
    });
    const seconds = round((performance.now() - start) / 1000);
    const lockWaits = await sampling.stop();
    // The orders behind the grabs: wait until none is still being written.
    let allOrderedSeconds: number | null = null;
    for (const until = performance.now() + ORDERS_DEADLINE_MS; performance.now() < until; await sleep(50)) {
      const [{ waiting, ordered }] = await direct.query(`SELECT count(*) FILTER (WHERE status = 'taken')::int AS waiting, count(*) FILTER (WHERE status = 'ordered')::int AS ordered FROM flash_sale_grabs WHERE sale_id = $1`, [sale.id]);
      if (ordered >= units && allOrderedSeconds === null) allOrderedSeconds = round((performance.now() - start) / 1000);
      if (!waiting) break;
    }
    const cpu = cpuSince(cpu0, server.child.pid!, database.pgDatabase);
    await rush.close();
    const grabs = await direct.query(`SELECT status, extract(epoch FROM done_at - grabbed_at) * 1000 AS ms FROM flash_sale_grabs WHERE sale_id = $1`, [sale.id]);
    const toOrder = grabs.filter((g) => g.status === 'ordered').map((g) => Number(g.ms)).sort((a, b) => a - b);
    const grabsFailed = grabs.filter((g) => g.status === 'failed').length;

    // What the database says.
    const [level] = await direct.query('SELECT available, reserved, sold FROM stock_levels WHERE sku_id = $1', [skuId]);
    const [hold] = await direct.query(`SELECT quantity FROM stock_reservations WHERE order_id = $1 AND status = 'reserved'`, [sale.id]);
    const [holding] = await direct.query(`SELECT count(*)::int AS orders, coalesce(sum(quantity), 0)::int AS units FROM stock_reservations WHERE sku_id = $1 AND order_id <> $2 AND status = 'reserved'`, [skuId, sale.id]);
    const [orders] = await direct.query(`SELECT count(*)::int AS n FROM order_lines WHERE sku_id = $1`, [skuId]);
    const flashSold = (await must(200, call(http, 'GET', `/flash-sales/${sale.id}`), 'flash sale')).sold as number;
    const stock = { available: level.available, reserved: level.reserved, sold: level.sold, hold: hold?.quantity ?? 0, ordersHolding: holding.orders };
    const consistent = flashSold === units && sold === units && orders.n === units && holding.units === units && toOrder.length === units && grabsFailed === 0
      && stock.available === 0 && stock.reserved === units && stock.sold === 0 && stock.hold === 0;
    latencies.sort((a, b) => a - b);
    takenLatencies.sort((a, b) => a - b);
    return {
      bench: 'pricing-flash-sale', units, buyers, concurrency, sold, refused, errors,
      p50Ms: quantile(latencies, 0.5), p90Ms: quantile(latencies, 0.9), p99Ms: quantile(latencies, 0.99), maxMs: quantile(latencies, 1), seconds,
      takenP50Ms: quantile(takenLatencies, 0.5), takenP99Ms: quantile(takenLatencies, 0.99),
      orderP50Ms: quantile(toOrder, 0.5), orderP99Ms: quantile(toOrder, 0.99), orderMaxMs: quantile(toOrder, 1), allOrderedSeconds, grabsOrdered: toOrder.length, grabsFailed,
      refusedBy, lockWaits, flashSold, stock, consistent, registerSeconds, serverPool: pool, ...cpu, ...(errorSample ? { errorSample } : {}),
    };
  } finally {
    await direct.close().catch(() => {});
    await server.stop();
    await database.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: {
    units: { type: 'string', default: '1000' }, buyers: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '500' }, pool: { type: 'string', default: '8' },
    'server-cpu-prof': { type: 'string' },
  } });
  const figures = await runFlashSaleBench({ units: Number(values.units), buyers: Number(values.buyers), concurrency: Number(values.concurrency), pool: Number(values.pool), cpuProfDir: values['server-cpu-prof'] });
  console.log(JSON.stringify(figures));
  if (!figures.consistent || figures.errors) process.exitCode = 1;
}
