import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS, newProduct, newShopper, newStore, startTestServer, trialBalanceTotal, type TestServer } from '../../testing/harness.ts';

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.close());

test('replaying an order with the same Idempotency-Key returns the first answer and orders once', async () => {
  const { http } = server;
  const store = await newStore(server);
  const product = await newProduct(server, store, [{ price: 5000, stock: 10 }]);
  const shopper = await newShopper(http);
  const request = { token: shopper.token, body: { items: [{ skuId: product.skuIds[0], quantity: 2 }], address: ADDRESS }, headers: { 'idempotency-key': 'order-abc' } };
  const first = await http('POST', '/orders', request);
  const concurrent = await Promise.all([http('POST', '/orders', request), http('POST', '/orders', request)]);
  assert.equal(first.status, 201);
  for (const replay of concurrent) {
    assert.equal(replay.status, 201);
    assert.deepEqual(replay.body, first.body);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  }
  assert.equal((await http('GET', '/orders', { token: shopper.token })).body.total, 1);
  assert.equal((await http('GET', `/products/${product.productId}`)).body.skus[0].stock, 8);

  const reused = await http('POST', '/orders', { ...request, body: { ...request.body, items: [{ skuId: product.skuIds[0], quantity: 3 }] } });
  assert.equal(reused.status, 409);
  assert.equal(reused.body.code, 'idempotency_key_reused');

  // Keys belong to their caller: another shopper's same key is a new order.
  const other = await newShopper(http);
  assert.equal((await http('POST', '/orders', { ...request, token: other.token })).status, 201);
});

test('simultaneous first requests with one key create one order', async () => {
  const { http } = server;
  const store = await newStore(server);
  const product = await newProduct(server, store, [{ price: 5000, stock: 10 }]);
  const shopper = await newShopper(http);
  const request = { token: shopper.token, body: { items: [{ skuId: product.skuIds[0], quantity: 1 }], address: ADDRESS }, headers: { 'idempotency-key': 'race-1' } };
  const answers = await Promise.all(Array.from({ length: 5 }, () => http('POST', '/orders', request)));
  const groups = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.orderGroupId));
  assert.equal(groups.size, 1);
  assert.ok(answers.every((a) => a.status === 201 || a.body.code === 'idempotency_key_in_use'));
  assert.equal((await http('GET', '/orders', { token: shopper.token })).body.total, 1);
});

test('payment creation replays, and a replayed provider notification is applied once', async () => {
  const { http } = server;
  const store = await newStore(server);
  const product = await newProduct(server, store, [{ price: 8800, stock: 10 }]);
  const shopper = await newShopper(http);
  const order = await http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId: product.skuIds[0], quantity: 1 }], address: ADDRESS } });
  const pay = { token: shopper.token, body: { orderGroupId: order.body.orderGroupId, provider: 'sandbox' }, headers: { 'idempotency-key': 'pay-once' } };
  const first = await http('POST', '/payments', pay);
  const again = await http('POST', '/payments', pay);
  assert.equal(first.status, 201);
  assert.deepEqual(again.body, first.body);

  // A provider retrying delivers the same signed notification several times.
  const notification = server.app.context.sandbox.signedNotification({ id: first.body.id, amount: first.body.amount.amount });
  for (let i = 0; i < 4; i++) {
    const delivery = await http('POST', '/payments/notify/sandbox', { raw: notification.body, headers: notification.headers });
    assert.equal(delivery.status, 200);
  }
  assert.equal((await http('GET', `/payments/${first.body.id}`, { token: shopper.token })).body.status, 'succeeded');
  const ledger = await http('GET', '/admin/ledger/trial-balance', { token: server.operator.token });
  assert.equal(ledger.body.accounts.find((a: any) => a.account === 'cash:sandbox').balance.amount, 8800, 'money counted once');
  assert.equal(await trialBalanceTotal(server), 0);
});
