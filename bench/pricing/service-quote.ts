/**
 * A whole quote through the checkout service, in process, on the database the environment
 * names (DATABASE_URL; else embedded PGlite): the SKUs read, every pricing source asked
 * (promotions, flash sales, campaigns, presale, membership) and the engine run, for a
 * 50-line cart from 10 stores under 20 active rules the shopper's coupons among them.
 * Also the same quote over HTTP, one request at a time. One JSON line per scenario.
 *
 *   DATABASE_URL=postgres://... node --import tsx bench/pricing/service-quote.ts [--calls 2000]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { priceItems } from '../../src/modules/checkout/quote.ts';
import { quoteDeps } from '../../src/modules/checkout/place-order.ts';
import { newProduct, newShopper, newStore, startTestServer, type TestServer } from '../../src/testing/harness.ts';

const STORES = 10;
const LINES_PER_STORE = 5;
const yuan = (n: number) => ({ amount: Math.round(n * 100), currency: 'CNY' });

export interface ServiceQuoteFigures {
  bench: 'pricing-quote-service';
  scenario: 'in_process' | 'http';
  database: 'postgres' | 'pglite';
  lines: number;
  stores: number;
  rules: number;
  calls: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

async function must(answer: Promise<{ status: number; body: any }>, what: string) {
  const a = await answer;
  if (a.status >= 300) throw new Error(`${what}: ${a.status} ${JSON.stringify(a.body)}`);
  return a.body;
}

/** 10 stores of 5 products, a store coupon each, 3 platform coupons, 2 cross-store reductions, 5 instant discounts. */
export async function marketplace(server: TestServer) {
  const { http, operator } = server;
  const window = { startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString() };
  const shopper = await newShopper(http, 'bench-buyer');
  const items: { skuId: string; quantity: number }[] = [];
  let rules = 0;
  const codes: string[] = [];
  const storeIds: string[] = [];
  for (let s = 0; s < STORES; s++) {
    const store = await newStore(server);
    storeIds.push(store.id);
    for (let p = 0; p < LINES_PER_STORE; p++) {
      const product = await newProduct(server, store, [{ price: 990 + ((s * 7 + p * 13) % 40) * 2_500, stock: 1_000_000 }], `压测商品 ${s}-${p}`, { category: ['美妆/口红', '数码/耳机', '食品/零食'][p % 3] });
      items.push({ skuId: product.skuIds[0], quantity: 1 + (p % 3) });
    }
    const code = `STORE${s}X${Date.now() % 100_000}`;
    await must(http('POST', `/merchants/${store.id}/coupons`, { token: store.owner.token, body: { code, kind: 'threshold', threshold: yuan(200), off: yuan(20 + s), ...window } }), 'store coupon');
    codes.push(code);
    rules++;
    if (s < 2) {
      await must(http('POST', `/merchants/${store.id}/promotions`, { token: store.owner.token, body: { kind: 'instant_discount', offer: { type: 'per_unit', off: yuan(3) }, ...window } }), 'store instant discount');
      rules++;
    }
  }
  for (let i = 0; i < 3; i++) {
    const code = `PLAT${i}X${Date.now() % 100_000}`;
    await must(http('POST', '/admin/coupons', { token: operator.token, body: { code, kind: i === 2 ? 'percent' : 'threshold', ...(i === 2 ? { percentBps: 500, cap: yuan(50) } : { threshold: yuan(500 * (i + 1)), off: yuan(40 * (i + 1)) }), ...window } }), 'platform coupon');
    codes.push(code);
    rules++;
  }
  for (const [every, off] of [[300, 30], [400, 50]]) {
    await must(http('POST', '/admin/promotions', { token: operator.token, body: { kind: 'cross_store_reduction', every: yuan(every), off: yuan(off), ...window } }), 'cross-store reduction');
    rules++;
  }
  for (let i = 0; i < 3; i++) {
    await must(http('POST', '/admin/promotions', { token: operator.token, body: { kind: 'instant_discount', offer: { type: 'percent_off', percentBps: 100 * (i + 1) }, scope: { merchantIds: storeIds.slice(i * 3, i * 3 + 3) }, ...window } }), 'platform instant discount');
    rules++;
  }
  for (const code of codes) await must(http('POST', '/me/coupons', { token: shopper.token, body: { code } }), 'claim');
  return { shopper, items, rules };
}

const quantile = (sorted: number[], q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 1000) / 1000;

async function time(calls: number, once: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(200, calls); i++) await once();
  const took: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await once();
    took.push(performance.now() - t0);
  }
  took.sort((a, b) => a - b);
  return { calls, p50Ms: quantile(took, 0.5), p99Ms: quantile(took, 0.99), maxMs: quantile(took, 1) };
}

export async function runServiceQuoteBench(options: { calls?: number } = {}): Promise<ServiceQuoteFigures[]> {
  const calls = options.calls ?? 2000;
  const server = await startTestServer();
  try {
    const { shopper, items, rules } = await marketplace(server);
    const { db, services } = server.app.context;
    const deps = quoteDeps(services);
    const check = await priceItems(db, deps, { buyerId: shopper.user.id, items });
    if (!check.result.applied.some((a) => a.kind === 'store_coupon') || !check.result.applied.some((a) => a.kind === 'cross_store_reduction')) throw new Error('the rules did not apply');
    const database = process.env.DATABASE_URL ? 'postgres' as const : 'pglite' as const;
    const base = { bench: 'pricing-quote-service' as const, database, lines: items.length, stores: STORES, rules };
    const inProcess = await time(calls, () => priceItems(db, deps, { buyerId: shopper.user.id, items }));
    const overHttp = await time(Math.ceil(calls / 2), () => must(server.http('POST', '/checkout/quote', { token: shopper.token, body: { items } }), 'quote'));
    return [{ ...base, scenario: 'in_process', ...inProcess }, { ...base, scenario: 'http', ...overHttp }];
  } finally {
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '2000' } } });
  for (const line of await runServiceQuoteBench({ calls: Number(values.calls) })) console.log(JSON.stringify(line));
}
