// Content (种草笔记, 直播) as the API answers it, and small helpers shared by its pages.
import type { Money } from '../shared/types';

export interface Author { kind: 'user' | 'merchant'; id: string; name: string; /** A creator (达人) the platform certified. */ creator?: { title: string } }
export interface ProductCard { productId: string; title: string; price: Money; livePrice?: Money; liveSessionId?: string }
export interface Note {
  kind: 'note'; id: string; title: string; body: string; images: string[]; author: Author; products: ProductCard[];
  likes: number; comments: number; likedByMe: boolean; status: 'visible' | 'hidden'; hiddenReason?: string;
  views?: number; viewers?: number; attributedOrders?: number; attributedGmv?: Money; createdAt: string;
}
export interface LiveSku { skuId: string; attributes: Record<string, string>; price: Money; livePrice: Money; stock: number }
export interface LiveProduct extends ProductCard { announcedLivePrice: Money; skus: LiveSku[] }
export type LiveStatus = 'scheduled' | 'live' | 'ended' | 'cancelled';
export interface LiveSession {
  kind: 'live'; id: string; merchantId: string; author: Author; title: string; coverUrl?: string; status: LiveStatus;
  scheduledStart: string; startedAt?: string; endedAt?: string; products: LiveProduct[];
  views?: number; viewers?: number; attributedOrders?: number; attributedGmv?: Money; createdAt: string;
}
export interface Comment { id: string; noteId: string; author: Author; body: string; mine: boolean; createdAt: string }
export interface Paged<T> { items: T[]; total: number; page: number; pageSize: number }
export type FeedItem = Note | LiveSession;

/** Limits the API enforces, mirrored so forms can say so before sending. */
export const LIMITS = { title: 50, body: 2000, comment: 300, products: 9, images: 9 };

/** "02:13:05" until a time, or null once it has passed. */
export function countdown(to: string, now: number): string | null {
  const ms = Date.parse(to) - now;
  if (ms <= 0) return null;
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const p = (n: number) => String(n).padStart(2, '0');
  const hms = `${p(Math.floor((s % 86400) / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}`;
  return d > 0 ? `${d}d ${hms}` : hms;
}
