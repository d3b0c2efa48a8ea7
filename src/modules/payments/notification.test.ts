import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { ADDRESS, newProduct, newShopper, newStore, startTestServer, type TestServer } from '../../testing/harness.ts';

let server: TestServer;
before(async () => (server = await startTestServer({ QUANYU_SANDBOX_PAYMENT_KEY: 'test-key' })));
after(() => server.close());

function signed(body: object, key = 'test-key', timestamp = Math.floor(Date.now() / 1000)) {
  const raw = JSON.stringify(body);
  const nonce = 'n-' + Math.random();
  const signature = createHmac('sha256', key).update(`${timestamp}\n${nonce}\n${raw}\n`).digest('base64');
  return { raw, headers: { 'sandbox-timestamp': String(timestamp), 'sandbox-nonce': nonce, 'sandbox-signature': signature } };
}

async function pendingPayment() {
  const { http } = server;
  const store = await newStore(server);
  const product = await newProduct(server, store, [{ price: 4200, stock: 3 }]);
  const shopper = await newShopper(http);
  const order = await http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId: product.skuIds[0], quantity: 1 }], address: ADDRESS } });
  const payment = await http('POST', '/payments', { token: shopper.token, body: { orderGroupId: order.body.orderGroupId, provider: 'sandbox' } });
  return { shopper, order: order.body, payment: payment.body };
}

const event = (paymentId: string, amount: number) => ({ event_id: `evt-${Math.random()}`, payment_id: paymentId, trade_state: 'SUCCESS', amount, transaction_id: 'txn-1' });

test('forged, stale and tampered notifications are refused and change nothing', async () => {
  const { http } = server;
  const { shopper, order, payment } = await pendingPayment();
  const forged = signed(event(payment.id, 4200), 'not-the-key');
  assert.equal((await http('POST', '/payments/notify/sandbox', forged)).status, 401);
  const stale = signed(event(payment.id, 4200), 'test-key', Math.floor(Date.now() / 1000) - 3600);
  assert.equal((await http('POST', '/payments/notify/sandbox', stale)).status, 401);
  const good = signed(event(payment.id, 4200));
  const tampered = { raw: good.raw.replace('4200', '1'), headers: good.headers };
  assert.equal((await http('POST', '/payments/notify/sandbox', tampered)).status, 401);
  const wrongAmount = signed(event(payment.id, 1));
  assert.equal((await http('POST', '/payments/notify/sandbox', wrongAmount)).status, 400);
  assert.equal((await http('POST', '/payments/notify/nobody', good)).status, 400);
  assert.equal((await http('GET', `/payments/${payment.id}`, { token: shopper.token })).body.status, 'pending');
  assert.equal((await http('GET', `/orders/${order.orders[0].id}`, { token: shopper.token })).body.status, 'pending_payment');

  assert.equal((await http('POST', '/payments/notify/sandbox', good)).status, 200);
  assert.equal((await http('GET', `/orders/${order.orders[0].id}`, { token: shopper.token })).body.status, 'paid');
});

test('a second payment for an already paid group is refunded, never double-charged', async () => {
  const { http } = server;
  const { shopper, order, payment } = await pendingPayment();
  const second = await http('POST', '/payments', { token: shopper.token, body: { orderGroupId: order.orderGroupId, provider: 'sandbox' } });
  await http('POST', `/payments/${payment.id}/sandbox/pay`, { token: shopper.token });
  assert.equal((await http('POST', '/payments/notify/sandbox', signed(event(second.body.id, 4200)))).status, 200);
  assert.equal((await http('GET', `/payments/${second.body.id}`, { token: shopper.token })).body.status, 'refunded');
  assert.equal((await http('GET', `/payments/${payment.id}`, { token: shopper.token })).body.status, 'succeeded');
  const balance = await http('GET', '/admin/ledger/trial-balance', { token: server.operator.token });
  assert.equal(balance.body.total.amount, 0);
});
