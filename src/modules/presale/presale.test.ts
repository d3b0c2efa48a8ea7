import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS, newProduct, newShopper, newStore, startTestServer, trialBalanceTotal, type Session, type TestServer, type TestStore } from '../../testing/harness.ts';
import { expireUnpaidOrders } from '../orders/cancel-order.ts';
import { forfeitUnpaidBalances } from './lifecycle.ts';

const HOUR = 3_600_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const yuan = (n: number) => ({ amount: n * 100, currency: 'CNY' });

describe('presale: deposit with expansion, balance in a later checkout (MECHANISMS 4)', () => {
  let server: TestServer;
  let store: TestStore;
  let otherStore: TestStore;
  let keys = 0;
  before(async () => {
    server = await startTestServer();
    store = await newStore(server, 'marketplace', 500);
    otherStore = await newStore(server);
  });
  after(() => server.close());

  const http = (...args: Parameters<TestServer['http']>) => server.http(...args);
  const key = () => ({ 'idempotency-key': `ps-${++keys}-${Date.now()}` });
  const stockOf = async (productId: string) => (await http('GET', `/products/${productId}`)).body.skus[0].stock;
  const openPresale = (skuId: string, body: Record<string, unknown> = {}) =>
    http('POST', `/merchants/${store.id}/presales`, {
      token: store.owner.token,
      body: { skuId, unitPrice: yuan(1000), unitDeposit: yuan(100), unitDepositValue: yuan(200), depositStartsAt: at(-HOUR), depositEndsAt: at(HOUR), balanceStartsAt: at(2 * HOUR), balanceEndsAt: at(3 * HOUR), ...body },
    });
  /** Moves the presale's windows as if time had passed: the balance window is open now. */
  const openBalanceWindow = (presaleId: string) =>
    server.app.context.db.query(`UPDATE presales SET deposit_starts_at = now() - interval '3 hours', deposit_ends_at = now() - interval '2 hours', balance_starts_at = now() - interval '1 hour' WHERE id = $1`, [presaleId]);
  const closeBalanceWindow = (presaleId: string) =>
    server.app.context.db.query(`UPDATE presales SET deposit_starts_at = now() - interval '4 hours', deposit_ends_at = now() - interval '3 hours', balance_starts_at = now() - interval '2 hours', balance_ends_at = now() - interval '1 minute' WHERE id = $1`, [presaleId]);
  async function pay(shopper: Session, groupId: string) {
    const payment = await http('POST', '/payments', { token: shopper.token, body: { orderGroupId: groupId, provider: 'sandbox' }, headers: key() });
    return http('POST', `/payments/${payment.body.id}/sandbox/pay`, { token: shopper.token });
  }
  async function payDeposit(shopper: Session, skuId: string, quantity = 1) {
    const order = await http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId, quantity }], address: ADDRESS }, headers: key() });
    assert.equal(order.status, 201, JSON.stringify(order.body));
    assert.equal((await pay(shopper, order.body.orderGroupId)).body.status, 'succeeded');
    const purchase = (await http('GET', '/me/presales', { token: shopper.token })).body.items.find((p: any) => p.depositOrderId === order.body.orders[0].id);
    return { order: order.body, purchase };
  }
  const account = async (name: string) =>
    (await http('GET', '/admin/ledger/trial-balance', { token: server.operator.token })).body.accounts.find((a: any) => a.account === name)?.balance.amount ?? 0;

  test('bad presales are refused naming the field: a deposit over 20%, windows out of order, above list price, another store\'s SKU', async () => {
    const phone = await newProduct(server, store, [{ price: 100000, stock: 10 }]);
    const foreign = await newProduct(server, otherStore, [{ price: 100000, stock: 10 }]);
    const cases: [Record<string, unknown>, string][] = [
      [{ unitDeposit: yuan(170) , unitDepositValue: yuan(200) }, 'unitDeposit'],
      [{ depositEndsAt: at(-2 * HOUR) }, 'depositEndsAt'],
      [{ balanceStartsAt: at(HOUR / 2) }, 'balanceStartsAt'],
      [{ balanceEndsAt: at(HOUR) }, 'balanceEndsAt'],
      [{ unitPrice: yuan(1200) }, 'unitPrice'],
      [{ unitDeposit: yuan(100), unitDepositValue: yuan(50) }, 'unitDepositValue'],
    ];
    for (const [body, field] of cases) {
      const answer = await openPresale(phone.skuIds[0], body);
      assert.equal(answer.status, 422, `${field}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.errors[0].field, field);
    }
    assert.equal((await openPresale(foreign.skuIds[0])).body.errors[0].field, 'skuId');
    const shopper = await newShopper(http);
    assert.equal((await http('POST', `/merchants/${store.id}/presales`, { token: shopper.token, body: {} })).status, 400);
    assert.equal((await openPresale(phone.skuIds[0])).status, 201);
    assert.equal((await openPresale(phone.skuIds[0])).body.errors[0].field, 'skuId', 'one presale per SKU at a time');
  });

  test('pay 100 off 200 on a 1000 item: deposit 100 now, balance 700 later with other goods, the goods ship on the balance order', async () => {
    const phone = await newProduct(server, store, [{ price: 100000, stock: 10 }]);
    const case_ = await newProduct(server, otherStore, [{ price: 5000, stock: 10 }]);
    const presale = (await openPresale(phone.skuIds[0])).body;
    assert.equal(presale.balance.amount, 70000);
    const shopper = await newShopper(http);

    const quote = await http('POST', '/checkout/quote', { token: shopper.token, body: { items: [{ skuId: phone.skuIds[0], quantity: 1 }] } });
    assert.deepEqual([quote.body.payable.amount, quote.body.payLater.amount, quote.body.lines[0].presaleDeposit.presaleId], [10000, 70000, presale.id]);
    const mixed = await http('POST', '/orders', { token: shopper.token, body: { items: [{ skuId: phone.skuIds[0], quantity: 1 }, { skuId: case_.skuIds[0], quantity: 1 }], address: ADDRESS }, headers: key() });
    assert.equal(mixed.status, 422, 'a deposit is paid on its own');

    const { order, purchase } = await payDeposit(shopper, phone.skuIds[0]);
    assert.equal(purchase.state, 'deposit_paid');
    assert.deepEqual([purchase.deposit.amount, purchase.balance.amount], [10000, 70000]);
    const depositOrderId = order.orders[0].id;
    const ship = (orderId: string) => http('POST', `/merchants/${store.id}/orders/${orderId}/ship`, { token: store.owner.token, body: { carrier: 'SF', trackingNo: `SF${String(Date.now()).slice(-12)}` } });
    assert.equal((await ship(depositOrderId)).status, 409, 'the deposit order does not ship');
    const balanceItem = { skuId: phone.skuIds[0], quantity: 1, presaleOrderId: purchase.id };
    assert.equal((await http('POST', '/checkout/quote', { token: shopper.token, body: { items: [balanceItem] } })).status, 422, 'the balance window is not open yet');

    await openBalanceWindow(presale.id);
    assert.equal((await http('POST', '/checkout/quote', { token: shopper.token, body: { items: [{ ...balanceItem, quantity: 2 }] } })).status, 400, 'the quantity is the deposit order\'s');
    const stranger = await newShopper(http, 'stranger');
    assert.equal((await http('POST', '/checkout/quote', { token: stranger.token, body: { items: [balanceItem] } })).status, 404);
    const balance = await http('POST', '/orders', { token: shopper.token, body: { items: [balanceItem, { skuId: case_.skuIds[0], quantity: 1 }], address: ADDRESS }, headers: key() });
    assert.equal(balance.status, 201, JSON.stringify(balance.body));
    assert.equal(balance.body.payable.amount, 70000 + 5000);
    const balanceOrder = balance.body.orders.find((o: any) => o.merchantId === store.id);
    assert.deepEqual([balanceOrder.lines[0].paidBefore.amount, balanceOrder.lines[0].payable.amount], [10000, 70000]);
    assert.equal(await stockOf(phone.productId), 9, 'the balance takes no second unit');
    assert.equal((await pay(shopper, balance.body.orderGroupId)).body.status, 'succeeded');

    const after = (await http('GET', '/me/presales', { token: shopper.token })).body.items.find((p: any) => p.id === purchase.id);
    assert.deepEqual([after.state, after.balanceOrderId], ['balance_paid', balanceOrder.id]);
    assert.equal((await http('GET', `/orders/${depositOrderId}`, { token: shopper.token })).body.status, 'completed');
    assert.equal((await ship(balanceOrder.id)).status, 200);
    assert.equal((await http('POST', `/orders/${balanceOrder.id}/confirm-receipt`, { token: shopper.token })).body.status, 'completed');
    // Deposit and balance both settled: 80000 paid for the phone, less 5% commission.
    assert.equal(await account(`merchant:${store.id}:payable`), -(80000 - 4000));
    assert.equal(await trialBalanceTotal(server), 0);
  });

  test('a balance window that closes unpaid forfeits the deposit to the store, and the unit goes back on sale', async () => {
    const watch = await newProduct(server, store, [{ price: 50000, stock: 3 }]);
    const presale = (await openPresale(watch.skuIds[0], { unitPrice: yuan(500), unitDeposit: yuan(50), unitDepositValue: yuan(80) })).body;
    const shopper = await newShopper(http);
    const { purchase } = await payDeposit(shopper, watch.skuIds[0]);
    assert.equal(await stockOf(watch.productId), 2);
    const payableBefore = await account(`merchant:${store.id}:payable`);
    await closeBalanceWindow(presale.id);
    const { db, services } = server.app.context;
    assert.ok((await forfeitUnpaidBalances(db, services)) >= 1);
    const after = (await http('GET', '/me/presales', { token: shopper.token })).body.items.find((p: any) => p.id === purchase.id);
    assert.equal(after.state, 'forfeited');
    assert.equal(await account(`merchant:${store.id}:payable`), payableBefore - (5000 - 250), 'the store keeps the deposit, less commission');
    assert.equal(await stockOf(watch.productId), 3);
    assert.equal(await forfeitUnpaidBalances(db, services), 0, 'once');
    assert.equal(await trialBalanceTotal(server), 0);
  });

  test('a paid deposit is not refunded when the buyer withdraws; an unpaid one closes; a store that calls the presale off refunds it', async () => {
    const bag = await newProduct(server, store, [{ price: 30000, stock: 5 }]);
    const presale = (await openPresale(bag.skuIds[0], { unitPrice: yuan(300), unitDeposit: yuan(20), unitDepositValue: yuan(40) })).body;
    const buyer = await newShopper(http);
    const { order } = await payDeposit(buyer, bag.skuIds[0]);
    assert.equal((await http('POST', `/orders/${order.orders[0].id}/cancel`, { token: buyer.token })).status, 409);

    const unpaid = await http('POST', '/orders', { token: buyer.token, body: { items: [{ skuId: bag.skuIds[0], quantity: 1 }], address: ADDRESS }, headers: key() });
    await server.app.context.db.query(`UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id = $1`, [unpaid.body.orders[0].id]);
    await expireUnpaidOrders(server.app.context.db, server.app.context.services);
    const states = async () => new Map((await http('GET', '/me/presales', { token: buyer.token })).body.items.map((p: any) => [p.depositOrderId, p.state]));
    assert.equal((await states()).get(unpaid.body.orders[0].id), 'closed');

    const cashBefore = await account('cash:sandbox');
    assert.equal((await http('POST', `/merchants/${store.id}/presales/${presale.id}/cancel`, { token: store.owner.token })).status, 200);
    assert.equal((await states()).get(order.orders[0].id), 'refunded');
    assert.equal(await account('cash:sandbox'), cashBefore - 2000, 'the deposit went back');
    assert.equal(await stockOf(bag.productId), 5);
    const listed = (await http('GET', `/merchants/${store.id}/presales`, { token: store.owner.token })).body.items.find((p: any) => p.id === presale.id);
    assert.equal(listed.status, 'cancelled');
    assert.equal(await trialBalanceTotal(server), 0);
  });
});
