import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADDRESS, buyAndPay, deliverEvents, newDeviceId, newProduct, newShopper, newStore, startTestServer, type TestServer } from '../../testing/harness.ts';

describe('behaviour tracking', () => {
  let server: TestServer;
  let lipstick: { productId: string; skuIds: string[] };
  let phone: { productId: string; skuIds: string[] };

  before(async () => {
    server = await startTestServer();
    const store = await newStore(server);
    lipstick = await newProduct(server, store, [{ price: 19900, stock: 100 }], '丝绒哑光口红', { category: '美妆/彩妆/口红', brand: '花西子' });
    phone = await newProduct(server, store, [{ price: 399900, stock: 100 }], '旗舰手机', { category: '数码/手机', brand: '华为' });
  });
  after(() => server.close());

  const send = (events: unknown[], headers: Record<string, string> = {}, token?: string) => server.http('POST', '/events', { body: { events }, headers, token });

  test('anonymous behaviour is kept under the device and joins the account at sign-in', async () => {
    const device = newDeviceId();
    const sent = await send([
      { type: 'view', productId: lipstick.productId },
      { type: 'view', productId: lipstick.productId },
      { type: 'cart', productId: lipstick.productId },
      { type: 'search', query: '口红', results: 12 },
      { type: 'view', page: '/search?q=口红' },
    ], { 'x-device-id': device });
    assert.equal(sent.status, 202);
    assert.deepEqual(sent.body, { accepted: 5, rejected: [] });

    const shopper = await newShopper(server.http);
    const login = await server.http('POST', '/auth/login', { body: { email: shopper.user.email, password: 'password-123' }, headers: { 'x-device-id': device } });
    assert.equal(login.status, 200);
    await deliverEvents(server); // the merge recomputes the profile
    const profile = await server.http('GET', '/me/profile', { token: login.body.token });
    assert.equal(profile.body.summary.events, 5);
    assert.ok(profile.body.tags.some((t: any) => t.id === 'category:美妆'), JSON.stringify(profile.body.tags));
  });

  test('a bad event is reported by index and the good ones are kept', async () => {
    const device = newDeviceId();
    const sent = await send([
      { type: 'view', productId: lipstick.productId },
      { type: 'teleport', productId: lipstick.productId },
      { type: 'view', productId: lipstick.productId, userId: 'usr_someoneelse' },
      { type: 'buy', productId: lipstick.productId },
      { type: 'view', productId: 'prd_doesnotexist' },
      { type: 'view', productId: lipstick.productId, at: new Date(Date.now() + 3_600_000).toISOString() },
      { type: 'cart' },
      { type: 'search', query: 'x'.repeat(201) },
      'not an object',
    ], { 'x-device-id': device });
    assert.equal(sent.status, 202);
    assert.equal(sent.body.accepted, 1);
    assert.deepEqual(sent.body.rejected.map((r: any) => [r.index, r.field]), [[1, 'type'], [2, 'userId'], [3, 'type'], [4, 'productId'], [5, 'at'], [6, 'productId'], [7, 'query'], [8, '']]);
    assert.match(sent.body.rejected[1].message, /token/);
    assert.match(sent.body.rejected[2].message, /platform/);
  });

  test('a batch with only bad events, an oversized batch, no device, a malformed device: 400 naming the field', async () => {
    const allBad = await send([{ type: 'nope' }], { 'x-device-id': newDeviceId() });
    assert.equal(allBad.status, 400);
    assert.equal(allBad.body.errors[0].field, 'events.0.type');
    const tooMany = await send(new Array(501).fill({ type: 'view', page: '/' }), { 'x-device-id': newDeviceId() });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.errors[0].field, 'events');
    const empty = await send([], { 'x-device-id': newDeviceId() });
    assert.equal(empty.status, 400);
    const noDevice = await send([{ type: 'view', page: '/' }]);
    assert.equal(noDevice.status, 400);
    assert.equal(noDevice.body.code, 'device_required');
    const badDevice = await send([{ type: 'view', page: '/' }], { 'x-device-id': 'a b' });
    assert.equal(badDevice.status, 400);
    assert.equal(badDevice.body.errors[0].field, 'x-device-id');
    const notJson = await server.http('POST', '/events', { raw: '{"events": [', headers: { 'x-device-id': newDeviceId() } });
    assert.equal(notJson.status, 400);
  });

  test('a tracked link marks the arrival on the events, the profile and the order it leads to', async () => {
    const shopper = await newShopper(server.http);
    const device = newDeviceId();
    const sent = await send([{ type: 'view', productId: phone.productId, channel: 'douyin', campaign: '双11直播' }], { 'x-device-id': device }, shopper.token);
    assert.equal(sent.status, 202);
    const order = await server.http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId: phone.skuIds[0], quantity: 1 }], address: ADDRESS }, headers: { 'idempotency-key': `arr-${device}`, 'x-device-id': device } });
    assert.equal(order.status, 201);
    const view = await server.http('GET', `/orders/${order.body.orders[0].id}`, { token: shopper.token });
    assert.deepEqual(view.body.arrival, { channel: 'douyin', campaign: '双11直播' });
    const profile = await server.http('GET', '/me/profile', { token: shopper.token });
    assert.ok(profile.body.tags.some((t: any) => t.id === 'channel:douyin'));
    const badChannel = await send([{ type: 'view', page: '/', channel: 'Douyin!' }], { 'x-device-id': device });
    assert.equal(badChannel.status, 400);
    assert.equal(badChannel.body.errors[0].field, 'events.0.channel');
  });

  test('purchases and refunds come from the platform: orders, money and the value segment follow', async () => {
    const shopper = await newShopper(server.http);
    const { group } = await buyAndPay(server.http, shopper, [{ skuId: lipstick.skuIds[0], quantity: 2 }]);
    await deliverEvents(server);
    let profile = (await server.http('GET', '/me/profile', { token: shopper.token })).body;
    assert.equal(profile.summary.orders, 1);
    assert.equal(profile.summary.monetary.amount, 39800);
    assert.ok(profile.tags.some((t: any) => t.id === 'rfm:HLL'), JSON.stringify(profile.tags.map((t: any) => t.id)));

    const cancelled = await server.http('POST', `/orders/${group.orders[0].id}/cancel`, { token: shopper.token });
    assert.equal(cancelled.status, 200);
    await deliverEvents(server);
    profile = (await server.http('GET', '/me/profile', { token: shopper.token })).body;
    assert.equal(profile.summary.monetary.amount, 0);
  });

  test('retention drops whole months of raw events once they are older than the setting', async () => {
    const { tracking } = server.app.context.services;
    const old = new Date(Date.UTC(2020, 0, 15));
    await tracking.ensurePartition(old);
    await tracking.insert(server.app.context.db, [{ at: old, subject: 'device:retention-test', type: 'view', source: 'web', page: '/' }], old);
    assert.equal(await tracking.countOf(['device:retention-test']), 1);
    const dropped = await tracking.dropExpired(365);
    assert.deepEqual(dropped, ['behavior_events_p202001']);
    assert.equal(await tracking.countOf(['device:retention-test']), 0);
    assert.deepEqual(await tracking.dropExpired(365), []);
  });
});

describe('behaviour tracking rate limit', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ QUANYU_EVENTS_PER_DEVICE_PER_MINUTE: '120' })));
  after(() => server.close());

  test('a device sending more than its share a minute gets 429 with a retry time; another device is unaffected', async () => {
    const device = newDeviceId();
    const batch = new Array(100).fill({ type: 'view', page: '/' });
    assert.equal((await server.http('POST', '/events', { body: { events: batch }, headers: { 'x-device-id': device } })).status, 202);
    const limited = await server.http('POST', '/events', { body: { events: batch }, headers: { 'x-device-id': device } });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 'rate_limited');
    assert.ok(limited.body.retryAfter >= 1);
    assert.equal((await server.http('POST', '/events', { body: { events: batch }, headers: { 'x-device-id': newDeviceId() } })).status, 202);
  });
});
