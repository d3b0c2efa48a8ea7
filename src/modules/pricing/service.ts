import type { Sql } from '../../db/database.ts';
import { formatYuan, money } from '../../shared/money.ts';
import { Problem } from '../../shared/problems.ts';
import { priceCheckout } from './engine/price-checkout.ts';
import type { CartLine, Coupon, CouponOutcome, LineDiscount, Membership, PointsUse, PriceResult, Rule } from './engine/types.ts';

/**
 * Where prices come from. The engine is pure; the modules that own promotions, flash
 * sales, presales, campaigns and memberships register what is active, and take part in
 * the checkout's life: placed, paid, shipped, cancelled. Wired in app.ts.
 */
export interface PricingSource {
  name: string;
  /** Rules active at `at` that may touch these SKUs. */
  rules?(sql: Sql, skuIds: string[], at: Date): Promise<Rule[]>;
  /** Coupons the buyer holds, and those listed by code the buyer could claim now. */
  coupons?(sql: Sql, buyerId: string, at: Date, codes: string[]): Promise<Coupon[]>;
  membership?(sql: Sql, buyerId: string, at: Date): Promise<Membership | undefined>;
  /** The points the buyer may pay with, asked only when the buyer chose to. */
  points?(sql: Sql, buyerId: string): Promise<PointsUse>;
  /** Inside the checkout's transaction, after stock is reserved: redeem, reserve. Throw a Problem to refuse it all. */
  placed?(sql: Sql, checkout: PlacedCheckout): Promise<void>;
  /** Inside the payment's transaction, once the group's orders are paid. */
  paid?(sql: Sql, orderIds: string[]): Promise<void>;
  /** Inside the cancellation's transaction: give back what `placed` took. Throw a Problem to refuse the cancellation. */
  cancelled?(sql: Sql, order: CancelledOrder): Promise<void>;
  /** Inside a partial refund's transaction, after the refund is recorded. */
  refunded?(sql: Sql, refund: RefundedOrder): Promise<void>;
  /** Inside the transaction that completes the order (确认收货). */
  completed?(sql: Sql, order: CompletedOrder): Promise<void>;
  /** Why this order must not ship yet, if it must not. */
  holdsShipping?(sql: Sql, orderId: string): Promise<string | undefined>;
}

export interface RefundedOrder {
  orderId: string;
  refundId: string;
  buyerId: string;
  /** The money this refund returns. */
  amount: number;
  /** The order had completed (and was settled) before this refund. */
  afterCompletion: boolean;
  /** Units refunded now, of lines with the discounts they were placed with. */
  lines: { quantity: number; refundedBefore: number; lineQuantity: number; discounts: LineDiscount[] }[];
}

export interface CompletedOrder {
  orderId: string;
  buyerId: string;
  /** What the order paid, less refunds. */
  paid: number;
}

export interface CancelledOrder {
  orderId: string;
  groupId: string;
  buyerId: string;
  reason: string;
  /** The order had been paid. */
  wasPaid: boolean;
}

export interface PlacedCheckout {
  groupId: string;
  buyerId: string;
  result: PriceResult;
  /** The order each line went into. */
  orderOf: Map<string, string>;
}

export interface PriceRequest {
  buyerId?: string;
  lines: CartLine[];
  /** Coupons the shopper chose; none means the best the shopper holds. */
  couponCodes?: string[];
  at?: Date;
  /** Rules the caller already holds besides the active ones (a flash-sale grab's price, held once the sale sells out). */
  heldRules?: Rule[];
  /** The shopper chose to pay with points (积分抵扣). */
  usePoints?: boolean;
}

export function createPricingService() {
  const sources: PricingSource[] = [];

  async function price(sql: Sql, request: PriceRequest): Promise<PriceResult> {
    const at = request.at ?? new Date();
    const codes = request.couponCodes ?? [];
    const skuIds = request.lines.map((l) => l.skuId);
    const buyerId = request.buyerId;
    const [rules, coupons, memberships, points] = await Promise.all([
      Promise.all(sources.map((s) => s.rules?.(sql, skuIds, at) ?? [])),
      buyerId ? Promise.all(sources.map((s) => s.coupons?.(sql, buyerId, at, codes) ?? [])) : [],
      buyerId ? Promise.all(sources.map((s) => s.membership?.(sql, buyerId, at))) : [],
      buyerId && request.usePoints ? Promise.all(sources.map((s) => s.points?.(sql, buyerId))) : [],
    ]);
    const pointsUse = points.find(Boolean);
    const result = priceCheckout({
      lines: request.lines, rules: [...rules.flat(), ...(request.heldRules ?? [])], coupons: coupons.flat(), membership: memberships.find(Boolean),
      ...(pointsUse ? { points: pointsUse } : {}), couponChoice: codes.length ? { codes } : 'best', at: at.getTime(),
    });
    if (codes.length) refuseUnapplied(codes, result.coupons);
    return result;
  }

  return {
    register(source: PricingSource) {
      sources.push(source);
    },
    price,
    async placed(sql: Sql, checkout: PlacedCheckout) {
      for (const s of sources) await s.placed?.(sql, checkout);
    },
    async paid(sql: Sql, orderIds: string[]) {
      for (const s of sources) await s.paid?.(sql, orderIds);
    },
    async cancelled(sql: Sql, order: CancelledOrder) {
      for (const s of sources) await s.cancelled?.(sql, order);
    },
    async refunded(sql: Sql, refund: RefundedOrder) {
      for (const s of sources) await s.refunded?.(sql, refund);
    },
    async completed(sql: Sql, order: CompletedOrder) {
      for (const s of sources) await s.completed?.(sql, order);
    },
    async holdsShipping(sql: Sql, orderId: string): Promise<string | undefined> {
      for (const s of sources) {
        const reason = await s.holdsShipping?.(sql, orderId);
        if (reason) return reason;
      }
    },
  };
}

/** A coupon the shopper chose that does not apply is refused with the reason, and nothing is placed. */
function refuseUnapplied(codes: string[], outcomes: CouponOutcome[]) {
  const refused = outcomes.filter((o) => !o.applied);
  if (!refused.length) return;
  const errors = refused.map((o) => ({ field: `couponCodes.${codes.findIndex((c) => c.toUpperCase() === o.code.toUpperCase())}`, message: refusalMessage(o).en }));
  throw new Problem(422, 'coupon_not_applicable', `coupon ${refused[0].code} does not apply: ${refusalMessage(refused[0]).en}`, errors, {
    coupons: outcomes.map((o) => ({ ...o, message: refusalMessage(o) })),
  });
}

/** A discount in the API's shape, as quotes and orders show it. */
export const discountView = (d: { kind: string; amount: number; fundedBy: string; sourceId?: string }) =>
  ({ kind: d.kind, amount: money(d.amount), fundedBy: d.fundedBy, ...(d.sourceId ? { sourceId: d.sourceId } : {}) });

/** Why a coupon does not apply, as a shopper reads it. */
export function refusalMessage(outcome: CouponOutcome): { zh: string; en: string } {
  const r = outcome.refusal;
  if (!r) return { zh: '已使用', en: 'applied' };
  switch (r.reason) {
    case 'unknown': return { zh: '没有这张券，请先领取', en: 'you do not hold this coupon; claim it first' };
    case 'not_started': return { zh: '券还未到使用时间', en: 'this coupon cannot be used yet' };
    case 'expired': return { zh: '券已过期', en: 'this coupon has expired' };
    case 'no_eligible_lines': return { zh: '所选商品不在此券的使用范围内', en: 'none of these goods is covered by this coupon' };
    case 'below_threshold': {
      const short = formatYuan(r.threshold - r.eligible);
      return { zh: `满${formatYuan(r.threshold)}可用，还差${short}`, en: `spend ${formatYuan(r.threshold)} on eligible goods to use it; ${short} to go` };
    }
    case 'balance_below_face_value': return { zh: '预售尾款不高于券面额，不能用券', en: 'the presale balance is not above the coupon value' };
    case 'not_stackable': return { zh: `不可叠加，已使用更优惠的券 ${r.instead}`, en: `coupons do not stack; ${r.instead} is used instead` };
    case 'takes_nothing_off': return { zh: '此券对当前订单没有优惠', en: 'this coupon takes nothing off this order' };
  }
}

export type PricingService = ReturnType<typeof createPricingService>;
