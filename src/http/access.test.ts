import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS, buyAndPay, newProduct, newShopper, newStore, startTestServer, type Session, type TestServer, type TestStore } from '../testing/harness.ts';

let server: TestServer;
let storeA: TestStore;
let storeB: TestStore;
let alice: Session;
let bob: Session;
let productA: { productId: string; skuIds: string[] };
let orderA: string;

before(async () => {
  server = await startTestServer();
  storeA = await newStore(server);
  storeB = await newStore(server);
  productA = await newProduct(server, storeA, [{ price: 1000, stock: 10 }]);
  alice = await newShopper(server.http, 'alice');
  bob = await newShopper(server.http, 'bob');
  const { group } = await buyAndPay(server.http, alice, [{ skuId: productA.skuIds[0], quantity: 1 }]);
  orderA = group.orders[0].id;
});
after(() => server.close());

test("a merchant's staff cannot read or change another merchant's products or orders", async () => {
  const { http } = server;
  const asB = { token: storeB.owner.token };
  const attempts = [
    await http('GET', `/merchants/${storeA.id}/products`, asB),
    await http('POST', `/merchants/${storeA.id}/products`, { ...asB, body: { title: '冒充', skus: [{ price: { amount: 100, currency: 'CNY' }, stock: 1 }] } }),
    await http('PATCH', `/merchants/${storeA.id}/skus/${productA.skuIds[0]}`, { ...asB, body: { stock: 0 } }),
    await http('PATCH', `/merchants/${storeA.id}/products/${productA.productId}`, { ...asB, body: { status: 'inactive' } }),
    await http('GET', `/merchants/${storeA.id}/orders`, asB),
    await http('GET', `/merchants/${storeA.id}/summary`, asB),
    await http('POST', `/merchants/${storeA.id}/orders/${orderA}/ship`, { ...asB, body: { carrier: 'SF', trackingNo: 'SF1111111111111' } }),
  ];
  for (const answer of attempts) {
    assert.equal(answer.status, 403, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'forbidden');
  }
  // Reaching A's SKU or order through B's own paths finds nothing.
  assert.equal((await http('PATCH', `/merchants/${storeB.id}/skus/${productA.skuIds[0]}`, { ...asB, body: { stock: 0 } })).status, 404);
  assert.equal((await http('PATCH', `/merchants/${storeB.id}/products/${productA.productId}`, { ...asB, body: { status: 'inactive' } })).status, 404);
  assert.equal((await http('POST', `/merchants/${storeB.id}/orders/${orderA}/ship`, { ...asB, body: { carrier: 'SF', trackingNo: 'SF1111111111111' } })).status, 404);
  assert.equal((await http('GET', `/orders/${orderA}`, asB)).status, 404);
  // Nothing changed.
  const product = await http('GET', `/products/${productA.productId}`);
  assert.equal(product.status, 200);
  assert.equal(product.body.skus[0].stock, 9);
  assert.equal((await http('GET', `/orders/${orderA}`, { token: alice.token })).body.status, 'paid');
  // A's own staff can.
  assert.equal((await http('GET', `/orders/${orderA}`, { token: storeA.owner.token })).status, 200);
  assert.equal((await http('GET', `/merchants/${storeA.id}/orders`, { token: storeA.owner.token })).body.total, 1);
});

test("a shopper cannot see or act on another shopper's orders, payments or cart", async () => {
  const { http } = server;
  const asBob = { token: bob.token };
  assert.equal((await http('GET', `/orders/${orderA}`, asBob)).status, 404);
  assert.equal((await http('POST', `/orders/${orderA}/cancel`, asBob)).status, 404);
  assert.equal((await http('POST', `/orders/${orderA}/confirm-receipt`, asBob)).status, 404);
  assert.equal((await http('GET', '/orders', asBob)).body.total, 0);
  const aliceOrder = (await http('GET', `/orders/${orderA}`, { token: alice.token })).body;
  assert.equal((await http('GET', `/order-groups/${aliceOrder.orderGroupId}`, asBob)).status, 404);
  const pending = await http('POST', '/orders', { token: alice.token, body: { items: [{ skuId: productA.skuIds[0], quantity: 1 }], address: ADDRESS } });
  const pay = await http('POST', '/payments', { ...asBob, body: { orderGroupId: pending.body.orderGroupId, provider: 'sandbox' } });
  assert.equal(pay.status, 403);
  const alicePayment = await http('POST', '/payments', { token: alice.token, body: { orderGroupId: pending.body.orderGroupId, provider: 'sandbox' } });
  assert.equal((await http('GET', `/payments/${alicePayment.body.id}`, asBob)).status, 404);
  assert.equal((await http('POST', `/payments/${alicePayment.body.id}/sandbox/pay`, asBob)).status, 404);
});

test('operator pages need the operator role; signed-out callers get 401', async () => {
  const { http } = server;
  for (const path of ['/admin/merchants', '/admin/orders', '/admin/ledger/trial-balance', '/admin/ledger/postings', '/admin/audit']) {
    assert.equal((await http('GET', path, { token: alice.token })).status, 403, path);
    assert.equal((await http('GET', path, { token: storeA.owner.token })).status, 403, path);
    assert.equal((await http('GET', path)).status, 401, path);
    assert.equal((await http('GET', path, { token: 'forged-token' })).status, 401, path);
    assert.equal((await http('GET', path, { token: server.operator.token })).status, 200, path);
  }
  const patch = await http('PATCH', `/admin/merchants/${storeA.id}`, { token: alice.token, body: { commissionRateBps: 0 } });
  assert.equal(patch.status, 403);
  for (const path of ['/cart', '/orders', '/me']) assert.equal((await http('GET', path)).status, 401, path);
});

test('operators see everything, and every operator change is audited', async () => {
  const { http } = server;
  const op = { token: server.operator.token };
  assert.equal((await http('GET', `/orders/${orderA}`, op)).status, 200);
  assert.equal((await http('GET', `/merchants/${storeA.id}/orders`, op)).status, 200);
  const changed = await http('PATCH', `/admin/merchants/${storeB.id}`, { ...op, body: { commissionRateBps: 650 } });
  assert.equal(changed.body.commissionRateBps, 650);
  const audit = await http('GET', '/admin/audit', op);
  const entry = audit.body.items.find((e: any) => e.action === 'merchant.update' && e.target === storeB.id);
  assert.equal(entry.actorId, server.operator.user.id);
  assert.deepEqual(entry.details, { commissionRateBps: 650 });

  // An operator changing a store's stock is audited too.
  const changedSku = await http('PATCH', `/merchants/${storeA.id}/skus/${productA.skuIds[0]}`, { ...op, body: { stock: 7 } });
  assert.equal(changedSku.body.stock, 7);
  const skuEntry = (await http('GET', '/admin/audit', op)).body.items.find((e: any) => e.action === 'sku.update');
  assert.deepEqual([skuEntry.target, skuEntry.details], [productA.skuIds[0], { stock: 7 }]);
});
