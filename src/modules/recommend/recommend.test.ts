import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { IMPRESSION_BATCH } from './service.ts';
import { buyAndPay, deliverEvents, newDeviceId, newProduct, newShopper, newStore, startTestServer, type TestServer } from '../../testing/harness.ts';

/**
 * A small catalogue with a clear pattern: shoppers who view a serum go on to a cream and then
 * an eye cream; phone buyers buy a case with the phone. The model must learn it, the feed must
 * say why, and the rules and the privacy switch must hold.
 */
describe('recommendation', () => {
  let server: TestServer;
  const p: Record<string, { productId: string; skuIds: string[] }> = {};
  const op = () => server.operator.token;

  const views = (device: string, ...names: string[]) =>
    server.http('POST', '/events', { body: { events: names.map((n) => ({ type: 'view', productId: p[n].productId })) }, headers: { 'x-device-id': device } });
  const feed = (headers: Record<string, string> = {}, token?: string, query = 'limit=20') => server.http('GET', `/feed?${query}`, { headers, token });
  const ids = (items: any[]) => items.map((i) => i.productId);
  const train = () => server.app.context.services.recommend.train('test');
  const catchUp = async () => {
    await deliverEvents(server);
    await server.app.context.services.search.flushDirty();
    await server.app.context.services.search.refreshFeatures();
  };

  let store: Awaited<ReturnType<typeof newStore>>;

  before(async () => {
    server = await startTestServer();
    store = await newStore(server);
    const product = async (name: string, category: string, brand: string, price = 9900, stock = 100) =>
      (p[name] = await newProduct(server, store, [{ price, stock }], name, { category, brand }));
    await product('焕颜精华液', '美妆/护肤/精华', '自然堂');
    await product('保湿面霜', '美妆/护肤/面霜', '自然堂');
    await product('淡纹眼霜', '美妆/护肤/眼霜', '自然堂');
    await product('旗舰手机', '数码/手机', '华为', 399900);
    await product('手机壳', '数码/手机配件', '华为', 4900);
    await product('蓝牙耳机', '数码/耳机', '华为', 29900);
    await product('缺货口红', '美妆/彩妆/口红', '花西子', 19900, 0);
    for (let i = 0; i < 12; i++) await product(`保温杯 ${i} 号`, '家居/杯具', `品牌${i}`, 5900 + i * 100);
    await catchUp();
    for (let i = 0; i < 8; i++) await views(newDeviceId(), '焕颜精华液', '保湿面霜', '淡纹眼霜');
    for (let i = 0; i < 3; i++) {
      const buyer = await newShopper(server.http);
      await buyAndPay(server.http, buyer, [{ skuId: p['旗舰手机'].skuIds[0], quantity: 1 }, { skuId: p['手机壳'].skuIds[0], quantity: 1 }]);
    }
    await catchUp();
    await train();
  });
  after(() => server.close());

  test('training stores a version with what it learned from and makes it active', async () => {
    const models = await server.http('GET', '/admin/reco/models', { token: op() });
    assert.equal(models.status, 200);
    const active = models.body.items.find((m: any) => m.active);
    assert.equal(active.status, 'ready');
    assert.equal(models.body.activeVersion, active.version);
    assert.ok(active.stats.persons >= 11 && active.stats.items >= 5 && active.stats.orders >= 3, JSON.stringify(active.stats));
    assert.equal((await server.http('GET', '/admin/reco/models', {})).status, 401);
  });

  test('the feed follows what a person just viewed, with a reason naming it', async () => {
    const device = newDeviceId();
    await views(device, '焕颜精华液');
    const answer = await feed({ 'x-device-id': device });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.personalized, true);
    const first = answer.body.items[0];
    assert.equal(first.productId, p['保湿面霜'].productId, JSON.stringify(answer.body.items.slice(0, 3)));
    assert.ok(['transitions', 'sessionKnn'].includes(first.recaller));
    assert.equal(first.reason, '因为你看过「焕颜精华液」');
    assert.ok(!ids(answer.body.items).includes(p['焕颜精华液'].productId), 'not what was just viewed');
    assert.ok(!ids(answer.body.items).includes(p['缺货口红'].productId), 'nothing out of stock');
  });

  test('no behaviour, or personalisation switched off: everyone gets the same non-personalised feed', async () => {
    const fresh = await feed({ 'x-device-id': newDeviceId() });
    assert.equal(fresh.body.personalized, false);
    assert.ok(fresh.body.items.length >= 10);
    assert.ok(fresh.body.items.every((i: any) => ['popularity', 'newArrival', 'editorial'].includes(i.recaller)), JSON.stringify(fresh.body.items.map((i: any) => i.recaller)));

    const shopper = await newShopper(server.http);
    await server.http('POST', '/events', { token: shopper.token, body: { events: [{ type: 'view', productId: p['焕颜精华液'].productId }] } });
    assert.equal((await feed({}, shopper.token)).body.personalized, true);
    await server.http('PUT', '/me/privacy', { token: shopper.token, body: { personalization: false } });
    const off = await feed({}, shopper.token);
    assert.equal(off.body.personalized, false, 'on the very next request');
    assert.deepEqual(ids(off.body.items), ids(fresh.body.items));
  });

  test('infinite scroll pages through one ranking without repeats', async () => {
    const device = newDeviceId();
    await views(device, '保湿面霜');
    const first = await feed({ 'x-device-id': device }, undefined, 'limit=5');
    assert.equal(first.body.items.length, 5);
    const second = await feed({ 'x-device-id': device }, undefined, `limit=5&cursor=${first.body.nextCursor}`);
    assert.equal(second.body.items[0].position, 5);
    assert.equal(new Set([...ids(first.body.items), ...ids(second.body.items)]).size, 10);
    const stale = await feed({ 'x-device-id': device }, undefined, 'cursor=fd_nosuch.40');
    assert.equal(stale.status, 200, 'an unknown cursor starts the feed again');
    assert.equal(stale.body.items[0].position, 0);
  });

  test('goods from a note the person read come back in the feed, saying so', async () => {
    const author = await newShopper(server.http);
    const note = (await server.http('POST', '/content/notes', { token: author.token, body: { title: '今夏必备', body: '这款耳机音质很好', productIds: [p['蓝牙耳机'].productId] } })).body;
    const device = newDeviceId();
    await views(device, '焕颜精华液');
    const before = (await feed({ 'x-device-id': device })).body.items.find((i: any) => i.productId === p['蓝牙耳机'].productId);
    assert.notEqual(before?.recaller, 'content');
    await server.http('POST', '/events', { headers: { 'x-device-id': device }, body: { events: [{ type: 'content_view', contentId: note.id }] } });
    const item = (await feed({ 'x-device-id': device })).body.items.find((i: any) => i.productId === p['蓝牙耳机'].productId);
    assert.equal(item?.recaller, 'content', JSON.stringify(item));
    assert.equal(item.reason, '出现在你看过的笔记或直播中');
    assert.equal(item.live, null);
  });

  test('similar items and often bought together on the product page', async () => {
    const similar = await server.http('GET', `/products/${p['保湿面霜'].productId}/similar?limit=4`);
    assert.equal(similar.status, 200);
    assert.ok(ids(similar.body.items).includes(p['淡纹眼霜'].productId));
    assert.ok(!ids(similar.body.items).includes(p['保湿面霜'].productId));
    assert.match(similar.body.items[0].reason, /看过「保湿面霜」的人也看了|热门/);
    const together = await server.http('GET', `/products/${p['旗舰手机'].productId}/bought-together`);
    assert.equal(together.body.items[0].productId, p['手机壳'].productId);
    assert.equal(together.body.items[0].recaller, 'boughtTogether');
    assert.equal(together.body.items[0].reason, '常与「旗舰手机」一起购买');
  });

  test('a shown item carries the English title when the product has one', async () => {
    const eyeCream = p['淡纹眼霜'].productId;
    assert.equal((await server.http('PATCH', `/merchants/${store.id}/products/${eyeCream}`, { token: store.owner.token, body: { titleEn: 'Wrinkle Eye Cream' } })).status, 200);
    await catchUp();
    const items = (await server.http('GET', `/products/${p['保湿面霜'].productId}/similar?limit=4`)).body.items;
    assert.equal(items.find((i: any) => i.productId === eyeCream)?.titleEn, 'Wrinkle Eye Cream');
    assert.ok(items.filter((i: any) => i.productId !== eyeCream).every((i: any) => i.titleEn === null), 'null without one');
  });

  test('under the cart: what goes with the cart, never what is in it', async () => {
    const shopper = await newShopper(server.http);
    await server.http('PUT', '/cart/items', { token: shopper.token, body: { skuId: p['旗舰手机'].skuIds[0], quantity: 1 } });
    const answer = await server.http('GET', '/cart/recommendations', { token: shopper.token });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.items[0].productId, p['手机壳'].productId);
    assert.ok(!ids(answer.body.items).includes(p['旗舰手机'].productId));
    assert.equal((await server.http('GET', '/cart/recommendations')).status, 401);
  });

  test('under the cart, a suggestion from what the shopper viewed says so, not that it goes with the cart', async () => {
    const shopper = await newShopper(server.http);
    await server.http('POST', '/events', { token: shopper.token, body: { events: [{ type: 'view', productId: p['焕颜精华液'].productId }] } });
    await server.http('PUT', '/cart/items', { token: shopper.token, body: { skuId: p['旗舰手机'].skuIds[0], quantity: 1 } });
    const answer = await server.http('GET', '/cart/recommendations', { token: shopper.token });
    const reasons = answer.body.items.map((i: any) => i.reason);
    assert.ok(reasons.includes('因为你看过「焕颜精华液」'), JSON.stringify(reasons));
    for (const reason of reasons) assert.ok(!reason.startsWith('搭配购物车里的') || reason === '搭配购物车里的「旗舰手机」', reason);
  });

  test('not interested: the product leaves that person\'s feed at once', async () => {
    const device = newDeviceId();
    await views(device, '焕颜精华液');
    const before = await feed({ 'x-device-id': device });
    const top = before.body.items[0].productId;
    assert.equal((await server.http('POST', '/feed/not-interested', { headers: { 'x-device-id': device }, body: { productId: top } })).status, 204);
    assert.ok(!ids((await feed({ 'x-device-id': device })).body.items).includes(top));
  });

  test('not interested while scrolling: the next page goes on where it was, without the product', async () => {
    const device = newDeviceId();
    await views(device, '保湿面霜');
    const first = await feed({ 'x-device-id': device }, undefined, 'limit=5');
    const second = await feed({ 'x-device-id': device }, undefined, `limit=5&cursor=${first.body.nextCursor}`);
    const blocked = second.body.items[1].productId;
    assert.equal((await server.http('POST', '/feed/not-interested', { headers: { 'x-device-id': device }, body: { productId: blocked } })).status, 204);
    const again = await feed({ 'x-device-id': device }, undefined, `limit=5&cursor=${first.body.nextCursor}`);
    assert.equal(again.body.items[0].position, 5, 'not back at the top');
    assert.deepEqual(ids(again.body.items), ids(second.body.items).filter((id) => id !== blocked));
    assert.equal(again.body.nextCursor, second.body.nextCursor);
  });

  test('impressions and clicks give click-through per surface and recaller', async () => {
    const device = newDeviceId();
    await views(device, '焕颜精华液');
    const shown = await feed({ 'x-device-id': device });
    const clicked = shown.body.items[0];
    assert.equal((await server.http('POST', '/reco/clicks', { body: { requestId: shown.body.requestId, position: clicked.position } })).status, 204);
    assert.equal((await server.http('POST', '/reco/clicks', { body: { requestId: 'rec_nosuch', position: 0 } })).status, 404);
    const stats = await server.http('GET', '/admin/reco/stats', { token: op() });
    const row = stats.body.items.find((r: any) => r.surface === 'feed' && r.recaller === clicked.recaller);
    assert.ok(row.shown >= 1 && row.clicked >= 1 && row.ctr > 0, JSON.stringify(stats.body.items));
  });

  test('a click right after the page that filled the impression buffer still counts', async () => {
    const device = newDeviceId();
    await views(device, '焕颜精华液');
    await server.http('GET', '/admin/reco/stats', { token: op() }); // writes what is pending
    let shown: any;
    for (let waiting = 0; waiting < IMPRESSION_BATCH; waiting += shown.items.length) shown = (await feed({ 'x-device-id': device }, undefined, 'limit=20')).body;
    assert.equal((await server.http('POST', '/reco/clicks', { body: { requestId: shown.requestId, position: 0 } })).status, 204);
  });

  test('an operator switches back to an earlier model; the feed serves it', async () => {
    const first = (await server.http('GET', '/admin/reco/models', { token: op() })).body.activeVersion;
    await train();
    const models = (await server.http('GET', '/admin/reco/models', { token: op() })).body;
    assert.ok(models.activeVersion > first);
    const back = await server.http('POST', `/admin/reco/models/${first}/activate`, { token: op() });
    assert.equal(back.status, 200);
    assert.equal((await feed({ 'x-device-id': newDeviceId() })).body.modelVersion, first);
    assert.equal((await server.http('POST', '/admin/reco/models/9999/activate', { token: op() })).status, 404);
  });

  test('editorial picks reach everyone, the non-personalised feed included', async () => {
    const pick = p['蓝牙耳机'].productId;
    assert.equal((await server.http('PUT', `/admin/reco/editorial/${pick}`, { token: op(), body: { note: '新品首发' } })).status, 204);
    const answer = await feed({ 'x-device-id': newDeviceId() });
    const item = answer.body.items.find((i: any) => i.productId === pick);
    assert.equal(item?.reason, '编辑精选');
    await server.http('DELETE', `/admin/reco/editorial/${pick}`, { token: op() });
  });

  test('bad input: a clear 4xx, never a crash', async () => {
    const tooMany = await server.http('GET', '/feed?limit=10000', { headers: { 'x-device-id': newDeviceId() } });
    assert.equal(tooMany.status, 400);
    assert.match(JSON.stringify(tooMany.body), /limit/);
    assert.equal((await server.http('GET', '/products/prd_nosuch/similar')).status, 404);
    assert.equal((await server.http('GET', '/products/prd_nosuch/bought-together')).status, 404);
    assert.equal((await server.http('POST', '/feed/not-interested', { body: { productId: p['保湿面霜'].productId } })).status, 400);
    assert.equal((await server.http('POST', '/feed/not-interested', { headers: { 'x-device-id': newDeviceId() }, body: { productId: 'prd_nosuch' } })).status, 404);
    const noDevice = await feed();
    assert.equal(noDevice.status, 200, 'no device and no account: the non-personalised feed');
    assert.equal(noDevice.body.personalized, false);
  });
});
