/**
 * The loyalty score (淘气值): how much a shopper has bought on Quanyu lately. It decides which
 * fee of a plan applies (88VIP: 88 yuan at 1000 and above, else 888); it never changes a price.
 */
export const SCORE_RULE = {
  windowDays: 365,
  /** One point per this many fen paid (10 yuan). */
  fenPerPoint: 1000,
  pointsPerOrder: 20,
  /** Orders beyond this many in the window add no points, so many tiny orders cannot farm the score. */
  maxOrdersCounted: 50,
  cap: 3000,
} as const;

export interface Spend {
  /** Paid orders in the window, neither cancelled nor wholly refunded. */
  orders: number;
  /** What those orders paid, net of refunds, fen. */
  gmv: number;
}

export function loyaltyScore({ orders, gmv }: Spend): number {
  const points = Math.floor(gmv / SCORE_RULE.fenPerPoint) + SCORE_RULE.pointsPerOrder * Math.min(orders, SCORE_RULE.maxOrdersCounted);
  return Math.min(SCORE_RULE.cap, points);
}

const { windowDays, fenPerPoint, pointsPerOrder, maxOrdersCounted, cap } = SCORE_RULE;
/** The formula as the shopper reads it, built from the rule so the two never differ. */
export const SCORE_FORMULA = {
  zh: `近 ${windowDays} 天已付款的订单（退款部分不计）：每实付 ¥${fenPerPoint / 100} 得 1 分，每笔订单得 ${pointsPerOrder} 分（最多计 ${maxOrdersCounted} 笔），总分上限 ${cap} 分`,
  en: `Paid orders of the last ${windowDays} days, less refunds: 1 point per ¥${fenPerPoint / 100} paid plus ${pointsPerOrder} points per order (at most ${maxOrdersCounted} orders count), capped at ${cap} points`,
};

export const scoreWindowStart = (at: Date) => new Date(at.getTime() - windowDays * 86_400_000);
