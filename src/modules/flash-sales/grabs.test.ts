import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { placeOrder } from '../checkout/place-order.ts';
import { ADDRESS, assertProblem, newProduct, newShopper, newStore, type Session, startTestServer, type TestServer, type TestStore, trialBalanceTotal } from '../../testing/harness.ts';
import { createGrabWorker } from './grab-worker.ts';

const MINUTE = 60_000;
const cny = (amount: number) => ({ amount, currency: 'CNY' });
const inMinutes = (m: number) => new Date(Date.now() + m * MINUTE).toISOString();

describe('flash-sale grabs: units in one statement, the order written behind', () => {
  let server: TestServer;
  let store: TestStore;
  let seq = 0;

  before(async () => {
    server = await startTestServer();
    store = await newStore(server);
  });
  after(() => server.close());

  const services = () => server.app.context.services;
  const db = () => server.app.context.db;
  const levels = async (skuId: string) => (await services().inventory.soldUnits(db(), [skuId]))[0];
  const liveSale = async (skuId: string, quantity: number, perPersonLimit = 1, unitPrice = 4900) => {
    const created = await server.http('POST', `/merchants/${store.id}/flash-sales`, {
      token: store.owner.token, body: { skuId, unitPrice: cny(unitPrice), quantity, startsAt: inMinutes(-1), endsAt: inMinutes(60), perPersonLimit },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  };
  const grab = (shopper: Session, saleId: string, body: Record<string, unknown>, key = `g-${seq++}`) =>
    server.http('POST', `/flash-sales/${saleId}/grabs`, { token: shopper.token, body: { address: ADDRESS, quantity: 1, ...body }, headers: { 'idempotency-key': key } });
  /** Every taken grab turned into an order (or failed), as the in-process worker does after a grab. */
  const ordersWritten = () => services().flashGrabs.drain();
  const grabOf = async (shopper: Session, grabId: string) => (await server.http('GET', `/flash-sales/grabs/${grabId}`, { token: shopper.token })).body;
  const saleOf = async (id: string) => (await server.http('GET', `/flash-sales/${id}`)).body;
  const boughtBy = async (saleId: string, buyerId: string) =>
    (await db().one<{ bought: number }>('SELECT bought FROM flash_sale_buyers WHERE sale_id = $1 AND buyer_id = $2', [saleId, buyerId]))?.bought ?? 0;

  test('40 shoppers grab 10 units at once: exactly 10 grabs, 10 orders at the flash price, the rest 409 out_of_stock', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 10 }]);
    const sale = await liveSale(sku, 10, 1, 990);
    const shoppers = await Promise.all(Array.from({ length: 40 }, () => newShopper(server.http)));
    const answers = await Promise.all(shoppers.map((s) => grab(s, sale.id, { skuId: sku })));
    const taken = answers.filter((a) => a.status === 202);
    assert.equal(taken.length, 10, JSON.stringify(answers.find((a) => a.status !== 202 && a.status !== 409)?.body ?? ''));
    assert.equal(answers.filter((a) => a.status === 409 && a.body.code === 'out_of_stock').length, 30);
    assert.ok(taken.every((a) => ['taken', 'ordered'].includes(a.body.status) && a.body.saleId === sale.id));

    await ordersWritten();
    const owners = new Map(taken.map((a) => [a.body.id as string, shoppers[answers.indexOf(a)]]));
    const orders = [];
    for (const [grabId, shopper] of owners) {
      const g = await grabOf(shopper, grabId);
      assert.equal(g.status, 'ordered', JSON.stringify(g));
      const order = await server.http('GET', `/orders/${g.orderId}`, { token: shopper.token });
      assert.equal(order.status, 200);
      orders.push(order.body);
    }
    assert.ok(orders.every((o) => o.status === 'pending_payment' && o.payable.amount === 990), JSON.stringify(orders[0]));
    assert.deepEqual((({ sold, remaining, state }) => ({ sold, remaining, state }))(await saleOf(sale.id)), { sold: 10, remaining: 0, state: 'sold_out' });
    // The 10 units are held by the 10 orders, the sale's hold is empty, nothing else moved.
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 0, reserved: 10, sold: 0 });
    const hold = await db().one('SELECT quantity FROM stock_reservations WHERE order_id = $1', [sale.id]);
    assert.equal(hold!.quantity, 0);
    assertProblem(await grab(shoppers[0], sale.id, { skuId: sku }), 409, { code: 'out_of_stock', field: 'quantity' });
  });

  test('one person\'s racing grabs never pass the per-person limit; the statement that would pass it takes nothing', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 50 }]);
    const sale = await liveSale(sku, 50, 3);
    const eager = await newShopper(server.http);
    const answers = await Promise.all(Array.from({ length: 12 }, () => grab(eager, sale.id, { skuId: sku })));
    assert.equal(answers.filter((a) => a.status === 202).length, 3);
    assert.ok(answers.filter((a) => a.status !== 202).every((a) => a.status === 422 && a.body.code === 'flash_sale_limit'), JSON.stringify(answers.map((a) => a.body.code)));
    assert.equal(await boughtBy(sale.id, eager.user.id), 3);
    assert.equal((await saleOf(sale.id)).sold, 3, 'refused grabs took no units');
    assertProblem(await grab(await newShopper(server.http), sale.id, { skuId: sku, quantity: 4 }), 422, { code: 'flash_sale_limit', field: 'quantity' });
    await ordersWritten();
    assert.deepEqual([(await saleOf(sale.id)).sold, await boughtBy(sale.id, eager.user.id)], [3, 3], 'the orders did not take the counter again');
  });

  test('the order behind a grab: flash price (even once the sale is sold out), the counter taken once, the units from the sale\'s hold', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 5 }]);
    const sale = await liveSale(sku, 2, 2, 3900);
    const shopper = await newShopper(server.http);
    const answer = await grab(shopper, sale.id, { skuId: sku, quantity: 2 });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.equal((await saleOf(sale.id)).state, 'sold_out', 'the grab took every unit: the order is priced by the grab, not by the live sale');
    await ordersWritten();
    const g = await grabOf(shopper, answer.body.id);
    assert.equal(g.status, 'ordered');
    const order = (await server.http('GET', `/orders/${g.orderId}`, { token: shopper.token })).body;
    assert.equal(order.payable.amount, 7800);
    assert.deepEqual(order.lines.map((l: any) => [l.skuId, l.quantity, l.unitPrice.amount, l.priceSource]), [[sku, 2, 3900, 'flash_sale']]);
    assert.deepEqual([(await saleOf(sale.id)).sold, await boughtBy(sale.id, shopper.user.id)], [2, 2]);
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 3, reserved: 2, sold: 0 }, 'the SKU\'s own 3 units untouched');

    // Paid like any order.
    const payment = await server.http('POST', '/payments', { token: shopper.token, body: { orderGroupId: order.orderGroupId, provider: 'sandbox' }, headers: { 'idempotency-key': `p-${seq++}` } });
    assert.equal(payment.status, 201, JSON.stringify(payment.body));
    assert.equal((await server.http('POST', `/payments/${payment.body.id}/sandbox/pay`, { token: shopper.token })).body.status, 'succeeded');
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 3, reserved: 0, sold: 2 });
    assert.equal(await trialBalanceTotal(server), 0);
  });

  test('an order the checkout refuses fails the grab with a reason, and its units go back to the sale and the limit', async () => {
    const { productId, skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 3 }]);
    const sale = await liveSale(sku, 3, 1);
    const off = await server.http('PATCH', `/merchants/${store.id}/products/${productId}`, { token: store.owner.token, body: { status: 'inactive' } });
    assert.equal(off.status, 200);
    const shopper = await newShopper(server.http);
    const answer = await grab(shopper, sale.id, { skuId: sku });
    assert.equal(answer.status, 202);
    await ordersWritten();
    const g = await grabOf(shopper, answer.body.id);
    assert.equal(g.status, 'failed');
    assert.equal(g.failure.code, 'not_on_sale');
    assert.match(g.failure.message.zh, /下架/);
    assert.match(g.failure.message.en, /off sale/);
    assert.deepEqual([(await saleOf(sale.id)).sold, await boughtBy(sale.id, shopper.user.id)], [0, 0]);
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 0, reserved: 3, sold: 0 }, 'the units stay in the sale\'s hold');
    assert.equal((await server.http('GET', '/orders', { token: shopper.token })).body.total, 0);
  });

  test('a store that lowers the list price below the flash price fails the grab (price changed), units back', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 2 }]);
    const sale = await liveSale(sku, 2, 1, 5000);
    const cheaper = await server.http('PATCH', `/merchants/${store.id}/skus/${sku}`, { token: store.owner.token, body: { price: cny(4000) } });
    assert.equal(cheaper.status, 200, JSON.stringify(cheaper.body));
    const shopper = await newShopper(server.http);
    const answer = await grab(shopper, sale.id, { skuId: sku });
    await ordersWritten();
    const g = await grabOf(shopper, answer.body.id);
    assert.deepEqual([g.status, g.failure?.code], ['failed', 'flash_sale_price_changed']);
    assert.equal((await saleOf(sale.id)).sold, 0);
  });

  test('cancelling the unpaid order gives the unit back to the sale and frees the person\'s limit', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 1 }]);
    const sale = await liveSale(sku, 1, 1);
    const [a, b] = await Promise.all([newShopper(server.http), newShopper(server.http)]);
    const first = await grab(a, sale.id, { skuId: sku });
    await ordersWritten();
    const { orderId } = await grabOf(a, first.body.id);
    assertProblem(await grab(b, sale.id, { skuId: sku }), 409, { code: 'out_of_stock' });
    assertProblem(await grab(a, sale.id, { skuId: sku }), 409, { code: 'out_of_stock' });

    const cancelled = await server.http('POST', `/orders/${orderId}/cancel`, { token: a.token });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.deepEqual((({ sold, remaining, state }) => ({ sold, remaining, state }))(await saleOf(sale.id)), { sold: 0, remaining: 1, state: 'live' });
    assert.equal(await boughtBy(sale.id, a.user.id), 0);
    const again = await grab(a, sale.id, { skuId: sku });
    assert.equal(again.status, 202, 'the same person may grab again: the limit was freed');
    await ordersWritten();
    assert.equal((await grabOf(a, again.body.id)).status, 'ordered');
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 0, reserved: 1, sold: 0 });
  });

  test('the same Idempotency-Key answers the same grab, also when sent twice at once; another body with it is refused', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 10 }]);
    const sale = await liveSale(sku, 10, 2);
    const shopper = await newShopper(server.http);
    const [x, y] = await Promise.all([grab(shopper, sale.id, { skuId: sku }, 'same-key'), grab(shopper, sale.id, { skuId: sku }, 'same-key')]);
    assert.deepEqual([x.status, y.status], [202, 202]);
    assert.equal(x.body.id, y.body.id);
    assert.deepEqual([x.headers.get('idempotent-replayed'), y.headers.get('idempotent-replayed')].sort(), ['false', 'true']);
    await ordersWritten();
    const replay = await grab(shopper, sale.id, { skuId: sku }, 'same-key');
    assert.deepEqual([replay.status, replay.body.id, replay.body.status, replay.headers.get('idempotent-replayed')], [202, x.body.id, 'ordered', 'true']);
    assertProblem(await grab(shopper, sale.id, { skuId: sku, quantity: 2 }, 'same-key'), 409, { code: 'idempotency_key_reused' });
    assert.deepEqual([(await saleOf(sale.id)).sold, await boughtBy(sale.id, shopper.user.id)], [1, 1]);
    assert.equal((await server.http('GET', '/orders', { token: shopper.token })).body.total, 1);
  });

  test('grabs taken together answer as one by one would: a buyer at the limit and another SKU among a burst', async () => {
    const { skuIds: [sku, other] } = await newProduct(server, store, [{ price: 9900, stock: 20 }, { price: 9900, stock: 5 }]);
    const sale = await liveSale(sku, 20, 1);
    const [full, wrong, ...rest] = await Promise.all(Array.from({ length: 14 }, () => newShopper(server.http)));
    assert.equal((await grab(full, sale.id, { skuId: sku })).status, 202);
    const answers = await Promise.all([grab(full, sale.id, { skuId: sku }), grab(wrong, sale.id, { skuId: other }), ...rest.map((s) => grab(s, sale.id, { skuId: sku }))]);
    assertProblem(answers[0], 422, { code: 'flash_sale_limit' });
    assertProblem(answers[1], 422, { code: 'validation_failed', field: 'skuId' });
    assert.ok(answers.slice(2).every((a) => a.status === 202), JSON.stringify(answers.map((a) => a.status)));
    assert.equal(new Set(answers.slice(2).map((a) => a.body.id)).size, 12);
    assert.deepEqual([(await saleOf(sale.id)).sold, await boughtBy(sale.id, full.user.id), await boughtBy(sale.id, wrong.user.id)], [13, 1, 0]);
    await ordersWritten();
    // 13 units held by the orders, the 7 unsold still in the sale's hold.
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 0, reserved: 20, sold: 0 });
    assert.equal((await db().one('SELECT quantity FROM stock_reservations WHERE order_id = $1', [sale.id]))!.quantity, 7);
  });

  test('once sold out, a holder retrying its key still gets its grab (and a changed body is still caught); newcomers are refused', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 2 }]);
    const sale = await liveSale(sku, 2, 1);
    const [a, b, c] = await Promise.all([newShopper(server.http), newShopper(server.http), newShopper(server.http)]);
    const first = await grab(a, sale.id, { skuId: sku }, 'a-key');
    assert.equal((await grab(b, sale.id, { skuId: sku })).status, 202);
    // c's grab finds the counter exhausted: this node now refuses the sale from memory.
    assertProblem(await grab(c, sale.id, { skuId: sku }), 409, { code: 'out_of_stock' });
    const retried = await grab(a, sale.id, { skuId: sku }, 'a-key');
    assert.deepEqual([retried.status, retried.body.id, retried.headers.get('idempotent-replayed')], [202, first.body.id, 'true']);
    assertProblem(await grab(a, sale.id, { skuId: sku, quantity: 2 }, 'a-key'), 409, { code: 'idempotency_key_reused' });
    assertProblem(await grab(c, sale.id, { skuId: sku }), 409, { code: 'out_of_stock' });
    assertProblem(await grab(c, sale.id, { skuId: sku }, 'a-key'), 409, { code: 'out_of_stock' });
    await ordersWritten();
    assert.deepEqual([(await saleOf(sale.id)).sold, await boughtBy(sale.id, c.user.id)], [2, 0]);
  });

  test('bad input is refused before any unit is taken', async () => {
    const { skuIds: [sku, otherSku] } = await newProduct(server, store, [{ price: 9900, stock: 10 }, { price: 9900, stock: 10 }]);
    const sale = await liveSale(sku, 5, 2);
    const shopper = await newShopper(server.http);
    assertProblem(await grab(shopper, 'fls_nope', { skuId: sku }), 404, { code: 'not_found' });
    assertProblem(await grab(shopper, sale.id, { skuId: otherSku }), 422, { code: 'validation_failed', field: 'skuId' });
    assertProblem(await grab(shopper, sale.id, { skuId: sku, quantity: 0 }), 400, { code: 'validation_failed', field: 'quantity' });
    assertProblem(await grab(shopper, sale.id, { skuId: sku, quantity: 3 }), 422, { code: 'flash_sale_limit', field: 'quantity' });
    assertProblem(await server.http('POST', `/flash-sales/${sale.id}/grabs`, { token: shopper.token, body: { skuId: sku, quantity: 1 }, headers: { 'idempotency-key': 'k-no-address' } }), 400, { code: 'validation_failed', field: 'address' });
    assertProblem(await grab(shopper, sale.id, { skuId: sku, address: { ...ADDRESS, phone: 'call me' } }), 400, { code: 'validation_failed', field: 'address.phone' });
    assertProblem(await server.http('POST', `/flash-sales/${sale.id}/grabs`, { token: shopper.token, body: { skuId: sku, quantity: 1, address: ADDRESS } }), 400, { code: 'validation_failed' });
    assertProblem(await server.http('POST', `/flash-sales/${sale.id}/grabs`, { body: { skuId: sku, quantity: 1, address: ADDRESS }, headers: { 'idempotency-key': 'k-anon' } }), 401);
    const upcoming = await server.http('POST', `/merchants/${store.id}/flash-sales`, {
      token: store.owner.token, body: { skuId: otherSku, unitPrice: cny(100), quantity: 1, startsAt: inMinutes(30), endsAt: inMinutes(60), perPersonLimit: 1 },
    });
    assertProblem(await grab(shopper, upcoming.body.id, { skuId: otherSku }), 409, { code: 'flash_sale_ended' });
    assert.deepEqual([(await saleOf(sale.id)).sold, await boughtBy(sale.id, shopper.user.id)], [0, 0]);
    assert.equal((await server.http('GET', '/flash-sales/grabs', { token: shopper.token })).body.total, 0);
  });

  test('a grab is its owner\'s: others get 404; the owner lists theirs', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 3 }]);
    const sale = await liveSale(sku, 3, 1);
    const [owner, other] = await Promise.all([newShopper(server.http), newShopper(server.http)]);
    const g = (await grab(owner, sale.id, { skuId: sku })).body;
    assertProblem(await server.http('GET', `/flash-sales/grabs/${g.id}`, { token: other.token }), 404);
    assertProblem(await server.http('GET', `/flash-sales/grabs/${g.id}`), 401);
    const mine = (await server.http('GET', '/flash-sales/grabs', { token: owner.token })).body;
    assert.deepEqual([mine.total, mine.items[0].id], [1, g.id]);
    await ordersWritten();
  });

  test('POST /orders and grabs share the counter and the limit', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 4 }]);
    const sale = await liveSale(sku, 4, 1, 1900);
    const [a, b] = await Promise.all([newShopper(server.http), newShopper(server.http)]);
    const order = (s: Session) => server.http('POST', '/orders', { token: s.token, body: { items: [{ skuId: sku, quantity: 1 }], address: ADDRESS }, headers: { 'idempotency-key': `o-${seq++}` } });
    assert.equal((await grab(a, sale.id, { skuId: sku })).status, 202);
    await ordersWritten();
    assertProblem(await order(a), 422, { code: 'flash_sale_limit' });
    const placed = await order(b);
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.payable.amount, 1900);
    assertProblem(await grab(b, sale.id, { skuId: sku }), 422, { code: 'flash_sale_limit' });
    assert.equal((await saleOf(sale.id)).sold, 2);
    assert.deepEqual(await levels(sku), { sku_id: sku, available: 0, reserved: 4, sold: 0 });
  });

  test('the settle job waits for grabs still being ordered, then returns the unsold units', async () => {
    const { productId, skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 5 }]);
    const sale = await liveSale(sku, 5, 2);
    const shopper = await newShopper(server.http);
    // Taken through the service, so no worker is kicked yet.
    const { grab: taken } = await services().flashSales.grab({ saleId: sale.id, buyerId: shopper.user.id, skuId: sku, quantity: 2, address: ADDRESS, idempotencyKey: `s-${seq++}` });
    const afterEnd = new Date(Date.now() + 61 * MINUTE);
    await services().flashSales.settleEnded(afterEnd);
    assert.equal((await saleOf(sale.id)).returnedToStock, undefined, 'not settled while a grab waits for its order');
    await ordersWritten();
    assert.equal((await grabOf(shopper, taken.id)).status, 'ordered');
    await services().flashSales.settleEnded(afterEnd);
    const settled = await saleOf(sale.id);
    assert.deepEqual([settled.state, settled.returnedToStock], ['ended', 3]);
    assert.equal((await server.http('GET', `/products/${productId}`)).body.skus[0].stock, 3);
  });
  test('an order that breaks is tried again; after three breaks the grab fails and its units go back to the sale', async () => {
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 9900, stock: 4 }]);
    const sale = await liveSale(sku, 4, 1);
    const [unlucky, doomed] = await Promise.all([newShopper(server.http), newShopper(server.http)]);
    const breaksLeft = new Map([[unlucky.user.id, 1], [doomed.user.id, Infinity]]);
    const breaking: typeof placeOrder = (sql, svc, buyerId, ...rest) => {
      const left = breaksLeft.get(buyerId) ?? 0;
      if (left > 0) {
        breaksLeft.set(buyerId, left - 1);
        return Promise.reject(new Error('connection reset while placing the order'));
      }
      return placeOrder(sql, svc, buyerId, ...rest);
    };
    const worker = createGrabWorker({ db: db(), services: services(), loops: 1, paymentTimeoutMinutes: 30, placeOrder: breaking });
    // Taken through the service, so the server's own worker is not kicked.
    const take = (s: Session) => services().flashSales.grab({ saleId: sale.id, buyerId: s.user.id, skuId: sku, quantity: 1, address: ADDRESS, idempotencyKey: `b-${seq++}` });
    const [first, second] = [(await take(unlucky)).grab, (await take(doomed)).grab];
    assert.equal((await saleOf(sale.id)).sold, 2);

    const errors: unknown[] = [];
    const log = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      await worker.drain();
    } finally {
      console.error = log;
    }
    assert.equal(errors.length, 1 + 3, 'each break is logged');
    const retried = await grabOf(unlucky, first.id);
    assert.equal(retried.status, 'ordered', JSON.stringify(retried));
    assert.equal((await server.http('GET', `/orders/${retried.orderId}`, { token: unlucky.token })).body.status, 'pending_payment');
    const failed = await grabOf(doomed, second.id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.failure.code, 'order_failed');
    assert.match(failed.failure.message.zh, /订单未能生成，名额已退回/);
    assert.deepEqual([(await saleOf(sale.id)).sold, await boughtBy(sale.id, doomed.user.id)], [1, 0], 'the failed grab gave its unit back');
    assert.equal((await grab(doomed, sale.id, { skuId: sku })).status, 202, 'and the buyer may grab again');
    await ordersWritten();
  });
});
