import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS, newProduct, newShopper, newStore, startTestServer, type TestServer } from '../../testing/harness.ts';

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.close());

test('200 concurrent orders for 50 units: exactly 50 succeed, the rest get 409 out_of_stock', async () => {
  const { http } = server;
  const store = await newStore(server);
  const product = await newProduct(server, store, [{ price: 990, stock: 50 }]);
  const buyers = await Promise.all(Array.from({ length: 10 }, () => newShopper(http)));
  const attempts = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      http('POST', '/orders', { token: buyers[i % buyers.length].token, body: { items: [{ skuId: product.skuIds[0], quantity: 1 }], address: ADDRESS } }),
    ),
  );
  const created = attempts.filter((a) => a.status === 201);
  const refused = attempts.filter((a) => a.status === 409);
  assert.equal(created.length, 50);
  assert.equal(refused.length, 150);
  assert.ok(refused.every((a) => a.body.code === 'out_of_stock'));
  const [level] = await server.app.context.services.inventory.soldUnits(server.app.context.db, product.skuIds);
  assert.deepEqual({ available: level.available, reserved: level.reserved }, { available: 0, reserved: 50 });
});

test('an order short on one SKU reserves nothing at all', async () => {
  const { http } = server;
  const store = await newStore(server);
  const product = await newProduct(server, store, [{ price: 1000, stock: 5 }, { price: 2000, stock: 1 }]);
  const shopper = await newShopper(http);
  const refused = await http('POST', '/orders', {
    token: shopper.token,
    body: { items: [{ skuId: product.skuIds[0], quantity: 3 }, { skuId: product.skuIds[1], quantity: 2 }], address: ADDRESS },
  });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, 'out_of_stock');
  const skus = (await http('GET', `/products/${product.productId}`)).body.skus;
  assert.deepEqual(skus.map((s: any) => s.stock), [5, 1]);
  assert.equal((await http('GET', '/orders', { token: shopper.token })).body.total, 0);
});
