// Shapes and helpers for the search API (/search, /search/suggest, /search/clicks, /admin/search/*).
import { api, qs } from './api';
import type { MerchantKind, Money } from './types';

export const FEATURES = ['text', 'gmv', 'conversion', 'pricePower', 'service', 'newness', 'personal'] as const;
export type Feature = (typeof FEATURES)[number];
/** Feature -> weight, 0..10. Kept open: the server lists its features with the policies. */
export type Weights = Record<string, number>;

export type SearchSort = 'relevance' | 'sales' | 'price_asc' | 'price_desc' | 'newest';
export const SORTS: SearchSort[] = ['relevance', 'sales', 'price_asc', 'price_desc', 'newest'];

export interface SearchItem {
  productId: string; title: string; titleEn: string; price: Money;
  merchantId: string; merchantName: string; merchantKind: MerchantKind;
  brand: string | null; category: string | null; sales: number; inStock: boolean;
  /** Title with matches in <em>…</em>; the server HTML-escapes everything else. */
  highlight: string;
  highlightEn?: string | null;
  score?: number; textScore?: number;
  explain?: Record<string, number>;
}

export interface FacetCount { value: string; count: number }
export type FacetName = 'category' | 'brand' | 'merchantKind' | 'price';

export interface SearchAnswer {
  items: SearchItem[];
  total: number; page: number; pageSize: number;
  facets: Partial<Record<FacetName, FacetCount[]>>;
  matchMode: 'all' | 'relaxed' | 'none';
  didYouMean?: string;
  policy: { id: string; name: string; version: number } | null;
  terms?: string[];
}

export interface SearchFilters {
  brand?: string;
  category?: string;
  merchantKind?: MerchantKind;
  /** A price band in fen, "lo-hi"; either end may be empty. */
  price?: string;
  inStock?: boolean;
}

export interface SearchParams extends SearchFilters {
  q: string;
  sort: SearchSort;
  page: number;
}

/** Reads the search page state from the URL (shareable, back-button friendly). */
export function readSearchParams(search: string): SearchParams {
  const sp = new URLSearchParams(search);
  const sort = sp.get('sort') as SearchSort | null;
  const kind = sp.get('kind');
  return {
    q: sp.get('q') ?? '',
    sort: sort && SORTS.includes(sort) ? sort : 'relevance',
    page: Math.max(1, Math.floor(Number(sp.get('page'))) || 1),
    brand: sp.get('brand') || undefined,
    category: sp.get('category') || undefined,
    merchantKind: kind === 'self_operated' || kind === 'marketplace' ? kind : undefined,
    price: sp.get('price') || undefined,
    inStock: sp.get('inStock') === '1' || undefined,
  };
}

/** The URL of the search page for these parameters (defaults left out). */
export function searchUrl(p: Partial<SearchParams>): string {
  return `/search${qs({
    q: p.q || undefined,
    category: p.category, brand: p.brand, kind: p.merchantKind, price: p.price,
    inStock: p.inStock ? '1' : undefined,
    sort: p.sort && p.sort !== 'relevance' ? p.sort : undefined,
    page: p.page && p.page > 1 ? p.page : undefined,
  })}`;
}

/** "lo-hi" fen band -> {min, max}; null when malformed. */
export function parseBand(band: string): { min?: number; max?: number } | null {
  const m = /^(\d*)-(\d*)$/.exec(band.trim());
  if (!m || (!m[1] && !m[2])) return null;
  return { min: m[1] ? Number(m[1]) : undefined, max: m[2] ? Number(m[2]) : undefined };
}

export function searchApiPath(p: SearchParams, pageSize: number): string {
  const band = p.price ? parseBand(p.price) : null;
  return `/search${qs({
    q: p.q, sort: p.sort === 'relevance' ? undefined : p.sort, page: p.page, pageSize,
    brand: p.brand, category: p.category, merchantKind: p.merchantKind,
    minPrice: band?.min, maxPrice: band?.max, inStock: p.inStock ? 'true' : undefined,
  })}`;
}

/** Tells the ranking that a shopper opened a result; fire and forget. */
export function postSearchClick(q: string, productId: string, position: number): void {
  api.post('/search/clicks', { q: q.slice(0, 256), productId, position }).catch(() => undefined);
}

export function fetchSuggestions(q: string, signal: AbortSignal, limit = 8): Promise<string[]> {
  return api.get<{ items: string[] }>(`/search/suggest${qs({ q: q.slice(0, 100), limit })}`, { signal }).then((r) => r.items ?? []);
}

// Operator side

export interface Policy {
  id: string; name: string; version: number; weights: Weights; note: string;
  createdBy: string; createdAt: string; live: boolean;
}

export interface Synonym { id: string; terms: string[]; when: string[]; createdAt?: string }

export interface ZeroResultQuery { q: string; count: number; last_at: string }

/** Policies grouped by name, newest version first; groups with the live version first, then by name. */
export function groupPolicies(items: Policy[]): { name: string; versions: Policy[] }[] {
  const by = new Map<string, Policy[]>();
  for (const p of items) by.set(p.name, [...(by.get(p.name) ?? []), p]);
  return [...by]
    .map(([name, versions]) => ({ name, versions: versions.sort((a, b) => b.version - a.version) }))
    .sort((a, b) => Number(b.versions.some((v) => v.live)) - Number(a.versions.some((v) => v.live)) || a.name.localeCompare(b.name));
}

const FEATURE_COLORS: Record<Feature, string> = {
  text: '#3b82f6', gmv: '#ff5000', conversion: '#16a34a', pricePower: '#e11d48',
  service: '#7c3aed', newness: '#f59e0b', personal: '#0891b2',
};

export function featureColor(f: string): string {
  return (FEATURE_COLORS as Record<string, string>)[f] ?? '#94a3b8';
}
