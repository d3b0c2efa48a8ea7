import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS, buyAndPay, newProduct, newShopper, newStore, startTestServer, type Answer, type Session, type TestServer, type TestStore } from '../testing/harness.ts';

let server: TestServer;
let store: TestStore;
let shopper: Session;
let skuId: string;
let productId: string;
const huge = '长'.repeat(100_000);
const yuan = (amount: unknown) => ({ amount, currency: 'CNY' });

before(async () => {
  server = await startTestServer();
  store = await newStore(server);
  shopper = await newShopper(server.http);
  ({ productId, skuIds: [skuId] } = await newProduct(server, store, [{ price: 1000, stock: 5 }]));
});
after(() => server.close());

function assertProblem(answer: Answer, status: number, field?: string) {
  assert.equal(answer.status, status, JSON.stringify(answer.body).slice(0, 300));
  assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.ok(answer.body.code && answer.body.title && answer.body.detail !== undefined);
  if (field) assert.ok(answer.body.errors?.some((e: any) => e.field === field), `expected field ${field} in ${JSON.stringify(answer.body.errors)}`);
}

test('malformed JSON and wrong content types are 4xx problems naming the body', async () => {
  const { http } = server;
  assertProblem(await http('POST', '/orders', { token: shopper.token, raw: '{"address": {' }), 400, 'body');
  assertProblem(await http('PUT', '/cart/items', { token: shopper.token, raw: 'null' }), 400);
  assertProblem(await http('POST', '/auth/login', { raw: 'email=a', headers: { 'content-type': 'text/plain' } }), 400, 'body');
  assertProblem(await http('POST', '/auth/login', { raw: '<a/>', headers: { 'content-type': 'application/xml' } }), 415);
});

test('wrong types, zero and negative quantities are refused with the field named', async () => {
  const { http } = server;
  const auth = { token: shopper.token };
  assertProblem(await http('PUT', '/cart/items', { ...auth, body: { skuId, quantity: '2' } }), 400, 'quantity');
  assertProblem(await http('PUT', '/cart/items', { ...auth, body: { skuId, quantity: true } }), 400, 'quantity');
  assertProblem(await http('PUT', '/cart/items', { ...auth, body: { skuId, quantity: -1 } }), 400, 'quantity');
  assertProblem(await http('PUT', '/cart/items', { ...auth, body: { skuId, quantity: 1.5 } }), 400, 'quantity');
  assertProblem(await http('PUT', '/cart/items', { ...auth, body: { skuId: 42, quantity: 1 } }), 400, 'skuId');
  assertProblem(await http('POST', '/orders', { ...auth, body: { items: [{ skuId, quantity: 0 }], address: ADDRESS } }), 400, 'items.0.quantity');
  assertProblem(await http('POST', '/orders', { ...auth, body: { items: [{ skuId, quantity: -3 }], address: ADDRESS } }), 400, 'items.0.quantity');
  assertProblem(await http('POST', '/orders', { ...auth, body: { items: [], address: ADDRESS } }), 400, 'items');
  assertProblem(await http('POST', '/orders', { ...auth, body: { items: [{ skuId, quantity: 1 }] } }), 400, 'address');
  assertProblem(await http('POST', '/orders', { ...auth, body: { items: [{ skuId, quantity: 1 }], address: { ...ADDRESS, phone: 'call me' } } }), 400, 'address.phone');
  assertProblem(await http('POST', '/checkout/quote', { ...auth, body: { items: 'all' } }), 400, 'items');
  assertProblem(await http('POST', '/payments', { ...auth, body: { orderGroupId: 'grp_x', provider: 'bitcoin' } }), 400, 'provider');
  assertProblem(await http('GET', '/products?pageSize=10000'), 400, 'pageSize');
  assertProblem(await http('GET', '/products?page=0'), 400, 'page');
  assertProblem(await http('GET', '/products?sort=random'), 400, 'sort');
  assertProblem(await http('GET', '/orders?status=lost', auth), 400, 'status');
});

test('unknown ids are 404 problems, naming the field when it came in the body', async () => {
  const { http } = server;
  const auth = { token: shopper.token };
  assertProblem(await http('GET', '/products/prd_nope'), 404);
  assertProblem(await http('GET', '/orders/ord_nope', auth), 404);
  assertProblem(await http('GET', '/merchants/mer_nope'), 404);
  assertProblem(await http('PUT', '/cart/items', { ...auth, body: { skuId: 'sku_nope', quantity: 1 } }), 404, 'skuId');
  assertProblem(await http('POST', '/orders', { ...auth, body: { items: [{ skuId, quantity: 1 }, { skuId: 'sku_nope', quantity: 1 }], address: ADDRESS } }), 404, 'items.1.skuId');
  assertProblem(await http('POST', '/payments', { ...auth, body: { orderGroupId: 'grp_nope', provider: 'sandbox' } }), 404);
  assertProblem(await http('POST', `/merchants/${store.id}/orders/ord_nope/ship`, { token: store.owner.token, body: { carrier: 'SF', trackingNo: 'SF1234567890123' } }), 404);
  assertProblem(await http('PATCH', `/merchants/${store.id}/skus/sku_nope`, { token: store.owner.token, body: { stock: 1 } }), 404);
  assertProblem(await http('GET', '/no/such/route'), 404);
});

test('prices and stock out of range and 100k-character strings are refused, and nothing is written', async () => {
  const { http } = server;
  const owner = { token: store.owner.token };
  const product = (patch: object) => ({ ...owner, body: { title: '好物', skus: [{ price: yuan(1000), stock: 1 }], ...patch } });
  const before = (await http('GET', `/merchants/${store.id}/products`, owner)).body.total;
  assertProblem(await http('POST', `/merchants/${store.id}/products`, product({ skus: [{ price: yuan(0), stock: 1 }] })), 400, 'skus.0.price.amount');
  assertProblem(await http('POST', `/merchants/${store.id}/products`, product({ skus: [{ price: yuan(-100), stock: 1 }] })), 400, 'skus.0.price.amount');
  assertProblem(await http('POST', `/merchants/${store.id}/products`, product({ skus: [{ price: yuan(99.5), stock: 1 }] })), 400, 'skus.0.price.amount');
  assertProblem(await http('POST', `/merchants/${store.id}/products`, product({ skus: [{ price: yuan(1e15), stock: 1 }] })), 400, 'skus.0.price.amount');
  assertProblem(await http('POST', `/merchants/${store.id}/products`, product({ skus: [{ price: { amount: 100, currency: 'USD' }, stock: 1 }] })), 400, 'skus.0.price.currency');
  assertProblem(await http('POST', `/merchants/${store.id}/products`, product({ skus: [{ price: yuan(100), stock: -1 }] })), 400, 'skus.0.stock');
  assertProblem(await http('POST', `/merchants/${store.id}/products`, product({ skus: [{ price: yuan(100), stock: 1e12 }] })), 400, 'skus.0.stock');
  assertProblem(await http('POST', `/merchants/${store.id}/products`, product({ skus: [] })), 400, 'skus');
  assertProblem(await http('POST', `/merchants/${store.id}/products`, product({ title: huge })), 400, 'title');
  assertProblem(await http('POST', `/merchants/${store.id}/products`, product({ title: '   ' })), 400, 'title');
  assertProblem(await http('POST', `/merchants/${store.id}/products`, product({ description: huge })), 400, 'description');
  assertProblem(await http('POST', `/merchants/${store.id}/products`, product({ attributes: { 颜色: huge } })), 400);
  assertProblem(await http('POST', `/merchants/${store.id}/products`, product({ skus: [{ code: 'A', price: yuan(100), stock: 1 }, { code: 'A', price: yuan(100), stock: 1 }] })), 400, 'skus.1.code');
  assertProblem(await http('PATCH', `/merchants/${store.id}/skus/${skuId}`, { ...owner, body: { stock: -5 } }), 400, 'stock');
  assertProblem(await http('PATCH', `/merchants/${store.id}/skus/${skuId}`, { ...owner, body: { price: yuan('100') } }), 400, 'price.amount');
  assertProblem(await http('POST', '/auth/register', { body: { email: huge, password: 'password-123' } }), 400, 'email');
  assertProblem(await http('POST', '/auth/register', { body: { email: 'a@b.cn', password: 'short' } }), 400, 'password');
  assertProblem(await http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId, quantity: 1 }], address: { ...ADDRESS, line1: huge } } }), 400, 'address.line1');
  assertProblem(await http('POST', '/admin/merchants', { token: server.operator.token, body: { name: '店', kind: 'marketplace', ownerEmail: 'x@y.cn', commissionRateBps: 10001 } }), 400, 'commissionRateBps');
  assertProblem(await http('POST', '/admin/merchants', { token: server.operator.token, body: { name: '店', kind: 'flagship', ownerEmail: 'x@y.cn', commissionRateBps: 100 } }), 400, 'kind');

  assert.equal((await http('GET', `/merchants/${store.id}/products`, owner)).body.total, before, 'no product was written');
  const sku = (await http('GET', `/products/${productId}`)).body.skus[0];
  assert.deepEqual([sku.price.amount, sku.stock], [1000, 5], 'the SKU is unchanged');
  assert.equal((await http('GET', '/orders', { token: shopper.token })).body.total, 0, 'no order was written');
  assert.equal((await http('GET', '/admin/merchants', { token: server.operator.token })).body.total, 1, 'no merchant was written');
});

test('a bad tracking number or unknown carrier is refused without shipping', async () => {
  const { http } = server;
  const { group } = await buyAndPay(http, shopper, [{ skuId, quantity: 1 }]);
  const orderId = group.orders[0].id;
  const owner = { token: store.owner.token };
  assertProblem(await http('POST', `/merchants/${store.id}/orders/${orderId}/ship`, { ...owner, body: { carrier: 'UPS', trackingNo: '1Z999' } }), 400);
  assertProblem(await http('POST', `/merchants/${store.id}/orders/${orderId}/ship`, { ...owner, body: { carrier: 'SF', trackingNo: huge } }), 400, 'trackingNo');
  assert.equal((await http('GET', `/orders/${orderId}`, { token: shopper.token })).body.status, 'paid');
});
