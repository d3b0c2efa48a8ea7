/**
 * Checkout benchmark (shared BENCHMARKS.md, "Checkout"): whole storefront checkouts over HTTP
 * (cart -> order -> payment -> sandbox pay) against a real server child, on PGlite and/or
 * PostgreSQL. Prints one JSON line per scenario.
 *
 *   node --import tsx bench/checkout.ts [--db pglite|postgres|both] [--seconds 20] [--warmup 5]
 *     [--scenarios spread,hot,sellout] [--buyers 8,32] [--server-cpu-prof DIR]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { benchDatabase, call, cpuSince, cpuSnapshot, dbList, inParallel, must, peakRssMb, quantile, round, sleep, startServer, wasInterrupted, type Answer, type Db, type Direct, type Http, type Query } from './support.ts';

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
const DBS = dbList(opts.db!);
if (!(SECONDS > 0) || !(WARMUP >= 0)) throw new Error('usage: --seconds N --warmup N');

const SPREAD_SKUS = 1000, SPREAD_STOCK = 100_000, HOT_STOCK = 1_000_000;
const SELLOUT = { stock: 100, buyers: 300, concurrency: 64 };
const MAX_PER_BUYER = 1_000_000; // every loop is bounded by count as well as by time
const ADMIN = { email: 'bench-operator@quanyu.test', password: 'bench-operator-pw' };
const PASSWORD = 'bench-password-1';
const ADDRESS = { name: '张三', phone: '13800000000', region: '上海市浦东新区', line1: '世纪大道 1 号' };
const PAID = `('paid', 'shipped', 'completed')`;

// ---- one checkout = 4 storefront requests -----------------------------------------------------------
type Outcome = { kind: 'paid' } | { kind: 'refused' } | { kind: 'error'; detail: string };
async function checkout(http: Http, token: string, skuId: string): Promise<Outcome> {
  const error = (step: string, a: Answer): Outcome => ({ kind: 'error', detail: `${step}: HTTP ${a.status} ${a.json?.code ?? ''} ${a.json?.detail ?? ''}`.trim() });
  try {
    let a = await call(http, 'PUT', '/cart/items', { skuId, quantity: 1 }, token);
    if (a.status !== 200) return error('cart', a);
    a = await call(http, 'POST', '/orders', { address: ADDRESS }, token, { 'idempotency-key': randomUUID() });
    if (a.status !== 201) {
      await call(http, 'PUT', '/cart/items', { skuId, quantity: 0 }, token); // keep the cart to one line
      return a.status === 409 && a.json?.code === 'out_of_stock' ? { kind: 'refused' } : error('order', a);
    }
    a = await call(http, 'POST', '/payments', { orderGroupId: a.json.orderGroupId, provider: 'sandbox' }, token, { 'idempotency-key': randomUUID() });
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
    return { seconds: round(seconds), orders: sorted.length, ordersPerSec: round(sorted.length / seconds), p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99), errors: this.errors, errorSample: this.errorSample };
  }
}

/** Every buyer checks out in a loop until the deadline; returns the tally and the window length. */
async function loop(http: Http, tokens: string[], pickSku: () => string, seconds: number) {
  const tally = new Tally();
  const start = performance.now(), end = start + seconds * 1000;
  await Promise.all(tokens.map(async (token) => {
    for (let i = 0; i < MAX_PER_BUYER && performance.now() < end; i++) await tally.run(http, token, pickSku());
  }));
  return { tally, elapsed: (performance.now() - start) / 1000 };
}

// ---- the database check: units paid vs what each SKU had --------------------------------------------
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
async function benchDb(db: Db) {
  const stamp = `${Date.now()}`;
  const database = benchDatabase(db), { pgDatabase } = database;
  const server = await startServer(database.env, { admin: ADMIN, cpuProfDir: opts['server-cpu-prof'] }).catch(async (e) => { await database.drop(); throw e; });
  const { http } = server, pid = server.child.pid!;
  let direct: Direct | undefined;
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
    if (db === 'postgres') direct = await database.open();
    /** Queues a result line (trial balance and peak RSS now; the stock check now on Postgres, after stopping on PGlite). */
    const record = async (result: Record<string, unknown>, cpu: object, initial: Map<string, number>, sellout?: { refused: number }) => {
      const tb = await must(200, call(http, 'GET', '/admin/ledger/trial-balance', undefined, admin), 'trial balance');
      const line = { bench: 'checkout', db, ...result, oversold: null, trialBalance: tb.total.amount, peakRssMb: peakRssMb(pid), ...(sellout && { stock: SELLOUT.stock, sold: null, ...sellout }), ...cpu };
      pending.push({ line, initial });
      if (direct) await flush(direct.query);
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
    if (!wasInterrupted()) console.error(`[${db}] ${(e as Error).stack}\n--- server log tail ---\n${server.log()}`);
    process.exitCode = 1;
  } finally {
    await direct?.close().catch(() => {});
    await server.stop();
    if (db === 'pglite' && pending.length) {
      // The server held the data dir; now that it is stopped, open it ourselves for the check.
      const lite = await database.open();
      try { await flush(lite.query); } finally { await lite.close(); }
    }
    await database.drop();
  }
}

for (const db of DBS) await benchDb(db);
