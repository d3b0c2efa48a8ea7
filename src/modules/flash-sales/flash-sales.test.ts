import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADDRESS, type Answer, assertProblem, buyAndPay, newProduct, newShopper, newStore, type Session, startTestServer, type TestServer, type TestStore, trialBalanceTotal } from '../../testing/harness.ts';
import { expireUnpaidOrders } from '../orders/cancel-order.ts';
import { Problem } from '../../shared/problems.ts';


const MINUTE = 60_000;
const cny = (amount: number) => ({ amount, currency: 'CNY' });
const inMinutes = (m: number) => new Date(Date.now() + m * MINUTE).toISOString();

describe('flash sales: dedicated stock, no oversell, per-person limits', () => {
  let server: TestServer;
  let store: TestStore;
  let otherStore: TestStore;
  let seq = 0;

  before(async () => {
    server = await startTestServer();
    store = await newStore(server);
    otherStore = await newStore(server);
  });
  after(() => server.close());

  const services = () => server.app.context.services;
  const db = () => server.app.context.db;
  const skuStock = async (productId: string) => (await server.http('GET', `/products/${productId}`)).body.skus[0].stock as number;
  const levels = async (skuId: string) => (await services().inventory.soldUnits(db(), [skuId]))[0];
  const createSale = (body: Record<string, unknown>, s: TestStore = store) => server.http('POST', `/merchants/${s.id}/flash-sales`, { token: s.owner.token, body });
  const liveSale = (skuId: string, quantity: number, perPersonLimit = 1, unitPrice = 4900) =>
    createSale({ skuId, unitPrice: cny(unitPrice), quantity, startsAt: inMinutes(-1), endsAt: inMinutes(60), perPersonLimit });
  /** One order's flash reservation in its own transaction, as checkout runs it; resolves to the refusal code or 'ok'. */
  const reserveOne = (saleId: string, skuId: string, buyerId: string, quantity = 1) =>
    db().tx((sql) => services().flashSales.reserve(sql, { orderId: `ord_test_${seq++}`, buyerId, lines: [{ flashSaleId: saleId, skuId, quantity }] }))
      .then(() => 'ok', (e) => (e instanceof Problem ? e.code : Promise.reject(e)));

  test('refusals name their field: price not below list, more units than stock, windows in the wrong order, another store\'s SKU', async () => {
    const { productId, skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 20 }]);
    const ok = { skuId: sku, unitPrice: cny(4900), quantity: 10, startsAt: inMinutes(10), endsAt: inMinutes(70), perPersonLimit: 1 };
    assertProblem(await createSale({ ...ok, unitPrice: cny(9900) }), 400, { code: 'validation_failed', field: 'unitPrice' });
    assertProblem(await createSale({ ...ok, unitPrice: cny(12000) }), 400, { code: 'validation_failed', field: 'unitPrice' });
    assertProblem(await createSale({ ...ok, quantity: 21 }), 409, { code: 'out_of_stock', field: 'quantity' });
    assertProblem(await createSale({ ...ok, startsAt: inMinutes(70), endsAt: inMinutes(10) }), 400, { code: 'validation_failed', field: 'endsAt' });
    assertProblem(await createSale({ ...ok, startsAt: inMinutes(-70), endsAt: inMinutes(-10) }), 400, { code: 'validation_failed', field: 'endsAt' });
    assertProblem(await createSale({ ...ok, perPersonLimit: 0 }), 400, { code: 'validation_failed', field: 'perPersonLimit' });
    assertProblem(await createSale({ ...ok, quantity: 0 }), 400, { code: 'validation_failed', field: 'quantity' });
    assertProblem(await createSale({ ...ok, skuId: 'sku_nope' }), 404, { code: 'not_found', field: 'skuId' });
    assertProblem(await createSale(ok, otherStore), 403, { code: 'forbidden' });
    assertProblem(await server.http('POST', `/merchants/${store.id}/flash-sales`, { token: otherStore.owner.token, body: ok }), 403);
    assertProblem(await server.http('POST', `/merchants/${store.id}/flash-sales`, { body: ok }), 401);
    assert.equal(await skuStock(productId), 20, 'nothing was taken by the refusals');

    const created = await createSale(ok);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertProblem(await createSale({ ...ok, quantity: 1, startsAt: inMinutes(30), endsAt: inMinutes(90) }), 409, { code: 'flash_sale_overlaps', field: 'startsAt' });
    const after = await createSale({ ...ok, quantity: 1, startsAt: inMinutes(70), endsAt: inMinutes(90) });
    assert.equal(after.status, 201, 'a sale right after the first one does not overlap');
  });

  test('the dedicated units leave the SKU\'s stock at creation and come back on cancel (only before the start)', async () => {
    const { productId, skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 100 }]);
    const scheduled = await createSale({ skuId: sku, unitPrice: cny(5900), quantity: 30, startsAt: inMinutes(30), endsAt: inMinutes(90), perPersonLimit: 2 });
    assert.equal(scheduled.status, 201);
    assert.equal(scheduled.body.state, 'scheduled');
    assert.deepEqual([scheduled.body.quantity, scheduled.body.sold, scheduled.body.remaining], [30, 0, 30]);
    assert.deepEqual([scheduled.body.unitPrice.amount, scheduled.body.listPrice.amount], [5900, 9900]);
    assert.equal(await skuStock(productId), 70);
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 70, reserved: 30, sold: 0 });

    assertProblem(await server.http('POST', `/merchants/${otherStore.id}/flash-sales/${scheduled.body.id}/cancel`, { token: otherStore.owner.token }), 404);
    const cancelled = await server.http('POST', `/merchants/${store.id}/flash-sales/${scheduled.body.id}/cancel`, { token: store.owner.token });
    assert.equal(cancelled.status, 200);
    assert.deepEqual([cancelled.body.state, cancelled.body.returnedToStock], ['cancelled', 30]);
    assert.equal(await skuStock(productId), 100);
    assertProblem(await server.http('POST', `/merchants/${store.id}/flash-sales/${scheduled.body.id}/cancel`, { token: store.owner.token }), 409, { code: 'invalid_state' });

    const live = await liveSale(sku, 10);
    assert.equal(live.body.state, 'live');
    assertProblem(await server.http('POST', `/merchants/${store.id}/flash-sales/${live.body.id}/cancel`, { token: store.owner.token }), 409, { code: 'invalid_state' });
    assert.equal(await skuStock(productId), 90);
  });

  test('60 concurrent reservations on 25 units: exactly 25 succeed, the rest get 秒杀已抢光, the hold matches the counter', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 40 }]);
    const sale = (await liveSale(sku, 25, 2)).body;
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => reserveOne(sale.id, sku, `usr_buyer_${i}`)));
    assert.equal(outcomes.filter((o) => o === 'ok').length, 25);
    assert.equal(outcomes.filter((o) => o === 'out_of_stock').length, 35);
    const after = (await server.http('GET', `/flash-sales/${sale.id}`)).body;
    assert.deepEqual([after.sold, after.remaining, after.state], [25, 0, 'sold_out']);
    // 25 units now held by orders, none left in the hold, the SKU's other 15 units untouched.
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 15, reserved: 25, sold: 0 });
    const hold = await db().one('SELECT quantity FROM stock_reservations WHERE order_id = $1', [sale.id]);
    assert.equal(hold!.quantity, 0);
    const held = await db().one<{ n: number }>(`SELECT sum(quantity)::int AS n FROM stock_reservations WHERE sku_id = $1 AND order_id LIKE 'ord_test_%' AND status = 'reserved'`, [sku]);
    assert.equal(held!.n, 25);
    assert.equal((await services().flashSales.activeRules(db(), [sku], new Date())).length, 0, 'a sold-out sale is no longer a price rule');
  });

  test('one person\'s concurrent orders never exceed the per-person limit', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 50 }]);
    const sale = (await liveSale(sku, 50, 3)).body;
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => reserveOne(sale.id, sku, 'usr_eager')));
    assert.equal(outcomes.filter((o) => o === 'ok').length, 3);
    assert.ok(outcomes.filter((o) => o !== 'ok').every((o) => o === 'flash_sale_limit'));
    const refusal = await db().tx((sql) => services().flashSales.reserve(sql, { orderId: 'ord_x', buyerId: 'usr_greedy', lines: [{ flashSaleId: sale.id, skuId: sku, quantity: 4 }] })).catch((e) => e);
    assert.ok(refusal instanceof Problem);
    assert.equal(refusal.status, 422);
    assert.match(refusal.message, /每人限购3件/);
    assert.equal((await reserveOne(sale.id, sku, 'usr_other', 3)), 'ok', 'another person still gets their 3');
    assert.equal((await server.http('GET', `/flash-sales/${sale.id}`)).body.sold, 6);
  });

  test('a refused reservation leaves nothing behind (the counter, the hold, the buyer\'s count)', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 5 }]);
    const sale = (await liveSale(sku, 2, 5)).body;
    assert.equal(await reserveOne(sale.id, sku, 'usr_a', 2), 'ok');
    assert.equal(await reserveOne(sale.id, sku, 'usr_b', 1), 'out_of_stock');
    const bought = await db().query('SELECT buyer_id, bought FROM flash_sale_buyers WHERE sale_id = $1 ORDER BY buyer_id', [sale.id]);
    assert.deepEqual(bought.map((b) => [b.buyer_id, b.bought]), [['usr_a', 2]]);
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 3, reserved: 2, sold: 0 });
  });

  test('release gives units back to the open sale (and the buyer\'s allowance), once; after the end they go to the SKU', async () => {
    const { productId, skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 10 }]);
    const sale = (await liveSale(sku, 4, 2)).body;
    const orderId = 'ord_release_1';
    await db().tx((sql) => services().flashSales.reserve(sql, { orderId, buyerId: 'usr_r', lines: [{ flashSaleId: sale.id, skuId: sku, quantity: 2 }] }));
    assert.equal((await server.http('GET', `/flash-sales/${sale.id}`)).body.remaining, 2);
    assert.equal(await db().tx((sql) => services().flashSales.release(sql, orderId)), 1);
    assert.equal(await db().tx((sql) => services().flashSales.release(sql, orderId)), 0, 'a second release does nothing');
    assert.deepEqual((({ sold, remaining }) => ({ sold, remaining }))((await server.http('GET', `/flash-sales/${sale.id}`)).body), { sold: 0, remaining: 4 });
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 6, reserved: 4, sold: 0 }, 'the units are back in the sale\'s hold, not on general sale');
    assert.equal(await reserveOne(sale.id, sku, 'usr_r', 2), 'ok', 'the buyer\'s allowance is back');

    // The sale ends: the settle job gives the 2 unsold units back to the SKU, once.
    const afterEnd = new Date(Date.now() + 61 * MINUTE);
    assert.ok((await services().flashSales.settleEnded(afterEnd)) >= 1);
    assert.equal(await services().flashSales.settleEnded(afterEnd), 0);
    assert.equal(await skuStock(productId), 8);
    const settled = (await server.http('GET', `/flash-sales/${sale.id}`)).body;
    assert.deepEqual([settled.state, settled.returnedToStock, settled.remaining], ['ended', 2, 0]);

    // An order of the ended sale released now: the sale is settled, so its units go back through inventory, to the SKU.
    const [taken] = await db().query(`SELECT order_id FROM flash_sale_orders WHERE sale_id = $1 AND status = 'reserved'`, [sale.id]);
    await db().tx(async (sql) => {
      await services().flashSales.release(sql, taken.order_id);
      await services().inventory.release(sql, taken.order_id);
    });
    assert.equal(await skuStock(productId), 10);
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 10, reserved: 0, sold: 0 });
  });

  test('activeRules: only live sales with units left, inside their window', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 10 }]);
    const startsAt = new Date(Date.now() + 30 * MINUTE), endsAt = new Date(Date.now() + 90 * MINUTE);
    const sale = (await createSale({ skuId: sku, unitPrice: cny(3900), quantity: 5, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), perPersonLimit: 1 })).body;
    const rulesAt = (at: Date) => services().flashSales.activeRules(db(), [sku, 'sku_other'], at);
    assert.deepEqual(await rulesAt(new Date()), []);
    assert.deepEqual(await rulesAt(new Date(startsAt.getTime() - 1)), []);
    assert.deepEqual(await rulesAt(startsAt), [{ kind: 'flash_sale', id: sale.id, skuId: sku, unitPrice: 3900, perPersonLimit: 1, startsAt: startsAt.getTime(), endsAt: endsAt.getTime() }]);
    assert.equal((await rulesAt(new Date(endsAt.getTime() - 1))).length, 1);
    assert.deepEqual(await rulesAt(endsAt), []);
    assert.deepEqual(await services().flashSales.activeRules(db(), [], startsAt), []);
    // Not live yet: a reservation is refused as not on.
    assert.equal(await reserveOne(sale.id, sku, 'usr_early'), 'flash_sale_ended');
  });

  test('the storefront lists live and upcoming sales with remaining units; the store lists its own', async () => {
    const { productId, skuIds: [sku] } = await newProduct(server, store, [{ price: 19900, stock: 10 }], '限时秒杀测试商品');
    const live = (await liveSale(sku, 5, 1, 9900)).body;
    const upcoming = (await createSale({ skuId: sku, unitPrice: cny(8900), quantity: 3, startsAt: inMinutes(120), endsAt: inMinutes(180), perPersonLimit: 1 })).body;
    await reserveOne(live.id, sku, 'usr_list');

    const liveList = (await server.http('GET', '/flash-sales?state=live&pageSize=100')).body;
    const mine = liveList.items.find((s: any) => s.id === live.id);
    assert.ok(mine);
    assert.deepEqual([mine.title, mine.remaining, mine.sold, mine.state, mine.unitPrice.amount, mine.listPrice.amount], ['限时秒杀测试商品', 4, 1, 'live', 9900, 19900]);
    assert.ok(!liveList.items.some((s: any) => s.id === upcoming.id));
    const scheduled = (await server.http('GET', '/flash-sales?state=scheduled&pageSize=100')).body;
    assert.ok(scheduled.items.some((s: any) => s.id === upcoming.id));
    assert.ok(!scheduled.items.some((s: any) => s.id === live.id));
    const ofProduct = (await server.http('GET', `/flash-sales?productId=${productId}`)).body;
    assert.deepEqual(ofProduct.items.map((s: any) => s.id).sort(), [live.id, upcoming.id].sort());
    assertProblem(await server.http('GET', '/flash-sales?state=ended'), 400, { code: 'validation_failed', field: 'state' });
    assertProblem(await server.http('GET', '/flash-sales/fls_nope'), 404);

    const merchantList = await server.http('GET', `/merchants/${store.id}/flash-sales?pageSize=100`, { token: store.owner.token });
    assert.equal(merchantList.status, 200);
    assert.ok(merchantList.body.items.some((s: any) => s.id === live.id && s.sold === 1 && s.remaining === 4));
    assertProblem(await server.http('GET', `/merchants/${store.id}/flash-sales`, { token: otherStore.owner.token }), 403);
    assertProblem(await server.http('GET', `/merchants/${store.id}/flash-sales`, { token: (await newShopper(server.http)).token }), 403);
  });

  // ---- through the checkout ------------------------------------------------------------------
  const order = (shopper: Session, skuId: string, quantity = 1) =>
    server.http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId, quantity }], address: ADDRESS }, headers: { 'idempotency-key': `k-${seq++}` } });
  const saleOf = async (id: string) => (await server.http('GET', `/flash-sales/${id}`)).body;

  test('checkout: the quote and the order take the flash price, and the units come from the sale, not the SKU\'s stock', async () => {
    const { productId, skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 30 }]);
    const sale = (await liveSale(sku, 10, 2, 3900)).body;
    const shopper = await newShopper(server.http);
    const quote = await server.http('POST', '/checkout/quote', { token: shopper.token, body: { items: [{ skuId: sku, quantity: 2 }] } });
    assert.equal(quote.status, 200, JSON.stringify(quote.body));
    const [line] = quote.body.lines;
    assert.deepEqual([line.unitPrice.amount, line.priceSource, line.flashSaleId, line.payable.amount], [3900, 'flash_sale', sale.id, 7800]);
    assert.deepEqual(line.discounts.map((d: any) => [d.kind, d.amount.amount, d.fundedBy]), [['flash_sale', 12000, 'merchant']]);

    const placed = await order(shopper, sku, 2);
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.payable.amount, 7800);
    assert.deepEqual([(await saleOf(sale.id)).sold, await skuStock(productId)], [2, 20], 'the SKU\'s own 20 units are untouched');
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 20, reserved: 10, sold: 0 });

    // Paying turns the order's units into sold ones, as for any order.
    const payment = await server.http('POST', '/payments', { token: shopper.token, body: { orderGroupId: placed.body.orderGroupId, provider: 'sandbox' }, headers: { 'idempotency-key': `p-${seq++}` } });
    assert.equal((await server.http('POST', `/payments/${payment.body.id}/sandbox/pay`, { token: shopper.token })).body.status, 'succeeded');
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 20, reserved: 8, sold: 2 });
    assertProblem(await order(shopper, sku, 1), 422, { code: 'flash_sale_limit' });
    assert.equal((await server.http('GET', '/orders', { token: shopper.token })).body.total, 1, 'the refused order left nothing');
    assert.equal(await trialBalanceTotal(server), 0);
  });

  test('checkout: cancelling gives the units back to the sale; an expired order too; a paid one as well', async () => {
    const { productId, skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 3 }]);
    const sale = (await liveSale(sku, 3, 1, 1900)).body;
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => newShopper(server.http)));
    const first = (await order(a, sku)).body;
    await order(b, sku);
    const paid = await buyAndPay(server.http, c, [{ skuId: sku, quantity: 1 }]);
    assertProblem(await order(d, sku), 409, { code: 'out_of_stock' });
    assert.equal((await saleOf(sale.id)).state, 'sold_out');

    const cancelled = await server.http('POST', `/orders/${first.orders[0].id}/cancel`, { token: a.token });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.deepEqual((({ sold, remaining, state }) => ({ sold, remaining, state }))(await saleOf(sale.id)), { sold: 2, remaining: 1, state: 'live' });
    assert.equal(await skuStock(productId), 0, 'back to the sale, not on general sale');
    const again = await order(d, sku);
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.payable.amount, 1900);
    assert.equal((await order(a, sku)).status, 409, 'sold out again');

    // b's order expires unpaid: the expiry job cancels it and the unit returns to the sale.
    await db().query(`UPDATE orders SET expires_at = now() - interval '1 minute' WHERE buyer_id = $1 AND status = 'pending_payment'`, [b.user.id]);
    assert.ok((await expireUnpaidOrders(db(), services())) >= 1);
    assert.equal((await saleOf(sale.id)).remaining, 1);

    // c's paid order is cancelled before shipping: refunded, and the unit goes back to the sale as well.
    const paidCancel = await server.http('POST', `/orders/${paid.group.orders[0].id}/cancel`, { token: c.token });
    assert.equal(paidCancel.status, 200, JSON.stringify(paidCancel.body));
    assert.equal((await saleOf(sale.id)).remaining, 2);
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 0, reserved: 3, sold: 0 });
    assert.equal(await trialBalanceTotal(server), 0);
  });

  test('checkout: 40 shoppers race for 10 units with no other stock; exactly 10 orders, the rest 409, nothing oversold', async () => {
    const { productId, skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 10 }]);
    const sale = (await liveSale(sku, 10, 1, 990)).body;
    assert.equal(await skuStock(productId), 0);
    const shoppers = await Promise.all(Array.from({ length: 40 }, () => newShopper(server.http)));
    const answers = await Promise.all(shoppers.map((s) => order(s, sku)));
    assert.equal(answers.filter((a) => a.status === 201).length, 10);
    assert.equal(answers.filter((a) => a.status === 409 && a.body.code === 'out_of_stock').length, 30, JSON.stringify(answers.find((a) => a.status !== 201 && a.status !== 409)?.body ?? ''));
    assert.ok(answers.filter((a) => a.status === 201).every((a) => a.body.payable.amount === 990));
    assert.equal((await saleOf(sale.id)).sold, 10);
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 0, reserved: 10, sold: 0 });
  });

  test('checkout: once the sale is sold out, the SKU sells at its list price from its own stock', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 6 }]);
    await liveSale(sku, 1, 1, 990);
    const [a, b] = await Promise.all([newShopper(server.http), newShopper(server.http)]);
    assert.equal((await order(a, sku)).body.payable.amount, 990);
    const full = await order(b, sku);
    assert.equal(full.status, 201);
    assert.equal(full.body.payable.amount, 9900);
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 4, reserved: 2, sold: 0 });
  });

  test('an operator acting in a store is audited', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 10 }]);
    const created = await server.http('POST', `/merchants/${store.id}/flash-sales`, {
      token: server.operator.token, body: { skuId: sku, unitPrice: cny(100), quantity: 1, startsAt: inMinutes(10), endsAt: inMinutes(20), perPersonLimit: 1 },
    });
    assert.equal(created.status, 201);
    const audit = await server.http('GET', '/admin/audit?pageSize=20', { token: server.operator.token });
    assert.ok(audit.body.items.some((e: any) => e.action === 'flash_sale.create' && e.target === `flash_sale:${created.body.id}`), JSON.stringify(audit.body).slice(0, 300));
  });
});
