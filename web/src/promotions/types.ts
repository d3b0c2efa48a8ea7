// Shapes of the promotions API (GET /coupons/offers, /me/coupons, the consoles' lists).
import type { Money } from '../shared/types';

export type CouponKind = 'threshold' | 'no_threshold' | 'percent';
export type OfferState = 'scheduled' | 'running' | 'finished' | 'stopped' | 'ended';

interface Named { id: string; name: string }
export interface ScopeView { productIds?: string[]; categories?: Named[]; merchants?: Named[]; brands?: Named[] }

/** What every coupon view shows: its terms. */
export interface CouponTerms {
  code: string;
  kind: CouponKind;
  fundedBy: 'merchant' | 'platform';
  merchantId?: string;
  title: string;
  titleEn: string;
  threshold?: Money;
  off?: Money;
  percentBps?: number;
  cap?: Money;
  startsAt: string;
  endsAt: string;
  perUserLimit: number;
  scope: ScopeView;
  audience?: { label: string | null };
}

export interface CouponDef extends CouponTerms {
  id: string;
  totalQuantity: number | null;
  crowdId?: string;
  crowdName?: string | null;
  status: 'active' | 'stopped';
  state: OfferState;
  claimed: number;
  used: number;
  discountTotal: Money;
  createdAt: string;
}

export interface WhyNot { reason: string; message: string; messageZh: string }

export interface CouponOffer extends CouponTerms {
  id: string;
  remaining: number | null;
  held: number;
  canClaim: boolean;
  whyNot?: WhyNot;
}

export interface Offers {
  items: CouponOffer[];
  promotions: { id: string; kind: 'cross_store_reduction' | 'instant_discount'; title: string; fundedBy: 'merchant' | 'platform' }[];
}

export type HeldStatus = 'held' | 'used' | 'expired';

export interface HeldCoupon extends CouponTerms {
  id: string;
  couponId: string;
  merchantName?: string;
  status: HeldStatus;
  source: string;
  claimedAt: string;
  orderId?: string;
  usedAt?: string;
}

export interface Promotion {
  id: string;
  kind: 'cross_store_reduction' | 'instant_discount';
  fundedBy: 'merchant' | 'platform';
  merchantId?: string;
  title: string;
  titleEn: string;
  every?: Money;
  off?: Money;
  maxOff?: Money;
  offer?: { type: 'per_unit' | 'percent_off'; off?: Money; percentBps?: number };
  scope: ScopeView;
  startsAt: string;
  endsAt: string;
  status: 'active' | 'ended';
  state: OfferState;
  used: number;
  discountTotal: Money;
}
