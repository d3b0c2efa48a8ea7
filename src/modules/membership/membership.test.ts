import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADDRESS, type Answer, assertProblem, buyAndPay, newProduct, newShopper, newStore, type Session, startTestServer, type TestServer, type TestStore, trialBalanceTotal } from '../../testing/harness.ts';
import { scopeNames, scopeOptions } from '../catalog/scope-names.ts';
import type { SellableSku } from '../catalog/service.ts';
import type { GrantCoupon } from './allowance.ts';
import { shanghaiMonth } from './allowance.ts';
import { bestMemberPrice, memberPrice } from './member-prices.ts';
import type { Plan } from './plans.ts';
import { loyaltyScore, SCORE_FORMULA, SCORE_RULE } from './score.ts';
import { createMembershipService, MEMBERSHIP_FEES, MEMBERSHIP_PURPOSE, type MembershipService } from './service.ts';

const DAY_MS = 86_400_000;
const yuan = (amount: number) => ({ amount: amount * 100, currency: 'CNY' });
let keys = 0;
const key = () => ({ 'idempotency-key': `mbr-${Date.now()}-${keys++}` });


test('the loyalty score: 1 point per ¥10 paid, 20 per order up to 50 orders, capped; the formula says the same', () => {
  assert.equal(loyaltyScore({ orders: 0, gmv: 0 }), 0);
  assert.equal(loyaltyScore({ orders: 1, gmv: 999 }), 20); // under ¥10 earns no spend point
  assert.equal(loyaltyScore({ orders: 3, gmv: 123_456 }), 123 + 60);
  assert.equal(loyaltyScore({ orders: 80, gmv: 0 }), 50 * 20); // orders past 50 add nothing
  assert.equal(loyaltyScore({ orders: 50, gmv: 100_000_000 }), SCORE_RULE.cap);
  assert.match(SCORE_FORMULA.zh, /每实付 ¥10 得 1 分，每笔订单得 20 分（最多计 50 笔），总分上限 3000 分/);
  assert.match(SCORE_FORMULA.en, /1 point per ¥10 paid plus 20 points per order/);
});

test('a month is the calendar month in Asia/Shanghai', () => {
  assert.equal(shanghaiMonth(new Date('2025-01-31T15:59:59Z')), '2025-01');
  assert.equal(shanghaiMonth(new Date('2025-01-31T16:00:00Z')), '2025-02'); // 00:00 on 1 Feb in Shanghai
  assert.equal(shanghaiMonth(new Date('2024-12-31T16:00:00Z')), '2025-01');
});

test('the member price shown: the best plan on sale whose scope (the engine\'s rule) covers a sellable SKU', () => {
  const sku = (skuId: string, price: number, over: Partial<SellableSku> = {}): SellableSku => ({
    skuId, productId: 'p1', merchantId: 'm1', merchantName: '', merchantKind: 'marketplace', commissionRateBps: 0, title: '', titleEn: '', attributes: {},
    price, sellable: true, categoryIds: ['beauty', 'makeup', 'lipstick'], brandId: 'b1', ...over,
  });
  const plan = (id: string, discountBps: number, scope: Plan['scope'], active = true): Plan => ({
    id, name: id, fee: 0, fullFee: 0, eligibilityScore: 0, discountBps, scope, monthlyCoupons: [], durationDays: 365, active, createdAt: new Date(), updatedAt: new Date(),
  });
  const skus = [sku('s2', 5990), sku('s1', 32000), sku('s3', 100, { sellable: false })];
  const price = (plans: Plan[]) => bestMemberPrice('p1', skus, plans);
  assert.equal(price([plan('brands-in-m2', 900, { merchantIds: ['m2'], brandIds: ['b1'] })]), undefined, 'every list given must match');
  assert.equal(price([plan('brands-or-m2', 900, { merchantIds: ['m2'], brandIds: ['b1'], match: 'any' })])?.planId, 'brands-or-m2', 'with match any, one list is enough');
  assert.equal(price([plan('food', 900, { categoryIds: ['food'] })]), undefined);
  assert.equal(price([plan('off-sale', 900, {}, false)]), undefined);
  const best = price([plan('vip', 500, { categoryIds: ['beauty'], merchantIds: ['m2', 'm1'] }), plan('svip', 1000, { brandIds: ['b1'] }), plan('all', 1000, {})]);
  assert.deepEqual([best?.planId, best?.price.amount, best?.memberPrice.amount], ['svip', 5990, 5391]);
  assert.deepEqual(best?.skus.map((s) => [s.skuId, s.memberPrice.amount]), [['s2', 5391], ['s1', 28800]], 'an unsellable SKU is left out');
  assert.equal(memberPrice(32000, 500), 30400);
  assert.equal(memberPrice(5990, 500), 5691); // the discount rounds down, as the engine's member step
});

describe('membership over HTTP and in process', () => {
  let server: TestServer;
  let supermarket: TestStore;
  let boutique: TestStore;
  let rice: { productId: string; skuIds: string[] };
  let lipstick: { productId: string; skuIds: string[] };
  let tshirt: { productId: string; skuIds: string[] };
  let brandId: string;
  let riceBrandId: string;
  let plan: any;
  const http = (...args: Parameters<TestServer['http']>) => server.http(...args);
  const asOperator = (method: string, path: string, body?: unknown) => http(method, path, { token: server.operator.token, body });
  const membership = () => server.app.context.services.membership;
  const db = () => server.app.context.db;

  const planBody = (over: Record<string, unknown> = {}) => ({
    name: '88VIP', fee: yuan(88), fullFee: yuan(888), eligibilityScore: 50, discountBps: 500,
    scope: { merchantIds: [supermarket.id, boutique.id], brandIds: [brandId, riceBrandId] }, monthlyCoupons: [{ couponCode: 'VIP-MONTHLY-20', count: 2 }, { couponCode: 'VIP-FREESHIP', count: 1 }],
    durationDays: 365, ...over,
  });

  async function buy(shopper: Session, planId = plan.id) {
    const purchase = await http('POST', '/me/memberships', { token: shopper.token, body: { planId }, headers: key() });
    assert.equal(purchase.status, 201, JSON.stringify(purchase.body));
    return purchase.body;
  }

  async function openPayment(shopper: Session, purchaseId: string) {
    const payment = await http('POST', '/payments', { token: shopper.token, body: { purpose: MEMBERSHIP_PURPOSE, payableId: purchaseId, provider: 'sandbox' }, headers: key() });
    assert.equal(payment.status, 201, JSON.stringify(payment.body));
    return payment.body;
  }

  async function buyAndPayMembership(shopper: Session, planId = plan.id) {
    const purchase = await buy(shopper, planId);
    const payment = await openPayment(shopper, purchase.id);
    const paid = await http('POST', `/payments/${payment.id}/sandbox/pay`, { token: shopper.token });
    assert.equal(paid.body.status, 'succeeded', JSON.stringify(paid.body));
    return { purchase, payment: paid.body };
  }

  const myMembership = async (shopper: Session) => (await http('GET', '/me/membership', { token: shopper.token })).body;

  /** A shopper whose paid orders earn them exactly `score` points (one order of (score - 20) * ¥10). */
  async function shopperWithScore(score: number) {
    const shopper = await newShopper(server.http, 'loyal');
    const product = await newProduct(server, boutique, [{ price: (score - 20) * 1000, stock: 5 }], '积分商品', { brand: '别的品牌' });
    await buyAndPay(server.http, shopper, [{ skuId: product.skuIds[0], quantity: 1 }]);
    return shopper;
  }

  before(async () => {
    server = await startTestServer({ QUANYU_SANDBOX_PAYMENT_KEY: 'test-key' });
    supermarket = await newStore(server, 'self_operated');
    boutique = await newStore(server);
    rice = await newProduct(server, supermarket, [{ price: 5990, stock: 100 }, { price: 9990, stock: 100 }], '五常大米', { category: '粮油/大米', brand: '五常' });
    lipstick = await newProduct(server, boutique, [{ price: 32000, stock: 100 }], '丝绒口红', { category: '美妆/彩妆/口红', brand: '雅诗兰黛测试' });
    tshirt = await newProduct(server, boutique, [{ price: 9900, stock: 100 }], '纯棉T恤', { category: '服饰/上衣', brand: '无名' });
    const options = await asOperator('GET', '/admin/membership/scope-options');
    brandId = options.body.brands.find((b: any) => b.name === '雅诗兰黛测试').id;
    riceBrandId = options.body.brands.find((b: any) => b.name === '五常').id;
    const created = await asOperator('POST', '/admin/membership/plans', planBody());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    plan = created.body;
  });
  after(() => server.close());

  test('operators create, list and change plans (audited); others get 401/403', async () => {
    assert.equal(plan.fee.amount, 8800);
    assert.equal(plan.fullFee.amount, 88800);
    assert.deepEqual(plan.scope, { merchantIds: [supermarket.id, boutique.id], brandIds: [brandId, riceBrandId] });
    assert.deepEqual(plan.scopeNames.brands.map((b: any) => b.name).sort(), ['五常', '雅诗兰黛测试']);
    assert.deepEqual(plan.scopeNames.merchants.map((m: any) => m.id).sort(), [supermarket.id, boutique.id].sort());
    assert.equal(plan.active, true);

    const shopper = await newShopper(server.http);
    assertProblem(await http('POST', '/admin/membership/plans', { token: shopper.token, body: planBody() }), 403);
    assertProblem(await http('GET', '/admin/membership/plans', { token: shopper.token }), 403);
    assertProblem(await http('PATCH', `/admin/membership/plans/${plan.id}`, { token: shopper.token, body: { active: false } }), 403);
    assertProblem(await http('GET', '/admin/membership/scope-options', { token: shopper.token }), 403);
    assertProblem(await http('POST', '/admin/membership/plans', { body: planBody() }), 401);
    assertProblem(await http('GET', '/me/membership'), 401);

    const side = await asOperator('POST', '/admin/membership/plans', planBody({ name: '试用卡', scope: {}, monthlyCoupons: [], durationDays: 30 }));
    assert.equal(side.status, 201);
    const patched = await asOperator('PATCH', `/admin/membership/plans/${side.body.id}`, { discountBps: 300, active: false });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual([patched.body.discountBps, patched.body.active, patched.body.name, patched.body.fee.amount], [300, false, '试用卡', 8800]);
    const listed = await asOperator('GET', '/admin/membership/plans');
    assert.ok(listed.body.items.some((p: any) => p.id === side.body.id && p.active === false && p.memberCount === 0));
    assert.ok(!(await http('GET', '/membership/plans')).body.items.some((p: any) => p.id === side.body.id), 'an inactive plan is not on sale');
    const shopperBuys = await http('POST', '/me/memberships', { token: shopper.token, body: { planId: side.body.id }, headers: key() });
    assertProblem(shopperBuys, 422);

    const audit = await asOperator('GET', '/admin/audit?pageSize=50');
    const actions = audit.body.items.filter((a: any) => a.target === side.body.id).map((a: any) => a.action);
    assert.deepEqual(actions.sort(), ['membership.plan.create', 'membership.plan.update']);
    assert.equal(audit.body.items.find((a: any) => a.target === side.body.id && a.action === 'membership.plan.create').actorId, server.operator.user.id);
  });

  test('plan validation names the field and writes nothing', async () => {
    const before = (await asOperator('GET', '/admin/membership/plans')).body.items.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ fee: { amount: -1, currency: 'CNY' } }, 'fee.amount'],
      [{ fullFee: { amount: 100.5, currency: 'CNY' } }, 'fullFee.amount'],
      [{ discountBps: 0 }, 'discountBps'],
      [{ discountBps: 5001 }, 'discountBps'],
      [{ eligibilityScore: -5 }, 'eligibilityScore'],
      [{ eligibilityScore: SCORE_RULE.cap + 1 }, 'eligibilityScore'],
      [{ fee: yuan(100), fullFee: yuan(88) }, 'fullFee'],
      [{ durationDays: 0 }, 'durationDays'],
      [{ name: '   ' }, 'name'],
      [{ scope: { brandIds: [brandId, 'brd_nope'] } }, 'scope.brandIds.1'],
      [{ scope: { merchantIds: ['mch_nope'] } }, 'scope.merchantIds.0'],
      [{ scope: { categoryIds: ['cat_nope'] } }, 'scope.categoryIds.0'],
      [{ monthlyCoupons: [{ couponCode: 'A', count: 1 }, { couponCode: 'A', count: 2 }] }, 'monthlyCoupons.1.couponCode'],
      [{ monthlyCoupons: [{ couponCode: 'A', count: 0 }] }, 'monthlyCoupons.0.count'],
    ];
    for (const [over, field] of cases) assertProblem(await asOperator('POST', '/admin/membership/plans', planBody(over)), 400, { field: field });
    const { name, ...noName } = planBody();
    assertProblem(await asOperator('POST', '/admin/membership/plans', noName), 400, { field: 'name' });
    assertProblem(await asOperator('PATCH', `/admin/membership/plans/${plan.id}`, { fullFee: yuan(1) }), 400, { field: 'fullFee' });
    assertProblem(await asOperator('PATCH', `/admin/membership/plans/${plan.id}`, {}), 400);
    assertProblem(await asOperator('PATCH', '/admin/membership/plans/mpl_nope', { active: false }), 404);
    assert.equal((await asOperator('GET', '/admin/membership/plans')).body.items.length, before);
    assert.equal((await asOperator('GET', '/admin/membership/plans')).body.items.find((p: any) => p.id === plan.id).fullFee.amount, 88800);
  });

  test('my score counts what paid orders paid net of refunds, not cancelled ones; the fee follows eligibility', async () => {
    const shopper = await newShopper(server.http);
    const fresh = await myMembership(shopper);
    assert.equal(fresh.score.value, 0);
    assert.deepEqual(fresh.formula, SCORE_FORMULA);
    assert.equal(fresh.plans.find((p: any) => p.id === plan.id).feeForMe.amount, 88800);
    assert.equal(fresh.plans.find((p: any) => p.id === plan.id).eligible, false);

    const { group } = await buyAndPay(server.http, shopper, [{ skuId: tshirt.skuIds[0], quantity: 3 }]); // ¥297 in one order: 29 + 20
    const second = await buyAndPay(server.http, shopper, [{ skuId: tshirt.skuIds[0], quantity: 1 }]); // ¥99: 9 + 20
    const after2 = await myMembership(shopper);
    assert.deepEqual([after2.score.value, after2.score.orders, after2.score.gmv.amount], [39 + 2 * 20, 2, 39600]);
    const mine = after2.plans.find((p: any) => p.id === plan.id);
    assert.deepEqual([mine.eligible, mine.feeForMe.amount], [true, 8800]);

    // an unpaid order counts nothing; a refunded unit takes its spend back; cancelling a paid order (refunded) takes the order back
    await http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId: tshirt.skuIds[0], quantity: 5 }], address: ADDRESS }, headers: key() });
    assert.equal((await myMembership(shopper)).score.value, 79);
    const refunded = await http('POST', `/orders/${group.orders[0].id}/refunds`, { token: shopper.token, body: { lines: [{ lineNo: 1, quantity: 1 }] }, headers: key() });
    assert.equal(refunded.status, 201, JSON.stringify(refunded.body));
    const afterRefund = await myMembership(shopper);
    assert.deepEqual([afterRefund.score.value, afterRefund.score.orders, afterRefund.score.gmv.amount], [29 + 2 * 20, 2, 29700]);
    assert.equal((await http('POST', `/orders/${second.group.orders[0].id}/cancel`, { token: shopper.token })).status, 200);
    const afterCancel = await myMembership(shopper);
    assert.deepEqual([afterCancel.score.value, afterCancel.score.orders], [19 + 20, 1]);
    assert.equal(afterCancel.plans.find((p: any) => p.id === plan.id).feeForMe.amount, 88800, 'below 50 the full fee applies again');

    // the purchase is priced by the score when it is made
    const full = await buy(shopper);
    assert.deepEqual([full.amount.amount, full.score, full.status], [88800, 39, 'pending_payment']);
    const eligible = await shopperWithScore(50);
    const cheap = await buy(eligible);
    assert.deepEqual([cheap.amount.amount, cheap.score], [8800, 50]);
  });

  test('buy → pay in the sandbox → member; the purchase is idempotent and the discount the same for every member', async () => {
    const shopper = await shopperWithScore(60);
    const headers = key();
    const first = await http('POST', '/me/memberships', { token: shopper.token, body: { planId: plan.id }, headers });
    const replay = await http('POST', '/me/memberships', { token: shopper.token, body: { planId: plan.id }, headers });
    assert.equal(first.status, 201);
    assert.equal(replay.body.id, first.body.id);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assertProblem(await http('POST', '/me/memberships', { token: shopper.token, body: { planId: 'mpl_other' }, headers }), 409);

    const before = Date.now();
    assert.equal(await membership().membershipOf(db(), shopper.user.id, new Date()), undefined);
    const stranger = await newShopper(server.http);
    assertProblem(await http('POST', '/payments', { token: stranger.token, body: { purpose: MEMBERSHIP_PURPOSE, payableId: first.body.id, provider: 'sandbox' }, headers: key() }), 403);
    assertProblem(await http('POST', '/payments', { token: shopper.token, body: { purpose: 'nonsense', payableId: first.body.id, provider: 'sandbox' }, headers: key() }), 400, { field: 'purpose' });
    assertProblem(await http('POST', '/payments', { token: shopper.token, body: { payableId: first.body.id, provider: 'sandbox' }, headers: key() }), 400, { field: 'purpose' });
    assertProblem(await http('GET', `/me/membership/purchases/${first.body.id}`, { token: stranger.token }), 404);

    const payment = await openPayment(shopper, first.body.id);
    assert.deepEqual([payment.purpose, payment.payableId, payment.amount.amount, payment.orderGroupId], [MEMBERSHIP_PURPOSE, first.body.id, 8800, undefined]);
    const paid = await http('POST', `/payments/${payment.id}/sandbox/pay`, { token: shopper.token });
    assert.equal(paid.body.status, 'succeeded');

    const purchase = (await http('GET', `/me/membership/purchases/${first.body.id}`, { token: shopper.token })).body;
    assert.deepEqual([purchase.status, purchase.payment.status], ['paid', 'succeeded']);
    const me = await myMembership(shopper);
    assert.equal(me.memberships.length, 1);
    const m = me.memberships[0];
    assert.deepEqual([m.planId, m.planName, m.status], [plan.id, '88VIP', 'active']);
    const until = Date.parse(m.until);
    assert.ok(until >= before + 365 * DAY_MS && until <= Date.now() + 365 * DAY_MS, m.until);
    assert.equal(Date.parse(purchase.periodEnd), until);

    const expected = { planId: plan.id, discountBps: 500, scope: { merchantIds: [supermarket.id, boutique.id], brandIds: [brandId, riceBrandId] } };
    assert.deepEqual(await membership().membershipOf(db(), shopper.user.id, new Date()), expected);
    const other = await shopperWithScore(3000);
    await buyAndPayMembership(other);
    assert.deepEqual(await membership().membershipOf(db(), other.user.id, new Date()), expected, 'never profile-priced: every member gets the plan as it is');

    // no second payment for a paid purchase
    assertProblem(await http('POST', '/payments', { token: shopper.token, body: { purpose: MEMBERSHIP_PURPOSE, payableId: first.body.id, provider: 'sandbox' }, headers: key() }), 409);
  });

  test('a replayed or repeated notification, or a second payment, never extends twice; the ledger balances with fee revenue', async () => {
    const { sandbox } = server.app.context;
    const shopper = await shopperWithScore(100);
    const purchase = await buy(shopper);
    const payment = await openPayment(shopper, purchase.id);
    const spare = await openPayment(shopper, purchase.id); // opened before the first is paid
    const third = await openPayment(shopper, purchase.id);
    const notice = sandbox.signedNotification({ id: payment.id, amount: payment.amount.amount });
    for (let i = 0; i < 2; i++) assert.equal((await http('POST', '/payments/notify/sandbox', { raw: notice.body, headers: notice.headers })).status, 200);
    const repeated = sandbox.signedNotification({ id: payment.id, amount: payment.amount.amount }); // a new event id for the same payment
    assert.equal((await http('POST', '/payments/notify/sandbox', { raw: repeated.body, headers: repeated.headers })).status, 200);
    const until = (await myMembership(shopper)).memberships[0].until;

    const cashBefore = await server.app.context.services.ledger.balanceOf(db(), 'cash:sandbox');
    await http('POST', `/payments/${spare.id}/sandbox/pay`, { token: shopper.token });
    await http('POST', `/payments/${third.id}/sandbox/pay`, { token: shopper.token });
    for (const extra of [spare, third]) assert.equal((await http('GET', `/payments/${extra.id}`, { token: shopper.token })).body.status, 'refunded');
    assert.equal(await server.app.context.services.ledger.balanceOf(db(), 'cash:sandbox'), cashBefore, 'every extra payment went back, not only the first');
    assert.equal((await http('GET', `/payments/${payment.id}`, { token: shopper.token })).body.status, 'succeeded');
    const me = await myMembership(shopper);
    assert.equal(me.memberships[0].until, until);
    assert.equal(me.purchases.filter((p: any) => p.status === 'paid').length, 1);

    const tb = (await asOperator('GET', '/admin/ledger/trial-balance')).body;
    assert.equal(tb.total.amount, 0);
    const fees = tb.accounts.find((a: any) => a.account === MEMBERSHIP_FEES).balance.amount;
    const admin = (await asOperator('GET', '/admin/membership/plans')).body;
    const revenue = admin.items.reduce((a: number, p: any) => a + p.feeRevenue.amount, 0);
    assert.ok(revenue >= 8800 * 3);
    assert.equal(-fees, revenue, 'fee revenue in the ledger is what paid purchases paid');
    assert.equal(admin.feeRevenue.amount, revenue);
    assert.ok(admin.items.find((p: any) => p.id === plan.id).memberCount >= 3);
  });

  test('an unpaid purchase closes after its window; a payment landing later goes back', async () => {
    const shopper = await shopperWithScore(200);
    const purchase = await buy(shopper);
    const late = await openPayment(shopper, purchase.id);
    assert.ok(Date.parse(purchase.expiresAt) - Date.parse(purchase.createdAt) === 30 * 60_000);
    assert.ok(!(await membership().closeExpiredPurchases(new Date(Date.parse(purchase.expiresAt) - 1000))).includes(purchase.id));
    const closed = await membership().closeExpiredPurchases(new Date(Date.parse(purchase.expiresAt) + 1000));
    assert.ok(closed.includes(purchase.id));
    assert.equal((await http('GET', `/me/membership/purchases/${purchase.id}`, { token: shopper.token })).body.status, 'closed');
    assertProblem(await http('POST', '/payments', { token: shopper.token, body: { purpose: MEMBERSHIP_PURPOSE, payableId: purchase.id, provider: 'sandbox' }, headers: key() }), 409);

    await http('POST', `/payments/${late.id}/sandbox/pay`, { token: shopper.token });
    assert.equal((await http('GET', `/payments/${late.id}`, { token: shopper.token })).body.status, 'refunded');
    assert.deepEqual((await myMembership(shopper)).memberships, []);
    assert.equal(await trialBalanceTotal(server), 0);
  });

  test('renewal extends from the current end; after the end membershipOf answers nothing', async () => {
    const shopper = await shopperWithScore(80);
    await buyAndPayMembership(shopper);
    const first = (await myMembership(shopper)).memberships[0];
    const { purchase } = await buyAndPayMembership(shopper);
    const renewed = (await myMembership(shopper)).memberships[0];
    assert.equal(renewed.since, first.since);
    assert.equal(Date.parse(renewed.until), Date.parse(first.until) + 365 * DAY_MS);
    const bought = (await http('GET', `/me/membership/purchases/${purchase.id}`, { token: shopper.token })).body;
    assert.deepEqual([bought.periodStart, bought.periodEnd], [first.until, renewed.until]);

    const end = Date.parse(renewed.until);
    assert.ok(await membership().membershipOf(db(), shopper.user.id, new Date(end - 1)));
    assert.equal(await membership().membershipOf(db(), shopper.user.id, new Date(end)), undefined);
    assert.equal(await membership().membershipOf(db(), shopper.user.id, new Date(Date.parse(first.since) - 1)), undefined);
  });

  test('member prices beside list prices, for products in scope only, the same for everyone', async () => {
    const ids = [rice.productId, lipstick.productId, tshirt.productId].join(',');
    const anonymous = await http('GET', `/membership/member-prices?productIds=${ids}`);
    const member = await shopperWithScore(300);
    await buyAndPayMembership(member);
    const signedIn = await http('GET', `/membership/member-prices?productIds=${ids}`, { token: member.token });
    assert.deepEqual(signedIn.body, anonymous.body);
    const byId = new Map(anonymous.body.items.map((i: any) => [i.productId, i]));
    assert.equal(byId.has(tshirt.productId), false, 'an eligible store, but not an eligible brand');
    const r: any = byId.get(rice.productId);
    assert.deepEqual([r.planName, r.price.amount, r.memberPrice.amount], ['88VIP', 5990, 5990 - Math.floor(5990 * 500 / 10000)]);
    assert.deepEqual(r.skus.map((s: any) => [s.price.amount, s.memberPrice.amount]), [[5990, 5691], [9990, 9491]]);
    assert.equal((byId.get(lipstick.productId) as any).memberPrice.amount, 30400);
    assertProblem(await http('GET', `/membership/member-prices?productIds=${Array.from({ length: 101 }, (_, i) => `p${i}`).join(',')}`), 400, { field: 'productIds' });
  });

  test('checkout takes the member discount off in-scope lines for members only (platform-funded), and the books balance', async () => {
    const member = await shopperWithScore(90);
    await buyAndPayMembership(member);
    const stranger = await newShopper(server.http);
    const items = [{ skuId: rice.skuIds[0], quantity: 2 }, { skuId: tshirt.skuIds[0], quantity: 1 }];
    const memberOff = (quote: any, skuId: string) => quote.lines.find((l: any) => l.skuId === skuId).discounts.filter((d: any) => d.kind === 'member_discount');
    const forMember = (await http('POST', '/checkout/quote', { token: member.token, body: { items } })).body;
    assert.deepEqual(memberOff(forMember, rice.skuIds[0]), [{ kind: 'member_discount', amount: { amount: Math.floor(11980 * 500 / 10000), currency: 'CNY' }, fundedBy: 'platform', sourceId: plan.id }]);
    assert.deepEqual(memberOff(forMember, tshirt.skuIds[0]), [], 'out of the plan\'s scope');
    const forStranger = (await http('POST', '/checkout/quote', { token: stranger.token, body: { items } })).body;
    assert.deepEqual(memberOff(forStranger, rice.skuIds[0]), []);
    assert.equal(forMember.payable.amount, forStranger.payable.amount - 599);

    const { group } = await buyAndPay(server.http, member, items);
    assert.equal(group.payable.amount, forMember.payable.amount);
    assert.equal(await trialBalanceTotal(server), 0);
  });

  test('a free plan for eligible shoppers activates at once, with no payment and no ledger posting', async () => {
    const free = (await asOperator('POST', '/admin/membership/plans', planBody({ name: '免费体验', fee: yuan(0), fullFee: yuan(10), eligibilityScore: 40, monthlyCoupons: [] }))).body;
    const shopper = await shopperWithScore(40);
    const purchase = await buy(shopper, free.id);
    assert.deepEqual([purchase.amount.amount, purchase.status], [0, 'paid']);
    assert.ok((await myMembership(shopper)).memberships.some((m: any) => m.planId === free.id && m.status === 'active'));
    assertProblem(await http('POST', '/payments', { token: shopper.token, body: { purpose: MEMBERSHIP_PURPOSE, payableId: purchase.id, provider: 'sandbox' }, headers: key() }), 409);
    await asOperator('PATCH', `/admin/membership/plans/${free.id}`, { active: false });
    assert.equal(await trialBalanceTotal(server), 0);
  });

  test('a scope that matches any of its lists: eligible brands or the supermarket, as 88VIP has it', async () => {
    const created = await asOperator('POST', '/admin/membership/plans', planBody({
      name: '超市或品牌', fee: yuan(0), fullFee: yuan(10), eligibilityScore: 0, discountBps: 800, monthlyCoupons: [],
      scope: { merchantIds: [supermarket.id], brandIds: [brandId], match: 'any' },
    }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.scope, { merchantIds: [supermarket.id], brandIds: [brandId], match: 'any' });
    const ids = [rice.productId, lipstick.productId, tshirt.productId].join(',');
    const prices = new Map((await http('GET', `/membership/member-prices?productIds=${ids}`)).body.items.map((i: any) => [i.productId, i.planName]));
    assert.deepEqual([prices.get(rice.productId), prices.get(lipstick.productId), prices.has(tshirt.productId)], ['超市或品牌', '超市或品牌', false], 'the supermarket\'s rice and the brand\'s lipstick; not the boutique\'s unbranded T-shirt');

    const member = await newShopper(server.http);
    assert.equal((await buy(member, created.body.id)).status, 'paid');
    const items = [{ skuId: rice.skuIds[0], quantity: 1 }, { skuId: lipstick.skuIds[0], quantity: 1 }, { skuId: tshirt.skuIds[0], quantity: 1 }];
    const quote = (await http('POST', '/checkout/quote', { token: member.token, body: { items } })).body;
    const off = (skuId: string) => quote.lines.find((l: any) => l.skuId === skuId).discounts.filter((d: any) => d.kind === 'member_discount').map((d: any) => d.amount.amount);
    assert.deepEqual([off(rice.skuIds[0]), off(lipstick.skuIds[0]), off(tshirt.skuIds[0])], [[Math.floor(5990 * 800 / 10000)], [Math.floor(32000 * 800 / 10000)], []]);

    const nothingToChoose = await asOperator('POST', '/admin/membership/plans', planBody({ name: '全场', fee: yuan(0), fullFee: yuan(10), monthlyCoupons: [], scope: { match: 'any' }, active: false }));
    assert.deepEqual(nothingToChoose.body.scope, {}, '"any" of no lists is everything, stored as no scope');
    await asOperator('PATCH', `/admin/membership/plans/${created.body.id}`, { active: false });
  });

  describe('monthly coupons, given once per member and month', () => {
    let calls: { buyerId: string; couponCode: string; source: string }[];
    let failNext = false;
    let service: MembershipService;
    const recordingGrant: GrantCoupon = async (_sql, input) => {
      if (failNext) {
        failNext = false;
        throw new Error('promotions is down');
      }
      calls.push(input);
      return input.couponCode === 'VIP-FREESHIP' && calls.filter((c) => c.couponCode === 'VIP-FREESHIP' && c.buyerId === input.buyerId).length > 1 ? null : { couponId: `cpn_${calls.length}` };
    };

    const serviceWith = (grantCoupon?: GrantCoupon) => {
      const { services, db: database, config } = server.app.context;
      return createMembershipService({
        db: database, audit: services.audit, ledger: services.ledger, outbox: services.outbox, payments: services.payments, buyerSpend: services.orders.buyerSpend,
        catalog: { skusOfProducts: services.catalog.skusOfProducts, sellableSkus: services.catalog.sellableSkus, scopeNames, scopeOptions }, paymentTimeoutMinutes: config.paymentTimeoutMinutes, grantCoupon,
      });
    };

    before(() => {
      calls = [];
      service = serviceWith(recordingGrant);
      server.app.context.services.payments.registerPayable(MEMBERSHIP_PURPOSE, service.payable);
    });
    after(() => server.app.context.services.payments.registerPayable(MEMBERSHIP_PURPOSE, membership().payable));

    test('on purchase, then by the daily job for a new month, never twice', async () => {
      const shopper = await shopperWithScore(120);
      await buyAndPayMembership(shopper);
      const now = new Date();
      const month = shanghaiMonth(now);
      const mine = () => calls.filter((c) => c.buyerId === shopper.user.id);
      assert.deepEqual(mine().map((c) => [c.couponCode, c.source]), [
        ['VIP-MONTHLY-20', `membership:${plan.id}:${month}`], ['VIP-MONTHLY-20', `membership:${plan.id}:${month}`], ['VIP-FREESHIP', `membership:${plan.id}:${month}`],
      ]);
      const view = await service.myMembership(shopper.user.id);
      assert.equal(view.allowance.month, month);
      assert.deepEqual(view.allowance.items.map((i) => [i.couponCode, i.count, i.granted]), [['VIP-MONTHLY-20', 2, 2], ['VIP-FREESHIP', 1, 1]]);

      // the same month again: the job and a renewal give nothing more
      await service.grantMonthlyAllowances(now);
      await buyAndPayMembership(shopper);
      assert.equal(mine().length, 3);

      // the next month: once, however often the job runs
      const nextMonth = new Date(now.getTime() + 32 * DAY_MS);
      await service.grantMonthlyAllowances(nextMonth);
      await service.grantMonthlyAllowances(nextMonth);
      const next = mine().slice(3);
      assert.deepEqual(next.map((c) => c.couponCode), ['VIP-MONTHLY-20', 'VIP-MONTHLY-20', 'VIP-FREESHIP']);
      assert.ok(next.every((c) => c.source === `membership:${plan.id}:${shanghaiMonth(nextMonth)}`));
      const later = await service.myMembership(shopper.user.id, nextMonth);
      assert.deepEqual(later.allowance.items.map((i) => [i.couponCode, i.granted]), [['VIP-MONTHLY-20', 2], ['VIP-FREESHIP', 0]], 'a coupon promotions could not grant is recorded as not granted, and not retried');

      // no allowance for a month after the membership ended
      const afterEnd = new Date(Date.parse(later.memberships[0].until) + DAY_MS);
      await service.grantMonthlyAllowances(afterEnd);
      assert.equal(mine().length, 6);
    });

    test('a grant that fails does not stop the membership; the daily job gives the coupons later', async () => {
      const shopper = await shopperWithScore(150);
      failNext = true;
      await buyAndPayMembership(shopper);
      assert.equal((await service.membershipOf(db(), shopper.user.id, new Date()))?.planId, plan.id);
      assert.deepEqual(calls.filter((c) => c.buyerId === shopper.user.id), []);
      assert.deepEqual((await service.myMembership(shopper.user.id)).allowance.items.map((i) => i.granted), [null, null]);
      const run = await service.grantMonthlyAllowances(new Date());
      assert.ok(run.members >= 1);
      assert.equal(calls.filter((c) => c.buyerId === shopper.user.id).length, 3);
      assert.equal(await trialBalanceTotal(server), 0);
    });

    test('without a grantCoupon wired, no coupons are given and nothing is recorded', async () => {
      const before = calls.length;
      assert.deepEqual(await serviceWith().grantMonthlyAllowances(new Date(Date.now() + 64 * DAY_MS)), { members: 0, coupons: 0 });
      assert.equal(calls.length, before);
    });
  });
});
