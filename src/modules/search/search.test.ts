import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buyAndPay, newShopper, newStore, startTestServer, type TestServer, type TestStore } from '../../testing/harness.ts';

let server: TestServer;
let self: TestStore;
let market: TestStore;

/** What the background jobs do every 200 ms: deliver events, then apply them to the index. */
async function catchUp() {
  const { services } = server.app.context;
  await services.outbox.dispatchPending();
  await services.search.flushDirty();
}

let skuCodes = 0;
async function product(store: TestStore, title: string, price: number, extra: Record<string, unknown> = {}) {
  const created = await server.http('POST', `/merchants/${store.id}/products`, {
    token: store.owner.token,
    body: { title, skus: [{ code: `S${skuCodes++}`, price: { amount: price, currency: 'CNY' }, stock: 10 }], ...extra },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { id: created.body.id as string, skuId: created.body.skus[0].id as string };
}

const search = async (query: string, token?: string) => (await server.http('GET', `/search?${query}`, { token })).body;

before(async () => {
  server = await startTestServer();
  self = await newStore(server, 'self_operated', 300);
  market = await newStore(server, 'marketplace', 500);
});
after(() => server.close());

test('a new product is searchable once its event is applied, and price and shelf changes follow', async () => {
  const bag = await product(market, '羚跑 城市通勤双肩包 大容量防泼水', 19900, { brand: '羚跑', category: '箱包/双肩包' });
  assert.equal((await search('q=双肩包')).total, 0, 'not before the event');
  await catchUp();
  const found = await search('q=羚跑 双肩包');
  assert.equal(found.items[0].productId, bag.id);
  assert.match(found.items[0].highlight, /<em>/);
  assert.equal(found.items[0].price.amount, 19900);

  await server.http('PATCH', `/merchants/${market.id}/skus/${bag.skuId}`, { token: market.owner.token, body: { price: { amount: 9900, currency: 'CNY' } } });
  await catchUp();
  assert.equal((await search('q=双肩包&maxPrice=10000')).items[0].productId, bag.id);

  await server.http('PATCH', `/merchants/${market.id}/products/${bag.id}`, { token: market.owner.token, body: { status: 'inactive' } });
  await catchUp();
  assert.equal((await search('q=双肩包')).total, 0, 'off the shelf, out of search');
});

test('filters and facets: store kind, brand, price range and categories', async () => {
  await product(self, '云栖 龙井绿茶 明前特级 250g', 12800, { brand: '云栖', category: '食品/茶叶' });
  await product(market, '云栖 碧螺春 绿茶 罐装 100g', 6800, { brand: '云栖', category: '食品/茶叶' });
  await product(market, '山野 高山绿茶 500g', 3900, { brand: '山野', category: '食品/茶叶' });
  await catchUp();
  const all = await search('q=绿茶');
  assert.equal(all.total, 3);
  assert.deepEqual(all.facets.brand.map((f: any) => [f.value, f.count]).sort(), [['云栖', 2], ['山野', 1]]);
  assert.equal((await search('q=绿茶&merchantKind=self_operated')).total, 1);
  assert.equal((await search(`q=绿茶&brand=${encodeURIComponent('云栖')}`)).total, 2);
  assert.equal((await search('q=绿茶&minPrice=5000&maxPrice=13000')).total, 2);
  assert.equal((await search(`q=绿茶&category=${encodeURIComponent('食品')}`)).total, 3, 'a parent category matches its children');
  const cheapestFirst = await search('q=绿茶&sort=price_asc');
  assert.deepEqual(cheapestFirst.items.map((i: any) => i.price.amount), [3900, 6800, 12800]);
});

test('the operator switches the live policy without a restart, and explain shows why', async () => {
  const { http, operator } = server;
  // Two equally relevant products: one sells (GMV), the other is much cheaper than its category (price power).
  const seller = await product(market, '星曜 智能手环 心率血氧监测', 29900, { category: '数码/智能手环' });
  const cheap = await product(self, '星曜 智能手环 运动计步版', 9900, { category: '数码/智能手环' });
  await product(market, '澜图 智能手环 长续航', 25900, { category: '数码/智能手环' });
  const shopper = await newShopper(http);
  for (let i = 0; i < 3; i++) await buyAndPay(http, shopper, [{ skuId: seller.skuId, quantity: 1 }]);
  await catchUp();
  await server.app.context.services.search.refreshFeatures();

  const policies = (await http('GET', '/admin/search/policies', { token: operator.token })).body.items;
  const gmv = policies.find((p: any) => p.name === 'gmv');
  const pricePower = policies.find((p: any) => p.name === 'price_power');
  assert.ok(gmv.live, 'GMV allocation is live by default');

  const underGmv = await search('q=星曜 智能手环&explain=1');
  assert.equal(underGmv.policy.name, 'gmv');
  assert.equal(underGmv.items[0].productId, seller.id);
  assert.ok(underGmv.items[0].explain.gmv > 0);
  assert.ok(Math.abs(underGmv.items[0].score - Object.values(underGmv.items[0].explain as Record<string, number>).reduce((a, b) => a + b, 0)) < 0.001);

  const preview = await http('GET', `/admin/search/preview?q=${encodeURIComponent('星曜 智能手环')}&a=${gmv.id}&b=${pricePower.id}`, { token: operator.token });
  assert.equal(preview.body.a.items[0].productId, seller.id);
  assert.equal(preview.body.b.items[0].productId, cheap.id);

  const switched = await http('PUT', '/admin/search/live-policy', { token: operator.token, body: { policyId: pricePower.id } });
  assert.equal(switched.body.name, 'price_power');
  const underPricePower = await search('q=星曜 智能手环&explain=1');
  assert.equal(underPricePower.policy.name, 'price_power');
  assert.equal(underPricePower.items[0].productId, cheap.id);
  assert.ok(underPricePower.items[0].explain.pricePower > underPricePower.items[1].explain.pricePower);

  const saved = await http('POST', '/admin/search/policies', { token: operator.token, body: { name: 'gmv', weights: { ...gmv.weights, gmv: 0.6 }, note: 'more GMV' } });
  assert.equal(saved.status, 201);
  assert.equal(saved.body.version, gmv.version + 1);
  await http('PUT', '/admin/search/live-policy', { token: operator.token, body: { policyId: saved.body.id } });
  assert.deepEqual((await search('q=手环')).policy, { id: saved.body.id, name: 'gmv', version: gmv.version + 1 });
  const audit = (await http('GET', '/admin/audit', { token: operator.token })).body.items.map((e: any) => e.action);
  assert.ok(audit.includes('search.policy_switch') && audit.includes('search.policy_save'));
});

test('operator synonyms take effect at once', async () => {
  await product(market, '极芯 5G手机 骁龙8 旗舰', 299900, { category: '数码/手机' });
  await catchUp();
  assert.equal((await search('q=mobile phone')).total, 0);
  const added = await server.http('POST', '/admin/search/synonyms', { token: server.operator.token, body: { terms: ['手机', 'mobile phone'] } });
  assert.equal(added.status, 201);
  assert.ok((await search('q=mobile phone')).total >= 1);
  assert.equal((await server.http('DELETE', `/admin/search/synonyms/${added.body.id}`, { token: server.operator.token })).status, 204);
  assert.equal((await search('q=mobile phone')).total, 0);
});

test('bad queries get a clear 400 or a sensible answer, never a 5xx', async () => {
  const { http } = server;
  const tooLong = await http('GET', `/search?q=${'a'.repeat(10_000)}`);
  assert.equal(tooLong.status, 400);
  assert.equal(tooLong.body.errors[0].field, 'q');
  // 10,000 Chinese characters are 90 kB once URL-encoded: Node refuses the request line itself.
  assert.equal((await http('GET', `/search?q=${encodeURIComponent('长'.repeat(10_000))}`)).status, 431);
  assert.equal((await http('GET', '/search?q=a&pageSize=10000')).status, 400);
  assert.equal((await http('GET', '/search?q=a&sort=random')).status, 400);
  assert.equal((await http('GET', '/search?q=a&minPrice=-1')).status, 400);
  for (const q of ['', '😀🎉', "' OR 1=1; DROP TABLE products; --", '.*(a+)+$', '[[[', '%_%', '\\', '   ']) {
    const answer = await http('GET', `/search?q=${encodeURIComponent(q)}&colour=red`);
    assert.equal(answer.status, 200, q);
    assert.ok(Array.isArray(answer.body.items));
  }
  assert.equal((await http('GET', '/search?q=x&policy=pol_x')).status, 403, 'only operators preview other policies');
  const shopper = await newShopper(http);
  assert.equal((await http('PUT', '/admin/search/live-policy', { token: shopper.token, body: { policyId: 'pol_x' } })).status, 403);
  assert.equal((await http('PUT', '/admin/search/live-policy', { token: server.operator.token, body: { policyId: 'pol_x' } })).status, 404);
  assert.equal((await http('POST', '/search/clicks', { body: { q: 'x', productId: 'prd_nope', position: 0 } })).status, 404);
});
