import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../testing/harness.ts';

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.close());

test('the OpenAPI document is generated from the route schemas and covers the public contract', async () => {
  const response = await fetch(`${server.url}/api/openapi.json`);
  assert.equal(response.status, 200);
  const doc = await response.json();
  assert.equal(doc.openapi, '3.1.0');
  const contract: [string, string][] = [
    ['post', '/api/v1/auth/register'], ['post', '/api/v1/auth/login'], ['get', '/api/v1/me'], ['get', '/api/v1/health'],
    ['post', '/api/v1/admin/merchants'], ['post', '/api/v1/merchants/{merchantId}/products'], ['patch', '/api/v1/merchants/{merchantId}/skus/{skuId}'],
    ['get', '/api/v1/products/{productId}'], ['put', '/api/v1/cart/items'], ['get', '/api/v1/cart'], ['post', '/api/v1/checkout/quote'],
    ['post', '/api/v1/orders'], ['post', '/api/v1/payments'], ['post', '/api/v1/payments/{paymentId}/sandbox/pay'], ['post', '/api/v1/payments/notify/{provider}'],
    ['get', '/api/v1/orders'], ['get', '/api/v1/orders/{orderId}'], ['post', '/api/v1/merchants/{merchantId}/orders/{orderId}/ship'],
    ['post', '/api/v1/orders/{orderId}/confirm-receipt'], ['post', '/api/v1/orders/{orderId}/cancel'], ['get', '/api/v1/admin/ledger/trial-balance'],
  ];
  for (const [method, path] of contract) assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
  const order = doc.paths['/api/v1/orders'].post;
  assert.ok(order.parameters.some((p: any) => p.in === 'header' && p.name === 'idempotency-key'));
  const body = order.requestBody.content['application/json'].schema;
  assert.deepEqual(body.properties.address.required.sort(), ['line1', 'name', 'phone', 'region']);
});

test('health answers ok and unknown API paths answer problem+json', async () => {
  assert.deepEqual((await server.http('GET', '/health')).body, { status: 'ok', demo: false });
  const missing = await server.http('GET', '/nothing-here');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'not_found');
});
