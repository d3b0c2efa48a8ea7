import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buyAndPay, newProduct, newShopper, newStore, startTestServer, trialBalanceTotal, type Session, type TestServer } from '../../testing/harness.ts';

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.close());

let keys = 0;
const refund = (token: string, orderId: string, lines: { lineNo: number; quantity: number }[], key = `rf-${++keys}-${Date.now()}`) =>
  server.http('POST', `/orders/${orderId}/refunds`, { token, body: { lines }, headers: { 'idempotency-key': key } });
const stockOf = async (productId: string) => (await server.http('GET', `/products/${productId}`)).body.skus[0].stock;
const account = async (name: string) =>
  (await server.http('GET', '/admin/ledger/trial-balance', { token: server.operator.token })).body.accounts.find((a: any) => a.account === name)?.balance.amount ?? 0;
const ship = (store: { id: string; owner: Session }, orderId: string) =>
  server.http('POST', `/merchants/${store.id}/orders/${orderId}/ship`, { token: store.owner.token, body: { carrier: 'SF', trackingNo: `SF${String(Date.now()).slice(-12)}` } });

test('a buyer refunds some units before shipping: each unit returns its share of what the line paid, never more, and goes back on sale', async () => {
  const { http } = server;
  const store = await newStore(server);
  const mug = await newProduct(server, store, [{ price: 1000, stock: 5 }]);
  const shopper = await newShopper(http);
  const cashBefore = await account('cash:sandbox');
  const { group } = await buyAndPay(http, shopper, [{ skuId: mug.skuIds[0], quantity: 3 }]);
  const order = group.orders[0];
  const first = await refund(shopper.token, order.id, [{ lineNo: 1, quantity: 1 }]);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.amount.amount, 1000);
  assert.equal(first.body.order.lines[0].refundedQuantity, 1);
  assert.equal(await stockOf(mug.productId), 3, 'the refunded unit is on sale again');
  const tooMany = await refund(shopper.token, order.id, [{ lineNo: 1, quantity: 3 }]);
  assert.equal(tooMany.status, 422);
  assert.equal(tooMany.body.errors[0].field, 'lines.0.quantity');
  const rest = await refund(shopper.token, order.id, [{ lineNo: 1, quantity: 2 }]);
  assert.equal(rest.body.amount.amount, 2000);
  assert.equal(rest.body.order.refunded.amount, 3000);
  assert.equal((await refund(shopper.token, order.id, [{ lineNo: 1, quantity: 1 }])).status, 422, 'nothing left to refund');
  assert.equal(await account('cash:sandbox'), cashBefore, 'every fen went back, and no more');
  const listed = await http('GET', `/orders/${order.id}/refunds`, { token: shopper.token });
  assert.deepEqual(listed.body.items.map((r: any) => r.amount.amount), [1000, 2000]);
  assert.equal(await trialBalanceTotal(server), 0);
});

test('a refund replayed with its Idempotency-Key pays once; unknown lines and other people are refused', async () => {
  const { http } = server;
  const store = await newStore(server);
  const lamp = await newProduct(server, store, [{ price: 3333, stock: 5 }]);
  const shopper = await newShopper(http);
  const stranger = await newShopper(http, 'stranger');
  const { group } = await buyAndPay(http, shopper, [{ skuId: lamp.skuIds[0], quantity: 2 }]);
  const order = group.orders[0];
  const once = await refund(shopper.token, order.id, [{ lineNo: 1, quantity: 1 }], 'same-key');
  const again = await refund(shopper.token, order.id, [{ lineNo: 1, quantity: 1 }], 'same-key');
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.body.id, once.body.id);
  assert.equal((await http('GET', `/orders/${order.id}`, { token: shopper.token })).body.refunded.amount, 3333);
  assert.equal((await refund(shopper.token, order.id, [{ lineNo: 9, quantity: 1 }])).body.errors[0].field, 'lines.0.lineNo');
  assert.equal((await refund(stranger.token, order.id, [{ lineNo: 1, quantity: 1 }])).status, 404);
  const missingKey = await http('POST', `/orders/${order.id}/refunds`, { token: shopper.token, body: { lines: [] } });
  assert.equal(missingKey.status, 400);
});

test('after shipping only the store refunds; after settlement the refund takes back the merchant payable and commission', async () => {
  const { http } = server;
  const store = await newStore(server, 'marketplace', 500);
  const chair = await newProduct(server, store, [{ price: 20000, stock: 5 }, { price: 5000, stock: 5 }]);
  const shopper = await newShopper(http);
  const { group } = await buyAndPay(http, shopper, [{ skuId: chair.skuIds[0], quantity: 1 }, { skuId: chair.skuIds[1], quantity: 2 }]);
  const order = group.orders[0];
  assert.equal((await ship(store, order.id)).status, 200);
  assert.equal((await refund(shopper.token, order.id, [{ lineNo: 2, quantity: 1 }])).status, 403, 'the buyer asks the store after shipping');
  assert.equal((await http('POST', `/orders/${order.id}/confirm-receipt`, { token: shopper.token })).body.status, 'completed');
  const payable = `merchant:${store.id}:payable`;
  // Accounts are debit-positive: what the platform owes the merchant is a credit.
  assert.equal(await account(payable), -(30000 - 1500), 'settled: 30000 less 5% commission');
  const byStore = await refund(store.owner.token, order.id, [{ lineNo: 2, quantity: 1 }]);
  assert.equal(byStore.status, 201, JSON.stringify(byStore.body));
  assert.equal(byStore.body.amount.amount, 5000);
  assert.equal(await account(payable), -(30000 - 1500 - (5000 - 250)), 'the refunded unit is taken back, net of its commission');
  assert.equal(await trialBalanceTotal(server), 0);
});

test('cancelling a paid order after a partial refund refunds only the rest', async () => {
  const { http } = server;
  const store = await newStore(server);
  const pen = await newProduct(server, store, [{ price: 700, stock: 9 }]);
  const shopper = await newShopper(http);
  const cashBefore = await account('cash:sandbox');
  const { group } = await buyAndPay(http, shopper, [{ skuId: pen.skuIds[0], quantity: 3 }]);
  const order = group.orders[0];
  await refund(shopper.token, order.id, [{ lineNo: 1, quantity: 1 }]);
  assert.equal((await http('POST', `/orders/${order.id}/cancel`, { token: shopper.token })).body.status, 'cancelled');
  assert.equal(await account('cash:sandbox'), cashBefore);
  assert.equal(await stockOf(pen.productId), 9, 'every unit back on sale exactly once');
  assert.equal(await trialBalanceTotal(server), 0);
});
