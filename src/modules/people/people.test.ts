import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { deliverEvents, newDeviceId, newProduct, newShopper, newStore, startTestServer, type TestServer } from '../../testing/harness.ts';
import { identifierKey } from './identifiers.ts';
import { UnionFind } from './union-find.ts';

test('union-find groups keys into their connected components', () => {
  const sets = new UnionFind();
  assert.equal(sets.union('a', 'b'), true);
  assert.equal(sets.union('c', 'd'), true);
  assert.equal(sets.union('b', 'a'), false);
  sets.add('e');
  assert.equal(sets.find('a'), sets.find('b'));
  assert.notEqual(sets.find('a'), sets.find('c'));
  assert.deepEqual(sets.groups().map((g) => g.sort()).sort(), [['a', 'b'], ['c', 'd'], ['e']]);
  sets.union('b', 'd');
  assert.equal(sets.groups().length, 2);
});

test('phones and emails are stored hashed and normalised; malformed identifiers are refused', () => {
  const hash = createHash('sha256').update('13800138000').digest('hex');
  assert.equal(identifierKey('phone', '+86 138-0013-8000'), `phone:${hash}`);
  assert.equal(identifierKey('phone', '13800138000'), identifierKey('phone', hash.toUpperCase()));
  assert.equal(identifierKey('email', ' Li@Example.com '), identifierKey('email', 'li@example.com'));
  for (const [kind, value] of [['phone', '12345'], ['email', 'not-an-email'], ['alipay_user_id', '1234'], ['wechat_openid', 'short'], ['passport', 'E123'], ['device', 'a b']])
    assert.throws(() => identifierKey(kind, value), `${kind} ${value}`);
});

describe('identity graph', () => {
  let server: TestServer;
  let product: { productId: string };
  const op = () => server.operator.token;

  before(async () => {
    server = await startTestServer();
    product = await newProduct(server, await newStore(server), [{ price: 5000, stock: 100 }], '保湿面霜', { category: '美妆/护肤/面霜', brand: '自然堂' });
  });
  after(() => server.close());

  const personOfUser = async (userId: string) => (await server.http('GET', `/admin/people?q=${userId}`, { token: op() })).body.items[0]?.personId as string;
  const recordConsent = (source: string, purposes = ['cross_source_fusion']) =>
    server.http('POST', '/admin/source-consents', { token: op(), body: { source, purposes, basis: '用户在合作方小程序内单独勾选同意向全域平台提供身份与浏览数据', noticeVersion: 'v1' } });
  const importLines = (source: string, consentId: string, lines: unknown[]) =>
    server.http('POST', `/admin/imports/partner?source=${source}&consentId=${consentId}`, {
      token: op(), raw: lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'), headers: { 'content-type': 'application/x-ndjson' },
    });

  test('signing in on a device merges the device into the account, and the merge is explained', async () => {
    const device = newDeviceId();
    await server.http('POST', '/events', { body: { events: [{ type: 'view', productId: product.productId }] }, headers: { 'x-device-id': device } });
    const shopper = await newShopper(server.http);
    await server.http('POST', '/auth/login', { body: { email: shopper.user.email, password: 'password-123' }, headers: { 'x-device-id': device } });
    await deliverEvents(server);
    const person = (await server.http('GET', `/admin/people/${await personOfUser(shopper.user.id)}`, { token: op() })).body;
    assert.deepEqual(person.identifiers.map((i: any) => i.kind).sort(), ['account', 'device', 'email']);
    const link = person.links.find((l: any) => l.b === `device:${device}`);
    assert.equal(link.source, 'sign_in');
    assert.ok(person.history.some((h: any) => h.kind === 'merge' && h.linkId === link.id));
    assert.equal(person.profile.summary.events, 1);
    const timeline = (await server.http('GET', `/admin/people/${person.id}/timeline`, { token: op() })).body;
    assert.equal(timeline.items[0].title, '保湿面霜');
    assert.equal(timeline.items[0].subject, `device:${device}`);
  });

  test('a batch lands in the person its device belongs to now, after a merge, a recompute or a split since the last batch', async () => {
    const device = newDeviceId();
    const views = (n: number) => server.http('POST', '/events', { body: { events: new Array(n).fill({ type: 'view', productId: product.productId }) }, headers: { 'x-device-id': device } });
    const eventsOf = async (personId: string) => (await server.http('GET', `/admin/people/${personId}`, { token: op() })).body.profile.summary.events;
    await views(2);
    const shopper = await newShopper(server.http);
    await server.http('POST', '/auth/login', { body: { email: shopper.user.email, password: 'password-123' }, headers: { 'x-device-id': device } });
    await deliverEvents(server);
    const personId = await personOfUser(shopper.user.id);
    await views(3);
    assert.equal(await eventsOf(personId), 5, 'after the merge');

    assert.equal((await server.http('POST', `/admin/people/${personId}/recompute`, { token: op() })).status, 200);
    await views(1);
    assert.equal(await eventsOf(personId), 6, 'after a recompute');
    assert.equal((await server.http('POST', `/admin/people/${personId}/recompute`, { token: op() })).status, 200);
    assert.equal(await eventsOf(personId), 6, 'folding as events arrive gives what a recompute gives');
    await views(1);

    const link = (await server.http('GET', `/admin/people/${personId}`, { token: op() })).body.links.find((l: any) => l.b === `device:${device}`);
    const undone = await server.http('POST', `/admin/people/links/${link.id}/undo`, { token: op() });
    await views(1);
    assert.equal(await eventsOf(undone.body.persons[1]), 1, 'a batch right after the split goes to the device\'s new person, before profiles are recomputed');
    assert.equal(await eventsOf(personId), 7);
    await deliverEvents(server);
    assert.equal(await eventsOf(personId), 0, 'after the split the account keeps none of the device');
    assert.equal(await eventsOf(undone.body.persons[1]), 8);
  });

  test('a device shared by two accounts never merges the accounts', async () => {
    const device = newDeviceId();
    const [first, second] = [await newShopper(server.http), await newShopper(server.http)];
    for (const shopper of [first, second])
      assert.equal((await server.http('POST', '/auth/login', { body: { email: shopper.user.email, password: 'password-123' }, headers: { 'x-device-id': device } })).status, 200);
    await deliverEvents(server);
    const [p1, p2] = [await personOfUser(first.user.id), await personOfUser(second.user.id)];
    assert.notEqual(p1, p2);
    const person = (await server.http('GET', `/admin/people/${p1}`, { token: op() })).body;
    assert.ok(person.identifiers.some((i: any) => i.key === `device:${device}`), 'the device stays with the first account');
  });

  test('undoing a link splits the person and each side keeps only its own behaviour', async () => {
    const [deviceA, deviceB] = [newDeviceId(), newDeviceId()];
    const shopper = await newShopper(server.http);
    for (const [device, n] of [[deviceA, 2], [deviceB, 3]] as const) {
      await server.http('POST', '/events', { body: { events: new Array(n).fill({ type: 'view', productId: product.productId }) }, headers: { 'x-device-id': device } });
      await server.http('POST', '/auth/login', { body: { email: shopper.user.email, password: 'password-123' }, headers: { 'x-device-id': device } });
    }
    await deliverEvents(server);
    const personId = await personOfUser(shopper.user.id);
    let person = (await server.http('GET', `/admin/people/${personId}`, { token: op() })).body;
    assert.equal(person.profile.summary.events, 5);
    const linkB = person.links.find((l: any) => l.b === `device:${deviceB}`);

    const undone = await server.http('POST', `/admin/people/links/${linkB.id}/undo`, { token: op() });
    assert.equal(undone.status, 200);
    assert.equal(undone.body.persons.length, 2);
    assert.equal(undone.body.persons[0], personId, 'the account keeps its person id');
    await deliverEvents(server);
    person = (await server.http('GET', `/admin/people/${personId}`, { token: op() })).body;
    assert.equal(person.profile.summary.events, 2);
    assert.ok(person.links.find((l: any) => l.id === linkB.id).undoneAt);
    const split = (await server.http('GET', `/admin/people/${undone.body.persons[1]}`, { token: op() })).body;
    assert.deepEqual(split.identifiers.map((i: any) => i.key), [`device:${deviceB}`]);
    assert.equal(split.profile.summary.events, 3);
    assert.equal((await server.http('POST', `/admin/people/links/${linkB.id}/undo`, { token: op() })).body.persons.length, 0, 'undoing twice changes nothing');
  });

  test('an operator links two identifiers by hand, with a reason, and can undo it; shoppers cannot', async () => {
    const shopper = await newShopper(server.http);
    const body = { a: { kind: 'wechat_unionid', value: 'oUnion_manual_000000001' }, b: { kind: 'alipay_user_id', value: '2088000000000001' }, reason: '客服核实为同一人' };
    assert.equal((await server.http('POST', '/admin/people/links', { token: shopper.token, body })).status, 403);
    const bad = await server.http('POST', '/admin/people/links', { token: op(), body: { ...body, b: { kind: 'alipay_user_id', value: '12' } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0].field, 'b.value');
    const linked = await server.http('POST', '/admin/people/links', { token: op(), body });
    assert.equal(linked.status, 201);
    assert.ok(linked.body.merged);
    const found = (await server.http('GET', '/admin/people?q=oUnion_manual', { token: op() })).body;
    assert.equal(found.items[0].identifiers, 2);
    const undone = await server.http('POST', `/admin/people/links/${linked.body.linkId}/undo`, { token: op() });
    assert.equal(undone.body.persons.length, 2);
    assert.equal((await server.http('GET', '/admin/people?q=oUnion_manual', { token: op() })).body.items[0].identifiers, 1);
    const audit = (await server.http('GET', '/admin/audit', { token: op() })).body;
    assert.deepEqual(audit.items.filter((a: any) => a.action.startsWith('people.')).slice(0, 2).map((a: any) => a.action), ['people.unlink', 'people.link']);
  });

  test('partner imports need a recorded consent naming the source and cross-source fusion', async () => {
    const line = { type: 'identity', identifiers: { wechat_openid: 'oOpen_partner_0000001' }, consentedAt: '2026-01-01T00:00:00Z' };
    assert.equal((await importLines('miniapp', 'scn_unknown', [line])).body.code, 'consent_required');
    const marketingOnly = (await recordConsent('miniapp', ['marketing'])).body;
    assert.equal((await importLines('miniapp', marketingOnly.id, [line])).status, 422);
    const consent = (await recordConsent('miniapp')).body;
    assert.equal((await importLines('othersource', consent.id, [line])).status, 422, 'the consent names another source');
    assert.equal((await server.http('DELETE', `/admin/source-consents/${consent.id}`, { token: op() })).status, 204);
    assert.equal((await importLines('miniapp', consent.id, [line])).status, 422, 'revoked');
  });

  test('a partner import links identities, folds its events into profiles, and reports bad lines by number', async () => {
    const consent = (await recordConsent('brandapp')).body;
    const fused = await newShopper(server.http);
    await server.http('PUT', '/me/privacy', { token: fused.token, body: { crossSourceFusion: true } });
    const notFused = await newShopper(server.http);
    const at = new Date(Date.now() - 86_400_000).toISOString();
    const result = await importLines('brandapp', consent.id, [
      { type: 'identity', identifiers: { wechat_unionid: 'oUnion_brand_00000001', phone: '13912345678' }, consentedAt: at },
      { type: 'identity', identifiers: { wechat_unionid: 'oUnion_brand_00000002', email: fused.user.email }, consentedAt: at },
      { type: 'identity', identifiers: { wechat_unionid: 'oUnion_brand_00000003', email: notFused.user.email }, consentedAt: at },
      { type: 'event', identifier: { phone: '+86 139 1234 5678' }, event: { type: 'view', category: '美妆/香水', brand: '祖玛珑', at } },
      { type: 'event', identifier: { wechat_unionid: 'oUnion_brand_00000002' }, event: { type: 'buy', category: '美妆/香水', amount: 120000, at } },
      '{not json',
      { type: 'identity', identifiers: { account: fused.user.id }, consentedAt: at },
      { type: 'identity', identifiers: { phone: '123' }, consentedAt: at },
      { type: 'identity', identifiers: { wechat_unionid: 'oUnion_brand_00000004' } },
      { type: 'event', identifier: { wechat_unionid: 'oUnion_brand_00000001' }, event: { type: 'view', at: new Date(Date.now() + 86_400_000).toISOString() } },
      { type: 'event', identifier: { wechat_unionid: 'oUnion_brand_00000003' }, event: { type: 'view', category: '美妆', at } },
      { type: 'hello' },
    ]);
    assert.equal(result.status, 200, JSON.stringify(result.body));
    assert.equal(result.body.lines, 12);
    // line 11 is accepted: unionid …03 was kept apart from the account that did not agree, so it is a person of its own
    assert.equal(result.body.events, 3);
    assert.deepEqual(result.body.rejected.map((r: any) => r.line), [3, 6, 7, 8, 9, 10, 12]);
    assert.match(result.body.rejected.find((r: any) => r.line === 3).message, /not agreed to cross-source fusion/);

    await deliverEvents(server);
    const fusedPerson = (await server.http('GET', `/admin/people/${await personOfUser(fused.user.id)}`, { token: op() })).body;
    assert.ok(fusedPerson.identifiers.some((i: any) => i.key === 'wechat_unionid:oUnion_brand_00000002'));
    assert.equal(fusedPerson.profile.summary.monetary.amount, 120000);
    const notFusedPerson = (await server.http('GET', `/admin/people/${await personOfUser(notFused.user.id)}`, { token: op() })).body;
    assert.ok(!notFusedPerson.identifiers.some((i: any) => i.kind === 'wechat_unionid'));
    const phonePerson = (await server.http('GET', '/admin/people?q=oUnion_brand_00000001', { token: op() })).body.items[0];
    assert.equal(phonePerson.identifiers, 2);
    assert.equal(phonePerson.events, 1);

    // Withdrawing cross-source fusion takes the partner's identifiers and behaviour out again.
    await server.http('PUT', '/me/privacy', { token: fused.token, body: { crossSourceFusion: false } });
    await deliverEvents(server);
    const withdrawn = (await server.http('GET', `/admin/people/${fusedPerson.id}`, { token: op() })).body;
    assert.ok(!withdrawn.identifiers.some((i: any) => i.kind === 'wechat_unionid'));
    assert.equal(withdrawn.profile.summary.monetary.amount, 0);
    assert.ok(withdrawn.links.find((l: any) => l.source === 'partner:brandapp').undoneBy.startsWith('self:'));
  });
});
