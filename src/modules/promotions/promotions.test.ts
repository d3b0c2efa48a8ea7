import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { Problem } from '../../shared/problems.ts';
import { ADDRESS, type Answer, assertProblem, newProduct, newShopper, newStore, type Session, startTestServer, type TestServer, type TestStore } from '../../testing/harness.ts';
import { grantAllowance } from '../membership/allowance.ts';
import type { Plan } from '../membership/plans.ts';
import type { PromotionsService } from './service.ts';

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const cny = (amount: number) => ({ amount, currency: 'CNY' });
let serial = 0;
const code = (prefix = 'C') => `${prefix}${Date.now().toString(36).toUpperCase()}${serial++}`;


describe('promotions: coupons, claims, cross-store reductions, instant discounts', () => {
  let server: TestServer;
  let db: Database;
  let promotions: PromotionsService;
  let store: TestStore;
  let otherStore: TestStore;
  let lipstick: { productId: string; skuIds: string[] };
  let bag: { productId: string; skuIds: string[] };
  let foreign: { productId: string; skuIds: string[] };
  let shopper: Session;
  let categoryOf: (path: string) => Promise<string>;

  before(async () => {
    server = await startTestServer();
    db = server.app.context.db;
    promotions = server.app.context.services.promotions;
    store = await newStore(server);
    otherStore = await newStore(server);
    lipstick = await newProduct(server, store, [{ price: 19900, stock: 100 }], '丝绒哑光口红', { category: '促销测试美妆/彩妆/口红', brand: '花颜' });
    bag = await newProduct(server, store, [{ price: 59900, stock: 100 }], '通勤托特包', { category: '促销测试箱包/女包' });
    foreign = await newProduct(server, otherStore, [{ price: 9900, stock: 100 }], '别家的商品', { category: '促销测试美妆/护肤' });
    shopper = await newShopper(server.http, 'coupon');
    const categories = (await server.http('GET', '/categories')).body.items as { id: string; path: string }[];
    categoryOf = async (path) => categories.find((c) => c.path === path)!.id;
  });
  after(() => server.close());

  const http = (...args: Parameters<TestServer['http']>) => server.http(...args);
  const asStore = (s: TestStore, method: string, path: string, body?: unknown) => http(method, `/merchants/${s.id}${path}`, { token: s.owner.token, body });
  const asOperator = (method: string, path: string, body?: unknown) => http(method, path, { token: server.operator.token, body });
  const claim = (who: Session, body: { code: string; merchantId?: string }) => http('POST', '/me/coupons', { token: who.token, body });
  const threshold = (extra: Record<string, unknown> = {}) => ({ code: code(), kind: 'threshold', threshold: cny(30000), off: cny(4000), startsAt: at(-1), endsAt: at(10), ...extra });

  test('a store creates coupons of every kind; the list shows their terms and figures', async () => {
    const created = await asStore(store, 'POST', '/coupons', threshold({ code: 'Spring300', totalQuantity: 100 }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const c = created.body;
    assert.match(c.id, /^cpn_/);
    assert.deepEqual(
      [c.code, c.kind, c.fundedBy, c.merchantId, c.title, c.threshold, c.off, c.perUserLimit, c.totalQuantity, c.status, c.state, c.claimed, c.used, c.discountTotal],
      ['Spring300', 'threshold', 'merchant', store.id, '满300减40', cny(30000), cny(4000), 1, 100, 'active', 'running', 0, 0, cny(0)],
    );
    const free = (await asStore(store, 'POST', '/coupons', { code: code(), kind: 'no_threshold', off: cny(1000), startsAt: at(1), endsAt: at(5), perUserLimit: 3 })).body;
    assert.deepEqual([free.title, free.threshold, free.perUserLimit, free.totalQuantity, free.state], ['无门槛减10', undefined, 3, null, 'scheduled']);
    const percent = (await asStore(store, 'POST', '/coupons', {
      code: code(), kind: 'percent', percentBps: 1000, cap: cny(5000), threshold: cny(10000), startsAt: at(-1), endsAt: at(5), scope: { productIds: [lipstick.productId] },
    })).body;
    assert.deepEqual([percent.title, percent.percentBps, percent.cap, percent.scope], ['满100享9折，最高减50', 1000, cny(5000), { productIds: [lipstick.productId] }]);

    const list = (await asStore(store, 'GET', '/coupons')).body;
    assert.deepEqual(list.items.slice(0, 3).map((x: any) => x.id), [percent.id, free.id, c.id], 'newest first');
    // the same code in another store is another coupon; in the same store it is taken, ignoring case
    assert.equal((await asStore(otherStore, 'POST', '/coupons', threshold({ code: 'SPRING300' }))).status, 201);
    assertProblem(await asStore(store, 'POST', '/coupons', threshold({ code: 'spring300' })), 409, { field: 'code', code: 'coupon_code_taken' });
  });

  test('bad coupons are refused naming the field, and nothing is written', async () => {
    const before = (await asStore(store, 'GET', '/coupons')).body.total;
    const tomorrow = at(1); // one instant for both ends: two calls of at() can differ by a millisecond
    const cases: [Record<string, unknown>, string, number?][] = [
      [threshold({ startsAt: at(2), endsAt: at(1) }), 'endsAt'],
      [threshold({ startsAt: tomorrow, endsAt: tomorrow }), 'endsAt'],
      [threshold({ startsAt: at(-3), endsAt: at(-1) }), 'endsAt'],
      [threshold({ threshold: cny(4000) }), 'threshold'],
      [threshold({ threshold: cny(3000) }), 'threshold'],
      [threshold({ threshold: undefined }), 'threshold'],
      [threshold({ off: cny(0) }), 'off.amount'],
      [threshold({ off: cny(-100) }), 'off.amount'],
      [threshold({ off: undefined }), 'off'],
      [threshold({ off: { amount: 12.5, currency: 'CNY' } }), 'off.amount'],
      [threshold({ kind: 'no_threshold' }), 'threshold'],
      [threshold({ kind: 'percent', threshold: undefined }), 'off'],
      [threshold({ kind: 'percent', off: undefined }), 'percentBps'],
      [threshold({ kind: 'percent', off: undefined, percentBps: 9901 }), 'percentBps'],
      [threshold({ kind: 'percent', off: undefined, percentBps: 0 }), 'percentBps'],
      [threshold({ cap: cny(100) }), 'cap'],
      [threshold({ kind: 'bogus' }), 'kind'],
      [threshold({ code: 'a b' }), 'code'],
      [threshold({ code: 'x' }), 'code'],
      [threshold({ startsAt: 'tomorrow' }), 'startsAt'],
      [threshold({ perUserLimit: 0 }), 'perUserLimit'],
      [threshold({ totalQuantity: 0 }), 'totalQuantity'],
      [threshold({ scope: { productIds: [foreign.productId] } }), 'scope.productIds.0'],
      [threshold({ scope: { productIds: [lipstick.productId, 'prd_nope'] } }), 'scope.productIds.1'],
      [threshold({ scope: { categoryIds: ['cat_x'] } }), 'scope.categoryIds'],
      [threshold({ crowdId: 'crd_x' }), 'crowdId'],
    ];
    for (const [body, field] of cases) {
      const answer = await asStore(store, 'POST', '/coupons', body);
      assertProblem(answer, 400, { field, code: 'validation_failed' });
    }
    assert.equal((await asStore(store, 'GET', '/coupons')).body.total, before, 'no coupon was saved');

    const platform = (extra: Record<string, unknown>) => asOperator('POST', '/admin/coupons', threshold(extra));
    assertProblem(await platform({ crowdId: 'crd_doesnotexist' }), 400, { field: 'crowdId' });
    assertProblem(await platform({ audienceLabel: '新人专享' }), 400, { field: 'audienceLabel' });
    assertProblem(await platform({ scope: { categoryIds: ['cat_nope'] } }), 400, { field: 'scope.categoryIds.0' });
    assertProblem(await platform({ scope: { merchantIds: [store.id, 'mer_nope'] } }), 400, { field: 'scope.merchantIds.1' });
    assertProblem(await platform({ scope: { brandIds: ['brd_nope'] } }), 400, { field: 'scope.brandIds.0' });
    assertProblem(await platform({ scope: { productIds: [lipstick.productId] } }), 400, { field: 'scope.productIds' });
    assertProblem(await platform({ endsAt: at(-2), startsAt: at(-1) }), 400, { field: 'endsAt' });
  });

  test('a store\'s coupons are its own: other stores and shoppers get 403, another store\'s coupon id 404', async () => {
    const mine = (await asStore(store, 'POST', '/coupons', threshold())).body;
    assertProblem(await http('POST', `/merchants/${store.id}/coupons`, { token: otherStore.owner.token, body: threshold() }), 403);
    assertProblem(await http('POST', `/merchants/${store.id}/coupons/${mine.id}/stop`, { token: otherStore.owner.token }), 403);
    assertProblem(await http('GET', `/merchants/${store.id}/coupons`, { token: otherStore.owner.token }), 403);
    assertProblem(await http('GET', `/merchants/${store.id}/coupons`, { token: shopper.token }), 403);
    assertProblem(await http('GET', `/merchants/${store.id}/coupons`), 401);
    assertProblem(await asStore(otherStore, 'POST', `/coupons/${mine.id}/stop`), 404);
    assertProblem(await http('POST', '/admin/coupons', { token: store.owner.token, body: threshold() }), 403);
    assertProblem(await http('POST', `/admin/coupons/${mine.id}/stop`, { token: store.owner.token }), 403);
    assertProblem(await asOperator('POST', `/admin/coupons/${mine.id}/stop`), 404, { code: 'not_found' });
    assertProblem(await http('POST', `/merchants/${store.id}/promotions`, { token: otherStore.owner.token, body: { kind: 'instant_discount', offer: { type: 'per_unit', off: cny(100) }, startsAt: at(-1), endsAt: at(1) } }), 403);
    assert.equal((await asStore(store, 'GET', '/coupons')).body.items.find((x: any) => x.id === mine.id).status, 'active');
  });

  test('claiming: per-person limit, codes ignore case, my coupons by status, stop and end', async () => {
    const c = (await asStore(store, 'POST', '/coupons', threshold())).body;
    const held = await claim(shopper, { code: c.code.toLowerCase() });
    assert.equal(held.status, 201, JSON.stringify(held.body));
    assert.match(held.body.id, /^clm_/);
    assert.deepEqual([held.body.couponId, held.body.status, held.body.title, held.body.source, held.body.merchantId], [c.id, 'held', '满300减40', 'claim', store.id]);
    assert.ok(held.body.merchantName.length > 0);

    const again = await claim(shopper, { code: c.code });
    assertProblem(again, 422, { field: 'code', code: 'coupon_not_applicable' });
    assert.equal(again.body.reason, 'per_user_limit');
    assert.equal(again.body.messageZh, '每人限领1张');
    assertProblem(await claim(shopper, { code: 'NOSUCHCODE' }), 404, { field: 'code' });
    assertProblem(await http('POST', '/me/coupons', { body: { code: c.code } }), 401);

    const two = (await asStore(store, 'POST', '/coupons', threshold({ perUserLimit: 2 }))).body;
    assert.equal((await claim(shopper, { code: two.code })).status, 201);
    assert.equal((await claim(shopper, { code: two.code })).status, 201);
    assert.equal((await claim(shopper, { code: two.code })).body.messageZh, '每人限领2张');

    // stopped: no more claims; held ones stay
    const other = await newShopper(server.http, 'late');
    const stopped = (await asStore(store, 'POST', `/coupons/${c.id}/stop`)).body;
    assert.deepEqual([stopped.status, stopped.state, stopped.claimed], ['stopped', 'stopped', 1]);
    const late = await claim(other, { code: c.code });
    assertProblem(late, 422, { field: 'code', code: 'coupon_not_applicable' });
    assert.deepEqual([late.body.reason, late.body.messageZh], ['stopped', '已停止发放']);

    // ended by its window: refused, and a held one shows as expired
    const ending = (await asStore(store, 'POST', '/coupons', threshold())).body;
    assert.equal((await claim(shopper, { code: ending.code })).status, 201);
    await db.query(`UPDATE coupons SET starts_at = now() - interval '2 days', ends_at = now() - interval '1 minute' WHERE id = $1`, [ending.id]);
    const ended = await claim(other, { code: ending.code });
    assert.deepEqual([ended.status, ended.body.reason, ended.body.messageZh], [422, 'ended', '活动已结束']);

    const mine = (await http('GET', '/me/coupons', { token: shopper.token })).body;
    assert.deepEqual(mine.counts, { held: 3, used: 0, expired: 1 });
    const heldOnes = (await http('GET', '/me/coupons?status=held', { token: shopper.token })).body;
    assert.deepEqual(heldOnes.items.map((x: any) => x.couponId).sort(), [c.id, two.id, two.id].sort(), 'a stopped coupon stays usable');
    assert.deepEqual((await http('GET', '/me/coupons?status=expired', { token: shopper.token })).body.items.map((x: any) => [x.couponId, x.status]), [[ending.id, 'expired']]);
    assert.equal((await http('GET', '/me/coupons?status=used', { token: shopper.token })).body.total, 0);
    assertProblem(await http('GET', '/me/coupons?status=lost', { token: shopper.token }), 400, { field: 'status' });
  });

  test('a code several stores use needs the store; the platform\'s coupon is the code alone', async () => {
    const shared = code('SHARED');
    const a = (await asStore(store, 'POST', '/coupons', threshold({ code: shared }))).body;
    const b = (await asStore(otherStore, 'POST', '/coupons', threshold({ code: shared }))).body;
    const buyer = await newShopper(server.http, 'shared');
    assertProblem(await claim(buyer, { code: shared }), 400, { field: 'merchantId' });
    assert.equal((await claim(buyer, { code: shared, merchantId: otherStore.id })).body.couponId, b.id);
    const p = (await asOperator('POST', '/admin/coupons', threshold({ code: shared }))).body;
    assert.equal((await claim(buyer, { code: shared })).body.couponId, p.id);
    assert.equal((await claim(buyer, { code: shared, merchantId: store.id })).body.couponId, a.id);
  });

  test('exactly totalQuantity of concurrent claims succeed', async () => {
    const c = (await asStore(store, 'POST', '/coupons', threshold({ totalQuantity: 5 }))).body;
    const buyers = await Promise.all(Array.from({ length: 12 }, (_, i) => newShopper(server.http, `rush${i}`)));
    const answers = await Promise.all(buyers.map((b) => claim(b, { code: c.code })));
    assert.equal(answers.filter((a) => a.status === 201).length, 5);
    const refused = answers.filter((a) => a.status !== 201);
    assert.equal(refused.length, 7);
    for (const a of refused) assert.deepEqual([a.status, a.body.code, a.body.reason, a.body.messageZh], [422, 'coupon_not_applicable', 'sold_out', '券已领完']);
    const listed = (await asStore(store, 'GET', '/coupons')).body.items.find((x: any) => x.id === c.id);
    assert.equal(listed.claimed, 5);
    // one shopper racing themselves: the per-person limit holds too
    const d = (await asStore(store, 'POST', '/coupons', threshold({ perUserLimit: 2 }))).body;
    const racer = await newShopper(server.http, 'racer');
    const mine = await Promise.all(Array.from({ length: 6 }, () => claim(racer, { code: d.code })));
    assert.equal(mine.filter((a) => a.status === 201).length, 2);
  });

  test('offers on a product: its store\'s and the platform\'s in scope, with whether the shopper holds or can claim them', async () => {
    const lipstickCat = await categoryOf('促销测试美妆');
    const bagCat = await categoryOf('促销测试箱包');
    const storeWide = (await asStore(store, 'POST', '/coupons', threshold())).body;
    const bagOnly = (await asStore(store, 'POST', '/coupons', threshold({ scope: { productIds: [bag.productId] } }))).body;
    const beauty = (await asOperator('POST', '/admin/coupons', { code: code('BEAUTY'), kind: 'no_threshold', off: cny(500), startsAt: at(-1), endsAt: at(3), scope: { categoryIds: [lipstickCat] }, totalQuantity: 10 })).body;
    const bags = (await asOperator('POST', '/admin/coupons', threshold({ scope: { categoryIds: [bagCat] } }))).body;
    const otherStores = (await asOperator('POST', '/admin/coupons', threshold({ scope: { merchantIds: [otherStore.id] } }))).body;
    const stopped = (await asStore(store, 'POST', '/coupons', threshold())).body;
    await asStore(store, 'POST', `/coupons/${stopped.id}/stop`);

    const anonymous = (await http('GET', `/coupons/offers?productId=${lipstick.productId}`)).body;
    const ids = anonymous.items.map((o: any) => o.id);
    assert.ok(ids.includes(storeWide.id) && ids.includes(beauty.id));
    for (const absent of [bagOnly.id, bags.id, otherStores.id, stopped.id]) assert.ok(!ids.includes(absent), absent);
    assert.ok(ids.indexOf(storeWide.id) < ids.indexOf(beauty.id), 'the store\'s coupons first');
    const offer = anonymous.items.find((o: any) => o.id === beauty.id);
    assert.deepEqual([offer.title, offer.remaining, offer.held, offer.canClaim, offer.whyNot.reason, offer.whyNot.messageZh], ['无门槛减5', 10, 0, false, 'sign_in', '登录后领取']);
    assert.deepEqual(offer.scope.categories, [{ id: lipstickCat, name: '促销测试美妆' }]);

    const buyer = await newShopper(server.http, 'offers');
    const before = (await http('GET', `/coupons/offers?productId=${lipstick.productId}`, { token: buyer.token })).body.items.find((o: any) => o.id === beauty.id);
    assert.deepEqual([before.canClaim, before.held, before.whyNot], [true, 0, undefined]);
    await claim(buyer, { code: beauty.code });
    const after = (await http('GET', `/coupons/offers?productId=${lipstick.productId}`, { token: buyer.token })).body.items.find((o: any) => o.id === beauty.id);
    assert.deepEqual([after.canClaim, after.held, after.remaining, after.whyNot.reason, after.whyNot.messageZh], [false, 1, 9, 'per_user_limit', '每人限领1张']);

    const byStore = (await http('GET', `/coupons/offers?merchantId=${store.id}`)).body.items.map((o: any) => o.id);
    assert.ok(byStore.includes(storeWide.id) && byStore.includes(bagOnly.id) && !byStore.includes(beauty.id) && !byStore.includes(otherStores.id));
    assert.ok((await http('GET', `/coupons/offers?merchantId=${otherStore.id}`)).body.items.some((o: any) => o.id === otherStores.id));
    assertProblem(await http('GET', '/coupons/offers'), 400, { field: 'productId' });
    assertProblem(await http('GET', '/coupons/offers?productId=prd_nope'), 404);
  });

  test('a crowd-targeted platform coupon: members claim it, others are told the condition', async () => {
    const member = await newShopper(server.http, 'member');
    const outsider = await newShopper(server.http, 'outsider');
    const category = `人群券测试${Date.now().toString(36)}/面霜`;
    const cream = await newProduct(server, store, [{ price: 8800, stock: 10 }], '面霜', { category });
    assert.equal((await http('POST', '/events', { token: member.token, body: { events: [{ type: 'view', productId: cream.productId }] } })).status, 202);
    const crowd = await asOperator('POST', '/admin/crowds', { name: '面霜浏览者', rule: { behavior: 'view', category } });
    assert.equal(crowd.status, 201, JSON.stringify(crowd.body));
    assert.equal(crowd.body.size, 1);

    const created = await asOperator('POST', '/admin/coupons', threshold({ crowdId: crowd.body.id, audienceLabel: '护肤新客' }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual([created.body.crowdId, created.body.crowdName, created.body.audience], [crowd.body.id, '面霜浏览者', { label: '护肤新客' }]);

    const offerFor = async (who: Session) => (await http('GET', `/coupons/offers?productId=${cream.productId}`, { token: who.token })).body.items.find((o: any) => o.id === created.body.id);
    const seenByOutsider = await offerFor(outsider);
    assert.deepEqual([seenByOutsider.canClaim, seenByOutsider.audience, seenByOutsider.whyNot.reason, seenByOutsider.whyNot.messageZh], [false, { label: '护肤新客' }, 'not_in_audience', '仅限护肤新客领取']);
    assert.equal((await offerFor(member)).canClaim, true);

    const refused = await claim(outsider, { code: created.body.code });
    assertProblem(refused, 422, { field: 'code', code: 'coupon_not_applicable' });
    assert.equal(refused.body.messageZh, '仅限护肤新客领取');
    assert.equal((await claim(member, { code: created.body.code })).status, 201);
    // a listed code the buyer may not claim is not offered to the engine either
    assert.deepEqual(await promotions.couponsFor(db, outsider.user.id, new Date(), [created.body.code]), []);
  });

  test('couponsFor gives engine coupons: held ones whatever their window, claimable listed codes as claim:<id>', async () => {
    const buyer = await newShopper(server.http, 'engine');
    const lipstickCat = await categoryOf('促销测试美妆');
    const storeCoupon = (await asStore(store, 'POST', '/coupons', threshold({ startsAt: at(2), endsAt: at(9), scope: { productIds: [lipstick.productId] } }))).body;
    const percent = (await asOperator('POST', '/admin/coupons', { code: code('PCT'), kind: 'percent', percentBps: 1500, startsAt: at(-1), endsAt: at(4), scope: { categoryIds: [lipstickCat] } })).body;
    const open = (await asOperator('POST', '/admin/coupons', { code: code('OPEN'), kind: 'no_threshold', off: cny(800), startsAt: at(-1), endsAt: at(4) })).body;
    const held = (await claim(buyer, { code: storeCoupon.code })).body;
    const heldPct = (await claim(buyer, { code: percent.code })).body;

    const now = new Date();
    const coupons = await promotions.couponsFor(db, buyer.user.id, now, [open.code.toLowerCase(), storeCoupon.code.toLowerCase(), 'NOPE123']);
    assert.deepEqual(coupons, [
      {
        kind: 'store_coupon', id: held.id, code: storeCoupon.code.toLowerCase(), merchantId: store.id, offer: { type: 'amount_off', threshold: 30000, off: 4000 },
        scope: { productIds: [lipstick.productId] }, title: '满300减40', startsAt: Date.parse(storeCoupon.startsAt), endsAt: Date.parse(storeCoupon.endsAt),
      },
      {
        kind: 'platform_coupon', id: heldPct.id, code: percent.code, offer: { type: 'percent_off', threshold: 0, percentBps: 1500, cap: null },
        scope: { categoryIds: [lipstickCat] }, title: '8.5折', startsAt: Date.parse(percent.startsAt), endsAt: Date.parse(percent.endsAt),
      },
      {
        kind: 'platform_coupon', id: `claim:${open.id}`, code: open.code.toLowerCase(), offer: { type: 'amount_off', threshold: 0, off: 800 },
        title: '无门槛减8', startsAt: Date.parse(open.startsAt), endsAt: Date.parse(open.endsAt),
      },
    ]);
    assert.deepEqual((await promotions.couponsFor(db, buyer.user.id, now)).map((c) => c.id), [held.id, heldPct.id], 'without codes: only held ones');
  });

  test('redeem marks claims used (claiming claim: ones), release returns them; figures follow', async () => {
    const buyer = await newShopper(server.http, 'redeem');
    const c = (await asStore(store, 'POST', '/coupons', threshold())).body;
    const p = (await asOperator('POST', '/admin/coupons', { code: code('PLAT'), kind: 'no_threshold', off: cny(1000), startsAt: at(-1), endsAt: at(4), totalQuantity: 3 })).body;
    const held = (await claim(buyer, { code: c.code })).body;
    const group = `grp_test${serial++}`;
    const [o1, o2] = [`ord_a${serial++}`, `ord_b${serial++}`];
    const result = await db.tx((sql) => promotions.redeem(sql, {
      buyerId: buyer.user.id, orderGroupId: group,
      uses: [{ couponId: held.id, orderId: o1, amount: 4000 }, { couponId: `claim:${p.id}`, orderId: o1, amount: 600 }, { couponId: `claim:${p.id}`, orderId: o2, amount: 400 }],
    }));
    const platformClaim = result.claims.find((x) => x.couponId === `claim:${p.id}`)!.claimId;
    assert.match(platformClaim, /^clm_/);
    // calling again for the same group is a no-op (idempotent per claim and order)
    await db.tx((sql) => promotions.redeem(sql, { buyerId: buyer.user.id, orderGroupId: group, uses: [{ couponId: held.id, orderId: o1, amount: 4000 }, { couponId: `claim:${p.id}`, orderId: o1, amount: 600 }, { couponId: `claim:${p.id}`, orderId: o2, amount: 400 }] }));

    const used = (await http('GET', '/me/coupons?status=used', { token: buyer.token })).body;
    assert.deepEqual(used.items.map((x: any) => [x.id, x.orderId]).sort(), [[held.id, o1], [platformClaim, o1]].sort());
    assert.deepEqual(used.counts, { held: 0, used: 2, expired: 0 });
    const figures = async () => {
      const s = (await asStore(store, 'GET', '/coupons')).body.items.find((x: any) => x.id === c.id);
      const q = (await asOperator('GET', '/admin/coupons')).body.items.find((x: any) => x.id === p.id);
      return [s.claimed, s.used, s.discountTotal.amount, q.claimed, q.used, q.discountTotal.amount];
    };
    assert.deepEqual(await figures(), [1, 1, 4000, 1, 1, 1000]);
    assert.deepEqual(await promotions.couponsFor(db, buyer.user.id, new Date()), [], 'used coupons are not offered again');

    // a held coupon used by another group is refused
    await assert.rejects(db.tx((sql) => promotions.redeem(sql, { buyerId: buyer.user.id, orderGroupId: 'grp_other', uses: [{ couponId: held.id, orderId: 'ord_other', amount: 1 }] })),
      (e: unknown) => e instanceof Problem && e.status === 422 && e.code === 'coupon_not_applicable' && (e.extra as any).reason === 'already_used');
    // someone else's coupon is not theirs to use
    const stranger = await newShopper(server.http, 'stranger');
    await assert.rejects(db.tx((sql) => promotions.redeem(sql, { buyerId: stranger.user.id, orderGroupId: 'grp_s', uses: [{ couponId: held.id, orderId: 'ord_s', amount: 1 }] })),
      (e: unknown) => e instanceof Problem && (e.extra as any).reason === 'not_held');

    // cancelling o1: the store coupon (only on o1) comes back; the platform coupon still has o2
    assert.deepEqual(await db.tx((sql) => promotions.release(sql, o1)), { returned: [held.id] });
    assert.deepEqual(await figures(), [1, 0, 0, 1, 1, 400]);
    assert.deepEqual(await db.tx((sql) => promotions.release(sql, o2)), { returned: [platformClaim] });
    assert.deepEqual(await db.tx((sql) => promotions.release(sql, o2)), { returned: [] }, 'releasing twice changes nothing');
    assert.deepEqual(await figures(), [1, 0, 0, 1, 0, 0]);
    const back = (await http('GET', '/me/coupons?status=held', { token: buyer.token })).body;
    assert.deepEqual(back.items.map((x: any) => x.id).sort(), [held.id, platformClaim].sort());
    assert.equal(back.items[0].orderId, undefined);
    // returned coupons are usable again
    await db.tx((sql) => promotions.redeem(sql, { buyerId: buyer.user.id, orderGroupId: 'grp_again', uses: [{ couponId: held.id, orderId: 'ord_again', amount: 4000 }] }));
    assert.deepEqual((await figures()).slice(0, 3), [1, 1, 4000]);
  });

  test('two orders using one held coupon at once: exactly one wins, the other rolls back whole', async () => {
    const buyer = await newShopper(server.http, 'race');
    const c = (await asStore(store, 'POST', '/coupons', threshold())).body;
    const extra = (await asOperator('POST', '/admin/coupons', { code: code('EXTRA'), kind: 'no_threshold', off: cny(100), startsAt: at(-1), endsAt: at(4), perUserLimit: 5 })).body;
    const held = (await claim(buyer, { code: c.code })).body;
    const order = (n: number) => db.tx((sql) => promotions.redeem(sql, {
      buyerId: buyer.user.id, orderGroupId: `grp_race${n}`,
      uses: [{ couponId: `claim:${extra.id}`, orderId: `ord_race${n}`, amount: 100 }, { couponId: held.id, orderId: `ord_race${n}`, amount: 4000 }],
    }));
    const outcomes = await Promise.allSettled([order(1), order(2)]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    assert.ok(lost.reason instanceof Problem && lost.reason.status === 422 && lost.reason.code === 'coupon_not_applicable', String(lost.reason));
    const platform = (await asOperator('GET', '/admin/coupons')).body.items.find((x: any) => x.id === extra.id);
    assert.deepEqual([platform.claimed, platform.used], [1, 1], 'the losing order\'s claim rolled back with it');
  });

  test('grant gives platform coupons within the budget, one per call, beside the claim limit', async () => {
    const buyer = await newShopper(server.http, 'member88');
    const other = await newShopper(server.http, 'member89');
    const monthly = (await asOperator('POST', '/admin/coupons', { code: code('VIP'), kind: 'no_threshold', off: cny(2000), startsAt: at(-1), endsAt: at(30), totalQuantity: 3 })).body;
    const grant = (buyerId: string, source: string, couponCode = monthly.code) => db.tx((sql) => promotions.grant(sql, { buyerId, couponCode, source }));
    const first = await grant(buyer.user.id, 'membership:vip:2025-06', monthly.code.toLowerCase());
    assert.match(first!.couponId, /^clm_/);
    const second = await grant(buyer.user.id, 'membership:vip:2025-06');
    assert.notEqual(second!.couponId, first!.couponId, 'each call gives one more (a plan may give two a month); perUserLimit is for claims');
    assert.equal((await claim(buyer, { code: monthly.code })).status, 201, 'nor do grants use up the claim');
    assert.equal(await grant(other.user.id, 'membership:vip:2025-06'), null, 'the budget of 3 is gone');
    const mine = (await http('GET', '/me/coupons?status=held', { token: buyer.token })).body.items.map((x: any) => x.source).sort();
    assert.deepEqual(mine, ['claim', 'membership:vip:2025-06', 'membership:vip:2025-06']);
    assert.equal((await asOperator('GET', '/admin/coupons')).body.items.find((x: any) => x.id === monthly.id).claimed, 3);
    await assert.rejects(grant(buyer.user.id, 'claim'), /source/);

    const stopped = (await asOperator('POST', '/admin/coupons', { code: code('STOP'), kind: 'no_threshold', off: cny(100), startsAt: at(-1), endsAt: at(3) })).body;
    await asOperator('POST', `/admin/coupons/${stopped.id}/stop`);
    assert.equal(await grant(buyer.user.id, 's', stopped.code), null);
    assert.equal(await grant(buyer.user.id, 's', 'NOSUCHCODE'), null);
    const storeOnly = (await asStore(store, 'POST', '/coupons', threshold())).body;
    assert.equal(await grant(buyer.user.id, 's', storeOnly.code), null, 'store coupons are not granted');
  });

  test('a membership plan\'s monthly allowance is granted as real platform coupons', async () => {
    const vip = (await asOperator('POST', '/admin/coupons', { code: code('VIPM'), kind: 'no_threshold', off: cny(2000), startsAt: at(-1), endsAt: at(30) })).body;
    const created = await asOperator('POST', '/admin/membership/plans', { name: `会员${serial++}`, fee: cny(8800), fullFee: cny(88800), eligibilityScore: 0, discountBps: 500, monthlyCoupons: [{ couponCode: vip.code, count: 2 }] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const member = await newShopper(server.http, 'vipm');
    const granted = await db.tx((sql) => grantAllowance(sql, promotions.grant, member.user.id, created.body as Plan, '2026-01'));
    assert.equal(granted, 2);
    const mine = (await http('GET', '/me/coupons?status=held', { token: member.token })).body.items;
    assert.deepEqual(mine.map((x: any) => [x.couponId, x.source]), [[vip.id, `membership:${created.body.id}:2026-01`], [vip.id, `membership:${created.body.id}:2026-01`]]);
    assert.equal(await db.tx((sql) => grantAllowance(sql, promotions.grant, member.user.id, created.body as Plan, '2026-01')), 0, 'membership keeps its own record: nothing twice');
  });

  test('cross-store reductions and instant discounts: creation, refusals, activeRules in engine shape, end, figures', async () => {
    const lipstickCat = await categoryOf('促销测试美妆');
    const reduction = await asOperator('POST', '/admin/promotions', { kind: 'cross_store_reduction', every: cny(30000), off: cny(5000), maxOff: cny(15000), startsAt: at(-1), endsAt: at(5) });
    assert.equal(reduction.status, 201, JSON.stringify(reduction.body));
    assert.deepEqual([reduction.body.title, reduction.body.fundedBy, reduction.body.every, reduction.body.off, reduction.body.maxOff, reduction.body.state], ['跨店每满300减50，最高减150', 'platform', cny(30000), cny(5000), cny(15000), 'running']);
    const instant = (await asOperator('POST', '/admin/promotions', { kind: 'instant_discount', fundedBy: 'platform', offer: { type: 'percent_off', percentBps: 500 }, scope: { categoryIds: [lipstickCat] }, startsAt: at(-1), endsAt: at(5), title: '美妆节立减' })).body;
    assert.deepEqual([instant.title, instant.titleEn, instant.scope.categories], ['美妆节立减', '5% off instantly', [{ id: lipstickCat, name: '促销测试美妆' }]]);
    const later = (await asOperator('POST', '/admin/promotions', { kind: 'cross_store_reduction', every: cny(20000), off: cny(2000), startsAt: at(3), endsAt: at(6) })).body;
    const storeOwn = await asStore(store, 'POST', '/promotions', { kind: 'instant_discount', offer: { type: 'per_unit', off: cny(1000) }, scope: { productIds: [lipstick.productId] }, startsAt: at(-1), endsAt: at(5) });
    assert.equal(storeOwn.status, 201, JSON.stringify(storeOwn.body));
    assert.deepEqual([storeOwn.body.title, storeOwn.body.fundedBy, storeOwn.body.merchantId], ['立减10元', 'merchant', store.id]);

    const refusals: [string, Record<string, unknown>, string][] = [
      ['/admin/promotions', { kind: 'cross_store_reduction', every: cny(5000), off: cny(5000), startsAt: at(-1), endsAt: at(1) }, 'off'],
      ['/admin/promotions', { kind: 'cross_store_reduction', every: cny(30000), off: cny(5000), maxOff: cny(100), startsAt: at(-1), endsAt: at(1) }, 'maxOff'],
      ['/admin/promotions', { kind: 'cross_store_reduction', off: cny(5000), startsAt: at(-1), endsAt: at(1) }, 'every'],
      ['/admin/promotions', { kind: 'cross_store_reduction', every: cny(30000), off: cny(0), startsAt: at(-1), endsAt: at(1) }, 'off.amount'],
      ['/admin/promotions', { kind: 'cross_store_reduction', every: cny(30000), off: cny(5000), startsAt: at(2), endsAt: at(1) }, 'endsAt'],
      ['/admin/promotions', { kind: 'instant_discount', offer: { type: 'per_unit', off: cny(100) }, startsAt: at(-1), endsAt: at(1) }, 'scope'],
      ['/admin/promotions', { kind: 'instant_discount', offer: { type: 'percent_off' }, scope: { categoryIds: [lipstickCat] }, startsAt: at(-1), endsAt: at(1) }, 'offer.percentBps'],
      ['/admin/promotions', { kind: 'instant_discount', offer: { type: 'percent_off', percentBps: 9901 }, scope: { categoryIds: [lipstickCat] }, startsAt: at(-1), endsAt: at(1) }, 'offer.percentBps'],
      ['/admin/promotions', { kind: 'instant_discount', scope: { categoryIds: [lipstickCat] }, startsAt: at(-1), endsAt: at(1) }, 'offer'],
      ['/admin/promotions', { kind: 'instant_discount', fundedBy: 'merchant', offer: { type: 'per_unit', off: cny(100) }, scope: { categoryIds: [lipstickCat] }, startsAt: at(-1), endsAt: at(1) }, 'fundedBy'],
      [`/merchants/${store.id}/promotions`, { kind: 'cross_store_reduction', every: cny(30000), off: cny(5000), startsAt: at(-1), endsAt: at(1) }, 'kind'],
      [`/merchants/${store.id}/promotions`, { kind: 'instant_discount', offer: { type: 'per_unit', off: cny(100) }, scope: { productIds: [foreign.productId] }, startsAt: at(-1), endsAt: at(1) }, 'scope.productIds.0'],
      [`/merchants/${store.id}/promotions`, { kind: 'instant_discount', offer: { type: 'per_unit', off: cny(100) }, scope: { categoryIds: [lipstickCat] }, startsAt: at(-1), endsAt: at(1) }, 'scope.categoryIds'],
    ];
    const count = async () => (await asOperator('GET', '/admin/promotions')).body.total + (await asStore(store, 'GET', '/promotions')).body.total;
    const before = await count();
    for (const [path, body, field] of refusals) assertProblem(await asOperator('POST', path, body), 400, { field, code: 'validation_failed' });
    assert.equal(await count(), before, 'nothing was saved');

    const now = new Date();
    const rules = await promotions.activeRules(now);
    const ours = rules.filter((r) => [reduction.body.id, instant.id, later.id, storeOwn.body.id].includes(r.id));
    assert.deepEqual(ours.sort((a, b) => a.id.localeCompare(b.id)), [
      { kind: 'cross_store_reduction', id: reduction.body.id, every: 30000, off: 5000, maxOff: 15000, title: '跨店每满300减50，最高减150', startsAt: Date.parse(reduction.body.startsAt), endsAt: Date.parse(reduction.body.endsAt) },
      { kind: 'instant_discount', id: instant.id, fundedBy: 'platform', offer: { type: 'percent_off', percentBps: 500 }, scope: { categoryIds: [lipstickCat] }, title: '美妆节立减', startsAt: Date.parse(instant.startsAt), endsAt: Date.parse(instant.endsAt) },
      { kind: 'instant_discount', id: storeOwn.body.id, fundedBy: 'merchant', offer: { type: 'per_unit', off: 1000 }, scope: { merchantIds: [store.id], productIds: [lipstick.productId] }, title: '立减10元', startsAt: Date.parse(storeOwn.body.startsAt), endsAt: Date.parse(storeOwn.body.endsAt) },
    ].sort((a, b) => a.id.localeCompare(b.id)), 'the later reduction is not active yet');
    assert.ok((await promotions.activeRules(new Date(Date.now() + 4 * DAY))).some((r) => r.id === later.id), 'it is at its window');

    // the product page shows what covers the product
    const offers = (await http('GET', `/coupons/offers?productId=${lipstick.productId}`)).body.promotions.map((p: any) => p.id);
    assert.ok(offers.includes(reduction.body.id) && offers.includes(instant.id) && offers.includes(storeOwn.body.id));
    assert.ok(!(await http('GET', `/coupons/offers?productId=${bag.productId}`)).body.promotions.some((p: any) => p.id === instant.id || p.id === storeOwn.body.id));

    // figures come from redemptions; a cancelled order stops counting
    await db.tx((sql) => promotions.redeem(sql, { buyerId: shopper.user.id, orderGroupId: 'grp_rules', uses: [], rules: [
      { ruleId: reduction.body.id, orderId: 'ord_r1', amount: 3000 }, { ruleId: reduction.body.id, orderId: 'ord_r2', amount: 2000 }, { ruleId: 'fls_not_ours', orderId: 'ord_r1', amount: 5 },
    ] }));
    const listed = async () => (await asOperator('GET', '/admin/promotions')).body.items.find((p: any) => p.id === reduction.body.id);
    assert.deepEqual([(await listed()).used, (await listed()).discountTotal], [2, cny(5000)]);
    await db.tx((sql) => promotions.release(sql, 'ord_r2'));
    assert.deepEqual([(await listed()).used, (await listed()).discountTotal], [1, cny(3000)]);

    // ending takes it out of the rules at once
    const ended = (await asOperator('POST', `/admin/promotions/${reduction.body.id}/end`)).body;
    assert.deepEqual([ended.status, ended.state], ['ended', 'ended']);
    assert.ok(!(await promotions.activeRules(new Date())).some((r) => r.id === reduction.body.id));
    assertProblem(await asStore(otherStore, 'POST', `/promotions/${storeOwn.body.id}/end`), 404);
    assert.equal((await asStore(store, 'POST', `/promotions/${storeOwn.body.id}/end`)).body.status, 'ended');
    assert.ok(!(await promotions.activeRules(new Date())).some((r) => r.id === storeOwn.body.id));
    await asOperator('POST', `/admin/promotions/${instant.id}/end`);
  });

  describe('through checkout (quote, POST /orders, cancel)', () => {
    const order = (who: Session, items: { skuId: string; quantity: number }[], couponCodes?: string[]) =>
      http('POST', '/orders', { token: who.token, body: { items, address: ADDRESS, ...(couponCodes ? { couponCodes } : {}) }, headers: { 'idempotency-key': `promo-${serial++}-${Date.now()}` } });
    const discountsOf = (answer: Answer) => answer.body.orders.flatMap((o: any) => o.lines.flatMap((l: any) => l.discounts.map((d: any) => [d.kind, d.amount.amount, d.fundedBy])));
    let phone: { productId: string; skuIds: string[] };
    before(async () => {
      phone = await newProduct(server, store, [{ price: 35000, stock: 100 }], '促销测试手机', { category: '促销测试数码/手机' });
    });

    test('a held store coupon is used by the order, and given back when the order is cancelled', async () => {
      const buyer = await newShopper(server.http, 'checkout');
      const c = (await asStore(store, 'POST', '/coupons', threshold({ scope: { productIds: [phone.productId] } }))).body;
      const held = (await claim(buyer, { code: c.code })).body;
      const quote = await http('POST', '/checkout/quote', { token: buyer.token, body: { items: [{ skuId: phone.skuIds[0], quantity: 1 }] } });
      assert.equal(quote.status, 200, JSON.stringify(quote.body));
      assert.deepEqual(quote.body.coupons.map((x: any) => [x.couponId, x.applied, x.amount.amount]), [[held.id, true, 4000]]);
      assert.equal(quote.body.payable.amount, 31000);

      const placed = await order(buyer, [{ skuId: phone.skuIds[0], quantity: 1 }]);
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      assert.deepEqual(discountsOf(placed), [['store_coupon', 4000, 'merchant']]);
      const orderId = placed.body.orders[0].id;
      const used = (await http('GET', '/me/coupons?status=used', { token: buyer.token })).body.items;
      assert.deepEqual(used.map((x: any) => [x.id, x.orderId]), [[held.id, orderId]]);
      const listed = async () => (await asStore(store, 'GET', '/coupons')).body.items.find((x: any) => x.id === c.id);
      assert.deepEqual([(await listed()).used, (await listed()).discountTotal.amount], [1, 4000]);

      assert.equal((await http('POST', `/orders/${orderId}/cancel`, { token: buyer.token })).status, 200);
      assert.deepEqual((await http('GET', '/me/coupons?status=held', { token: buyer.token })).body.items.map((x: any) => x.id), [held.id], 'returned on cancel');
      assert.deepEqual([(await listed()).used, (await listed()).discountTotal.amount], [0, 0]);
    });

    test('two concurrent orders naming one held coupon: exactly one is placed, the other is refused and places nothing', async () => {
      const buyer = await newShopper(server.http, 'double');
      const c = (await asStore(store, 'POST', '/coupons', threshold())).body;
      await claim(buyer, { code: c.code });
      const stockBefore = (await http('GET', `/products/${phone.productId}`)).body.skus[0].stock;
      const answers = await Promise.all([1, 2].map(() => order(buyer, [{ skuId: phone.skuIds[0], quantity: 1 }], [c.code])));
      assert.deepEqual(answers.map((a) => a.status).sort(), [201, 422], JSON.stringify(answers.map((a) => a.body)));
      const lost = answers.find((a) => a.status === 422)!;
      assertProblem(lost, 422, { code: 'coupon_not_applicable' });
      assert.equal((await http('GET', `/products/${phone.productId}`)).body.skus[0].stock, stockBefore - 1, 'the refused order reserved nothing');
      const orders = (await http('GET', '/orders', { token: buyer.token })).body;
      assert.equal(orders.total ?? orders.items.length, 1);
    });

    test('a code the buyer does not hold is claimed when the order is placed, within the budget', async () => {
      const p = (await asOperator('POST', '/admin/coupons', { code: code('ATORDER'), kind: 'no_threshold', off: cny(1500), startsAt: at(-1), endsAt: at(3), totalQuantity: 1 })).body;
      const first = await newShopper(server.http, 'atorder1');
      const second = await newShopper(server.http, 'atorder2');
      const placed = await order(first, [{ skuId: bag.skuIds[0], quantity: 1 }], [p.code.toLowerCase()]);
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      assert.deepEqual(discountsOf(placed), [['platform_coupon', 1500, 'platform']]);
      const mine = (await http('GET', '/me/coupons?status=used', { token: first.token })).body.items;
      assert.deepEqual(mine.map((x: any) => [x.couponId, x.orderId, x.source]), [[p.id, placed.body.orders[0].id, 'claim']]);
      // the budget of one is gone: the next shopper's code does not apply
      assertProblem(await order(second, [{ skuId: bag.skuIds[0], quantity: 1 }], [p.code]), 422, { code: 'coupon_not_applicable' });
    });

    test('cross-store reductions and instant discounts price orders and count in the figures', async () => {
      const buyer = await newShopper(server.http, 'rules');
      const reduction = (await asOperator('POST', '/admin/promotions', { kind: 'cross_store_reduction', every: cny(10000), off: cny(1000), startsAt: at(-1), endsAt: at(1), scope: { merchantIds: [store.id, otherStore.id] } })).body;
      const instant = (await asStore(otherStore, 'POST', '/promotions', { kind: 'instant_discount', offer: { type: 'per_unit', off: cny(500) }, scope: { productIds: [foreign.productId] }, startsAt: at(-1), endsAt: at(1) })).body;
      // bag 599 + foreign 99 x 2 = 797: the store-side instant discount 10 off, then 7 x 10 off across stores
      const placed = await order(buyer, [{ skuId: bag.skuIds[0], quantity: 1 }, { skuId: foreign.skuIds[0], quantity: 2 }]);
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const kinds = discountsOf(placed);
      const total = (kind: string) => kinds.filter((d: any) => d[0] === kind).reduce((a: number, d: any) => a + d[1], 0);
      assert.equal(total('instant_discount'), 1000);
      assert.equal(total('cross_store_reduction'), 7000);
      const admin = (await asOperator('GET', '/admin/promotions')).body.items.find((x: any) => x.id === reduction.id);
      assert.deepEqual([admin.used, admin.discountTotal.amount], [2, 7000], 'one use per order of the group');
      const own = (await asStore(otherStore, 'GET', '/promotions')).body.items.find((x: any) => x.id === instant.id);
      assert.deepEqual([own.used, own.discountTotal.amount], [1, 1000]);
      await asOperator('POST', `/admin/promotions/${reduction.id}/end`);
      await asStore(otherStore, 'POST', `/promotions/${instant.id}/end`);
    });
  });

  test('operator actions are audited, in the operator console and in a store they are not staff of', async () => {
    const audited = async () => (await asOperator('GET', '/admin/audit?pageSize=100')).body.items as { action: string; target: string; actorId: string }[];
    const p = (await asOperator('POST', '/admin/coupons', threshold())).body;
    await asOperator('POST', `/admin/coupons/${p.id}/stop`);
    const r = (await asOperator('POST', '/admin/promotions', { kind: 'cross_store_reduction', every: cny(10000), off: cny(1000), startsAt: at(-1), endsAt: at(1) })).body;
    await asOperator('POST', `/admin/promotions/${r.id}/end`);
    const inStore = await asOperator('POST', `/merchants/${store.id}/coupons`, threshold());
    assert.equal(inStore.status, 201);
    const own = (await asStore(store, 'POST', '/coupons', threshold())).body;
    const log = await audited();
    const has = (action: string, target: string) => log.some((e) => e.action === action && e.target === target && e.actorId === server.operator.user.id);
    assert.ok(has('promotions.coupon_created', p.id));
    assert.ok(has('promotions.coupon_stopped', p.id));
    assert.ok(has('promotions.promotion_created', r.id));
    assert.ok(has('promotions.promotion_ended', r.id));
    assert.ok(has('promotions.coupon_created', inStore.body.id));
    assert.ok(!log.some((e) => e.target === own.id), 'a store\'s own staff are not audited');
  });
});
