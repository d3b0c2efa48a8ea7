/**
 * The price engine on worked examples: fixed carts with every expected fen worked out by
 * hand from engine-spec.md and MECHANISMS.md 4-6. Each test is named after the rule it proves.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apportion } from './apportion.ts';
import { priceCheckout } from './price-checkout.ts';
import { refundShare } from './refund.ts';
import type { CartLine, Coupon, CouponOffer, CouponOutcome, DiscountKind, PresaleBalance, PriceInput, PriceResult, PricedLine, Rule } from './types.ts';

const HOUR = 3_600_000;
const AT = Date.UTC(2025, 10, 11, 4); // 双11, 12:00 Beijing
const OPEN = { startsAt: AT - HOUR, endsAt: AT + HOUR };

function cartLine(skuId: string, merchantId: string, listPrice: number, quantity = 1, extra: Partial<CartLine> = {}): CartLine {
  return { skuId, productId: `p-${skuId}`, merchantId, categoryIds: ['c-digital', 'c-phone'], quantity, listPrice, ...extra };
}
const storeCoupon = (id: string, merchantId: string, offer: CouponOffer, extra: Partial<Coupon> = {}): Coupon => ({ kind: 'store_coupon', id, code: id.toUpperCase(), merchantId, offer, ...OPEN, ...extra });
const platformCoupon = (id: string, offer: CouponOffer, extra: Partial<Coupon> = {}): Coupon => ({ kind: 'platform_coupon', id, code: id.toUpperCase(), offer, ...OPEN, ...extra });
const amountOff = (threshold: number, off: number): CouponOffer => ({ type: 'amount_off', threshold, off });
const percentOff = (threshold: number, percentBps: number, cap: number | null): CouponOffer => ({ type: 'percent_off', threshold, percentBps, cap });
const crossStore = (id: string, every: number, off: number, maxOff: number | null = null): Rule => ({ kind: 'cross_store_reduction', id, every, off, maxOff, ...OPEN });

function price(input: Partial<PriceInput> & { lines: CartLine[] }): PriceResult {
  return priceCheckout({ rules: [], coupons: [], couponChoice: 'best', at: AT, ...input });
}
function lineOf(result: PriceResult, skuId: string): PricedLine {
  const found = result.lines.find((l) => l.skuId === skuId);
  assert.ok(found, `no priced line ${skuId}`);
  return found;
}
const amountsOf = (l: PricedLine, kind: DiscountKind) => l.discounts.filter((d) => d.kind === kind).map((d) => d.amount);
const payables = (r: PriceResult) => r.lines.map((l) => l.payable);
function outcome(result: PriceResult, code: string): CouponOutcome {
  const found = result.coupons.find((c) => c.code === code);
  assert.ok(found, `no outcome for ${code} in ${JSON.stringify(result.coupons)}`);
  return found;
}
function appliedAmount(result: PriceResult, kind: DiscountKind, sourceId: string): number | undefined {
  return result.applied.find((a) => a.kind === kind && a.sourceId === sourceId)?.amount;
}
/** not_stackable "names the coupon used instead"; the contract does not say by id or by code. */
function assertNotStackable(o: CouponOutcome, instead: Coupon) {
  assert.equal(o.applied, false);
  assert.equal(o.refusal?.reason, 'not_stackable');
  const named = (o.refusal as { instead: string }).instead;
  assert.ok(named === instead.id || named === instead.code, `not_stackable names ${named}, expected ${instead.id}`);
}
/** listTotal - discounts = paidBefore + payable + payLater, on every line and in total. */
function assertBalanced(r: PriceResult) {
  for (const l of r.lines) {
    const off = l.discounts.reduce((s, d) => s + d.amount, 0);
    assert.equal(l.listTotal - off, l.paidBefore + l.payable + l.payLater, `line ${l.skuId}`);
  }
  assert.equal(r.listTotal - r.discountTotal, r.paidBefore + r.payable + r.payLater);
}

describe('MECHANISMS 4 presale: pay 100 off 200 on a 1000-yuan item: presale price 800, balance 700', () => {
  // The contract (types.ts, PresaleBalance.unitDepositValue): the shopper pays
  // unitPrice - unitDepositValue in all, the deposit included: 1000 - 200 = 800, of which
  // 100 now and 700 later. The 200 the deposit takes off is the merchant-funded deposit_expansion.
  const presale: Rule = {
    kind: 'presale', id: 'ps-1', skuId: 'sku-phone', unitPrice: 100000, unitDeposit: 10000, unitDepositValue: 20000,
    depositStartsAt: AT - 24 * HOUR, depositEndsAt: AT + 24 * HOUR, balanceStartsAt: AT + 48 * HOUR, balanceEndsAt: AT + 96 * HOUR,
  };
  const balance: PresaleBalance = { presaleId: 'ps-1', presaleOrderId: 'pso-1', unitPrice: 100000, unitDeposit: 10000, unitDepositValue: 20000 };

  test('deposit line: pays the 100 deposit now and 700 later; no coupon, reduction, instant or member discount touches it', () => {
    const r = price({
      lines: [cartLine('sku-phone', 'm-a', 100000)],
      rules: [presale, crossStore('cs-1', 30000, 5000), { kind: 'instant_discount', id: 'id-1', fundedBy: 'platform', offer: { type: 'percent_off', percentBps: 1000 }, scope: {}, ...OPEN }],
      coupons: [storeCoupon('sc-1', 'm-a', amountOff(0, 1000)), platformCoupon('pc-1', amountOff(0, 500))],
      membership: { planId: 'vip', discountBps: 500 },
    });
    const l = lineOf(r, 'sku-phone');
    assert.equal(l.unitPrice, 100000);
    assert.deepEqual(l.discounts, [{ kind: 'deposit_expansion', sourceId: 'ps-1', amount: 20000, fundedBy: 'merchant' }]);
    assert.equal(l.payable, 10000);
    assert.equal(l.payLater, 70000);
    assert.equal(l.paidBefore, 0);
    assert.deepEqual(l.presaleDeposit, { presaleId: 'ps-1', balanceStartsAt: presale.balanceStartsAt, balanceEndsAt: presale.balanceEndsAt });
    assert.equal(l.merchantFunded, 20000);
    assert.equal(l.platformFunded, 0);
    for (const code of ['SC-1', 'PC-1']) assert.deepEqual(outcome(r, code).refusal, { reason: 'no_eligible_lines' });
    assert.deepEqual(r.applied, [{ kind: 'deposit_expansion', sourceId: 'ps-1', amount: 20000, fundedBy: 'merchant' }]);
    assert.deepEqual([r.payable, r.payLater], [10000, 70000]);
    assertBalanced(r);
  });

  test('deposit line with a presale price below the list price: the presale discount, then the deposit expansion', () => {
    const l = lineOf(price({ lines: [cartLine('sku-phone', 'm-a', 110000, 2)], rules: [presale] }), 'sku-phone');
    assert.deepEqual(l.discounts, [
      { kind: 'presale', sourceId: 'ps-1', amount: 20000, fundedBy: 'merchant' },
      { kind: 'deposit_expansion', sourceId: 'ps-1', amount: 40000, fundedBy: 'merchant' },
    ]);
    assert.deepEqual([l.unitPrice, l.priceSource, l.payable, l.payLater], [100000, 'presale', 20000, 140000]);
  });

  test('deposit line, outside the deposit window: the presale rule does not apply', () => {
    const r = price({ lines: [cartLine('sku-phone', 'm-a', 100000)], rules: [presale], at: presale.depositEndsAt });
    const l = lineOf(r, 'sku-phone');
    assert.deepEqual([l.priceSource, l.payable, l.payLater, l.presaleDeposit], ['list', 100000, 0, undefined]);
  });

  test('balance line: paidBefore is the 100 deposit, payable the 700 balance, the 200 deposit expansion merchant-funded', () => {
    const r = price({ lines: [cartLine('sku-phone', 'm-a', 100000, 1, { presaleBalance: balance })] });
    const l = lineOf(r, 'sku-phone');
    assert.equal(l.unitPrice, 100000);
    assert.deepEqual(l.discounts, [{ kind: 'deposit_expansion', sourceId: 'ps-1', amount: 20000, fundedBy: 'merchant' }]);
    assert.deepEqual([l.paidBefore, l.payable, l.payLater, l.presaleDeposit, l.presaleOrderId], [10000, 70000, 0, undefined, 'pso-1']);
    assert.deepEqual([r.listTotal, r.discountTotal, r.paidBefore, r.payable, r.merchantFunded], [100000, 20000, 10000, 70000, 20000]);
    assertBalanced(r);
  });

  test('balance line, two units: everything per unit times two', () => {
    const l = lineOf(price({ lines: [cartLine('sku-phone', 'm-a', 100000, 2, { presaleBalance: balance })] }), 'sku-phone');
    assert.deepEqual([l.listTotal, l.paidBefore, l.payable, ...l.discounts.map((d) => d.amount)], [200000, 20000, 140000, 40000]);
  });

  test('balance with a store coupon 满300减40: the presale price 800 meets 300 and the balance 700 exceeds 40, so it applies', () => {
    const r = price({ lines: [cartLine('sku-phone', 'm-a', 100000, 1, { presaleBalance: balance })], coupons: [storeCoupon('sc-300-40', 'm-a', amountOff(30000, 4000))] });
    const l = lineOf(r, 'sku-phone');
    assert.deepEqual(amountsOf(l, 'store_coupon'), [4000]);
    assert.deepEqual([l.paidBefore, l.payable, l.merchantFunded], [10000, 66000, 24000]);
    assert.deepEqual(outcome(r, 'SC-300-40'), { couponId: 'sc-300-40', code: 'SC-300-40', kind: 'store_coupon', merchantId: 'm-a', applied: true, amount: 4000 });
    assertBalanced(r);
  });

  test('balance: the threshold is checked on the presale price 800 (deposit included), not on the balance 700', () => {
    const line = cartLine('sku-phone', 'm-a', 100000, 1, { presaleBalance: balance });
    const met = price({ lines: [line], coupons: [storeCoupon('sc-750-40', 'm-a', amountOff(75000, 4000))] });
    assert.equal(outcome(met, 'SC-750-40').applied, true);
    assert.equal(lineOf(met, 'sku-phone').payable, 66000);
    const notMet = price({ lines: [line], coupons: [storeCoupon('sc-850-40', 'm-a', amountOff(85000, 4000))] });
    assert.deepEqual(outcome(notMet, 'SC-850-40').refusal, { reason: 'below_threshold', threshold: 85000, eligible: 80000 });
    assert.equal(lineOf(notMet, 'sku-phone').payable, 70000);
  });

  // a 100 item, pay 10 off 40: presale price 60, balance 50; 满50减50 is met by 60 but its face value equals the balance
  const small = (unitPrice: number) => cartLine('sku-case', 'm-a', unitPrice, 1, { presaleBalance: { presaleId: 'ps-2', presaleOrderId: 'pso-2', unitPrice, unitDeposit: 1000, unitDepositValue: 4000 } });
  const fiftyOff = storeCoupon('sc-50-50', 'm-a', amountOff(5000, 5000));

  test('balance not greater than the face value: refused balance_below_face_value; one fen more and it applies', () => {
    const equal = price({ lines: [small(10000)], coupons: [fiftyOff] });
    assert.deepEqual(outcome(equal, 'SC-50-50').refusal, { reason: 'balance_below_face_value' });
    assert.equal(outcome(equal, 'SC-50-50').applied, false);
    assert.equal(lineOf(equal, 'sku-case').payable, 5000);
    const above = price({ lines: [small(10001)], coupons: [fiftyOff] });
    assert.equal(outcome(above, 'SC-50-50').applied, true);
    assert.equal(lineOf(above, 'sku-case').payable, 1);
  });

  test('balance not greater than the face value: the balance line is dropped and the coupon goes on the other lines', () => {
    const r = price({ lines: [small(10000), cartLine('sku-cable', 'm-a', 6000)], coupons: [fiftyOff] });
    assert.equal(outcome(r, 'SC-50-50').applied, true);
    assert.deepEqual(amountsOf(lineOf(r, 'sku-case'), 'store_coupon'), []);
    assert.equal(lineOf(r, 'sku-case').payable, 5000);
    assert.deepEqual(amountsOf(lineOf(r, 'sku-cable'), 'store_coupon'), [5000]);
    assert.equal(lineOf(r, 'sku-cable').payable, 1000);
  });
});
describe('MECHANISMS 5 apportionment: shares add up exactly (the 10/10/10 minus 10 bug)', () => {
  test('3.33 + 3.33 + 3.34 minus 1.00: shares 0.33 + 0.33 + 0.34, every line then pays 3.00', () => {
    const r = price({
      lines: [cartLine('sku-a', 'm-a', 333), cartLine('sku-b', 'm-a', 333), cartLine('sku-c', 'm-a', 334)],
      coupons: [platformCoupon('pc-1', amountOff(0, 100))],
    });
    assert.deepEqual(r.lines.map((l) => amountsOf(l, 'platform_coupon')), [[33], [33], [34]]);
    assert.deepEqual(payables(r), [300, 300, 300]);
    assert.equal(r.payable, 900);
    assert.equal(r.platformFunded, 100);
  });

  test('10.00 + 10.00 + 10.00 minus 10.00: shares 3.33/3.33/3.34, no line off by a fen, total exactly 20.00', () => {
    const lines = [cartLine('sku-a', 'm-a', 1000), cartLine('sku-b', 'm-b', 1000), cartLine('sku-c', 'm-c', 1000)];
    const coupons = [platformCoupon('pc-1', amountOff(0, 1000))];
    const r = price({ lines, coupons });
    const shares = r.lines.map((l) => amountsOf(l, 'platform_coupon')[0]);
    assert.deepEqual([...shares].sort(), [333, 333, 334]);
    assert.equal(r.payable, 2000);
    assert.deepEqual(payables(r).sort(), [666, 667, 667]);
    // the odd fen goes by skuId, not by position: the same line gets it in reverse order
    const reversed = price({ lines: [...lines].reverse(), coupons });
    for (const l of r.lines) assert.equal(lineOf(reversed, l.skuId).payable, l.payable, l.skuId);
  });

  test('a share is capped at what the line still pays: a nearly free line gets at most its remaining', () => {
    // sku-a is nearly free after its store coupon (pays 0.10); the platform coupon is split 10 : 20000.
    const lines = [cartLine('sku-a', 'm-a', 10000), cartLine('sku-b', 'm-b', 20000)];
    const nearlyFree = storeCoupon('sc-a', 'm-a', amountOff(0, 9990));
    const r = price({ lines, coupons: [nearlyFree, platformCoupon('pc-200', amountOff(0, 20000))] });
    assert.deepEqual(amountsOf(lineOf(r, 'sku-a'), 'platform_coupon'), [10]);
    assert.deepEqual(amountsOf(lineOf(r, 'sku-b'), 'platform_coupon'), [19990]);
    assert.deepEqual(payables(r), [0, 10]);
  });

  test('a discount larger than what its lines still pay takes only that, and no line goes below 0', () => {
    const lines = [cartLine('sku-a', 'm-a', 10000), cartLine('sku-b', 'm-b', 20000)];
    const r = price({ lines, coupons: [storeCoupon('sc-a', 'm-a', amountOff(0, 9990)), platformCoupon('pc-250', amountOff(0, 25000))] });
    assert.equal(outcome(r, 'PC-250').amount, 20010);
    assert.equal(appliedAmount(r, 'platform_coupon', 'pc-250'), 20010);
    assert.deepEqual(amountsOf(lineOf(r, 'sku-a'), 'platform_coupon'), [10]);
    assert.deepEqual(amountsOf(lineOf(r, 'sku-b'), 'platform_coupon'), [20000]);
    assert.deepEqual(payables(r), [0, 0]);
    const tiny = price({ lines: [cartLine('sku-s', 'm-a', 300)], coupons: [storeCoupon('sc-500', 'm-a', amountOff(0, 500))] });
    assert.equal(outcome(tiny, 'SC-500').amount, 300);
    assert.equal(lineOf(tiny, 'sku-s').payable, 0);
  });

  test('apportion: a cap cuts a share and the cut goes to the other lines, repeating until placed', () => {
    assert.deepEqual(apportion(1000, [500, 500], [100, 10000], ['a', 'b']), [100, 900]);
    assert.deepEqual(apportion(100, [1, 1, 1], [10, 10, 1000], ['a', 'b', 'c']), [10, 10, 80]);
    // a's cut (10) lifts b above its own cap, whose cut goes to c
    assert.deepEqual(apportion(90, [1, 1, 1], [20, 30, 1000], ['a', 'b', 'c']), [20, 30, 40]);
    assert.deepEqual(apportion(100, [333, 333, 334], [333, 333, 334], ['a', 'b', 'c']), [33, 33, 34]);
    assert.deepEqual(apportion(0, [5, 7], [5, 7], ['a', 'b']), [0, 0]);
  });

  test('apportion: exact in integers where total x weight passes 2^53 (floating point gives the fen to the wrong line)', () => {
    // five lines of about 1.8 million yuan sharing 8.8 million yuan off; found by search against float arithmetic
    const weights = [186318901, 151614577, 181686957, 186301048, 176104514];
    assert.deepEqual(apportion(882025049, weights, weights, ['a', 'b', 'c', 'd', 'e']), [186318701, 151614414, 181686762, 186300848, 176104324]);
  });

  test('apportion: largest-remainder ties break by key, not by position', () => {
    const forward = apportion(1000, [1000, 1000, 1000], [1000, 1000, 1000], ['sku-a', 'sku-b', 'sku-c']);
    const backward = apportion(1000, [1000, 1000, 1000], [1000, 1000, 1000], ['sku-c', 'sku-b', 'sku-a']);
    assert.deepEqual(backward, [...forward].reverse());
    assert.equal(forward.reduce((a, b) => a + b, 0), 1000);
  });
});

describe('MECHANISMS 5 cross-store reduction (跨店满减), platform-funded', () => {
  // four lines over three stores, 620 yuan in all; no store alone reaches 300
  const lines = [cartLine('sku-a1', 'm-a', 12000), cartLine('sku-a2', 'm-a', 8000), cartLine('sku-b', 'm-b', 22000), cartLine('sku-c', 'm-c', 20000)];

  test('every 300 off 50 repeats: 620 yuan takes 100 off, apportioned over every store\'s lines', () => {
    const r = price({ lines, rules: [crossStore('cs-300-50', 30000, 5000)] });
    assert.deepEqual(r.lines.map((l) => amountsOf(l, 'cross_store_reduction')), [[1936], [1290], [3548], [3226]]);
    assert.deepEqual(r.lines[0].discounts, [{ kind: 'cross_store_reduction', sourceId: 'cs-300-50', amount: 1936, fundedBy: 'platform' }]);
    assert.deepEqual(payables(r), [10064, 6710, 18452, 16774]);
    assert.deepEqual(r.applied, [{ kind: 'cross_store_reduction', sourceId: 'cs-300-50', amount: 10000, fundedBy: 'platform' }]);
    assert.deepEqual([r.discountTotal, r.platformFunded, r.merchantFunded, r.payable], [10000, 10000, 0, 52000]);
  });

  test('maxOff caps the repeats: every 300 off 50, at most 80', () => {
    const r = price({ lines, rules: [crossStore('cs-300-50', 30000, 5000, 8000)] });
    assert.equal(appliedAmount(r, 'cross_store_reduction', 'cs-300-50'), 8000);
    assert.deepEqual(r.lines.map((l) => amountsOf(l, 'cross_store_reduction')), [[1548], [1032], [2839], [2581]]);
  });

  test('one reduction per checkout, the one taking most off', () => {
    const r = price({ lines, rules: [crossStore('cs-200-30', 20000, 3000), crossStore('cs-300-50', 30000, 5000)] });
    assert.deepEqual(r.applied.map((a) => [a.sourceId, a.amount]), [['cs-300-50', 10000]]);
  });

  test('a threshold met exactly counts: 300.00 takes one step of 50, 满300减40 applies at 300.00', () => {
    const r = price({ lines: [cartLine('sku-a', 'm-a', 10000, 3)], rules: [crossStore('cs-300-50', 30000, 5000)], coupons: [storeCoupon('sc-300-40', 'm-a', amountOff(30000, 4000))] });
    // the store coupon first: 300 - 40 = 260 no longer reaches the reduction's 300
    assert.equal(appliedAmount(r, 'store_coupon', 'sc-300-40'), 4000);
    assert.equal(appliedAmount(r, 'cross_store_reduction', 'cs-300-50'), undefined);
    const exact = price({ lines: [cartLine('sku-a', 'm-a', 10000, 3)], rules: [crossStore('cs-300-50', 30000, 5000)] });
    assert.equal(appliedAmount(exact, 'cross_store_reduction', 'cs-300-50'), 5000);
    assert.equal(exact.payable, 25000);
  });

  test('below its step the reduction takes nothing', () => {
    const r = price({ lines: [cartLine('sku-a', 'm-a', 29999)], rules: [crossStore('cs-300-50', 30000, 5000)] });
    assert.deepEqual(r.applied, []);
    assert.equal(r.payable, 29999);
  });
});

describe('MECHANISMS 5 order of application: campaign price, store coupon, cross-store, platform coupon, instant, member, points', () => {
  const lines = [cartLine('sku-a', 'm-a', 30000), cartLine('sku-b', 'm-b', 30500)];
  const storeA = storeCoupon('sc-200-10', 'm-a', amountOff(20000, 1000));
  const rules = [crossStore('cs-300-50', 30000, 5000)];

  test('the store coupon comes first: it drops 605 to 595, so every-300-off-50 takes one step less', () => {
    const without = price({ lines, rules, coupons: [storeA], couponChoice: { codes: [] } });
    assert.equal(appliedAmount(without, 'cross_store_reduction', 'cs-300-50'), 10000);
    const r = price({ lines, rules, coupons: [storeA] });
    assert.equal(appliedAmount(r, 'store_coupon', 'sc-200-10'), 1000);
    assert.equal(appliedAmount(r, 'cross_store_reduction', 'cs-300-50'), 5000);
    // 5000 split 29000 : 30500
    assert.deepEqual(r.lines.map((l) => amountsOf(l, 'cross_store_reduction')), [[2437], [2563]]);
    assert.deepEqual(payables(r), [26563, 27937]);
  });

  test('the platform coupon comes after the reduction: its threshold sees 545, not 595', () => {
    const refused = price({ lines, rules, coupons: [storeA, platformCoupon('pc-550-30', amountOff(55000, 3000))], couponChoice: { codes: ['SC-200-10', 'PC-550-30'] } });
    assert.deepEqual(outcome(refused, 'PC-550-30').refusal, { reason: 'below_threshold', threshold: 55000, eligible: 54500 });
    assert.equal(refused.payable, 54500);
    const r = price({ lines, rules, coupons: [storeA, platformCoupon('pc-500-30', amountOff(50000, 3000))], couponChoice: { codes: ['SC-200-10', 'PC-500-30'] } });
    assert.equal(outcome(r, 'PC-500-30').applied, true);
    // 3000 split 26563 : 27937
    assert.deepEqual(r.lines.map((l) => amountsOf(l, 'platform_coupon')), [[1462], [1538]]);
    assert.deepEqual(payables(r), [25101, 26399]);
  });

  test('every step on one line, in order, each on what the line pays after the step before', () => {
    const r = price({
      lines: [cartLine('sku-a', 'm-a', 10000)],
      rules: [
        crossStore('cs-30-1', 3000, 100),
        { kind: 'instant_discount', id: 'id-10pct', fundedBy: 'merchant', offer: { type: 'percent_off', percentBps: 1000 }, scope: { merchantIds: ['m-a'] }, ...OPEN },
      ],
      coupons: [storeCoupon('sc-50-5', 'm-a', amountOff(5000, 500)), platformCoupon('pc-2', amountOff(0, 200))],
      membership: { planId: 'vip88', discountBps: 500 },
    });
    // 10000 -500 = 9500 (3 steps of 30) -300 = 9200 -200 = 9000 -10% 900 = 8100 -5% 405 = 7695
    assert.deepEqual(lineOf(r, 'sku-a').discounts, [
      { kind: 'store_coupon', sourceId: 'sc-50-5', amount: 500, fundedBy: 'merchant' },
      { kind: 'cross_store_reduction', sourceId: 'cs-30-1', amount: 300, fundedBy: 'platform' },
      { kind: 'platform_coupon', sourceId: 'pc-2', amount: 200, fundedBy: 'platform' },
      { kind: 'instant_discount', sourceId: 'id-10pct', amount: 900, fundedBy: 'merchant' },
      { kind: 'member_discount', sourceId: 'vip88', amount: 405, fundedBy: 'platform' },
    ]);
    assert.deepEqual([r.payable, r.merchantFunded, r.platformFunded, r.discountTotal], [7695, 1400, 905, 2305]);
    assertBalanced(r);
  });

  test('points come last (积分抵扣): at most 10% of 76.95, i.e. 769 points off, platform-funded, split over the lines', () => {
    const r = price({
      lines: [cartLine('sku-a', 'm-a', 10000), cartLine('sku-b', 'm-b', 5000)],
      coupons: [storeCoupon('sc-50-5', 'm-a', amountOff(5000, 500))],
      membership: { planId: 'vip88', discountBps: 500 },
      points: { available: 100_000, maxShareBps: 1000 },
    });
    // a: 10000 -500 -475 (5%) = 9025; b: 5000 -250 = 4750; together 13775, 10% = 1377 points, split 9025 : 4750
    assert.deepEqual(r.lines.map((l) => amountsOf(l, 'points')), [[902], [475]]);
    assert.deepEqual(r.lines.map((l) => l.discounts.at(-1)?.kind), ['points', 'points']);
    assert.deepEqual([r.pointsUsed, r.payable, r.platformFunded], [1377, 13775 - 1377, 475 + 250 + 1377]);
    assertBalanced(r);
    // Fewer points held than the cap: all of them, and nothing when none are held.
    assert.equal(price({ lines: [cartLine('sku-a', 'm-a', 10000)], points: { available: 300, maxShareBps: 1000 } }).pointsUsed, 300);
    assert.deepEqual(price({ lines: [cartLine('sku-a', 'm-a', 10000)], points: { available: 0, maxShareBps: 1000 } }).lines[0].discounts, []);
  });
});

describe('coupon offers, instant discounts (立减) and the member discount (95折)', () => {
  test('percent coupon 9折 with a cap: 10% of 700 is 70, capped at 50 and split 300 : 400', () => {
    const lines = [cartLine('sku-a', 'm-a', 30000), cartLine('sku-b', 'm-a', 40000)];
    const capped = price({ lines, coupons: [storeCoupon('sc-9z', 'm-a', percentOff(0, 1000, 5000))] });
    assert.equal(outcome(capped, 'SC-9Z').amount, 5000);
    assert.deepEqual(capped.lines.map((l) => amountsOf(l, 'store_coupon')), [[2143], [2857]]);
    const uncapped = price({ lines, coupons: [storeCoupon('sc-9z', 'm-a', percentOff(0, 1000, null))] });
    assert.deepEqual(uncapped.lines.map((l) => amountsOf(l, 'store_coupon')), [[3000], [4000]]);
  });

  test('percent coupon: floor of the percentage, and its threshold is checked like an amount coupon\'s', () => {
    const r = price({ lines: [cartLine('sku-a', 'm-a', 9999)], coupons: [storeCoupon('sc-15', 'm-a', percentOff(5000, 1500, null))] });
    assert.equal(outcome(r, 'SC-15').amount, 1499);
    const below = price({ lines: [cartLine('sku-a', 'm-a', 4999)], coupons: [storeCoupon('sc-15', 'm-a', percentOff(5000, 1500, null))] });
    assert.deepEqual(outcome(below, 'SC-15').refusal, { reason: 'below_threshold', threshold: 5000, eligible: 4999 });
  });

  test('no-threshold coupon (无门槛): 5 yuan off a 99 item', () => {
    const r = price({ lines: [cartLine('sku-a', 'm-a', 9900)], coupons: [platformCoupon('pc-5', amountOff(0, 500))] });
    assert.equal(r.payable, 9400);
    assert.deepEqual(r.applied, [{ kind: 'platform_coupon', sourceId: 'pc-5', amount: 500, fundedBy: 'platform' }]);
  });

  test('instant discount per unit: 3 off each of 3 units; never more than the line pays', () => {
    const perUnit = (off: number) => ({ kind: 'instant_discount', id: 'id-unit', fundedBy: 'merchant', offer: { type: 'per_unit', off }, scope: { skuIds: ['sku-a'] }, ...OPEN }) satisfies Rule;
    const r = price({ lines: [cartLine('sku-a', 'm-a', 2000, 3), cartLine('sku-b', 'm-a', 2000, 3)], rules: [perUnit(300)] });
    assert.deepEqual(lineOf(r, 'sku-a').discounts, [{ kind: 'instant_discount', sourceId: 'id-unit', amount: 900, fundedBy: 'merchant' }]);
    assert.deepEqual(lineOf(r, 'sku-b').discounts, []);
    assert.equal(lineOf(r, 'sku-a').payable, 5100);
    const all = price({ lines: [cartLine('sku-a', 'm-a', 2000, 2)], rules: [perUnit(3000)] });
    assert.equal(lineOf(all, 'sku-a').payable, 0);
    assert.deepEqual(amountsOf(lineOf(all, 'sku-a'), 'instant_discount'), [4000]);
  });

  test('instant discount by percent: floor, funded as the rule says; one per line, the one taking most off', () => {
    const pct: Rule = { kind: 'instant_discount', id: 'id-15pct', fundedBy: 'platform', offer: { type: 'percent_off', percentBps: 1500 }, scope: {}, ...OPEN };
    const r = price({ lines: [cartLine('sku-a', 'm-a', 9999)], rules: [pct] });
    assert.deepEqual(lineOf(r, 'sku-a').discounts, [{ kind: 'instant_discount', sourceId: 'id-15pct', amount: 1499, fundedBy: 'platform' }]);
    assert.equal(r.platformFunded, 1499);
    const perUnit: Rule = { kind: 'instant_discount', id: 'id-unit-3', fundedBy: 'merchant', offer: { type: 'per_unit', off: 300 }, scope: {}, ...OPEN };
    const tenPct: Rule = { kind: 'instant_discount', id: 'id-10pct', fundedBy: 'platform', offer: { type: 'percent_off', percentBps: 1000 }, scope: {}, ...OPEN };
    // 3 units of 20: 3 off each = 9, 10% = 6 -> per unit wins on this line; on one unit of 50, 10% = 5 beats 3
    const both = price({ lines: [cartLine('sku-a', 'm-a', 2000, 3), cartLine('sku-b', 'm-a', 5000)], rules: [tenPct, perUnit] });
    assert.deepEqual(lineOf(both, 'sku-a').discounts, [{ kind: 'instant_discount', sourceId: 'id-unit-3', amount: 900, fundedBy: 'merchant' }]);
    assert.deepEqual(lineOf(both, 'sku-b').discounts, [{ kind: 'instant_discount', sourceId: 'id-10pct', amount: 500, fundedBy: 'platform' }]);
    assert.deepEqual([both.merchantFunded, both.platformFunded], [900, 500]);
  });

  test('member discount 5% (95折): platform-funded, floor per line, only in the plan\'s scope', () => {
    const r = price({
      lines: [cartLine('sku-a', 'm-a', 1999), cartLine('sku-b', 'm-b', 30000), cartLine('sku-c', 'm-b', 30000, 1, { brandId: 'b-other' })],
      membership: { planId: 'vip88', discountBps: 500, scope: { merchantIds: ['m-a', 'm-b'], skuIds: ['sku-a', 'sku-b'] } },
    });
    assert.deepEqual(r.lines.map((l) => l.discounts), [
      [{ kind: 'member_discount', sourceId: 'vip88', amount: 99, fundedBy: 'platform' }],
      [{ kind: 'member_discount', sourceId: 'vip88', amount: 1500, fundedBy: 'platform' }],
      [],
    ]);
    assert.deepEqual(r.applied, [{ kind: 'member_discount', sourceId: 'vip88', amount: 1599, fundedBy: 'platform' }]);
    assert.deepEqual([r.platformFunded, r.payable], [1599, 1900 + 28500 + 30000]);
  });

  test('88VIP\'s "eligible brands and the platform supermarket": match any takes either list, match all only both', () => {
    const lines = [
      cartLine('sku-brand', 'm-b', 10000, 1, { brandId: 'b-vip' }), // an eligible brand in a marketplace store
      cartLine('sku-super', 'm-self', 10000, 1, { brandId: 'b-other' }), // any brand in the supermarket
      cartLine('sku-both', 'm-self', 10000, 1, { brandId: 'b-vip' }),
      cartLine('sku-none', 'm-b', 10000, 1, { brandId: 'b-other' }),
    ];
    const scope = { brandIds: ['b-vip'], merchantIds: ['m-self'] };
    const anyOf = price({ lines, membership: { planId: 'vip88', discountBps: 500, scope: { ...scope, match: 'any' } } });
    assert.deepEqual(anyOf.lines.map((l) => amountsOf(l, 'member_discount')), [[500], [500], [500], []]);
    const allOf = price({ lines, membership: { planId: 'vip88', discountBps: 500, scope } });
    assert.deepEqual(allOf.lines.map((l) => amountsOf(l, 'member_discount')), [[], [], [500], []]);
  });

  test('scopes: a category covers its leaves, a brand list matches the line\'s brand', () => {
    const lines = [cartLine('sku-phone', 'm-a', 10000, 1, { brandId: 'b-1' }), cartLine('sku-tea', 'm-a', 10000, 1, { categoryIds: ['c-food', 'c-tea'], brandId: 'b-2' })];
    const byCategory = price({ lines, coupons: [platformCoupon('pc-digital', amountOff(0, 1000), { scope: { categoryIds: ['c-digital'] } })] });
    assert.deepEqual(byCategory.lines.map((l) => amountsOf(l, 'platform_coupon')), [[1000], []]);
    const byBrand = price({ lines, coupons: [platformCoupon('pc-b2', amountOff(0, 1000), { scope: { brandIds: ['b-2'] } })] });
    assert.deepEqual(byBrand.lines.map((l) => amountsOf(l, 'platform_coupon')), [[], [1000]]);
    const both = price({ lines, coupons: [platformCoupon('pc-x', amountOff(0, 1000), { scope: { categoryIds: ['c-food'], brandIds: ['b-1'] } })] });
    assert.deepEqual(outcome(both, 'PC-X').refusal, { reason: 'no_eligible_lines' });
  });
});

describe('campaign prices: flash sale (秒杀), live price, list price', () => {
  const flash = (unitPrice: number, window = OPEN): Rule => ({ kind: 'flash_sale', id: 'fs-1', skuId: 'sku-a', unitPrice, perPersonLimit: 1, ...window });
  const live = (unitPrice: number) => ({ livePrice: { unitPrice, sessionId: 'live-1' } });

  test('in its window the flash-sale price wins over list and live price', () => {
    const r = price({ lines: [cartLine('sku-a', 'm-a', 10000, 2, live(8000))], rules: [flash(7000)] });
    const l = lineOf(r, 'sku-a');
    assert.deepEqual([l.unitPrice, l.priceSource, l.flashSaleId, l.liveSessionId], [7000, 'flash_sale', 'fs-1', undefined]);
    assert.deepEqual(l.discounts, [{ kind: 'flash_sale', sourceId: 'fs-1', amount: 6000, fundedBy: 'merchant' }]);
    assert.deepEqual([l.payable, l.merchantFunded], [14000, 6000]);
  });

  test('a tie between flash-sale and live price goes to the flash sale; a lower live price wins', () => {
    assert.equal(lineOf(price({ lines: [cartLine('sku-a', 'm-a', 10000, 1, live(7000))], rules: [flash(7000)] }), 'sku-a').priceSource, 'flash_sale');
    const l = lineOf(price({ lines: [cartLine('sku-a', 'm-a', 10000, 1, live(6000))], rules: [flash(7000)] }), 'sku-a');
    assert.deepEqual([l.unitPrice, l.priceSource, l.liveSessionId, l.flashSaleId], [6000, 'live', 'live-1', undefined]);
    assert.deepEqual(l.discounts, [{ kind: 'live_price', sourceId: 'live-1', amount: 4000, fundedBy: 'merchant' }]);
  });

  test('outside its window the flash sale does not apply: list price (or the live price)', () => {
    for (const at of [OPEN.startsAt - 1, OPEN.endsAt]) {
      const l = lineOf(price({ lines: [cartLine('sku-a', 'm-a', 10000)], rules: [flash(7000)], at }), 'sku-a');
      assert.deepEqual([l.unitPrice, l.priceSource, l.flashSaleId, l.discounts.length, l.payable], [10000, 'list', undefined, 0, 10000]);
    }
    assert.equal(lineOf(price({ lines: [cartLine('sku-a', 'm-a', 10000)], rules: [flash(7000)], at: OPEN.startsAt }), 'sku-a').unitPrice, 7000);
    const withLive = lineOf(price({ lines: [cartLine('sku-a', 'm-a', 10000, 1, live(8000))], rules: [flash(7000)], at: OPEN.endsAt }), 'sku-a');
    assert.deepEqual([withLive.unitPrice, withLive.priceSource], [8000, 'live']);
  });

  test('a campaign price above the list price is ignored', () => {
    const l = lineOf(price({ lines: [cartLine('sku-a', 'm-a', 10000, 1, live(11000))], rules: [flash(12000)] }), 'sku-a');
    assert.deepEqual([l.unitPrice, l.priceSource, l.discounts.length, l.payable], [10000, 'list', 0, 10000]);
  });

  test('thresholds see the campaign price: a flash-sale line counts what it pays, not its list price', () => {
    const r = price({ lines: [cartLine('sku-a', 'm-a', 10000)], rules: [flash(7000)], coupons: [storeCoupon('sc-80-10', 'm-a', amountOff(8000, 1000))] });
    assert.deepEqual(outcome(r, 'SC-80-10').refusal, { reason: 'below_threshold', threshold: 8000, eligible: 7000 });
  });
});

describe('coupon choice', () => {
  const lines = [cartLine('sku-a', 'm-a', 15000), cartLine('sku-b', 'm-b', 8000)];
  const sc1 = storeCoupon('sc-1', 'm-a', amountOff(10000, 1000));
  const sc2 = storeCoupon('sc-2', 'm-a', percentOff(0, 1000, 2000));
  const sc3 = storeCoupon('sc-3', 'm-b', amountOff(10000, 1000));
  const pc1 = platformCoupon('pc-1', amountOff(0, 500));
  const pc2 = platformCoupon('pc-2', amountOff(0, 800));

  test("'best' picks per store the coupon taking most off and reports every held coupon", () => {
    const r = price({ lines, coupons: [sc1, sc2, sc3, pc1, pc2] });
    assert.deepEqual({ ...outcome(r, 'SC-2'), refusal: undefined }, { couponId: 'sc-2', code: 'SC-2', kind: 'store_coupon', merchantId: 'm-a', applied: true, amount: 1500, refusal: undefined });
    assertNotStackable(outcome(r, 'SC-1'), sc2);
    assert.deepEqual(outcome(r, 'SC-3').refusal, { reason: 'below_threshold', threshold: 10000, eligible: 8000 });
    assert.deepEqual([outcome(r, 'PC-2').applied, outcome(r, 'PC-2').amount], [true, 800]);
    assertNotStackable(outcome(r, 'PC-1'), pc2);
    assert.equal(r.coupons.length, 5);
    assert.equal(r.payable, 23000 - 1500 - 800);
  });

  test("'best': a tie between two coupons of a store goes to the lowest id, whatever order they are held in", () => {
    const b = storeCoupon('sc-b', 'm-a', amountOff(0, 1000));
    const a = storeCoupon('sc-a', 'm-a', amountOff(10000, 1000));
    for (const coupons of [[a, b], [b, a]]) {
      const r = price({ lines, coupons });
      assert.equal(outcome(r, 'SC-A').applied, true);
      assertNotStackable(outcome(r, 'SC-B'), a);
    }
  });

  test('explicit codes: exactly those, the first of one store applies and the second is not_stackable', () => {
    const r = price({ lines, coupons: [sc1, sc2, sc3, pc1, pc2], couponChoice: { codes: ['SC-1', 'SC-2', 'PC-1', 'PC-2'] } });
    assert.deepEqual([outcome(r, 'SC-1').applied, outcome(r, 'SC-1').amount], [true, 1000]);
    assertNotStackable(outcome(r, 'SC-2'), sc1);
    assert.deepEqual([outcome(r, 'PC-1').applied, outcome(r, 'PC-1').amount], [true, 500]);
    assertNotStackable(outcome(r, 'PC-2'), pc1);
    assert.deepEqual(r.coupons.map((c) => c.code).sort(), ['PC-1', 'PC-2', 'SC-1', 'SC-2']);
    assert.equal(r.payable, 23000 - 1000 - 500);
  });

  test("explicit codes: a code the shopper does not hold is refused 'unknown'", () => {
    const r = price({ lines, coupons: [sc1], couponChoice: { codes: ['NOPE', 'SC-1'] } });
    assert.deepEqual([outcome(r, 'NOPE').applied, outcome(r, 'NOPE').amount, outcome(r, 'NOPE').refusal], [false, 0, { reason: 'unknown' }]);
    assert.equal(outcome(r, 'SC-1').applied, true);
  });

  test('explicit codes: threshold not met is below_threshold with the threshold and the eligible amount', () => {
    const r = price({ lines, coupons: [sc3], couponChoice: { codes: ['SC-3'] } });
    assert.deepEqual(outcome(r, 'SC-3'), { couponId: 'sc-3', code: 'SC-3', kind: 'store_coupon', merchantId: 'm-b', applied: false, amount: 0, refusal: { reason: 'below_threshold', threshold: 10000, eligible: 8000 } });
  });

  test('coupon window: expired at its end, not started before its start, valid from its start', () => {
    const expired = storeCoupon('sc-old', 'm-a', amountOff(0, 100), { startsAt: AT - HOUR, endsAt: AT });
    const early = storeCoupon('sc-new', 'm-a', amountOff(0, 100), { startsAt: AT + 1, endsAt: AT + HOUR });
    const fresh = platformCoupon('pc-now', amountOff(0, 100), { startsAt: AT, endsAt: AT + 1 });
    const r = price({ lines, coupons: [expired, early, fresh], couponChoice: { codes: ['SC-OLD', 'SC-NEW', 'PC-NOW'] } });
    assert.deepEqual(outcome(r, 'SC-OLD').refusal, { reason: 'expired' });
    assert.deepEqual(outcome(r, 'SC-NEW').refusal, { reason: 'not_started' });
    assert.equal(outcome(r, 'PC-NOW').applied, true);
    const best = price({ lines, coupons: [expired, early] });
    assert.deepEqual(best.coupons.map((c) => [c.code, c.applied, c.refusal?.reason]).sort(), [['SC-NEW', false, 'not_started'], ['SC-OLD', false, 'expired']]);
  });

  test('a store coupon of a store not in the cart has no eligible lines; a percentage of a few fen takes nothing off', () => {
    const r = price({ lines, coupons: [storeCoupon('sc-z', 'm-z', amountOff(0, 100))] });
    assert.deepEqual(outcome(r, 'SC-Z').refusal, { reason: 'no_eligible_lines' });
    const tiny = price({ lines: [cartLine('sku-s', 'm-a', 5)], coupons: [storeCoupon('sc-1pct', 'm-a', percentOff(0, 100, null))] });
    assert.deepEqual([outcome(tiny, 'SC-1PCT').applied, outcome(tiny, 'SC-1PCT').refusal], [false, { reason: 'takes_nothing_off' }]);
  });
});

describe('refund share (MECHANISMS 5: a refund returns the line\'s apportioned paid amount)', () => {
  const line = { payable: 10000, quantity: 3 };

  test('refunding 1 of 3 units, then the other 2: 33.33 then 66.67, exactly the line\'s payable', () => {
    const first = refundShare(line, { quantity: 0, amount: 0 }, 1);
    assert.equal(first, 3333);
    const rest = refundShare(line, { quantity: 1, amount: first }, 2);
    assert.equal(rest, 6667);
    assert.equal(first + rest, 10000);
  });

  test('unit by unit: 33.33, 33.33, 33.34; the last unit takes what is left', () => {
    let refunded = { quantity: 0, amount: 0 };
    const steps: number[] = [];
    for (let i = 0; i < 3; i++) {
      const amount = refundShare(line, refunded, 1);
      steps.push(amount);
      refunded = { quantity: refunded.quantity + 1, amount: refunded.amount + amount };
    }
    assert.deepEqual(steps, [3333, 3333, 3334]);
  });

  test('all at once, a free line, a fen over three units', () => {
    assert.equal(refundShare(line, { quantity: 0, amount: 0 }, 3), 10000);
    assert.equal(refundShare({ payable: 0, quantity: 2 }, { quantity: 0, amount: 0 }, 1), 0);
    assert.deepEqual([refundShare({ payable: 1, quantity: 3 }, { quantity: 0, amount: 0 }, 2), refundShare({ payable: 1, quantity: 3 }, { quantity: 2, amount: 0 }, 1)], [0, 1]);
  });
});
