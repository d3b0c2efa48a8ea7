/**
 * The price engine's promises, checked through the real checkout on the database the suite
 * runs on (PGlite or PostgreSQL): random carts across stores with store coupons, a platform
 * coupon and a cross-store reduction are placed, paid and refunded in random steps.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ADDRESS, newProduct, newShopper, newStore, startTestServer, trialBalanceTotal, type TestServer, type TestStore } from '../../testing/harness.ts';

const RUNS = 12;
const yuan = (n: number) => ({ amount: Math.round(n * 100), currency: 'CNY' });
const day = 86_400_000;
const window = () => ({ startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + day).toISOString() });

let server: TestServer;
let stores: TestStore[];
let skus: { skuId: string; storeIndex: number }[];
let keys = 0;
const key = () => ({ 'idempotency-key': `prop-${++keys}-${Date.now()}` });

before(async () => {
  server = await startTestServer();
  stores = [await newStore(server), await newStore(server), await newStore(server)];
  skus = [];
  const prices = [990, 4590, 12900, 33300, 59900, 128800];
  for (const [storeIndex, store] of stores.entries())
    for (const [i, price] of prices.entries()) {
      const product = await newProduct(server, store, [{ price: price + storeIndex * 7 + i, stock: 100_000 }]);
      skus.push({ skuId: product.skuIds[0], storeIndex });
    }
  const reduction = await server.http('POST', '/admin/promotions', { token: server.operator.token, body: { kind: 'cross_store_reduction', every: yuan(300), off: yuan(30), ...window() } });
  assert.equal(reduction.status, 201, JSON.stringify(reduction.body));
});
after(() => server.close());

const account = async (name: string) =>
  (await server.http('GET', '/admin/ledger/trial-balance', { token: server.operator.token })).body.accounts.find((a: any) => a.account === name)?.balance.amount ?? 0;

const cartArb = fc.uniqueArray(fc.record({ sku: fc.nat({ max: 17 }), quantity: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 6, selector: (l) => l.sku });
const couponArb = fc.record({ threshold: fc.integer({ min: 0, max: 800 }), off: fc.integer({ min: 1, max: 120 }) });
const scenarioArb = fc.record({
  cart: cartArb,
  storeCoupons: fc.array(couponArb, { minLength: 3, maxLength: 3 }),
  platform: fc.option(couponArb, { nil: undefined }),
  refundSteps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }),
});

async function offerCoupon(path: string, token: string, coupon: { threshold: number; off: number }) {
  const code = `P${++keys}X${Date.now() % 100_000}`;
  const body = coupon.threshold > coupon.off
    ? { code, kind: 'threshold', threshold: yuan(coupon.threshold), off: yuan(coupon.off), ...window() }
    : { code, kind: 'no_threshold', off: yuan(coupon.off), ...window() };
  const created = await server.http('POST', path, { token, body });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return code;
}

test('placed, paid and refunded in random steps: lines add up, nothing below zero, shares add up, every fen comes back exactly once', async () => {
  await fc.assert(fc.asyncProperty(scenarioArb, async (s) => {
    const shopper = await newShopper(server.http);
    const codes = await Promise.all(s.storeCoupons.map((c, i) => offerCoupon(`/merchants/${stores[i].id}/coupons`, stores[i].owner.token, c)));
    if (s.platform) codes.push(await offerCoupon('/admin/coupons', server.operator.token, s.platform));
    for (const code of codes) assert.equal((await server.http('POST', '/me/coupons', { token: shopper.token, body: { code } })).status, 201);
    const items = s.cart.map((c) => ({ skuId: skus[c.sku].skuId, quantity: c.quantity }));

    const quote = await server.http('POST', '/checkout/quote', { token: shopper.token, body: { items } });
    const reversed = await server.http('POST', '/checkout/quote', { token: shopper.token, body: { items: [...items].reverse() } });
    const bySku = (q: any) => Object.fromEntries(q.lines.map((l: any) => [l.skuId, [l.payable.amount, l.discounts.map((d: any) => `${d.kind}:${d.amount.amount}`).sort()]]));
    assert.deepEqual(bySku(reversed.body), bySku(quote.body), 'line order does not matter');
    for (const l of quote.body.lines) {
      assert.ok(l.payable.amount >= 0);
      assert.equal(l.listTotal.amount - l.discounts.reduce((a: number, d: any) => a + d.amount.amount, 0), l.payable.amount);
    }
    assert.equal(quote.body.payable.amount, quote.body.lines.reduce((a: number, l: any) => a + l.payable.amount, 0));
    for (const applied of quote.body.applied)
      assert.equal(quote.body.lines.flatMap((l: any) => l.discounts).filter((d: any) => d.sourceId === applied.sourceId).reduce((a: number, d: any) => a + d.amount.amount, 0), applied.amount.amount);

    const cashBefore = await account('cash:sandbox');
    const placed = await server.http('POST', '/orders', { token: shopper.token, body: { items, address: ADDRESS }, headers: key() });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.payable.amount, quote.body.payable.amount, 'the order charges what the quote said');
    if (placed.body.payable.amount > 0) {
      const payment = await server.http('POST', '/payments', { token: shopper.token, body: { orderGroupId: placed.body.orderGroupId, provider: 'sandbox' }, headers: key() });
      assert.equal((await server.http('POST', `/payments/${payment.body.id}/sandbox/pay`, { token: shopper.token })).body.status, 'succeeded');
    } else assert.ok(placed.body.orders.every((o: any) => o.status === 'paid'), 'nothing to pay: paid as placed');

    for (const order of placed.body.orders) {
      const owner = stores.find((st) => st.id === order.merchantId)!.owner;
      let step = 0;
      for (;;) {
        const current = (await server.http('GET', `/orders/${order.id}`, { token: shopper.token })).body;
        const open = current.lines.filter((l: any) => l.refundedQuantity < l.quantity);
        if (!open.length) {
          assert.equal(current.refunded.amount, current.payable.amount, 'a full refund returns exactly what the order paid');
          break;
        }
        const lines = open.map((l: any) => ({ lineNo: l.lineNo, quantity: Math.min(l.quantity - l.refundedQuantity, s.refundSteps[step++ % s.refundSteps.length]) }));
        const refund = await server.http('POST', `/orders/${order.id}/refunds`, { token: owner.token, body: { lines }, headers: key() });
        assert.equal(refund.status, 201, JSON.stringify(refund.body));
        assert.ok(refund.body.order.refunded.amount <= current.payable.amount, 'never more than paid');
      }
    }
    assert.equal(await account('cash:sandbox'), cashBefore, 'every fen paid came back, once');
    assert.equal(await trialBalanceTotal(server), 0);
  }), { numRuns: RUNS, ...(process.env.PROPERTY_SEED ? { seed: Number(process.env.PROPERTY_SEED), path: process.env.PROPERTY_PATH } : {}) });
});

test('a coupon scoped to a top category covers goods in its leaves, including a leaf created after the first quote', async () => {
  const store = stores[0];
  const first = await newProduct(server, store, [{ price: 50000, stock: 10 }], '丝绒口红', { category: '彩妆测试/唇部/口红' });
  const shopper = await newShopper(server.http);
  const categories = (await server.http('GET', '/categories')).body;
  const top = (categories.items ?? categories).find((c: any) => c.path === '彩妆测试');
  const code = `TOP${Date.now() % 1_000_000}`;
  assert.equal((await server.http('POST', '/admin/coupons', { token: server.operator.token, body: { code, kind: 'no_threshold', off: yuan(10), scope: { categoryIds: [top.id] }, ...window() } })).status, 201);
  assert.equal((await server.http('POST', '/me/coupons', { token: shopper.token, body: { code } })).status, 201);
  const quoteOf = async (skuId: string) => (await server.http('POST', '/checkout/quote', { token: shopper.token, body: { items: [{ skuId, quantity: 1 }], couponCodes: [code] } }));
  assert.equal((await quoteOf(first.skuIds[0])).body.discountTotal.amount >= 1000, true);
  const later = await newProduct(server, store, [{ price: 50000, stock: 10 }], '眼影盘', { category: '彩妆测试/眼部/眼影' });
  const quote = await quoteOf(later.skuIds[0]);
  assert.equal(quote.status, 200, JSON.stringify(quote.body));
  assert.ok(quote.body.lines[0].discounts.some((d: any) => d.kind === 'platform_coupon'), 'the new leaf is inside the top category');
});

test('an order the coupons cover entirely is paid at once with nothing to pay; the store is still paid the platform-funded part', async () => {
  const store = await newStore(server, 'marketplace', 500);
  const pen = await newProduct(server, store, [{ price: 800, stock: 5 }]);
  const shopper = await newShopper(server.http);
  const code = `FREE${Date.now() % 1_000_000}`;
  assert.equal((await server.http('POST', '/admin/coupons', { token: server.operator.token, body: { code, kind: 'no_threshold', off: yuan(10), ...window() } })).status, 201);
  assert.equal((await server.http('POST', '/me/coupons', { token: shopper.token, body: { code } })).status, 201);
  const placed = await server.http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId: pen.skuIds[0], quantity: 1 }], address: ADDRESS }, headers: key() });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  assert.equal(placed.body.payable.amount, 0);
  const order = placed.body.orders[0];
  assert.equal(order.status, 'paid', 'nothing to pay: paid as placed');
  assert.equal((await server.http('GET', `/orders/${order.id}`, { token: shopper.token })).body.status, 'paid');
  const partial = await server.http('POST', `/orders/${order.id}/refunds`, { token: shopper.token, body: { lines: [{ lineNo: 1, quantity: 1 }] }, headers: key() });
  assert.equal(partial.status, 201, JSON.stringify(partial.body));
  assert.equal(partial.body.amount.amount, 0, 'nothing paid, nothing returned');
  const second = await server.http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId: pen.skuIds[0], quantity: 1 }], address: ADDRESS }, headers: key() });
  assert.equal(second.body.payable.amount, 800, 'the coupon was used once');

  const another = await newShopper(server.http);
  assert.equal((await server.http('POST', '/me/coupons', { token: another.token, body: { code } })).status, 201);
  const free = (await server.http('POST', '/orders', { token: another.token, body: { items: [{ skuId: pen.skuIds[0], quantity: 1 }], address: ADDRESS }, headers: key() })).body.orders[0];
  const shipped = await server.http('POST', `/merchants/${store.id}/orders/${free.id}/ship`, { token: store.owner.token, body: { carrier: 'SF', trackingNo: `SF${String(Date.now()).slice(-12)}` } });
  assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
  assert.equal((await server.http('POST', `/orders/${free.id}/confirm-receipt`, { token: another.token })).body.status, 'completed');
  assert.equal(await account(`merchant:${store.id}:payable`), -(800 - 40), 'the platform pays the store the coupon it funded, less commission');
  assert.equal(await trialBalanceTotal(server), 0);
});
