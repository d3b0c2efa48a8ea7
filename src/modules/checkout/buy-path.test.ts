import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS, newProduct, newShopper, newStore, startTestServer, trialBalanceTotal, type TestServer } from '../../testing/harness.ts';

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.close());

test('a shopper buys from two stores in one checkout, pays, both ship, and every fen is accounted for', async () => {
  const { http } = server;
  const self = await newStore(server, 'self_operated', 300);
  const market = await newStore(server, 'marketplace', 800);
  const lipstick = await newProduct(server, self, [{ price: 19900, stock: 10 }, { price: 25900, stock: 5 }]);
  const bag = await newProduct(server, market, [{ price: 12999, stock: 3 }]);
  const shopper = await newShopper(http);
  const auth = { token: shopper.token };

  await http('PUT', '/cart/items', { ...auth, body: { skuId: lipstick.skuIds[0], quantity: 2 } });
  await http('PUT', '/cart/items', { ...auth, body: { skuId: lipstick.skuIds[1], quantity: 1 } });
  const cart = await http('PUT', '/cart/items', { ...auth, body: { skuId: bag.skuIds[0], quantity: 3 } });
  assert.equal(cart.body.count, 6);
  assert.equal(cart.body.total.amount, 2 * 19900 + 25900 + 3 * 12999);

  const quote = await http('POST', '/checkout/quote', { ...auth, body: {} });
  assert.equal(quote.status, 200);
  assert.equal(quote.body.stores.length, 2);
  assert.equal(quote.body.payable.amount, quote.body.lines.reduce((a: number, l: any) => a + l.payable.amount, 0));
  assert.equal(quote.body.payable.amount, 104697);

  const placed = await http('POST', '/orders', { ...auth, body: { address: ADDRESS }, headers: { 'idempotency-key': 'buy-1' } });
  assert.equal(placed.status, 201);
  assert.equal(placed.body.orders.length, 2, 'one order per merchant');
  assert.ok(placed.body.orders.every((o: any) => o.status === 'pending_payment'));
  assert.equal(placed.body.payable.amount, 104697);
  assert.equal((await http('GET', '/cart', auth)).body.count, 0, 'bought lines leave the cart');
  const stockAfterOrder = (await http('GET', `/products/${bag.productId}`)).body.skus[0].stock;
  assert.equal(stockAfterOrder, 0, 'stock is reserved at order time');

  const payment = await http('POST', '/payments', { ...auth, body: { orderGroupId: placed.body.orderGroupId, provider: 'sandbox' }, headers: { 'idempotency-key': 'pay-1' } });
  assert.equal(payment.status, 201);
  assert.equal(payment.body.status, 'pending');
  assert.equal(payment.body.amount.amount, 104697);
  const paid = await http('POST', `/payments/${payment.body.id}/sandbox/pay`, auth);
  assert.equal(paid.body.status, 'succeeded');
  const group = await http('GET', `/order-groups/${placed.body.orderGroupId}`, auth);
  assert.deepEqual(group.body.orders.map((o: any) => o.status), ['paid', 'paid']);
  assert.equal(await trialBalanceTotal(server), 0);

  const selfOrder = placed.body.orders.find((o: any) => o.merchantId === self.id);
  const marketOrder = placed.body.orders.find((o: any) => o.merchantId === market.id);
  const toShip = await http('GET', `/merchants/${self.id}/orders?status=paid`, { token: self.owner.token });
  assert.deepEqual(toShip.body.items.map((o: any) => o.id), [selfOrder.id]);

  const shipped = await http('POST', `/merchants/${self.id}/orders/${selfOrder.id}/ship`, { token: self.owner.token, body: { carrier: 'SF', trackingNo: 'SF1234567890123' } });
  assert.equal(shipped.status, 200);
  assert.equal(shipped.body.status, 'shipped');
  assert.equal(shipped.body.shipment.carrierName, '顺丰速运');
  await http('POST', `/merchants/${market.id}/orders/${marketOrder.id}/ship`, { token: market.owner.token, body: { carrier: 'ZTO', trackingNo: '731234567890' } });

  for (const order of [selfOrder, marketOrder]) {
    const done = await http('POST', `/orders/${order.id}/confirm-receipt`, auth);
    assert.equal(done.body.status, 'completed');
  }

  const balance = await http('GET', '/admin/ledger/trial-balance', { token: server.operator.token });
  const account = (name: string) => balance.body.accounts.find((a: any) => a.account === name)?.balance.amount ?? 0;
  const selfPayable = 2 * 19900 + 25900; // 65700, commission 3% = 1971
  const marketPayable = 3 * 12999; // 38997, commission 8% = 3119.76 -> 3120
  assert.equal(balance.body.total.amount, 0);
  assert.equal(account('cash:sandbox'), 104697);
  assert.equal(account('clearing:orders'), 0, 'all money has left escrow once both orders completed');
  assert.equal(account(`merchant:${self.id}:payable`), -(selfPayable - 1971));
  assert.equal(account(`merchant:${market.id}:payable`), -(marketPayable - 3120));
  assert.equal(account('platform:commission'), -(1971 + 3120));
});

test('an order cannot skip or repeat a step of its state machine', async () => {
  const { http } = server;
  const store = await newStore(server);
  const product = await newProduct(server, store, [{ price: 1000, stock: 5 }]);
  const shopper = await newShopper(http);
  const placed = await http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId: product.skuIds[0], quantity: 1 }], address: ADDRESS } });
  const orderId = placed.body.orders[0].id;
  const ship = await http('POST', `/merchants/${store.id}/orders/${orderId}/ship`, { token: store.owner.token, body: { carrier: 'SF', trackingNo: 'SF1234567890124' } });
  assert.equal(ship.status, 409);
  assert.equal(ship.body.code, 'invalid_state');
  const confirm = await http('POST', `/orders/${orderId}/confirm-receipt`, { token: shopper.token });
  assert.equal(confirm.status, 409);
  assert.equal((await http('POST', `/orders/${orderId}/cancel`, { token: shopper.token })).body.status, 'cancelled');
  const again = await http('POST', `/orders/${orderId}/cancel`, { token: shopper.token });
  assert.equal(again.status, 409);
  assert.equal(again.headers.get('content-type'), 'application/problem+json; charset=utf-8');
});
