// Recommendations (货找人): the shapes of /feed, /products/{id}/similar, /bought-together, /cart/recommendations
// and the operator's /admin/reco/*, and the click report that measures click-through.
import { api, authHeaders } from './api';
import type { Money } from './types';

export interface RecoItem {
  productId: string; title: string; titleEn: string | null; price: Money; category: string | null; brand: string | null;
  reason: string; reasonEn: string; recaller: string; position: number;
  /** In a live session now: the live badge, and the price in the live room. */
  live: { sessionId: string; livePrice: Money } | null;
}

/** One answer of a recommendation surface: the request id goes back with a click. */
export interface RecoShown { requestId: string; items: RecoItem[] }

export interface FeedPage extends RecoShown { personalized: boolean; modelVersion: number | null; nextCursor: string | null }

export interface RecoModel {
  version: number; status: 'training' | 'ready' | 'failed'; trigger: string; progress: number; stage: string | null;
  stats: { persons?: number; items?: number; interactions?: number; orders?: number; seconds?: number } | null;
  error: string | null; active: boolean; startedAt: string; finishedAt: string | null; activatedAt: string | null;
}

export interface RecoModels { items: RecoModel[]; training: boolean; activeVersion: number | null }

export interface RecoStat { surface: string; recaller: string; shown: number; clicked: number; ctr: number }

export interface EditorialPick { productId: string; title: string | null; note: string; addedAt: string }

/**
 * A shown item was opened: POST /reco/clicks. Fire and forget with keepalive, so the report
 * leaves even while the page moves on; a refused or lost report never bothers the shopper.
 */
export function reportRecoClick(requestId: string, position: number): void {
  fetch('/api/v1/reco/clicks', {
    method: 'POST',
    keepalive: true,
    headers: { 'Content-Type': 'application/json', ...authHeaders() },
    body: JSON.stringify({ requestId, position }),
  }).catch(() => undefined);
}

/** 不感兴趣: the product leaves this shopper's (or this device's) feeds. */
export const notInterested = (productId: string) => api.post<void>('/feed/not-interested', { productId });
