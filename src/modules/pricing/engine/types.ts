/**
 * The price engine's contract (MECHANISMS.md sections 4, 5, 6).
 *
 * `priceCheckout(input)` is one pure, deterministic function: the same input gives the
 * same result, whatever the order of the lines or rules. All amounts are integer fen;
 * times are epoch milliseconds. The engine reads nothing and writes nothing: the
 * promotions, flash-sale, presale and membership modules turn their rows into the rules
 * below, and checkout stores the result on the order so refunds and settlement never
 * price again.
 */

export type FundedBy = 'merchant' | 'platform';

/** Where a rule applies. Every list given must match (any one entry of it); an empty or absent scope is everything. */
export interface Scope {
  merchantIds?: string[];
  productIds?: string[];
  skuIds?: string[];
  /** Matches a line whose category path contains the id (a top category covers its leaves). */
  categoryIds?: string[];
  brandIds?: string[];
  /**
   * 'all' (the default): the line must match every list given. 'any': one list is enough, as in
   * 88VIP's "eligible brands and the platform supermarket" (brandIds or the store's merchantId).
   */
  match?: 'all' | 'any';
}

export interface Window {
  startsAt: number;
  endsAt: number;
}

/** One line of a checkout. A checkout has at most one line per SKU. */
export interface CartLine {
  skuId: string;
  productId: string;
  merchantId: string;
  /** The product's category path, top first. */
  categoryIds: string[];
  brandId?: string;
  quantity: number;
  /** The store's own price per unit. */
  listPrice: number;
  /** The live room's price per unit while its session is live; a campaign price like a flash sale's. */
  livePrice?: { unitPrice: number; sessionId: string };
  /** Set when this line pays the balance (尾款) of a presale whose deposit is already paid. */
  presaleBalance?: PresaleBalance;
}

/** The balance stage of a presale line: what the deposit order fixed. Per unit. */
export interface PresaleBalance {
  presaleId: string;
  /** The shopper's presale purchase whose balance this pays. */
  presaleOrderId: string;
  /** The presale price the deposit order locked. */
  unitPrice: number;
  /** What the shopper paid as deposit (定金). */
  unitDeposit: number;
  /**
   * What the deposit takes off the price (定金膨胀, "pay 100 off 200"): the shopper pays
   * unitPrice - unitDepositValue in all, the deposit included. MECHANISMS 4's example, a
   * 1000 item at pay 100 off 200: presale price 800, balance 700.
   */
  unitDepositValue: number;
}

/** A coupon the shopper holds (claimed or auto-granted), store- or platform-funded. */
export interface Coupon extends Window {
  kind: 'store_coupon' | 'platform_coupon';
  /** The held coupon's id (one per claim); what gets redeemed. */
  id: string;
  code: string;
  /** Store coupons belong to one store and apply only to its lines. */
  merchantId?: string;
  offer: CouponOffer;
  scope?: Scope;
  title?: string;
}

export type CouponOffer =
  /** 满300减40 (threshold 30000, off 4000), or a no-threshold coupon (threshold 0). */
  | { type: 'amount_off'; threshold: number; off: number }
  /** 9折 up to 50 yuan: percentBps 1000 takes 10% off, at most cap fen (null: no cap). */
  | { type: 'percent_off'; threshold: number; percentBps: number; cap: number | null };

/** 跨店满减: every `every` fen that eligible lines from any stores pay takes `off` off, repeating; platform-funded. */
export interface CrossStoreReduction extends Window {
  kind: 'cross_store_reduction';
  id: string;
  every: number;
  off: number;
  /** At most this much per checkout (null: no cap). */
  maxOff: number | null;
  scope?: Scope;
  title?: string;
}

/** 立减: a straight cut with no threshold, per unit or by percentage. */
export interface InstantDiscount extends Window {
  kind: 'instant_discount';
  id: string;
  fundedBy: FundedBy;
  offer: { type: 'per_unit'; off: number } | { type: 'percent_off'; percentBps: number };
  scope: Scope;
  title?: string;
}

/** 秒杀: a price for one SKU during a window, from dedicated stock (enforced where stock is reserved). */
export interface FlashSale extends Window {
  kind: 'flash_sale';
  id: string;
  skuId: string;
  unitPrice: number;
  perPersonLimit: number;
}

/** 预售: in its deposit window, ordering the SKU takes a deposit now and the balance later. */
export interface Presale {
  kind: 'presale';
  id: string;
  skuId: string;
  unitPrice: number;
  unitDeposit: number;
  /** As in PresaleBalance: the deposit takes this off the price. */
  unitDepositValue: number;
  depositStartsAt: number;
  depositEndsAt: number;
  balanceStartsAt: number;
  balanceEndsAt: number;
}

export type Rule = CrossStoreReduction | InstantDiscount | FlashSale | Presale;

/** 88VIP-style membership: a platform-funded rate off eligible lines, the same for every member. */
export interface Membership {
  planId: string;
  /** 500 = 5% off (95折). */
  discountBps: number;
  scope?: Scope;
}

/**
 * The shopper pays with points (积分抵扣), the last step: 1 point is 1 fen, platform-funded, at most
 * `maxShareBps` of what the eligible lines still pay, and never more than the shopper holds.
 */
export interface PointsUse {
  available: number;
  /** 1000 = at most 10% of what the lines still pay. */
  maxShareBps: number;
}

export interface PriceInput {
  lines: CartLine[];
  /** Active rules of every kind; the engine checks windows and scopes itself. */
  rules: Rule[];
  /** Coupons the shopper holds; which ones apply is decided by `couponChoice`. */
  coupons: Coupon[];
  /**
   * 'best': the engine picks, per store, the store coupon that takes the most off, then the
   * platform coupon that takes the most off. A list of coupon codes: exactly those, each
   * reported as applied or not with its reason.
   */
  couponChoice: 'best' | { codes: string[] };
  membership?: Membership;
  points?: PointsUse;
  at: number;
}

export type DiscountKind =
  | 'flash_sale'
  | 'presale'
  | 'live_price'
  | 'deposit_expansion'
  | 'store_coupon'
  | 'cross_store_reduction'
  | 'platform_coupon'
  | 'instant_discount'
  | 'member_discount'
  | 'points';

export interface LineDiscount {
  kind: DiscountKind;
  /** The rule, coupon or membership plan that gave it. */
  sourceId: string;
  amount: number;
  fundedBy: FundedBy;
}

export interface PricedLine {
  skuId: string;
  merchantId: string;
  quantity: number;
  listPrice: number;
  /** The price per unit after the campaign price (flash sale, presale, live), before coupons. */
  unitPrice: number;
  priceSource: 'list' | 'flash_sale' | 'presale' | 'live';
  flashSaleId?: string;
  liveSessionId?: string;
  listTotal: number;
  /** In the order they were applied. */
  discounts: LineDiscount[];
  /**
   * What this checkout charges for the line. Always
   * listTotal - sum(discounts) = paidBefore + payable + payLater.
   */
  payable: number;
  /** Paid in an earlier checkout: a presale balance line's deposit. */
  paidBefore: number;
  /** Still owed after this checkout: a presale deposit line's balance. */
  payLater: number;
  /** This line pays the balance of that presale purchase. */
  presaleOrderId?: string;
  /** This line pays a presale deposit now; coupons and reductions wait for the balance. */
  presaleDeposit?: { presaleId: string; balanceStartsAt: number; balanceEndsAt: number };
  merchantFunded: number;
  platformFunded: number;
}

export type CouponRefusal =
  | { reason: 'unknown' }
  | { reason: 'not_started' | 'expired' }
  | { reason: 'no_eligible_lines' }
  | { reason: 'below_threshold'; threshold: number; eligible: number }
  /** A presale balance counts only when the discount is less than the balance (MECHANISMS 4). */
  | { reason: 'balance_below_face_value' }
  /** Another coupon of the same store (or another platform coupon) applies instead. */
  | { reason: 'not_stackable'; instead: string }
  | { reason: 'takes_nothing_off' };

export interface CouponOutcome {
  couponId: string;
  code: string;
  kind: Coupon['kind'];
  merchantId?: string;
  applied: boolean;
  amount: number;
  refusal?: CouponRefusal;
}

export interface PriceResult {
  /** In the order of the input lines. */
  lines: PricedLine[];
  coupons: CouponOutcome[];
  /** Each rule, coupon or plan that took something off, with its total. */
  applied: { kind: DiscountKind; sourceId: string; amount: number; fundedBy: FundedBy }[];
  listTotal: number;
  discountTotal: number;
  payable: number;
  paidBefore: number;
  payLater: number;
  merchantFunded: number;
  platformFunded: number;
  /** Points paid with (1 point = 1 fen), the sum of the lines' `points` discounts. */
  pointsUsed: number;
}
