import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADDRESS, type Answer, assertProblem, newProduct, newShopper, newStore, startTestServer, type TestServer, type TestStore } from '../../testing/harness.ts';


const HOUR = 3_600_000;
const cny = (amount: number) => ({ amount, currency: 'CNY' });
/** A time `h` hours from a fixed base, so windows compare exactly. */
const base = Math.ceil(Date.now() / HOUR) * HOUR;
const at = (h: number) => new Date(base + h * HOUR);
const iso = (h: number) => at(h).toISOString();

const REDUCTION = { kind: 'cross_store_reduction', every: cny(30000), off: cny(5000), maxOff: cny(20000) };
const PERCENT = { kind: 'instant_discount', offer: { type: 'percent_off', percentBps: 1000 } };
const PER_UNIT = { kind: 'instant_discount', offer: { type: 'per_unit', off: cny(500) } };

/** 618-like: warm-up (no rules) now, burst with a cross-store reduction, a gap, an encore with instant discounts. */
const campaign618 = (name = '618 年中大促') => ({
  name, description: '跨店满减，每满300减50',
  enrolmentEndsAt: iso(1),
  phases: [
    { kind: 'warm_up', startsAt: iso(-1), endsAt: iso(2), rules: [] },
    { kind: 'burst', name: '开门红', startsAt: iso(2), endsAt: iso(5), rules: [REDUCTION] },
    { kind: 'encore', startsAt: iso(8), endsAt: iso(10), rules: [PERCENT, PER_UNIT] },
  ],
});

describe('campaigns: phases, enrolment, rules for the price engine, venue', () => {
  let server: TestServer;
  let store: TestStore;
  let otherStore: TestStore;
  let dress: { productId: string; skuIds: string[] };
  let shoes: { productId: string; skuIds: string[] };
  let foreign: { productId: string; skuIds: string[] };

  before(async () => {
    server = await startTestServer();
    store = await newStore(server);
    otherStore = await newStore(server);
    dress = await newProduct(server, store, [{ price: 29900, stock: 50 }], '真丝连衣裙');
    shoes = await newProduct(server, store, [{ price: 49900, stock: 50 }], '轻跑鞋');
    foreign = await newProduct(server, otherStore, [{ price: 9900, stock: 50 }], '别家的商品');
  });
  after(() => server.close());

  const admin = (method: string, path: string, body?: unknown) => server.http(method, path, { token: server.operator.token, body });
  const enrol = (s: TestStore, campaignId: string, productId: string, method = 'POST') => server.http(method, `/merchants/${s.id}/campaigns/${campaignId}/products/${productId}`, { token: s.owner.token });
  const rules = (h: number) => server.app.context.services.campaigns.activeRules(at(h));

  test('phases must be in time order and not overlap; each refusal names its field', async () => {
    const ok = campaign618();
    const withPhases = (phases: unknown[]) => admin('POST', '/admin/campaigns', { ...ok, phases });
    const [warm, burst, encore] = ok.phases;
    assertProblem(await withPhases([warm, { ...burst, startsAt: iso(1) }, encore]), 400, { code: 'validation_failed', field: 'phases.1.startsAt' });
    assertProblem(await withPhases([burst, warm, encore]), 400, { code: 'validation_failed', field: 'phases.1.startsAt' });
    assertProblem(await withPhases([{ ...warm, endsAt: iso(-2) }, burst, encore]), 400, { code: 'validation_failed', field: 'phases.0.endsAt' });
    assertProblem(await withPhases([warm, { ...burst, rules: [{ ...REDUCTION, off: cny(30000) }] }]), 400, { code: 'validation_failed', field: 'phases.1.rules.0.off' });
    assertProblem(await withPhases([warm, { ...burst, rules: [{ ...REDUCTION, maxOff: cny(100) }] }]), 400, { code: 'validation_failed', field: 'phases.1.rules.0.maxOff' });
    assertProblem(await withPhases([{ ...warm, kind: 'double_eleven' }]), 400, { code: 'validation_failed' });
    assertProblem(await withPhases([]), 400, { code: 'validation_failed', field: 'phases' });
    assertProblem(await withPhases([{ ...encore, rules: [{ kind: 'instant_discount', offer: { type: 'percent_off', percentBps: 10000 } }] }]), 400, { code: 'validation_failed' });
    assertProblem(await admin('POST', '/admin/campaigns', { ...ok, enrolmentEndsAt: iso(11) }), 400, { code: 'validation_failed', field: 'enrolmentEndsAt' });
    assertProblem(await server.http('POST', '/admin/campaigns', { token: store.owner.token, body: ok }), 403);
    assertProblem(await server.http('POST', '/admin/campaigns', { body: ok }), 401);

    const created = await admin('POST', '/admin/campaigns', ok);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.phases.map((p: any) => [p.kind, p.name, p.state]), [['warm_up', '蓄水期', 'current'], ['burst', '开门红', 'upcoming'], ['encore', '返场', 'upcoming']]);
    assert.deepEqual(created.body.phases[1].rules, [REDUCTION]);
    assert.deepEqual([created.body.startsAt, created.body.endsAt, created.body.currentPhase, created.body.nextPhaseStartsAt], [iso(-1), iso(10), 0, iso(2)]);
    // A PATCH is checked the same way, against the merged campaign.
    assertProblem(await admin('PATCH', `/admin/campaigns/${created.body.id}`, { phases: [warm, { ...burst, startsAt: iso(0) }] }), 400, { code: 'validation_failed', field: 'phases.1.startsAt' });
    const renamed = await admin('PATCH', `/admin/campaigns/${created.body.id}`, { name: '618 狂欢' });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, '618 狂欢');
    assert.equal(renamed.body.phases.length, 3);
    const audit = (await admin('GET', '/admin/audit?pageSize=50')).body.items;
    assert.ok(audit.some((e: any) => e.action === 'campaign.create' && e.target === `campaign:${created.body.id}`));
    assert.ok(audit.some((e: any) => e.action === 'campaign.update' && e.target === `campaign:${created.body.id}`));
  });

  test('merchants enrol their own products and withdraw them until enrolment closes', async () => {
    const { id } = (await admin('POST', '/admin/campaigns', campaign618('双11 预热'))).body;
    const first = await enrol(store, id, dress.productId);
    assert.equal(first.status, 201);
    assert.deepEqual(first.body, { campaignId: id, productId: dress.productId, merchantId: store.id });
    assert.equal((await enrol(store, id, dress.productId)).status, 200, 'enrolling twice is harmless');
    assertProblem(await enrol(store, id, foreign.productId), 403, { code: 'forbidden' });
    assertProblem(await server.http('POST', `/merchants/${store.id}/campaigns/${id}/products/${dress.productId}`, { token: otherStore.owner.token }), 403);
    assertProblem(await enrol(store, id, 'prd_nope'), 404);
    assertProblem(await enrol(store, 'cmp_nope', dress.productId), 404);

    const mine = (await server.http('GET', `/merchants/${store.id}/campaigns?pageSize=100`, { token: store.owner.token })).body.items.find((c: any) => c.id === id);
    assert.deepEqual([mine.myProductIds, mine.enrolmentOpen, mine.enrolledProducts], [[dress.productId], true, 1]);
    assertProblem(await server.http('GET', `/merchants/${store.id}/campaigns`, { token: (await newShopper(server.http)).token }), 403);

    assert.equal((await enrol(store, id, shoes.productId)).status, 201);
    assert.equal((await enrol(store, id, shoes.productId, 'DELETE')).status, 204);
    assertProblem(await enrol(store, id, shoes.productId, 'DELETE'), 404);

    // The operator closes enrolment early: no more changes either way.
    assert.equal((await admin('PATCH', `/admin/campaigns/${id}`, { enrolmentEndsAt: new Date(Date.now() - 1000).toISOString() })).status, 200);
    assertProblem(await enrol(store, id, shoes.productId), 422, { code: 'enrolment_closed' });
    assertProblem(await enrol(store, id, dress.productId, 'DELETE'), 422, { code: 'enrolment_closed' });
  });

  test('each phase switches its rules on at its start and off at its end, scoped to the enrolled products', async () => {
    const { id } = (await admin('POST', '/admin/campaigns', campaign618('规则切换'))).body;
    const mine = (list: Awaited<ReturnType<typeof rules>>) => list.filter((r) => r.id.startsWith(`${id}.`));
    assert.deepEqual(mine(await rules(3)), [], 'no enrolled products: no rules (an empty scope would mean everything)');

    await enrol(store, id, dress.productId);
    await enrol(store, id, shoes.productId);
    const scope = { productIds: [dress.productId, shoes.productId].sort() };
    assert.deepEqual(mine(await rules(0)), [], 'the warm-up has no price rules');
    assert.deepEqual(mine(await rules(2 - 1 / 3600)), [], 'one second before the burst');
    assert.deepEqual(mine(await rules(2)), [{
      kind: 'cross_store_reduction', id: `${id}.p1.r0`, every: 30000, off: 5000, maxOff: 20000, scope, title: '规则切换·开门红', startsAt: at(2).getTime(), endsAt: at(5).getTime(),
    }]);
    assert.equal(mine(await rules(5 - 1 / 3600)).length, 1);
    assert.deepEqual(mine(await rules(5)), [], 'off at its end');
    assert.deepEqual(mine(await rules(7)), [], 'nothing between phases');
    assert.deepEqual(mine(await rules(8)), [
      { kind: 'instant_discount', id: `${id}.p2.r0`, fundedBy: 'platform', offer: { type: 'percent_off', percentBps: 1000 }, scope, title: '规则切换·返场', startsAt: at(8).getTime(), endsAt: at(10).getTime() },
      { kind: 'instant_discount', id: `${id}.p2.r1`, fundedBy: 'platform', offer: { type: 'per_unit', off: 500 }, scope, title: '规则切换·返场', startsAt: at(8).getTime(), endsAt: at(10).getTime() },
    ]);
    assert.deepEqual(mine(await rules(10)), []);

    // Writes reach the cached rules at once: a withdrawal narrows the scope, a phase change moves the window.
    await enrol(store, id, shoes.productId, 'DELETE');
    assert.deepEqual(mine(await rules(2))[0].scope, { productIds: [dress.productId] });
    const campaign = campaign618('规则切换');
    const moved = await admin('PATCH', `/admin/campaigns/${id}`, { phases: [campaign.phases[0], { ...campaign.phases[1], startsAt: iso(3) }] });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual(mine(await rules(2)), []);
    assert.equal(mine(await rules(3))[0].startsAt, at(3).getTime());
    assert.deepEqual(mine(await rules(8)), [], 'the encore was dropped');
  });

  test('a campaign price is a flash sale of an enrolled product within a phase', async () => {
    const { id } = (await admin('POST', '/admin/campaigns', campaign618('会场价'))).body;
    const sale = (extra: Record<string, unknown>, product = dress) => server.http('POST', `/merchants/${store.id}/flash-sales`, {
      token: store.owner.token, body: { skuId: product.skuIds[0], unitPrice: cny(19900), quantity: 5, startsAt: iso(2), endsAt: iso(4), perPersonLimit: 1, campaignId: id, ...extra },
    });
    assertProblem(await sale({}), 422, { code: 'not_enrolled', field: 'campaignId' });
    await enrol(store, id, dress.productId);
    assertProblem(await sale({ campaignId: 'cmp_nope' }), 400, { code: 'validation_failed', field: 'campaignId' });
    assertProblem(await sale({ startsAt: iso(4), endsAt: iso(9) }), 400, { code: 'validation_failed', field: 'startsAt' });
    const created = await sale({});
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.campaignId, id);
    // While the campaign price stands, the product cannot be withdrawn.
    assertProblem(await enrol(store, id, dress.productId, 'DELETE'), 409, { code: 'invalid_state' });
  });

  // Bounded: the first checkout after a write loads the rules inside the order's transaction, which once hung PGlite.
  test('checkout: a running phase\'s rules price the enrolled products (platform-funded), and only them', { timeout: 120_000 }, async () => {
    const running = { ...campaign618('结账'), phases: [{ kind: 'burst', startsAt: iso(-1), endsAt: iso(3), rules: [REDUCTION, PER_UNIT] }] };
    const { id } = (await admin('POST', '/admin/campaigns', running)).body;
    await enrol(store, id, dress.productId);
    await enrol(otherStore, id, foreign.productId);
    const shopper = await newShopper(server.http);
    // An order straight after the writes (the rule cache is cold): 29,900 + 9,900 less 50 yuan, less 5 yuan a unit.
    const placed = await server.http('POST', '/orders', {
      token: shopper.token, headers: { 'idempotency-key': `cmp-${Date.now()}` },
      body: { items: [{ skuId: dress.skuIds[0], quantity: 1 }, { skuId: foreign.skuIds[0], quantity: 1 }], address: ADDRESS },
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.payable.amount, 29900 + 9900 - 5000 - 1000);
    const quote = await server.http('POST', '/checkout/quote', {
      token: shopper.token, body: { items: [{ skuId: dress.skuIds[0], quantity: 1 }, { skuId: foreign.skuIds[0], quantity: 1 }, { skuId: shoes.skuIds[0], quantity: 1 }] },
    });
    assert.equal(quote.status, 200, JSON.stringify(quote.body));
    const bySku = new Map(quote.body.lines.map((l: any) => [l.skuId, l]));
    const kinds = (sku: string) => (bySku.get(sku) as any).discounts.map((d: any) => [d.kind, d.fundedBy, d.sourceId]);
    // 29,900 + 9,900 of enrolled goods reach one 300 yuan step: 50 off, shared 3,756 / 1,244; then 5 yuan off each unit.
    assert.deepEqual(kinds(dress.skuIds[0]), [['cross_store_reduction', 'platform', `${id}.p0.r0`], ['instant_discount', 'platform', `${id}.p0.r1`]]);
    assert.deepEqual(kinds(foreign.skuIds[0]), [['cross_store_reduction', 'platform', `${id}.p0.r0`], ['instant_discount', 'platform', `${id}.p0.r1`]]);
    assert.deepEqual(kinds(shoes.skuIds[0]), [], 'not enrolled: no campaign discount');
    assert.deepEqual([(bySku.get(dress.skuIds[0]) as any).payable.amount, (bySku.get(foreign.skuIds[0]) as any).payable.amount], [29900 - 3756 - 500, 9900 - 1244 - 500]);
    assert.equal(quote.body.discountTotal.amount, 6000);
  });

  test('the venue shows phases with states, the current phase, the next start and enrolled products with prices', async () => {
    const created = (await admin('POST', '/admin/campaigns', campaign618('会场'))).body;
    await enrol(store, created.id, dress.productId);
    await enrol(store, created.id, shoes.productId);
    const flash = await server.http('POST', `/merchants/${store.id}/flash-sales`, {
      token: store.owner.token, body: { skuId: shoes.skuIds[0], unitPrice: cny(39900), quantity: 10, startsAt: iso(2), endsAt: iso(4), perPersonLimit: 2, campaignId: created.id },
    });
    assert.equal(flash.status, 201, JSON.stringify(flash.body));

    const venue = await server.http('GET', `/campaigns/${created.id}`);
    assert.equal(venue.status, 200);
    assert.deepEqual(venue.body.phases.map((p: any) => p.state), ['current', 'upcoming', 'upcoming']);
    assert.deepEqual([venue.body.state, venue.body.currentPhase, venue.body.nextPhaseStartsAt, venue.body.enrolledProducts], ['running', 0, iso(2), 2]);
    assert.equal(venue.body.products.total, 2);
    const byId = new Map(venue.body.products.items.map((p: any) => [p.productId, p]));
    const d = byId.get(dress.productId) as any, s = byId.get(shoes.productId) as any;
    assert.deepEqual([d.title, d.price.amount, d.merchantId, d.flashSale], ['真丝连衣裙', 29900, store.id, undefined]);
    assert.deepEqual([s.title, s.flashSale.unitPrice.amount, s.flashSale.listPrice.amount, s.flashSale.remaining, s.flashSale.state, s.flashSale.startsAt], ['轻跑鞋', 39900, 49900, 10, 'scheduled', iso(2)]);
    assert.ok(d.merchantName.length > 0);
    const paged = (await server.http('GET', `/campaigns/${created.id}?pageSize=1&page=2`)).body.products;
    assert.deepEqual([paged.items.length, paged.total, paged.page], [1, 2, 2]);
    assertProblem(await server.http('GET', '/campaigns/cmp_nope'), 404);

    // The public list has current and upcoming campaigns, not ended ones.
    const ended = (await admin('POST', '/admin/campaigns', { ...campaign618('已结束'), enrolmentEndsAt: iso(-5), phases: [{ kind: 'burst', startsAt: iso(-5), endsAt: iso(-4), rules: [REDUCTION] }] })).body;
    const list = (await server.http('GET', '/campaigns?pageSize=100')).body.items;
    assert.ok(list.some((c: any) => c.id === created.id));
    assert.ok(!list.some((c: any) => c.id === ended.id));
    assert.equal(ended.state, 'ended');
    const adminList = (await admin('GET', '/admin/campaigns?pageSize=100')).body.items;
    assert.ok(adminList.some((c: any) => c.id === ended.id) && adminList.some((c: any) => c.id === created.id));
    assertProblem(await server.http('GET', '/admin/campaigns', { token: store.owner.token }), 403);
  });
  test('an operator stops a running campaign early: its rules stop pricing at once, enrolment closes, the lists drop it, its plan stays', { timeout: 120_000 }, async () => {
    const running = { ...campaign618('误配的活动'), enrolmentEndsAt: iso(2), phases: [
      { kind: 'burst', startsAt: iso(-1), endsAt: iso(3), rules: [PERCENT] },
      { kind: 'encore', startsAt: iso(4), endsAt: iso(6), rules: [PER_UNIT] },
    ] };
    const { id } = (await admin('POST', '/admin/campaigns', running)).body;
    assert.equal((await enrol(store, id, dress.productId)).status, 201);
    const shopper = await newShopper(server.http);
    const quote = async () => (await server.http('POST', '/checkout/quote', { token: shopper.token, body: { items: [{ skuId: dress.skuIds[0], quantity: 1 }] } })).body;
    const ours = async () => (await quote()).lines[0].discounts.filter((d: any) => d.sourceId.startsWith(`${id}.`)).map((d: any) => d.sourceId);
    assert.deepEqual(await ours(), [`${id}.p0.r0`], 'the rule prices while the campaign runs');

    assertProblem(await server.http('POST', `/admin/campaigns/${id}/stop`, { token: store.owner.token, body: { reason: '商家不能停' } }), 403);
    assertProblem(await admin('POST', `/admin/campaigns/${id}/stop`, { reason: '  ' }), 400, { field: 'reason' });
    const stopped = await admin('POST', `/admin/campaigns/${id}/stop`, { reason: '折扣配置错误' });
    assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
    assert.deepEqual([stopped.body.state, stopped.body.stopReason, stopped.body.enrolmentOpen, stopped.body.currentPhase, stopped.body.nextPhaseStartsAt], ['stopped', '折扣配置错误', false, null, null]);
    assert.deepEqual(stopped.body.phases.map((p: any) => [p.state, p.rules.length]), [['ended', 1], ['cancelled', 1]], 'the plan stays for the record');
    assert.ok(Math.abs(Date.parse(stopped.body.stoppedAt) - Date.now()) < 60_000);

    assert.deepEqual(await ours(), [], 'no discount from it after the stop');
    assert.deepEqual((await rules(0.5)).filter((r) => r.id.startsWith(id)), []);
    assert.deepEqual((await rules(5)).filter((r) => r.id.startsWith(id)), [], 'nor in the later phase');
    assertProblem(await enrol(store, id, shoes.productId), 422, { code: 'enrolment_closed' });
    assertProblem(await server.http('POST', `/merchants/${store.id}/flash-sales`, {
      token: store.owner.token, body: { skuId: dress.skuIds[0], unitPrice: cny(19900), quantity: 5, startsAt: iso(4), endsAt: iso(5), perPersonLimit: 1, campaignId: id },
    }), 400, { field: 'campaignId' });
    assertProblem(await admin('PATCH', `/admin/campaigns/${id}`, { name: '改个名' }), 409, { code: 'invalid_state' });
    assertProblem(await admin('POST', `/admin/campaigns/${id}/stop`, { reason: '再停一次' }), 409, { code: 'invalid_state' });
    assert.ok(!(await server.http('GET', '/campaigns?pageSize=100')).body.items.some((c: any) => c.id === id));
    assert.ok(!(await server.http('GET', `/merchants/${store.id}/campaigns?pageSize=100`, { token: store.owner.token })).body.items.some((c: any) => c.id === id));
    assert.equal((await server.http('GET', `/campaigns/${id}`)).body.state, 'stopped', 'the venue says so');
    assert.equal((await admin('GET', '/admin/campaigns?pageSize=100')).body.items.find((c: any) => c.id === id).state, 'stopped');

    const ended = (await admin('POST', '/admin/campaigns', { ...campaign618('早已结束'), enrolmentEndsAt: iso(-5), phases: [{ kind: 'burst', startsAt: iso(-5), endsAt: iso(-4), rules: [] }] })).body;
    assertProblem(await admin('POST', `/admin/campaigns/${ended.id}/stop`, { reason: '已经结束了' }), 409, { code: 'invalid_state' });
    assertProblem(await admin('POST', '/admin/campaigns/cmp_nope/stop', { reason: '不存在' }), 404);
    const audit = await server.app.context.db.query(`SELECT action, details FROM audit_log WHERE target = $1 AND action = 'campaign.stop'`, [`campaign:${id}`]);
    assert.deepEqual(audit.map((a: any) => a.details.reason), ['折扣配置错误']);
  });
  test('a draft (草稿) is the operator\'s alone until published: no rules, no enrolment, not in the lists; publishing switches it on', { timeout: 120_000 }, async () => {
    const body = { ...campaign618('双11 草稿'), draft: true, enrolmentEndsAt: iso(2), phases: [{ kind: 'burst', startsAt: iso(-1), endsAt: iso(3), rules: [PER_UNIT] }] };
    const draft = (await admin('POST', '/admin/campaigns', body)).body;
    assert.deepEqual([draft.state, draft.enrolmentOpen], ['draft', false]);
    assert.deepEqual((await rules(0)).filter((r) => r.id.startsWith(draft.id)), [], 'a draft\'s rules do not price');
    assertProblem(await enrol(store, draft.id, dress.productId), 404);
    assertProblem(await server.http('GET', `/campaigns/${draft.id}`), 404);
    assertProblem(await server.http('GET', `/campaigns/${draft.id}`, { token: store.owner.token }), 404);
    assert.equal((await admin('GET', `/campaigns/${draft.id}`)).body.state, 'draft', 'the operator previews the venue');
    assert.ok(!(await server.http('GET', '/campaigns?pageSize=100')).body.items.some((c: any) => c.id === draft.id));
    assert.ok(!(await server.http('GET', `/merchants/${store.id}/campaigns?pageSize=100`, { token: store.owner.token })).body.items.some((c: any) => c.id === draft.id));
    assertProblem(await server.http('POST', `/merchants/${store.id}/flash-sales`, {
      token: store.owner.token, body: { skuId: shoes.skuIds[0], unitPrice: cny(39900), quantity: 2, startsAt: iso(0), endsAt: iso(1), perPersonLimit: 1, campaignId: draft.id },
    }), 400, { field: 'campaignId' });
    assertProblem(await admin('POST', `/admin/campaigns/${draft.id}/stop`, { reason: '草稿不能停' }), 409, { code: 'invalid_state' });
    const edited = await admin('PATCH', `/admin/campaigns/${draft.id}`, { name: '双11 正式' });
    assert.deepEqual([edited.status, edited.body.state], [200, 'draft'], 'a draft is edited as a draft');

    assertProblem(await server.http('POST', `/admin/campaigns/${draft.id}/publish`, { token: store.owner.token }), 403);
    const published = await admin('POST', `/admin/campaigns/${draft.id}/publish`);
    assert.deepEqual([published.status, published.body.state, published.body.enrolmentOpen], [200, 'running', true]);
    assert.equal((await enrol(store, draft.id, dress.productId)).status, 201);
    assert.deepEqual((await rules(0)).filter((r) => r.id.startsWith(draft.id)).map((r) => r.id), [`${draft.id}.p0.r0`]);
    assert.ok((await server.http('GET', '/campaigns?pageSize=100')).body.items.some((c: any) => c.id === draft.id));
    assertProblem(await admin('POST', `/admin/campaigns/${draft.id}/publish`), 409, { code: 'invalid_state' });

    const late = (await admin('POST', '/admin/campaigns', { ...campaign618('过期草稿'), draft: true, enrolmentEndsAt: iso(-5), phases: [{ kind: 'burst', startsAt: iso(-5), endsAt: iso(-4), rules: [] }] })).body;
    assertProblem(await admin('POST', `/admin/campaigns/${late.id}/publish`), 409, { code: 'invalid_state' });
    const audit = await server.app.context.db.query(`SELECT action FROM audit_log WHERE target = $1 ORDER BY id`, [`campaign:${draft.id}`]);
    assert.deepEqual(audit.map((a: any) => a.action), ['campaign.create', 'campaign.update', 'campaign.publish']);
    await admin('POST', `/admin/campaigns/${draft.id}/stop`, { reason: '测试结束' });
  });
});
