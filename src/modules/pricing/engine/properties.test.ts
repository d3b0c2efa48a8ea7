/**
 * The price engine's invariants on random carts and rule sets (fast-check): totals balance,
 * nothing goes below 0, no discount exceeds its rule, shares add up, refunds return exactly
 * what was paid, and the result does not depend on the order of lines, rules or coupons.
 * The checks are derived from the contract (types.ts) and engine-spec.md, not from the engine's
 * code; on presale amounts they follow types.ts (the shopper pays unitPrice - unitDepositValue
 * in all, the deposit included), which MECHANISMS 4's example agrees with.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { seededRandom } from '../../../shared/random.ts';
import { apportion } from './apportion.ts';
import { priceCheckout } from './price-checkout.ts';
import { refundShare } from './refund.ts';
import type { CartLine, Coupon, CouponOffer, CrossStoreReduction, DiscountKind, FlashSale, InstantDiscount, Membership, Presale, PriceInput, PriceResult, PricedLine, Rule, Scope, Window } from './types.ts';

const RUNS = { numRuns: 300 };
const HOUR = 3_600_000;
const AT = Date.UTC(2025, 10, 11, 4);
const OPEN: Window = { startsAt: AT - HOUR, endsAt: AT + HOUR };
const CATEGORY_PATHS = [['c-food', 'c-snack'], ['c-food', 'c-tea'], ['c-beauty', 'c-lip'], ['c-beauty', 'c-skin'], ['c-home']];
const CATEGORY_IDS = [...new Set(CATEGORY_PATHS.flat())];
const BRANDS = ['b-1', 'b-2', 'b-3', 'b-4'];

// ---- arbitraries: money on every scale, windows around `at`, scopes from small pools ----------------------

/** Fen from 1 up to max, with small and middling amounts as likely as large ones. */
const fen = (max: number) => fc.oneof(fc.integer({ min: 1, max: Math.min(max, 1_000) }), fc.integer({ min: 1, max: Math.min(max, 100_000) }), fc.integer({ min: 1, max }));
const bps = (min: number, max: number) => fc.integer({ min, max });
/** A percentage off: mostly up to 30%, sometimes anything up to 100%. */
const percent = fc.oneof({ arbitrary: bps(1, 3000), weight: 3 }, { arbitrary: bps(1, 10000), weight: 1 });
const sometimes = <T>(arb: fc.Arbitrary<T>, inFour = 1) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 - inFour }, { arbitrary: arb, weight: inFour });
/** Mostly open; otherwise starting or ending on the hour around `at`, so `at` hits the boundaries. */
const windowArb: fc.Arbitrary<Window> = fc.oneof(
  { arbitrary: fc.constant(OPEN), weight: 3 },
  { arbitrary: fc.record({ start: fc.integer({ min: -3, max: 1 }), hours: fc.integer({ min: 1, max: 3 }) }).map(({ start, hours }) => ({ startsAt: AT + start * HOUR, endsAt: AT + (start + hours) * HOUR })), weight: 2 },
);
const picks = fc.array(fc.nat({ max: 99 }), { minLength: 1, maxLength: 3 });
const rawScope = sometimes(fc.record({ by: fc.constantFrom('merchant', 'category', 'brand', 'sku', 'product', 'merchant+category', 'merchant|brand'), picks }), 2);
type RawScope = typeof rawScope extends fc.Arbitrary<infer T> ? T : never;

const rawLine = fc.record({
  store: fc.nat({ max: 11 }),
  product: fc.nat({ max: 3 }),
  category: fc.nat({ max: CATEGORY_PATHS.length - 1 }),
  brand: sometimes(fc.nat({ max: BRANDS.length - 1 }), 3),
  quantity: fc.integer({ min: 1, max: 20 }),
  listPrice: fen(10_000_000),
  live: sometimes(fc.record({ priceBps: bps(1000, 12000), session: fc.nat({ max: 2 }) })),
  balance: sometimes(fc.record({ priceBps: bps(5000, 10000), depositBps: bps(1, 2000), expansionBps: bps(10000, 30000) })),
});
const offerArb: fc.Arbitrary<CouponOffer> = fc.oneof(
  fc.record({ type: fc.constant('amount_off' as const), threshold: fc.oneof(fc.constant(0), fen(20_000_000)), off: fen(5_000_000) }),
  fc.record({ type: fc.constant('percent_off' as const), threshold: fc.oneof(fc.constant(0), fen(20_000_000)), percentBps: percent, cap: fc.oneof(fc.constant(null), fen(5_000_000)) }),
);
/** A store coupon is mostly for a store in the cart (`store` picks a line's store), sometimes for another one. */
const rawCoupon = fc.record({ store: fc.nat({ max: 99 }), elsewhere: fc.boolean(), offer: offerArb, scope: rawScope, window: windowArb });
const rawRules = fc.record({
  flashSales: fc.array(fc.record({ line: fc.nat(), priceBps: bps(1000, 12000), window: windowArb }), { maxLength: 4 }),
  presales: fc.array(fc.record({ line: fc.nat(), priceBps: bps(5000, 10000), depositBps: bps(1, 2000), expansionBps: bps(10000, 30000), window: windowArb }), { maxLength: 3 }),
  storeCoupons: fc.array(rawCoupon, { maxLength: 16 }),
  platformCoupons: fc.array(rawCoupon, { maxLength: 4 }),
  crossStore: fc.array(fc.record({ every: fen(20_000_000), offBps: bps(1, 5000), maxOff: fc.oneof(fc.constant(null), fen(5_000_000)), scope: rawScope, window: windowArb }), { maxLength: 3 }),
  instants: fc.array(fc.record({
    fundedBy: fc.constantFrom('merchant' as const, 'platform' as const),
    offer: fc.oneof(fc.record({ type: fc.constant('per_unit' as const), off: fen(1_000_000) }), fc.record({ type: fc.constant('percent_off' as const), percentBps: percent })),
    scope: rawScope, window: windowArb,
  }), { maxLength: 4 }),
  membership: sometimes(fc.record({ discountBps: bps(1, 2000), scope: rawScope }), 2),
  points: sometimes(fc.record({ available: fc.oneof(fc.nat({ max: 2000 }), fen(50_000_000)), maxShareBps: bps(1, 10000) }), 2),
  choice: fc.oneof(fc.constant('best' as const), fc.array(fc.nat({ max: 99 }), { maxLength: 6 })),
});
const raw = fc.record({
  storeCount: fc.integer({ min: 1, max: 12 }),
  lines: fc.oneof(fc.array(rawLine, { minLength: 1, maxLength: 8 }), fc.array(rawLine, { minLength: 1, maxLength: 60, size: 'max' })),
  rules: rawRules,
});
type Raw = typeof raw extends fc.Arbitrary<infer T> ? T : never;

const ofBps = (amount: number, b: number) => Math.max(1, Math.floor((amount * b) / 10000));
/**
 * A valid presale on a price: a deposit of at most 20% (Civil Code Art. 586) that takes off
 * between 1x and 3x itself, deposit and expansion together at most the price (the shopper
 * pays unitPrice - unitDepositValue in all, the deposit included: types.ts).
 */
function presaleTerms(unitPrice: number, depositBps: number, expansionBps: number) {
  const unitDeposit = ofBps(unitPrice, depositBps);
  return { unitPrice, unitDeposit, unitDepositValue: Math.min(unitPrice - unitDeposit, Math.floor((unitDeposit * expansionBps) / 10000)) };
}
const PRESALE_MIN_PRICE = 10;
const merchantOf = (store: number, storeCount: number) => `m-${store % storeCount}`;

function toLines({ storeCount, lines }: Raw): CartLine[] {
  return lines.map((l, i) => {
    const merchantId = merchantOf(l.store, storeCount);
    const line: CartLine = {
      // skuIds out of line order, so a tie broken by position and one broken by skuId differ
      skuId: `sku-${String((i * 7919) % 1000).padStart(3, '0')}`,
      productId: `p-${merchantId}-${l.product}`,
      merchantId,
      categoryIds: CATEGORY_PATHS[l.category],
      quantity: l.quantity,
      listPrice: l.listPrice,
    };
    if (l.brand !== undefined) line.brandId = BRANDS[l.brand];
    if (l.live) line.livePrice = { unitPrice: ofBps(l.listPrice, l.live.priceBps), sessionId: `live-${l.live.session}` };
    if (l.balance && l.listPrice >= PRESALE_MIN_PRICE) {
      const unitPrice = Math.max(PRESALE_MIN_PRICE, ofBps(l.listPrice, l.balance.priceBps));
      line.presaleBalance = { presaleId: `ps-old-${i}`, presaleOrderId: `pso-${i}`, ...presaleTerms(unitPrice, l.balance.depositBps, l.balance.expansionBps) };
    }
    return line;
  });
}

function toScope(s: RawScope, lines: CartLine[], storeCount: number): Scope | undefined {
  if (!s) return undefined;
  const pick = <T>(pool: T[]) => [...new Set(s.picks.map((p) => pool[p % pool.length]))];
  const merchants = Array.from({ length: storeCount + 1 }, (_, i) => `m-${i}`); // one store not in the cart
  switch (s.by) {
    case 'merchant': return { merchantIds: pick(merchants) };
    case 'category': return { categoryIds: pick(CATEGORY_IDS) };
    case 'brand': return { brandIds: pick(BRANDS) };
    case 'sku': return { skuIds: pick(lines.map((l) => l.skuId)) };
    case 'product': return { productIds: pick(lines.map((l) => l.productId)) };
    case 'merchant|brand': return { merchantIds: pick(merchants), brandIds: pick(BRANDS), match: 'any' };
    default: return { merchantIds: pick(merchants), categoryIds: pick(CATEGORY_IDS) };
  }
}
const withScope = <T extends object>(thing: T, scope: Scope | undefined): T => (scope ? { ...thing, scope } : thing);

/** One flash sale and one presale per SKU at most, as the modules that feed the engine keep them. */
function campaignRules(r: Raw['rules'], lines: CartLine[]): Rule[] {
  const onSku = <T extends { line: number }>(xs: T[]) => [...new Map(xs.map((x) => [lines[x.line % lines.length].skuId, x] as const)).entries()];
  const flash = onSku(r.flashSales).map(([skuId, f], i): FlashSale => ({
    kind: 'flash_sale', id: `fs-${i}`, skuId, unitPrice: ofBps(lines.find((l) => l.skuId === skuId)!.listPrice, f.priceBps), perPersonLimit: 2, ...f.window,
  }));
  const presales = onSku(r.presales).filter(([skuId]) => lines.find((l) => l.skuId === skuId)!.listPrice >= PRESALE_MIN_PRICE).map(([skuId, p], i): Presale => {
    const unitPrice = Math.max(PRESALE_MIN_PRICE, ofBps(lines.find((l) => l.skuId === skuId)!.listPrice, p.priceBps));
    return {
      kind: 'presale', id: `ps-${i}`, skuId, ...presaleTerms(unitPrice, p.depositBps, p.expansionBps),
      depositStartsAt: p.window.startsAt, depositEndsAt: p.window.endsAt, balanceStartsAt: p.window.endsAt + HOUR, balanceEndsAt: p.window.endsAt + 49 * HOUR,
    };
  });
  return [...flash, ...presales];
}

function toInput(x: Raw): PriceInput {
  const { rules: r, storeCount } = x;
  const lines = toLines(x);
  const scope = (s: RawScope) => toScope(s, lines, storeCount);
  const storeCoupons = r.storeCoupons.map((c, i): Coupon => withScope({ kind: 'store_coupon', id: `sc-${i}`, code: `SC-${i}`, merchantId: c.elsewhere && c.store % 4 === 0 ? `m-${storeCount}` : lines[c.store % lines.length].merchantId, offer: c.offer, ...c.window }, scope(c.scope)));
  const platformCoupons = r.platformCoupons.map((c, i): Coupon => withScope({ kind: 'platform_coupon', id: `pc-${i}`, code: `PC-${i}`, offer: c.offer, ...c.window }, scope(c.scope)));
  const crossStore = r.crossStore.map((c, i): CrossStoreReduction => withScope({ kind: 'cross_store_reduction', id: `cs-${i}`, every: c.every, off: ofBps(c.every, c.offBps), maxOff: c.maxOff, ...c.window }, scope(c.scope)));
  const instants = r.instants.map((d, i): InstantDiscount => ({ kind: 'instant_discount', id: `id-${i}`, fundedBy: d.fundedBy, offer: d.offer, scope: scope(d.scope) ?? {}, ...d.window }));
  const coupons = [...storeCoupons, ...platformCoupons];
  const codes = r.choice === 'best' ? null : [...new Set(r.choice.map((p) => (p % (coupons.length + 1) === coupons.length ? `NOPE-${p}` : coupons[p % (coupons.length + 1)].code)))];
  const membership: Membership | undefined = r.membership && withScope({ planId: 'vip88', discountBps: r.membership.discountBps }, scope(r.membership.scope));
  return {
    lines,
    rules: [...campaignRules(r, lines), ...crossStore, ...instants],
    coupons,
    couponChoice: codes ? { codes } : 'best',
    ...(membership ? { membership } : {}),
    ...(r.points ? { points: r.points } : {}),
    at: AT,
  };
}
const inputs = raw.map(toInput);

// ---- what the checks know: the contract's step order, scopes and windows ----------------------------------

const STEP: Record<DiscountKind, number> = {
  flash_sale: 1, presale: 1, live_price: 1, deposit_expansion: 1,
  store_coupon: 2, cross_store_reduction: 3, platform_coupon: 4, instant_discount: 5, member_discount: 6, points: 7,
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const inWindow = (w: Window, at: number) => w.startsAt <= at && at < w.endsAt;
function inScope(scope: Scope | undefined, l: CartLine): boolean {
  if (!scope) return true;
  const given = [
    [scope.merchantIds, (id: string) => id === l.merchantId], [scope.productIds, (id: string) => id === l.productId], [scope.skuIds, (id: string) => id === l.skuId],
    [scope.categoryIds, (id: string) => l.categoryIds.includes(id)], [scope.brandIds, (id: string) => id === l.brandId],
  ] as const;
  const results = given.filter(([list]) => list?.length).map(([list, test]) => list!.some(test));
  return scope.match === 'any' ? !results.length || results.includes(true) : results.every(Boolean);
}
/** What the line still pays when step `step` starts, read back from the discounts before it. */
const remainingBefore = (l: PricedLine, step: number) => l.listTotal - l.paidBefore - l.payLater - sum(l.discounts.filter((d) => STEP[d.kind] < step).map((d) => d.amount));

interface Priced { input: PriceInput; result: PriceResult; pairs: { cart: CartLine; priced: PricedLine }[] }
function run(input: PriceInput): Priced {
  const result = priceCheckout(input);
  assert.equal(result.lines.length, input.lines.length);
  const pairs = input.lines.map((cart, i) => ({ cart, priced: result.lines[i] }));
  for (const { cart, priced } of pairs) assert.equal(priced.skuId, cart.skuId, 'lines come back in input order');
  return { input, result, pairs };
}

/**
 * The lines a discount may go to at `step` (a superset of the eligible ones), what they still
 * pay, and its threshold base: a presale balance line counts its presale price less the
 * discounts so far, i.e. the deposit it already paid is added back.
 */
function candidates(p: Priced, step: number, scope: Scope | undefined, merchantId?: string) {
  const lines = p.pairs.filter(({ cart, priced }) => !priced.presaleDeposit && inScope(scope, cart) && (!merchantId || cart.merchantId === merchantId) && remainingBefore(priced, step) > 0);
  const remaining = sum(lines.map(({ priced }) => remainingBefore(priced, step)));
  const base = remaining + sum(lines.map(({ priced }) => priced.paidBefore));
  return { lines, remaining, base };
}
function linesWith(p: Priced, kind: DiscountKind, sourceId: string) {
  return p.pairs.filter(({ priced }) => priced.discounts.some((d) => d.kind === kind && d.sourceId === sourceId));
}

function checkCoupon(p: Priced, coupon: Coupon, amount: number) {
  const step = coupon.kind === 'store_coupon' ? 2 : 4;
  assert.ok(inWindow(coupon, p.input.at), `coupon ${coupon.id} applied outside its window`);
  const { lines, remaining, base } = candidates(p, step, coupon.scope, coupon.merchantId);
  for (const { cart } of linesWith(p, coupon.kind, coupon.id)) assert.ok(lines.some((c) => c.cart === cart), `coupon ${coupon.id} went to ineligible line ${cart.skuId}`);
  assert.ok(amount <= remaining, `coupon ${coupon.id} took ${amount} > remaining ${remaining}`);
  assert.ok(base >= coupon.offer.threshold, `coupon ${coupon.id} applied below its threshold ${coupon.offer.threshold} (base at most ${base})`);
  if (coupon.offer.type === 'amount_off') assert.ok(amount <= coupon.offer.off, `coupon ${coupon.id} took ${amount} > off ${coupon.offer.off}`);
  else {
    assert.ok(amount <= Math.floor((remaining * coupon.offer.percentBps) / 10000), `coupon ${coupon.id} took ${amount} > its percentage of ${remaining}`);
    if (coupon.offer.cap !== null) assert.ok(amount <= coupon.offer.cap, `coupon ${coupon.id} took ${amount} > cap ${coupon.offer.cap}`);
  }
}

function checkCrossStore(p: Priced, rule: CrossStoreReduction, amount: number) {
  assert.ok(inWindow(rule, p.input.at));
  const { lines, remaining, base } = candidates(p, 3, rule.scope);
  for (const { cart } of linesWith(p, 'cross_store_reduction', rule.id)) assert.ok(lines.some((c) => c.cart === cart), `reduction ${rule.id} went to ineligible ${cart.skuId}`);
  assert.ok(amount <= remaining);
  assert.ok(amount <= rule.off * Math.floor(base / rule.every), `reduction ${rule.id} took ${amount} > ${rule.off} x floor(${base}/${rule.every})`);
  if (rule.maxOff !== null) assert.ok(amount <= rule.maxOff);
}

function checkLineDiscounts({ cart, priced }: Priced['pairs'][number], input: PriceInput) {
  const rules = input.rules;
  for (const d of priced.discounts) {
    if (d.kind === 'instant_discount') {
      const rule = rules.find((r): r is InstantDiscount => r.kind === 'instant_discount' && r.id === d.sourceId);
      assert.ok(rule && inWindow(rule, input.at) && inScope(rule.scope, cart) && !priced.presaleDeposit, `instant ${d.sourceId} on ${cart.skuId}`);
      const remaining = remainingBefore(priced, 5);
      assert.equal(d.fundedBy, rule.fundedBy);
      assert.ok(d.amount <= remaining);
      assert.ok(d.amount <= (rule.offer.type === 'per_unit' ? rule.offer.off * cart.quantity : Math.floor((remaining * rule.offer.percentBps) / 10000)), `instant ${d.sourceId} took ${d.amount} on ${cart.skuId}`);
    }
    if (d.kind === 'flash_sale') {
      const rule = rules.find((r): r is FlashSale => r.kind === 'flash_sale' && r.id === d.sourceId);
      assert.ok(rule && rule.skuId === cart.skuId && inWindow(rule, input.at) && rule.unitPrice < cart.listPrice);
      assert.equal(d.amount, (cart.listPrice - rule.unitPrice) * cart.quantity);
    }
    if (d.kind === 'live_price') {
      assert.ok(cart.livePrice && cart.livePrice.sessionId === d.sourceId && cart.livePrice.unitPrice < cart.listPrice);
      assert.equal(d.amount, (cart.listPrice - cart.livePrice.unitPrice) * cart.quantity);
    }
  }
  assert.ok(priced.discounts.filter((d) => d.kind === 'instant_discount').length <= 1, `more than one instant discount on ${cart.skuId}`);
  const memberOff = priced.discounts.filter((d) => d.kind === 'member_discount');
  const m = input.membership;
  const memberDue = m && !priced.presaleDeposit && inScope(m.scope, cart) ? Math.floor((Math.max(0, remainingBefore(priced, 6)) * m.discountBps) / 10000) : 0;
  assert.equal(sum(memberOff.map((d) => d.amount)), memberDue, `member discount on ${cart.skuId}`);
  assert.ok(memberOff.every((d) => d.sourceId === m?.planId && d.fundedBy === 'platform'));
}

// ---- the properties -------------------------------------------------------------------------------------

test('totals: the whole pays the sum of its lines; listTotal - discounts = paidBefore + payable + payLater per line and in total', () => {
  fc.assert(fc.property(inputs, (input) => {
    const { result } = run(input);
    for (const l of result.lines) {
      assert.equal(l.listTotal, l.listPrice * l.quantity);
      assert.equal(l.listTotal - sum(l.discounts.map((d) => d.amount)), l.paidBefore + l.payable + l.payLater, `line ${l.skuId}`);
    }
    const total = (f: (l: PricedLine) => number) => sum(result.lines.map(f));
    assert.equal(result.payable, total((l) => l.payable));
    assert.equal(result.listTotal, total((l) => l.listTotal));
    assert.equal(result.discountTotal, total((l) => sum(l.discounts.map((d) => d.amount))));
    assert.equal(result.paidBefore, total((l) => l.paidBefore));
    assert.equal(result.payLater, total((l) => l.payLater));
    assert.equal(result.listTotal - result.discountTotal, result.paidBefore + result.payable + result.payLater);
  }), RUNS);
});

test('nothing below 0: no line pays less than 0, no discount is negative, no campaign raises a price', () => {
  fc.assert(fc.property(inputs, (input) => {
    const { result, pairs } = run(input);
    for (const { cart, priced } of pairs) {
      for (const x of [priced.payable, priced.paidBefore, priced.payLater]) assert.ok(Number.isSafeInteger(x) && x >= 0, `line ${priced.skuId}: ${x}`);
      for (const d of priced.discounts) assert.ok(Number.isSafeInteger(d.amount) && d.amount >= 0, `discount ${d.kind} ${d.sourceId}: ${d.amount}`);
      assert.ok(priced.unitPrice <= cart.listPrice && priced.unitPrice >= 0);
    }
    for (const a of result.applied) assert.ok(a.amount > 0, `applied ${a.sourceId} with ${a.amount}`);
  }), RUNS);
});

test('no discount beyond its rule: coupons, reductions, instant and member discounts within their offers, windows and scopes', () => {
  fc.assert(fc.property(inputs, (input) => {
    const p = run(input);
    const { result } = p;
    for (const a of result.applied) {
      if (a.kind === 'store_coupon' || a.kind === 'platform_coupon') {
        const coupon = input.coupons.find((c) => c.id === a.sourceId && c.kind === a.kind);
        assert.ok(coupon, `applied unknown coupon ${a.sourceId}`);
        checkCoupon(p, coupon, a.amount);
      }
      if (a.kind === 'cross_store_reduction') {
        const rule = input.rules.find((r): r is CrossStoreReduction => r.kind === 'cross_store_reduction' && r.id === a.sourceId);
        assert.ok(rule, `applied unknown reduction ${a.sourceId}`);
        checkCrossStore(p, rule, a.amount);
      }
    }
    const appliedOf = (kind: DiscountKind) => result.applied.filter((a) => a.kind === kind);
    assert.ok(appliedOf('cross_store_reduction').length <= 1, 'one cross-store reduction per checkout');
    assert.ok(appliedOf('platform_coupon').length <= 1, 'one platform coupon per checkout');
    const storesWithCoupon = appliedOf('store_coupon').map((a) => input.coupons.find((c) => c.id === a.sourceId)!.merchantId);
    assert.equal(new Set(storesWithCoupon).size, storesWithCoupon.length, 'one store coupon per store');
    for (const pair of p.pairs) checkLineDiscounts(pair, input);
    checkPoints(p);
  }), RUNS);
});

/** Points: min(held, the share of what the non-deposit lines pay at step 7), platform-funded, and the total says so. */
function checkPoints({ input, result, pairs }: Priced) {
  const used = pairs.flatMap(({ priced }) => priced.discounts.filter((d) => d.kind === 'points'));
  assert.ok(used.every((d) => d.sourceId === 'points' && d.fundedBy === 'platform'));
  assert.equal(result.pointsUsed, sum(used.map((d) => d.amount)));
  const paying = sum(pairs.filter(({ priced }) => !priced.presaleDeposit).map(({ priced }) => Math.max(0, remainingBefore(priced, 7))));
  const due = input.points ? Math.min(input.points.available, Math.floor((paying * input.points.maxShareBps) / 10000)) : 0;
  assert.equal(result.pointsUsed, due);
}

test('apportioned shares add up: per source, the lines\' discounts sum to the applied amount; outcomes agree', () => {
  fc.assert(fc.property(inputs, (input) => {
    const { result } = run(input);
    const key = (kind: DiscountKind, sourceId: string) => `${kind}/${sourceId}`;
    const fromLines = new Map<string, number>();
    for (const l of result.lines) for (const d of l.discounts) fromLines.set(key(d.kind, d.sourceId), (fromLines.get(key(d.kind, d.sourceId)) ?? 0) + d.amount);
    const applied = new Map(result.applied.map((a) => [key(a.kind, a.sourceId), a.amount]));
    assert.equal(applied.size, result.applied.length, 'each source once in applied');
    for (const [k, amount] of fromLines) assert.equal(applied.get(k) ?? 0, amount, `shares of ${k}`);
    for (const [k, amount] of applied) assert.equal(fromLines.get(k), amount, `shares of ${k}`);
    assert.equal(sum(result.applied.map((a) => a.amount)), result.discountTotal);
    for (const o of result.coupons) {
      if (o.applied) assert.ok(!o.refusal && o.amount === applied.get(key(o.kind, o.couponId)), `outcome ${o.code}`);
      else assert.ok(o.refusal && o.amount === 0 && !applied.has(key(o.kind, o.couponId)), `outcome ${o.code}`);
    }
    const reported = result.coupons.map((o) => o.code).sort();
    const expected = input.couponChoice === 'best' ? input.coupons.map((c) => c.code) : input.couponChoice.codes;
    assert.deepEqual(reported, [...expected].sort(), 'every held coupon (best) or exactly the listed codes');
  }), RUNS);
});

test('funding: merchantFunded + platformFunded = the line\'s discounts, campaign prices and store coupons by the merchant', () => {
  const merchantKinds: DiscountKind[] = ['flash_sale', 'presale', 'live_price', 'deposit_expansion', 'store_coupon'];
  const platformKinds: DiscountKind[] = ['cross_store_reduction', 'platform_coupon', 'member_discount'];
  fc.assert(fc.property(inputs, (input) => {
    const { result } = run(input);
    for (const l of result.lines) {
      const by = (f: 'merchant' | 'platform') => sum(l.discounts.filter((d) => d.fundedBy === f).map((d) => d.amount));
      assert.equal(l.merchantFunded, by('merchant'));
      assert.equal(l.platformFunded, by('platform'));
      assert.equal(l.merchantFunded + l.platformFunded, sum(l.discounts.map((d) => d.amount)));
      for (const d of l.discounts) {
        if (merchantKinds.includes(d.kind)) assert.equal(d.fundedBy, 'merchant', d.kind);
        if (platformKinds.includes(d.kind)) assert.equal(d.fundedBy, 'platform', d.kind);
      }
    }
    assert.equal(result.merchantFunded, sum(result.lines.map((l) => l.merchantFunded)));
    assert.equal(result.platformFunded, sum(result.lines.map((l) => l.platformFunded)));
  }), RUNS);
});

test('a presale deposit line pays its deposit and nothing else touches it; discounts come in step order', () => {
  fc.assert(fc.property(inputs, (input) => {
    const { pairs } = run(input);
    for (const { cart, priced } of pairs) {
      const steps = priced.discounts.map((d) => STEP[d.kind]);
      assert.deepEqual(steps, [...steps].sort((a, b) => a - b), `discounts of ${cart.skuId} in the order applied`);
      const presale = cart.presaleBalance ? undefined : input.rules.find((r): r is Presale => r.kind === 'presale' && r.skuId === cart.skuId && r.depositStartsAt <= input.at && input.at < r.depositEndsAt);
      assert.equal(!!priced.presaleDeposit, !!presale, `${cart.skuId} is a deposit line iff its presale takes deposits now`);
      if (!presale) continue;
      assert.ok(priced.discounts.every((d) => d.kind === 'presale' || d.kind === 'deposit_expansion'), `deposit line ${cart.skuId} got ${JSON.stringify(priced.discounts)}`);
      assert.deepEqual(priced.presaleDeposit, { presaleId: presale.id, balanceStartsAt: presale.balanceStartsAt, balanceEndsAt: presale.balanceEndsAt });
      assert.equal(priced.unitPrice, presale.unitPrice);
      assert.equal(priced.payable, presale.unitDeposit * cart.quantity);
      assert.equal(priced.payLater, (presale.unitPrice - presale.unitDepositValue - presale.unitDeposit) * cart.quantity);
      assert.deepEqual(priced.discounts.map((d) => [d.kind, d.amount]), [
        ...(presale.unitPrice < cart.listPrice ? [['presale', (cart.listPrice - presale.unitPrice) * cart.quantity]] : []),
        ['deposit_expansion', presale.unitDepositValue * cart.quantity],
      ]);
      assert.equal(priced.paidBefore, 0);
    }
  }), RUNS);
});

test('campaign price: a presale first, else the lowest of list, an active flash sale and the live price', () => {
  fc.assert(fc.property(inputs, (input) => {
    const { pairs } = run(input);
    for (const { cart, priced } of pairs) {
      const q = cart.quantity;
      const amountOf = (kind: DiscountKind) => sum(priced.discounts.filter((d) => d.kind === kind).map((d) => d.amount));
      const b = cart.presaleBalance;
      if (b) {
        assert.deepEqual([priced.unitPrice, priced.paidBefore, priced.payLater, priced.presaleOrderId], [b.unitPrice, b.unitDeposit * q, 0, b.presaleOrderId], cart.skuId);
        if (b.unitPrice < cart.listPrice) assert.equal(priced.priceSource, 'presale');
        assert.equal(amountOf('presale'), (cart.listPrice - b.unitPrice) * q);
        assert.equal(amountOf('deposit_expansion'), b.unitDepositValue * q);
        continue;
      }
      if (priced.presaleDeposit) continue;
      const flash = input.rules.filter((r): r is FlashSale => r.kind === 'flash_sale' && r.skuId === cart.skuId && inWindow(r, input.at));
      const lowest = Math.min(cart.listPrice, ...flash.map((f) => f.unitPrice), cart.livePrice?.unitPrice ?? Infinity);
      assert.equal(priced.unitPrice, lowest, `${cart.skuId}: list ${cart.listPrice}, flash ${flash.map((f) => f.unitPrice)}, live ${cart.livePrice?.unitPrice}`);
      const source = lowest === cart.listPrice ? 'list' : flash.some((f) => f.unitPrice === lowest) ? 'flash_sale' : 'live';
      assert.equal(priced.priceSource, source, cart.skuId);
      assert.equal(priced.paidBefore + priced.payLater, 0);
      assert.equal(amountOf('flash_sale') + amountOf('live_price'), (cart.listPrice - lowest) * q);
    }
  }), RUNS);
});

/** A deterministic shuffle, so fast-check can replay and shrink it from its seed. */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

test('the result does not depend on the order of lines, rules or held coupons', () => {
  const byKey = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  fc.assert(fc.property(inputs, fc.integer(), (input, seed) => {
    const a = run(input);
    const b = run({ ...input, lines: shuffled(input.lines, seed), rules: shuffled(input.rules, seed + 1), coupons: shuffled(input.coupons, seed + 2) });
    for (const l of a.result.lines) assert.deepEqual(b.result.lines.find((x) => x.skuId === l.skuId), l, `line ${l.skuId}`);
    const { lines: _a, coupons: ca, applied: aa, ...totalsA } = a.result;
    const { lines: _b, coupons: cb, applied: ab, ...totalsB } = b.result;
    assert.deepEqual(totalsB, totalsA);
    const outcomeKey = (o: { couponId: string; code: string }) => `${o.couponId}/${o.code}`;
    assert.deepEqual(byKey(cb, outcomeKey), byKey(ca, outcomeKey));
    const appliedKey = (x: { kind: string; sourceId: string }) => `${x.kind}/${x.sourceId}`;
    assert.deepEqual(byKey(ab, appliedKey), byKey(aa, appliedKey));
  }), RUNS);
});

test("'best' takes, per store and for the platform coupon, at least as much as any single held coupon would", () => {
  const bestInputs = inputs.filter((i) => i.coupons.length > 0).map((i): PriceInput => ({ ...i, couponChoice: 'best' }));
  fc.assert(fc.property(bestInputs, (input) => {
    const best = run(input).result;
    const chosen = best.coupons.filter((o) => o.applied);
    const chosenStoreCodes = chosen.filter((o) => o.kind === 'store_coupon').map((o) => o.code);
    for (const c of input.coupons) {
      const winner = chosen.find((o) => o.kind === c.kind && (c.kind === 'platform_coupon' || o.merchantId === c.merchantId));
      const codes = c.kind === 'store_coupon' ? [c.code] : [...chosenStoreCodes, c.code];
      const alone = run({ ...input, couponChoice: { codes } }).result.coupons.find((o) => o.couponId === c.id)!;
      const winnerAmount = winner?.amount ?? 0;
      assert.ok(alone.amount <= winnerAmount, `${c.id} alone takes ${alone.amount}, best chose ${winner?.couponId} taking ${winnerAmount}`);
      if (alone.applied && winner && alone.amount === winnerAmount) assert.ok(winner.couponId <= c.id, `tie ${winner.couponId} vs ${c.id}: lowest id wins`);
    }
  }), { numRuns: 150 });
});

// ---- refund shares ---------------------------------------------------------------------------------------

test('refunds: any steps over every unit return exactly what was paid, never more at any step', () => {
  const lineAndSteps = fc.record({ payable: fc.oneof(fc.constant(0), fen(200_000_000)), quantity: fc.integer({ min: 1, max: 20 }), cuts: fc.array(fc.nat(), { maxLength: 20 }) });
  fc.assert(fc.property(lineAndSteps, ({ payable, quantity, cuts }) => {
    // split the quantity into steps of at least one unit
    const steps: number[] = [];
    let left = quantity;
    for (const c of cuts) { if (left <= 1) break; const q = 1 + (c % (left - 1)); steps.push(q); left -= q; }
    steps.push(left);
    let refunded = { quantity: 0, amount: 0 };
    for (const q of steps) {
      const amount = refundShare({ payable, quantity }, refunded, q);
      assert.ok(Number.isSafeInteger(amount) && amount >= 0, `step of ${q}: ${amount}`);
      refunded = { quantity: refunded.quantity + q, amount: refunded.amount + amount };
      assert.ok(refunded.amount <= payable, `refunded ${refunded.amount} of ${payable}`);
      const due = refunded.quantity === quantity ? payable : Math.floor((payable * refunded.quantity) / quantity);
      assert.equal(refunded.amount, due);
    }
    assert.equal(refunded.amount, payable);
  }), { numRuns: 1000 });
});

test('refunds of priced lines: unit by unit, every line returns exactly its payable', () => {
  fc.assert(fc.property(inputs, (input) => {
    for (const l of run(input).result.lines) {
      let refunded = { quantity: 0, amount: 0 };
      for (let u = 0; u < l.quantity; u++) {
        const amount = refundShare(l, refunded, 1);
        refunded = { quantity: u + 1, amount: refunded.amount + amount };
        assert.ok(amount >= 0 && refunded.amount <= l.payable);
      }
      assert.equal(refunded.amount, l.payable, `line ${l.skuId}`);
    }
  }), { numRuns: 100 });
});

// ---- apportion on its own --------------------------------------------------------------------------------

const apportionCase = fc.array(fc.record({ weight: fen(200_000_000), capBps: fc.oneof(fc.constant(10000), bps(0, 10000)) }), { minLength: 1, maxLength: 60 })
  .chain((parts) => {
    const weights = parts.map((p) => p.weight);
    const caps = parts.map((p) => Math.floor((p.weight * p.capBps) / 10000));
    return fc.record({ weights: fc.constant(weights), caps: fc.constant(caps), total: fc.integer({ min: 0, max: sum(caps) }), seed: fc.integer() });
  });
const keysFor = (n: number) => Array.from({ length: n }, (_, i) => `sku-${String((i * 7919) % 1000).padStart(3, '0')}`);
/** |share - total * w / W| < 1, exactly, in integers. */
const withinAFen = (share: number, total: number, w: number, W: number) => {
  const diff = BigInt(share) * BigInt(W) - BigInt(total) * BigInt(w);
  return (diff < 0n ? -diff : diff) < BigInt(W);
};

test('apportion: shares are integers, add up exactly and respect every cap; a cut goes to the others', () => {
  fc.assert(fc.property(apportionCase, ({ weights, caps, total }) => {
    const shares = apportion(total, weights, caps, keysFor(weights.length));
    assert.equal(shares.length, weights.length);
    assert.equal(sum(shares), total);
    const W = sum(weights);
    shares.forEach((s, i) => {
      assert.ok(Number.isSafeInteger(s) && s >= 0 && s <= caps[i], `share ${i}: ${s} (cap ${caps[i]})`);
      // what a cap cuts is only ever added to the other lines, never taken from them
      const proportional = Number((BigInt(total) * BigInt(weights[i])) / BigInt(W));
      assert.ok(s >= Math.min(caps[i], proportional), `share ${i}: ${s} < its proportional ${proportional}`);
    });
  }), RUNS);
});

test('apportion: uncapped (caps = weights, as the engine calls it), every share is within a fen of proportional', () => {
  const uncapped = fc.array(fen(200_000_000), { minLength: 1, maxLength: 60 }).chain((weights) => fc.record({ weights: fc.constant(weights), total: fc.integer({ min: 0, max: sum(weights) }) }));
  fc.assert(fc.property(uncapped, ({ weights, total }) => {
    const shares = apportion(total, weights, weights, keysFor(weights.length));
    const W = sum(weights);
    assert.equal(sum(shares), total);
    shares.forEach((s, i) => assert.ok(withinAFen(s, total, weights[i], W), `share ${i}: ${s} vs ${total} x ${weights[i]} / ${W}`));
  }), RUNS);
});

/** Largest remainder done exactly in integers: floors, then a fen each to the largest remainders, ties to the smaller key. */
function largestRemainder(total: number, weights: number[], keys: string[]): number[] {
  const W = BigInt(sum(weights));
  const exact = weights.map((w, i) => ({ i, share: (BigInt(total) * BigInt(w)) / W, remainder: (BigInt(total) * BigInt(w)) % W }));
  let left = total - sum(exact.map((e) => Number(e.share)));
  const order = [...exact].sort((a, b) => (a.remainder !== b.remainder ? (a.remainder > b.remainder ? -1 : 1) : keys[a.i] < keys[b.i] ? -1 : 1));
  const shares = exact.map((e) => Number(e.share));
  for (const e of order) if (left-- > 0) shares[e.i]++;
  return shares;
}

test('apportion: uncapped, the shares are exactly the largest-remainder split, even past 2^53', () => {
  const large = fc.array(fc.integer({ min: 1, max: 200_000_000 }), { minLength: 1, maxLength: 60 }).chain((weights) => fc.record({ weights: fc.constant(weights), total: fc.integer({ min: 0, max: sum(weights) }) }));
  fc.assert(fc.property(large, ({ weights, total }) => {
    const keys = keysFor(weights.length);
    assert.deepEqual(apportion(total, weights, weights, keys), largestRemainder(total, weights, keys));
  }), RUNS);
});

test('apportion: permuting the lines permutes the shares (ties break by key, not position)', () => {
  fc.assert(fc.property(apportionCase, ({ weights, caps, total, seed }) => {
    const keys = keysFor(weights.length);
    const shares = apportion(total, weights, caps, keys);
    const order = shuffled(weights.map((_, i) => i), seed);
    const permuted = apportion(total, order.map((i) => weights[i]), order.map((i) => caps[i]), order.map((i) => keys[i]));
    assert.deepEqual(permuted, order.map((i) => shares[i]));
  }), RUNS);
});
