import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buyAndPay, deliverEvents, newDeviceId, newProduct, newShopper, newStore, startTestServer, trialBalanceTotal, type TestServer, type TestStore } from '../../testing/harness.ts';

describe('privacy centre', () => {
  let server: TestServer;
  let store: TestStore;
  let serum: { productId: string; skuIds: string[] };
  let kettle: { productId: string; skuIds: string[] };

  before(async () => {
    server = await startTestServer();
    store = await newStore(server);
    serum = await newProduct(server, store, [{ price: 29900, stock: 100 }], '精华液', { category: '美妆/护肤/精华', brand: '兰蔻' });
    kettle = await newProduct(server, store, [{ price: 9900, stock: 100 }], '电热水壶', { category: '家电/厨房电器', brand: '美的' });
  });
  after(() => server.close());

  const views = (token: string, productId: string, n: number) =>
    server.http('POST', '/events', { token, body: { events: new Array(n).fill({ type: 'view', productId }) }, headers: { 'x-device-id': newDeviceId() } });
  const tagIds = async (token: string) => (await server.http('GET', '/me/profile', { token })).body.tags.map((t: any) => t.id) as string[];

  test('consent per purpose: defaults, choices at registration, withdrawal with history, in force on the next request', async () => {
    const plain = await newShopper(server.http);
    assert.deepEqual((await server.http('GET', '/me/privacy', { token: plain.token })).body.consents, { personalization: true, crossSourceFusion: false, marketing: false });
    const opted = await server.http('POST', '/auth/register', { body: { email: `opted${Date.now()}@test.quanyu`, password: 'password-123', consents: { marketing: true } } });
    assert.equal(opted.status, 201);
    const token = opted.body.token;
    assert.equal((await server.http('GET', '/me/privacy', { token })).body.consents.marketing, true);

    const off = await server.http('PUT', '/me/privacy', { token, body: { personalization: false, marketing: false } });
    assert.deepEqual(off.body.consents, { personalization: false, crossSourceFusion: false, marketing: false });
    assert.equal((await server.http('GET', '/me/profile', { token })).body.personalization, false);
    const history = (await server.http('GET', '/me/privacy', { token })).body.history;
    assert.deepEqual(history.map((h: any) => [h.purpose, h.granted, h.via]), [['marketing', false, 'privacy_centre'], ['personalization', false, 'privacy_centre'], ['marketing', true, 'registration']]);
    assert.equal((await server.http('PUT', '/me/privacy', { token, body: { personalization: 'no' } })).status, 400);
    assert.equal((await server.http('PUT', '/me/privacy', { token, body: {} })).status, 400);
    assert.equal((await server.http('PUT', '/me/privacy', { token, body: { profiling: true } })).status, 400);
    assert.equal((await server.http('GET', '/me/privacy')).status, 401);
  });

  test('search is personalised from the profile, and not at all on the request after switching it off', async () => {
    const shopper = await newShopper(server.http);
    await views(shopper.token, serum.productId, 5);
    await server.app.context.services.search.catchUp();
    const personal = async () => {
      const found = (await server.http('GET', '/search?q=精华液&explain=1', { token: shopper.token })).body.items;
      return found.find((i: any) => i.productId === serum.productId).explain.personal as number;
    };
    const before = await personal();
    assert.ok(before > 0, String(before)); // the weighted contribution under the live policy
    await server.http('PUT', '/me/privacy', { token: shopper.token, body: { personalization: false } });
    assert.equal(await personal(), 0);
  });

  test('a deleted tag stays deleted through recomputation and comes back only when new behaviour supports it', async () => {
    const shopper = await newShopper(server.http);
    await views(shopper.token, serum.productId, 4);
    assert.ok((await tagIds(shopper.token)).includes('category:美妆'));
    const tag = (await server.http('GET', '/me/profile', { token: shopper.token })).body.tags.find((t: any) => t.id === 'category:美妆');
    assert.match(tag.source, /美妆/);

    assert.equal((await server.http('DELETE', `/me/profile/tags/${encodeURIComponent('category:美妆')}`, { token: shopper.token })).status, 204);
    assert.ok(!(await tagIds(shopper.token)).includes('category:美妆'));
    const personId = (await server.http('GET', '/me/profile', { token: shopper.token })).body.personId;
    await server.http('POST', `/admin/people/${personId}/recompute`, { token: server.operator.token });
    assert.ok(!(await tagIds(shopper.token)).includes('category:美妆'), 'recomputing does not bring it back');
    await views(shopper.token, kettle.productId, 2);
    await views(shopper.token, serum.productId, 2);
    assert.ok(!(await tagIds(shopper.token)).includes('category:美妆'), 'two new views are not enough support');
    await views(shopper.token, serum.productId, 1);
    assert.ok((await tagIds(shopper.token)).includes('category:美妆'), 'three new views in the category are');
    assert.equal((await server.http('DELETE', '/me/profile/tags/category:unknown', { token: shopper.token })).status, 404);
  });

  test('a deleted arrival-channel tag returns on a new visit from that channel, not on the same visit', async () => {
    const shopper = await newShopper(server.http);
    const device = newDeviceId();
    const visit = (minutesAgo = 0) =>
      server.http('POST', '/events', { token: shopper.token, headers: { 'x-device-id': device }, body: { events: [{ type: 'view', productId: kettle.productId, channel: 'douyin', at: new Date(Date.now() - minutesAgo * 60_000).toISOString() }] } });
    await visit(120);
    assert.ok((await tagIds(shopper.token)).includes('channel:douyin'));
    await server.http('DELETE', '/me/profile/tags/channel:douyin', { token: shopper.token });
    await visit();
    assert.ok((await tagIds(shopper.token)).includes('channel:douyin'), 'a visit 2 hours after the last one is a new arrival');
    await server.http('DELETE', '/me/profile/tags/channel:douyin', { token: shopper.token });
    await visit();
    await visit();
    assert.ok(!(await tagIds(shopper.token)).includes('channel:douyin'), 'more pages of the same visit do not bring it back');
  });

  test('my data comes out as one JSON download with account, consents, identifiers, profile, events and orders', async () => {
    const shopper = await newShopper(server.http);
    await views(shopper.token, serum.productId, 2);
    await buyAndPay(server.http, shopper, [{ skuId: kettle.skuIds[0], quantity: 1 }]);
    await deliverEvents(server);
    const exported = await server.http('GET', '/me/data-export', { token: shopper.token });
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-disposition') ?? '', /attachment; filename="quanyu-my-data-/);
    const data = exported.body;
    assert.equal(data.account.email, shopper.user.email);
    assert.deepEqual(data.consents.current, { personalization: true, crossSourceFusion: false, marketing: false });
    assert.ok(data.identifiers.some((i: any) => i.kind === 'account'));
    assert.deepEqual(data.events.map((e: any) => e.type).sort(), ['buy', 'view', 'view']);
    assert.equal(data.orders.length, 1);
    assert.equal(data.profile.summary.orders, 1);
  });

  test('deleting my account erases personal data and keeps orders and the ledger under a pseudonym', async () => {
    const shopper = await newShopper(server.http);
    const device = newDeviceId();
    await server.http('POST', '/auth/login', { body: { email: shopper.user.email, password: 'password-123' }, headers: { 'x-device-id': device } });
    await views(shopper.token, serum.productId, 3);
    await server.http('PUT', `/me/favorites/${serum.productId}`, { token: shopper.token });
    const { group } = await buyAndPay(server.http, shopper, [{ skuId: serum.skuIds[0], quantity: 1 }]);
    await deliverEvents(server);
    const personId = (await server.http('GET', '/me/profile', { token: shopper.token })).body.personId;

    assert.equal((await server.http('POST', '/me/erasure', { token: shopper.token, body: { password: 'wrong-password' } })).status, 401);
    const erased = await server.http('POST', '/me/erasure', { token: shopper.token, body: { password: 'password-123' } });
    assert.equal(erased.status, 200, JSON.stringify(erased.body));
    assert.equal(erased.body.summary.events, 5); // 3 views, a favourite, a purchase
    assert.equal((await server.http('GET', '/me', { token: shopper.token })).status, 401, 'the token stops working');
    assert.equal((await server.http('POST', '/auth/login', { body: { email: shopper.user.email, password: 'password-123' } })).status, 401);
    assert.equal((await server.http('GET', `/admin/people/${personId}`, { token: server.operator.token })).status, 404);
    assert.equal((await server.http('GET', `/admin/people?q=${device}`, { token: server.operator.token })).body.total, 0);

    const order = (await server.http('GET', `/orders/${group.orders[0].id}`, { token: store.owner.token })).body;
    assert.equal(order.status, 'paid');
    assert.equal(order.address.name, erased.body.pseudonym);
    assert.equal(order.address.phone, '');
    assert.equal(await trialBalanceTotal(server), 0);
    assert.equal((await server.http('POST', '/me/erasure', { token: store.owner.token, body: { password: 'password-123' } })).status, 409, 'store owners hand over first');
  });

  test('favourites: save, list, remove, and each save is a behaviour event', async () => {
    const shopper = await newShopper(server.http);
    assert.equal((await server.http('PUT', `/me/favorites/${kettle.productId}`, { token: shopper.token })).status, 204);
    assert.equal((await server.http('PUT', `/me/favorites/${kettle.productId}`, { token: shopper.token })).status, 204);
    assert.equal((await server.http('PUT', '/me/favorites/prd_nope', { token: shopper.token })).status, 404);
    const list = (await server.http('GET', '/me/favorites', { token: shopper.token })).body.items;
    assert.deepEqual(list.map((f: any) => [f.productId, f.title, f.price.amount]), [[kettle.productId, '电热水壶', 9900]]);
    assert.equal((await server.http('GET', '/me/profile', { token: shopper.token })).body.summary.events, 1, 'saving twice is one event');
    await server.http('DELETE', `/me/favorites/${kettle.productId}`, { token: shopper.token });
    assert.equal((await server.http('GET', '/me/favorites', { token: shopper.token })).body.items.length, 0);
  });
});
