// Flash sales (秒杀) and campaigns (大促) as the API answers them.
import type { Money } from '../shared/types';

export type FlashSaleState = 'scheduled' | 'live' | 'sold_out' | 'ended' | 'cancelled';
export interface FlashSale {
  id: string; merchantId: string; productId: string; skuId: string; title: string; titleEn: string;
  skuAttributes: Record<string, string>; campaignId?: string; listPrice: Money; unitPrice: Money;
  quantity: number; sold: number; remaining: number; perPersonLimit: number;
  startsAt: string; endsAt: string; state: FlashSaleState; returnedToStock?: number;
}

export type PhaseKind = 'warm_up' | 'presale' | 'burst' | 'second_wave' | 'encore';
export const PHASE_KINDS: PhaseKind[] = ['warm_up', 'presale', 'burst', 'second_wave', 'encore'];
export type RuleView =
  | { kind: 'cross_store_reduction'; every: Money; off: Money; maxOff?: Money }
  | { kind: 'instant_discount'; offer: { type: 'percent_off'; percentBps: number } | { type: 'per_unit'; off: Money } };
export interface Phase { kind: PhaseKind; name: string; startsAt: string; endsAt: string; state: 'upcoming' | 'current' | 'ended' | 'cancelled'; rules: RuleView[] }
export interface Campaign {
  id: string; name: string; description: string; startsAt: string; endsAt: string; enrolmentEndsAt: string; enrolmentOpen: boolean;
  state: 'draft' | 'upcoming' | 'running' | 'ended' | 'stopped'; stoppedAt?: string; stopReason?: string; phases: Phase[]; currentPhase: number | null; nextPhaseStartsAt: string | null; enrolledProducts: number;
  myProductIds?: string[];
}
export interface VenueProduct {
  productId: string; title: string; merchantId: string; merchantName: string; price: Money;
  flashSale?: { id: string; skuId: string; unitPrice: Money; listPrice: Money; quantity: number; remaining: number; startsAt: string; endsAt: string; state: string };
}
export interface Venue extends Campaign { products: { items: VenueProduct[]; total: number; page: number; pageSize: number } }

/** Share of a sale's units already taken, 0-100. */
export const soldPercent = (s: { quantity: number; remaining: number }) => Math.min(100, Math.round(((s.quantity - s.remaining) / Math.max(1, s.quantity)) * 100));
