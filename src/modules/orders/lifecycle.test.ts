import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS, buyAndPay, newProduct, newShopper, newStore, startTestServer, trialBalanceTotal, type TestServer } from '../../testing/harness.ts';
import { expireUnpaidOrders } from './cancel-order.ts';
import { autoConfirmOrders } from './confirm-receipt.ts';

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.close());

const stockOf = async (productId: string) => (await server.http('GET', `/products/${productId}`)).body.skus[0].stock;
const account = async (name: string) =>
  (await server.http('GET', '/admin/ledger/trial-balance', { token: server.operator.token })).body.accounts.find((a: any) => a.account === name)?.balance.amount ?? 0;

test('cancelling an unpaid order puts its stock back on sale', async () => {
  const { http } = server;
  const store = await newStore(server);
  const product = await newProduct(server, store, [{ price: 3000, stock: 4 }]);
  const shopper = await newShopper(http);
  const placed = await http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId: product.skuIds[0], quantity: 3 }], address: ADDRESS } });
  assert.equal(await stockOf(product.productId), 1);
  const cancelled = await http('POST', `/orders/${placed.body.orders[0].id}/cancel`, { token: shopper.token });
  assert.equal(cancelled.body.status, 'cancelled');
  assert.equal(await stockOf(product.productId), 4);
  const pay = await http('POST', '/payments', { token: shopper.token, body: { orderGroupId: placed.body.orderGroupId, provider: 'sandbox' } });
  assert.equal(pay.status, 409, 'a cancelled group cannot be paid');
});

test('cancelling a paid order before shipping refunds the shopper through the ledger and restocks', async () => {
  const { http } = server;
  const store = await newStore(server);
  const product = await newProduct(server, store, [{ price: 12345, stock: 2 }]);
  const other = await newProduct(server, await newStore(server), [{ price: 555, stock: 2 }]);
  const shopper = await newShopper(http);
  const cashBefore = await account('cash:sandbox');
  const { group } = await buyAndPay(http, shopper, [{ skuId: product.skuIds[0], quantity: 2 }, { skuId: other.skuIds[0], quantity: 1 }]);
  const order = group.orders.find((o: any) => o.merchantId === store.id);
  assert.equal(await stockOf(product.productId), 0);
  const cancelled = await http('POST', `/orders/${order.id}/cancel`, { token: shopper.token });
  assert.equal(cancelled.body.status, 'cancelled');
  assert.equal(await stockOf(product.productId), 2);
  assert.equal(await account('cash:sandbox'), cashBefore + 555, 'only the other store’s order stays paid');
  assert.equal(await trialBalanceTotal(server), 0);
  const postings = (await http('GET', '/admin/ledger/postings', { token: server.operator.token })).body.items;
  const refund = postings.find((p: any) => p.kind === 'refund');
  assert.deepEqual(refund.entries.map((e: any) => [e.account, e.amount.amount]), [['clearing:orders', 24690], ['cash:sandbox', -24690]]);
  // Shipped orders can no longer be cancelled by the shopper.
  const otherOrder = group.orders.find((o: any) => o.merchantId !== store.id);
  const otherStore = { id: otherOrder.merchantId };
  await server.app.context.db.tx((sql) => server.app.context.services.orders.transition(sql, otherOrder.id, 'shipped'));
  assert.equal((await http('POST', `/orders/${otherOrder.id}/cancel`, { token: shopper.token })).status, 409, otherStore.id);
});

test('unpaid orders expire after the payment window and release their stock', async () => {
  const { http, app } = server;
  const store = await newStore(server);
  const product = await newProduct(server, store, [{ price: 1500, stock: 3 }]);
  const shopper = await newShopper(http);
  const placed = await http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId: product.skuIds[0], quantity: 3 }], address: ADDRESS } });
  assert.equal(await expireUnpaidOrders(app.context.db, app.context.services), 0, 'not yet due');
  await app.context.db.query(`UPDATE orders SET expires_at = now() - interval '1 second' WHERE group_id = $1`, [placed.body.orderGroupId]);
  assert.equal(await expireUnpaidOrders(app.context.db, app.context.services), 1);
  const order = (await http('GET', `/orders/${placed.body.orders[0].id}`, { token: shopper.token })).body;
  assert.equal(order.status, 'cancelled');
  assert.equal(order.cancelReason, 'payment_timeout');
  assert.equal(await stockOf(product.productId), 3);
});

test('a payment that lands after the order expired is refunded at once', async () => {
  const { http, app } = server;
  const store = await newStore(server);
  const product = await newProduct(server, store, [{ price: 2200, stock: 1 }]);
  const shopper = await newShopper(http);
  const placed = await http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId: product.skuIds[0], quantity: 1 }], address: ADDRESS } });
  const payment = await http('POST', '/payments', { token: shopper.token, body: { orderGroupId: placed.body.orderGroupId, provider: 'sandbox' } });
  await app.context.db.query(`UPDATE orders SET expires_at = now() - interval '1 second' WHERE group_id = $1`, [placed.body.orderGroupId]);
  await expireUnpaidOrders(app.context.db, app.context.services);
  const cashBefore = await account('cash:sandbox');
  const paid = await http('POST', `/payments/${payment.body.id}/sandbox/pay`, { token: shopper.token });
  assert.equal(paid.body.status, 'refunded');
  assert.equal((await http('GET', `/orders/${placed.body.orders[0].id}`, { token: shopper.token })).body.status, 'cancelled');
  assert.equal(await account('cash:sandbox'), cashBefore, 'the money went straight back');
  assert.equal(await stockOf(product.productId), 1);
  assert.equal(await trialBalanceTotal(server), 0);
});

test('shipped orders are confirmed automatically after the configured days and settle to the merchant', async () => {
  const { http, app } = server;
  const store = await newStore(server, 'marketplace', 1000);
  const product = await newProduct(server, store, [{ price: 10000, stock: 1 }]);
  const shopper = await newShopper(http);
  const { group } = await buyAndPay(http, shopper, [{ skuId: product.skuIds[0], quantity: 1 }]);
  const orderId = group.orders[0].id;
  await http('POST', `/merchants/${store.id}/orders/${orderId}/ship`, { token: store.owner.token, body: { carrier: 'JD', trackingNo: 'JDVA12345678901' } });
  assert.equal(await autoConfirmOrders(app.context.db, app.context.services, 10), 0);
  await app.context.db.query(`UPDATE orders SET shipped_at = now() - interval '11 days' WHERE id = $1`, [orderId]);
  assert.equal(await autoConfirmOrders(app.context.db, app.context.services, 10), 1);
  assert.equal((await http('GET', `/orders/${orderId}`, { token: shopper.token })).body.status, 'completed');
  assert.equal(await account(`merchant:${store.id}:payable`), -9000);
  assert.equal(await trialBalanceTotal(server), 0);
});

test('a changed commission rate applies to new orders, not to orders already placed', async () => {
  const { http } = server;
  const store = await newStore(server, 'marketplace', 500);
  const product = await newProduct(server, store, [{ price: 10000, stock: 5 }]);
  const shopper = await newShopper(http);
  const { group } = await buyAndPay(http, shopper, [{ skuId: product.skuIds[0], quantity: 1 }]);
  await http('PATCH', `/admin/merchants/${store.id}`, { token: server.operator.token, body: { commissionRateBps: 2000 } });
  const orderId = group.orders[0].id;
  await http('POST', `/merchants/${store.id}/orders/${orderId}/ship`, { token: store.owner.token, body: { carrier: 'SF', trackingNo: 'SF9876543210987' } });
  await http('POST', `/orders/${orderId}/confirm-receipt`, { token: shopper.token });
  assert.equal(await account(`merchant:${store.id}:payable`), -9500);
});
