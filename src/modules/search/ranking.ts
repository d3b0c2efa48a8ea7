import type { ScoredHit, SearchDocument } from './engine/types.ts';

/**
 * Ranking: a policy is a weighted blend of features, each scaled to 0..1, applied to the
 * top text matches (MECHANISMS.md section 1). The operator chooses the weights, not code.
 */
export const FEATURES = ['text', 'gmv', 'conversion', 'pricePower', 'service', 'newness', 'personal'] as const;
export type Feature = (typeof FEATURES)[number];
export type Weights = Record<Feature, number>;

/** What the feature job knows about each product and merchant, refreshed from orders and clicks. */
export interface FeatureData {
  gmv30d: Map<string, number>;
  buyers30d: Map<string, number>;
  clickers30d: Map<string, number>;
  /** Median lowest price of products in the same category, fen. */
  categoryMedianPrice: Map<string, number>;
  /** 0..1 per merchant: fast shipping and few cancellations after payment. */
  merchantService: Map<string, number>;
  maxGmv30d: number;
}

export const emptyFeatureData = (): FeatureData => ({
  gmv30d: new Map(), buyers30d: new Map(), clickers30d: new Map(), categoryMedianPrice: new Map(), merchantService: new Map(), maxGmv30d: 0,
});

/** Personalisation hook: 0..1 affinity of a person for a product; the profile work fills it in. */
export type PersonalScore = (doc: SearchDocument) => number;

const CONVERSION_PRIOR = 0.1;
const CONVERSION_PRIOR_WEIGHT = 10;
const NEUTRAL_SERVICE = 0.7;
const NEWNESS_DAYS = 30;

/**
 * 五星价格力: stars from the item's price against the median of its category across merchants.
 * At or below 70% of the median is 5 stars; above 130% is 1 star.
 */
export function priceStars(price: number, median: number | undefined): number {
  if (!median || median <= 0) return 3;
  const ratio = price / median;
  return ratio <= 0.7 ? 5 : ratio <= 0.9 ? 4 : ratio <= 1.1 ? 3 : ratio <= 1.3 ? 2 : 1;
}

/** Each feature of one product, scaled to 0..1. */
export function featuresOf(doc: SearchDocument, textScore: number, maxTextScore: number, data: FeatureData, personal: PersonalScore, now: number): Record<Feature, number> {
  const gmv = data.gmv30d.get(doc.id) ?? 0;
  const buyers = data.buyers30d.get(doc.id) ?? 0;
  const clickers = Math.max(data.clickers30d.get(doc.id) ?? 0, buyers);
  const ageDays = Math.max(0, (now - doc.createdAt) / 86_400_000);
  return {
    text: maxTextScore > 0 ? textScore / maxTextScore : 0,
    gmv: data.maxGmv30d > 0 ? Math.log1p(gmv) / Math.log1p(data.maxGmv30d) : 0,
    // Smoothed so one lucky sale does not make an unseen product the best converter.
    conversion: (buyers + CONVERSION_PRIOR * CONVERSION_PRIOR_WEIGHT) / (clickers + CONVERSION_PRIOR_WEIGHT),
    pricePower: (priceStars(doc.price, data.categoryMedianPrice.get(doc.category ?? '')) - 1) / 4,
    service: data.merchantService.get(doc.merchantId) ?? NEUTRAL_SERVICE,
    newness: Math.exp(-ageDays / NEWNESS_DAYS),
    personal: Math.min(1, Math.max(0, personal(doc))),
  };
}

/** A rerank function for the engine: final score = Σ weight × feature, with each contribution kept for explain. */
export function policyReranker(weights: Weights, data: FeatureData, lookup: (id: string) => SearchDocument | undefined, personal: PersonalScore) {
  return (candidates: ScoredHit[]): ScoredHit[] => {
    const maxText = Math.max(0, ...candidates.map((c) => c.textScore));
    const now = Date.now();
    return candidates
      .map((hit) => {
        const doc = lookup(hit.id);
        if (!doc) return { ...hit, score: 0 };
        const features = featuresOf(doc, hit.textScore, maxText, data, personal, now);
        const explain = Object.fromEntries(FEATURES.map((f) => [f, round(weights[f] * features[f])])) as Record<Feature, number>;
        return { ...hit, score: round(FEATURES.reduce((a, f) => a + explain[f], 0)), explain };
      })
      .sort((a, b) => b.score - a.score || b.textScore - a.textScore);
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
