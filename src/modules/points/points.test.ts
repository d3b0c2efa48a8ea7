import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADDRESS, assertProblem, buyAndPay, newProduct, newShopper, newStore, type Session, startTestServer, type TestServer, type TestStore, trialBalanceTotal } from '../../testing/harness.ts';

describe('points (积分): earned on completion, spent as the last discount, given back on cancel and refund', () => {
  let server: TestServer;
  let store: TestStore;
  let seq = 0;

  before(async () => {
    server = await startTestServer();
    store = await newStore(server);
  });
  after(() => server.close());

  const http = (...args: Parameters<TestServer['http']>) => server.http(...args);
  const pointsOf = async (s: Session) => (await http('GET', '/me/points', { token: s.token })).body;
  const order = (s: Session, items: { skuId: string; quantity: number }[], usePoints = true) =>
    http('POST', '/orders', { token: s.token, body: { items, address: ADDRESS, usePoints }, headers: { 'idempotency-key': `pt-${seq++}` } });
  const pay = async (s: Session, groupId: string) => {
    const payment = await http('POST', '/payments', { token: s.token, body: { orderGroupId: groupId, provider: 'sandbox' }, headers: { 'idempotency-key': `pp-${seq++}` } });
    assert.equal((await http('POST', `/payments/${payment.body.id}/sandbox/pay`, { token: s.token })).body.status, 'succeeded');
  };
  const complete = async (s: Session, orderId: string) => {
    const shipped = await http('POST', `/merchants/${store.id}/orders/${orderId}/ship`, { token: store.owner.token, body: { carrier: 'SF', trackingNo: `SF${String(Date.now()).slice(-9)}${String(seq++).padStart(4, '0')}` } });
    assert.equal(shipped.status, 200, JSON.stringify(shipped.body));
    assert.equal((await http('POST', `/orders/${orderId}/confirm-receipt`, { token: s.token })).status, 200);
  };
  const account = async (name: string) =>
    (await http('GET', '/admin/ledger/trial-balance', { token: server.operator.token })).body.accounts.find((a: any) => a.account === name)?.balance.amount ?? 0;
  const pointsOnLines = (o: any) => o.lines.flatMap((l: any) => l.discounts.filter((d: any) => d.kind === 'points').map((d: any) => d.amount.amount));
  /** A shopper who completed one order of `yuan` yuan, so holds that many points. */
  async function shopperWithPoints(yuan: number) {
    const shopper = await newShopper(server.http);
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: yuan * 100, stock: 5 }]);
    const { group } = await buyAndPay(server.http, shopper, [{ skuId: sku, quantity: 1 }]);
    await complete(shopper, group.orders[0].id);
    return shopper;
  }

  test('a completed order earns 1 point per whole yuan; 我的积分 shows the balance, its worth, the rule and the movement', async () => {
    const shopper = await newShopper(server.http);
    assert.deepEqual((({ balance, total }) => ({ balance, total }))(await pointsOf(shopper)), { balance: 0, total: 0 });
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 29990, stock: 5 }]);
    const { group } = await buyAndPay(server.http, shopper, [{ skuId: sku, quantity: 1 }]);
    assert.equal((await pointsOf(shopper)).balance, 0, 'paying earns nothing yet');
    await complete(shopper, group.orders[0].id);
    const mine = await pointsOf(shopper);
    assert.deepEqual([mine.balance, mine.worth.amount, mine.rule], [299, 299, { fenPerPointEarned: 100, maxShareBps: 1000 }]);
    assert.deepEqual(mine.items.map((m: any) => [m.kind, m.points, m.orderId]), [['earned', 299, group.orders[0].id]]);
    assertProblem(await http('GET', '/me/points'), 401);
  });

  test('spending: at most 10% of what the goods cost after the other discounts, platform-funded; the store is paid in full', async () => {
    const shopper = await shopperWithPoints(5000); // 5,000 points
    const { skuIds: [a] } = await newProduct(server, store, [{ price: 12000, stock: 5 }]);
    const { skuIds: [b] } = await newProduct(server, store, [{ price: 8000, stock: 5 }]);
    const items = [{ skuId: a, quantity: 1 }, { skuId: b, quantity: 1 }];
    const without = (await http('POST', '/checkout/quote', { token: shopper.token, body: { items } })).body;
    assert.equal(without.pointsUsed, undefined, 'points only when the shopper chooses');
    const quote = (await http('POST', '/checkout/quote', { token: shopper.token, body: { items, usePoints: true } })).body;
    // 200 yuan, 10% = 2,000 points, split 120 : 80.
    assert.equal(quote.pointsUsed, 2000);
    assert.deepEqual(pointsOnLines(quote), [1200, 800]);
    assert.equal(quote.payable.amount, 20000 - 2000);

    const placed = await order(shopper, items);
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.payable.amount, 18000);
    assert.equal((await pointsOf(shopper)).balance, 3000);
    const marketingBefore = await account('platform:marketing');
    const payableBefore = await account(`merchant:${store.id}:payable`);
    await pay(shopper, placed.body.orderGroupId);
    await complete(shopper, placed.body.orders[0].id);
    assert.equal(await trialBalanceTotal(server), 0, 'the ledger balances');
    assert.equal(await account('platform:marketing') - marketingBefore, 2000, 'the points are the platform\'s marketing cost');
    assert.equal(await account(`merchant:${store.id}:payable`) - payableBefore, -(20000 - 1000), 'the store is owed the full price less 5% commission');
    assert.equal((await pointsOf(shopper)).balance, 3000 + 180, 'the new order earns on what it paid');
  });

  test('a shopper holding fewer points than the cap spends them all; none held, none spent', async () => {
    const shopper = await shopperWithPoints(30);
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 50000, stock: 5 }]);
    const placed = await order(shopper, [{ skuId: sku, quantity: 1 }]);
    assert.deepEqual([pointsOnLines(placed.body.orders[0]), placed.body.payable.amount], [[30], 50000 - 30]);
    assert.equal((await pointsOf(shopper)).balance, 0);
    const again = await order(shopper, [{ skuId: sku, quantity: 1 }]);
    assert.deepEqual([pointsOnLines(again.body.orders[0]), again.body.payable.amount], [[], 50000]);
  });

  test('two checkouts racing for the same points: together they never spend more than the shopper held', async () => {
    const shopper = await shopperWithPoints(100);
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 100000, stock: 10 }]);
    const answers = await Promise.all([order(shopper, [{ skuId: sku, quantity: 1 }]), order(shopper, [{ skuId: sku, quantity: 1 }])]);
    for (const a of answers) assert.ok(a.status === 201 || (a.status === 409 && a.body.code === 'points_changed'), JSON.stringify(a.body));
    const spent = answers.filter((a) => a.status === 201).flatMap((a) => pointsOnLines(a.body.orders[0]));
    assert.equal(spent.reduce((x: number, y: number) => x + y, 0), 100);
    assert.equal((await pointsOf(shopper)).balance, 0);
  });

  test('cancelling gives the points back; a partial refund gives back the refunded units\' share', async () => {
    const shopper = await shopperWithPoints(3000);
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 10000, stock: 10 }]);
    const unpaid = await order(shopper, [{ skuId: sku, quantity: 1 }]);
    assert.equal((await pointsOf(shopper)).balance, 2000);
    assert.equal((await http('POST', `/orders/${unpaid.body.orders[0].id}/cancel`, { token: shopper.token })).status, 200);
    assert.equal((await pointsOf(shopper)).balance, 3000);

    const placed = await order(shopper, [{ skuId: sku, quantity: 3 }]); // 300 yuan, 3,000 points capped at 30 yuan
    const orderId = placed.body.orders[0].id;
    assert.deepEqual(pointsOnLines(placed.body.orders[0]), [3000]);
    assert.equal((await pointsOf(shopper)).balance, 0);
    await pay(shopper, placed.body.orderGroupId);
    const refund = (quantity: number) => http('POST', `/orders/${orderId}/refunds`, { token: store.owner.token, body: { lines: [{ lineNo: 1, quantity }] }, headers: { 'idempotency-key': `rf-${seq++}` } });
    assert.equal((await refund(1)).body.amount.amount, 9000, 'the unit\'s paid share, points off');
    assert.equal((await pointsOf(shopper)).balance, 1000, 'and its points back');
    assert.equal((await http('POST', `/orders/${orderId}/cancel`, { token: shopper.token })).status, 200);
    assert.equal((await pointsOf(shopper)).balance, 3000, 'cancelling the rest gives back the other 2,000, not the 1,000 again');
    const kinds = (await pointsOf(shopper)).items.map((m: any) => [m.kind, m.points]);
    assert.deepEqual(kinds.slice(0, 3), [['returned', 2000], ['returned', 1000], ['spent', -3000]]);
  });

  test('a refund after completion takes back the points its money earned, never below zero', async () => {
    const shopper = await newShopper(server.http);
    const { skuIds: [sku] } = await newProduct(server, store, [{ price: 10000, stock: 5 }]);
    const { group } = await buyAndPay(server.http, shopper, [{ skuId: sku, quantity: 2 }]);
    const orderId = group.orders[0].id;
    await complete(shopper, orderId);
    assert.equal((await pointsOf(shopper)).balance, 200);
    const refunded = await http('POST', `/orders/${orderId}/refunds`, { token: store.owner.token, body: { lines: [{ lineNo: 1, quantity: 1 }] }, headers: { 'idempotency-key': `rf-${seq++}` } });
    assert.equal(refunded.status, 201, JSON.stringify(refunded.body));
    assert.equal((await pointsOf(shopper)).balance, 100);
    // Spend what is left, then refund the other unit: nothing more can be taken back.
    const { skuIds: [other] } = await newProduct(server, store, [{ price: 100000, stock: 5 }]);
    assert.equal((await order(shopper, [{ skuId: other, quantity: 1 }])).status, 201);
    assert.equal((await pointsOf(shopper)).balance, 0);
    assert.equal((await http('POST', `/orders/${orderId}/refunds`, { token: store.owner.token, body: { lines: [{ lineNo: 1, quantity: 1 }] }, headers: { 'idempotency-key': `rf-${seq++}` } })).status, 201);
    assert.equal((await pointsOf(shopper)).balance, 0);
    assert.equal(await trialBalanceTotal(server), 0);
  });

  test('a shopper\'s data export holds their points; erasure removes them', async () => {
    const shopper = await shopperWithPoints(88);
    const exported = (await http('GET', '/me/data-export', { token: shopper.token })).body;
    assert.deepEqual([exported.points.balance, exported.points.items.length], [88, 1]);
    assert.equal((await http('POST', '/me/erasure', { token: shopper.token, body: { password: 'password-123' } })).status, 200);
    const left = await server.app.context.db.query('SELECT 1 FROM point_movements WHERE user_id = $1 UNION ALL SELECT 1 FROM point_balances WHERE user_id = $1', [shopper.user.id]);
    assert.equal(left.length, 0);
  });
});
