import { apportion } from './apportion.ts';
import { inScope, inWindow } from './scope.ts';
import type {
  CartLine, Coupon, CouponOutcome, CouponRefusal, CrossStoreReduction, DiscountKind, FlashSale, FundedBy, InstantDiscount,
  LineDiscount, PriceInput, PriceResult, PricedLine, Presale, Scope,
} from './types.ts';

/** A line while the steps run: `remaining` is what it still pays at the current step. */
interface Work {
  line: CartLine;
  priced: PricedLine;
  remaining: number;
  /** A presale balance line's deposit: thresholds count the presale price, so it is added back. */
  paidBefore: number;
  isDeposit: boolean;
}

/** What one discount would take off, and from which lines. */
interface Offer {
  amount: number;
  lines: Work[];
  refusal?: CouponRefusal;
}

const bySku = (a: Work, b: Work) => (a.line.skuId < b.line.skuId ? -1 : a.line.skuId > b.line.skuId ? 1 : 0);
const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Prices a checkout (MECHANISMS 4, 5, 6). The steps run in the order the rules give:
 * campaign price, store coupons, cross-store reduction, platform coupon, instant
 * discounts, member discount, points. Each step's discount is apportioned over its lines
 * before the next one looks at what they pay.
 */
export function priceCheckout(input: PriceInput): PriceResult {
  const { at } = input;
  const works = input.lines.map((line) => campaignPrice(line, input.rules, at));
  const sorted = [...works].sort(bySku);
  const outcomes: CouponOutcome[] = [];
  const chooser = couponChooser(input, outcomes);

  for (const merchantId of [...new Set(sorted.map((w) => w.line.merchantId))].sort()) {
    const coupons = input.coupons.filter((c) => c.kind === 'store_coupon' && c.merchantId === merchantId);
    const chosen = chooser.choose(coupons, sorted);
    if (chosen) give(chosen.offer, 'store_coupon', chosen.coupon.id, 'merchant');
  }
  chooser.reportStrangers('store_coupon', new Set(sorted.map((w) => w.line.merchantId)));

  const reduction = bestOf(input.rules.filter((r): r is CrossStoreReduction => r.kind === 'cross_store_reduction' && inWindow(r, at)), (r) => reductionOffer(r, sorted));
  if (reduction) give(reduction.offer, 'cross_store_reduction', reduction.rule.id, 'platform');

  const platform = chooser.choose(input.coupons.filter((c) => c.kind === 'platform_coupon'), sorted);
  if (platform) give(platform.offer, 'platform_coupon', platform.coupon.id, 'platform');
  chooser.reportUnknown();

  applyInstantDiscounts(sorted, input.rules.filter((r): r is InstantDiscount => r.kind === 'instant_discount' && inWindow(r, at)));
  if (input.membership) {
    const { planId, discountBps, scope } = input.membership;
    for (const w of sorted) if (eligible(w, scope)) discount(w, 'member_discount', planId, Math.floor((w.remaining * discountBps) / 10_000), 'platform');
  }
  if (input.points) {
    const lines = sorted.filter((w) => eligible(w, undefined));
    const paying = lines.reduce((a, w) => a + w.remaining, 0);
    const amount = Math.min(input.points.available, Math.floor((paying * input.points.maxShareBps) / 10_000));
    if (amount > 0) give({ amount, lines }, 'points', 'points', 'platform');
  }
  return result(works, outcomes);

  function give(offer: Offer, kind: DiscountKind, sourceId: string, fundedBy: FundedBy) {
    const shares = apportion(offer.amount, offer.lines.map((w) => w.remaining), offer.lines.map((w) => w.remaining), offer.lines.map((w) => w.line.skuId));
    offer.lines.forEach((w, i) => discount(w, kind, sourceId, shares[i], fundedBy));
  }
}

// Step 1: the campaign price of each line.

function campaignPrice(line: CartLine, rules: PriceInput['rules'], at: number): Work {
  const listTotal = line.listPrice * line.quantity;
  const priced: PricedLine = {
    skuId: line.skuId, merchantId: line.merchantId, quantity: line.quantity, listPrice: line.listPrice, unitPrice: line.listPrice,
    priceSource: 'list', listTotal, discounts: [], payable: listTotal, paidBefore: 0, payLater: 0, merchantFunded: 0, platformFunded: 0,
  };
  const work: Work = { line, priced, remaining: listTotal, paidBefore: 0, isDeposit: false };
  if (line.presaleBalance) {
    const p = line.presaleBalance;
    setPrice(work, Math.min(p.unitPrice, line.listPrice), 'presale', p.presaleId);
    discount(work, 'deposit_expansion', p.presaleId, p.unitDepositValue * line.quantity, 'merchant');
    work.priced.paidBefore = work.paidBefore = p.unitDeposit * line.quantity;
    work.priced.presaleOrderId = p.presaleOrderId;
    work.remaining -= work.paidBefore;
    return work;
  }
  const presale = rules.filter((r): r is Presale => r.kind === 'presale' && r.skuId === line.skuId && r.depositStartsAt <= at && at < r.depositEndsAt).sort(byId)[0];
  if (presale) return depositLine(work, presale);
  const flash = rules
    .filter((r): r is FlashSale => r.kind === 'flash_sale' && r.skuId === line.skuId && inWindow(r, at))
    .sort((a, b) => a.unitPrice - b.unitPrice || byId(a, b))[0];
  const live = line.livePrice;
  if (flash && flash.unitPrice < line.listPrice && (!live || flash.unitPrice <= live.unitPrice)) {
    setPrice(work, flash.unitPrice, 'flash_sale', flash.id);
    work.priced.flashSaleId = flash.id;
  } else if (live && live.unitPrice < line.listPrice) {
    setPrice(work, live.unitPrice, 'live', live.sessionId);
    work.priced.liveSessionId = live.sessionId;
  }
  return work;
}

/** In a presale's deposit window the line pays the deposit now and the balance later; nothing else applies to it. */
function depositLine(work: Work, presale: Presale): Work {
  const q = work.line.quantity;
  setPrice(work, Math.min(presale.unitPrice, work.line.listPrice), 'presale', presale.id);
  discount(work, 'deposit_expansion', presale.id, presale.unitDepositValue * q, 'merchant');
  work.priced.payLater = work.remaining - presale.unitDeposit * q;
  work.remaining = presale.unitDeposit * q;
  work.isDeposit = true;
  work.priced.presaleDeposit = { presaleId: presale.id, balanceStartsAt: presale.balanceStartsAt, balanceEndsAt: presale.balanceEndsAt };
  return work;
}

const SOURCE_KIND = { flash_sale: 'flash_sale', presale: 'presale', live: 'live_price' } as const;

function setPrice(work: Work, unitPrice: number, source: keyof typeof SOURCE_KIND, sourceId: string) {
  if (unitPrice >= work.line.listPrice) return;
  work.priced.unitPrice = unitPrice;
  work.priced.priceSource = source;
  discount(work, SOURCE_KIND[source], sourceId, (work.line.listPrice - unitPrice) * work.line.quantity, 'merchant');
}

function discount(work: Work, kind: DiscountKind, sourceId: string, amount: number, fundedBy: FundedBy) {
  if (amount <= 0) return;
  work.priced.discounts.push({ kind, sourceId, amount, fundedBy });
  work.remaining -= amount;
}

// Steps 2-4: coupons and the cross-store reduction, each an offer over eligible lines.

function eligible(w: Work, scope: Scope | undefined): boolean {
  return !w.isDeposit && w.remaining > 0 && inScope(scope, w.line);
}

/**
 * The discount over the lines, with MECHANISMS 4's presale rule: a balance line counts
 * only if its balance exceeds the discount's face value; dropping one recomputes.
 */
function offerOver(lines: Work[], amountOf: (base: number, remaining: number) => { face: number } | CouponRefusal): Offer {
  let current = lines;
  for (;;) {
    if (!current.length) return { amount: 0, lines: [], refusal: lines.length ? { reason: 'balance_below_face_value' } : { reason: 'no_eligible_lines' } };
    const base = current.reduce((a, w) => a + w.remaining + w.paidBefore, 0);
    const remaining = current.reduce((a, w) => a + w.remaining, 0);
    const face = amountOf(base, remaining);
    if ('reason' in face) return { amount: 0, lines: current, refusal: face };
    const kept = current.filter((w) => !w.line.presaleBalance || w.remaining > face.face);
    if (kept.length === current.length) {
      const amount = Math.min(face.face, remaining);
      return amount > 0 ? { amount, lines: current } : { amount: 0, lines: current, refusal: { reason: 'takes_nothing_off' } };
    }
    current = kept;
  }
}

function couponOffer(coupon: Coupon, works: Work[], at: number): Offer {
  if (at < coupon.startsAt) return { amount: 0, lines: [], refusal: { reason: 'not_started' } };
  if (at >= coupon.endsAt) return { amount: 0, lines: [], refusal: { reason: 'expired' } };
  const lines = works.filter((w) => (coupon.kind !== 'store_coupon' || w.line.merchantId === coupon.merchantId) && eligible(w, coupon.scope));
  const offer = coupon.offer;
  return offerOver(lines, (base, remaining) => {
    if (base < offer.threshold) return { reason: 'below_threshold', threshold: offer.threshold, eligible: base };
    if (offer.type === 'amount_off') return { face: offer.off };
    const off = Math.floor((remaining * offer.percentBps) / 10_000);
    return { face: offer.cap === null ? off : Math.min(off, offer.cap) };
  });
}

function reductionOffer(rule: CrossStoreReduction, works: Work[]): Offer {
  const lines = works.filter((w) => eligible(w, rule.scope));
  return offerOver(lines, (base) => {
    if (base < rule.every) return { reason: 'below_threshold', threshold: rule.every, eligible: base };
    const off = Math.floor(base / rule.every) * rule.off;
    return { face: rule.maxOff === null ? off : Math.min(off, rule.maxOff) };
  });
}

function bestOf<R extends { id: string }>(rules: R[], offerOf: (r: R) => Offer): { rule: R; offer: Offer } | undefined {
  let best: { rule: R; offer: Offer } | undefined;
  for (const rule of [...rules].sort(byId)) {
    const offer = offerOf(rule);
    if (offer.amount > 0 && (!best || offer.amount > best.offer.amount)) best = { rule, offer };
  }
  return best;
}

/**
 * Which coupons apply: the best of each group, or the codes the shopper chose (the first
 * that applies in each group). Records every outcome the shopper should see.
 */
function couponChooser(input: PriceInput, outcomes: CouponOutcome[]) {
  const codes = input.couponChoice === 'best' ? undefined : input.couponChoice.codes.map((c) => c.toUpperCase());
  const heldCodes = new Set(input.coupons.map((c) => c.code.toUpperCase()));
  const report = (c: Coupon, amount: number, refusal?: CouponRefusal) =>
    outcomes.push({ couponId: c.id, code: c.code, kind: c.kind, ...(c.merchantId ? { merchantId: c.merchantId } : {}), applied: !refusal, amount, ...(refusal ? { refusal } : {}) });

  return {
    choose(coupons: Coupon[], works: Work[]): { coupon: Coupon; offer: Offer } | undefined {
      const candidates = codes ? listed(coupons) : [...coupons].sort(byId);
      const offers = candidates.map((coupon) => ({ coupon, offer: couponOffer(coupon, works, input.at) }));
      const applicable = offers.filter((o) => o.offer.amount > 0);
      const chosen = codes ? applicable[0] : applicable.reduce<(typeof applicable)[number] | undefined>((best, o) => (!best || o.offer.amount > best.offer.amount ? o : best), undefined);
      for (const { coupon, offer } of offers) {
        if (coupon === chosen?.coupon) report(coupon, offer.amount);
        else report(coupon, 0, offer.refusal ?? { reason: 'not_stackable', instead: chosen!.coupon.code });
      }
      return chosen;
    },
    /** Chosen store coupons of stores not in this checkout. */
    reportStrangers(kind: Coupon['kind'], merchants: Set<string>) {
      for (const c of codes ? listed(input.coupons) : [...input.coupons].sort(byId))
        if (c.kind === kind && !merchants.has(c.merchantId ?? '')) report(c, 0, { reason: 'no_eligible_lines' });
    },
    reportUnknown() {
      for (const code of codes ?? []) if (!heldCodes.has(code)) outcomes.push({ couponId: '', code, kind: 'platform_coupon', applied: false, amount: 0, refusal: { reason: 'unknown' } });
    },
  };

  /** For chosen codes: one held coupon per listed code, in the order listed. */
  function listed(coupons: Coupon[]): Coupon[] {
    const out: Coupon[] = [];
    for (const code of new Set(codes)) {
      const held = coupons.filter((c) => c.code.toUpperCase() === code).sort(byId)[0];
      if (held) out.push(held);
    }
    return out;
  }
}

// Steps 5 and 6: per-line discounts (step 7, points, is apportioned like a coupon).

function applyInstantDiscounts(works: Work[], rules: InstantDiscount[]) {
  const ordered = [...rules].sort(byId);
  for (const w of works) {
    let best: { rule: InstantDiscount; amount: number } | undefined;
    for (const rule of ordered) {
      if (!eligible(w, rule.scope)) continue;
      const off = rule.offer.type === 'per_unit' ? rule.offer.off * w.line.quantity : Math.floor((w.remaining * rule.offer.percentBps) / 10_000);
      const amount = Math.min(off, w.remaining);
      if (amount > 0 && (!best || amount > best.amount)) best = { rule, amount };
    }
    if (best) discount(w, 'instant_discount', best.rule.id, best.amount, best.rule.fundedBy);
  }
}

function result(works: Work[], coupons: CouponOutcome[]): PriceResult {
  const applied = new Map<string, PriceResult['applied'][number]>();
  const totals = { listTotal: 0, discountTotal: 0, payable: 0, paidBefore: 0, payLater: 0, merchantFunded: 0, platformFunded: 0, pointsUsed: 0 };
  const lines = works.map(({ priced, remaining }) => {
    priced.payable = remaining;
    for (const d of priced.discounts) {
      if (d.fundedBy === 'merchant') priced.merchantFunded += d.amount;
      else priced.platformFunded += d.amount;
      if (d.kind === 'points') totals.pointsUsed += d.amount;
      const key = `${d.kind}|${d.sourceId}`;
      const seen = applied.get(key);
      if (seen) seen.amount += d.amount;
      else applied.set(key, { ...d });
    }
    totals.listTotal += priced.listTotal;
    totals.discountTotal += priced.merchantFunded + priced.platformFunded;
    totals.payable += priced.payable;
    totals.paidBefore += priced.paidBefore;
    totals.payLater += priced.payLater;
    totals.merchantFunded += priced.merchantFunded;
    totals.platformFunded += priced.platformFunded;
    return priced;
  });
  return { lines, coupons, applied: [...applied.values()], ...totals };
}

export type { LineDiscount };
