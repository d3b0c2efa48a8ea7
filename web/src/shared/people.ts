// Shapes of the profile, privacy, people and crowd APIs (/me/profile, /me/privacy, /admin/people, /admin/crowds).
import { hasKey, t } from '../i18n';
import type { Money } from './types';

export type TagKind = 'category' | 'brand' | 'price_band' | 'active_hours' | 'lifecycle' | 'rfm' | 'channel' | 'operator';

export interface Tag {
  id: string; label: string; labelEn?: string | null; kind: TagKind;
  source: string; sourceEn?: string | null; evidence?: unknown;
}

export interface ProfileSummary {
  events: number; firstAt?: string | null; lastAt?: string | null; orders: number; monetary: Money;
  lifecycle?: string | null; priceBand?: string | null; activeHours: number[];
  categories: { category: string; share: number }[];
  brands: { brand: string; share: number }[];
  channels: { channel: string; count: number; lastAt?: string | null }[];
}

export interface MyProfile { personId: string; personalization: boolean; tags: Tag[]; summary: ProfileSummary | null }

export type Purpose = 'personalization' | 'crossSourceFusion' | 'marketing';
export type Consents = Record<Purpose, boolean>;

export interface PrivacyState {
  consents: Consents;
  history: { purpose: string; granted: boolean; via: string; noticeVersion?: string; at: string }[];
}

export interface Favorite { productId: string; title: string; price: Money; addedAt: string }

// Operator: people

export interface PersonRow {
  personId: string; account?: { userId: string; email: string } | null;
  identifiers: number; events: number; lastAt?: string | null;
}

export interface Identifier { key: string; kind: string; display: string; source: string; firstSeenAt: string }

export interface IdentityLink {
  id: string; a: string; b: string; source: string; reason: string;
  createdAt: string; undoneAt?: string | null; undoneBy?: string | null;
}

export interface PersonDetail {
  id: string; mergedInto?: string | null;
  account?: { userId: string; email: string; name?: string | null } | null;
  identifiers: Identifier[];
  links: IdentityLink[];
  history: { kind: 'merge' | 'split'; linkId: string; otherPersonId: string; at: string }[];
  consents: Consents | null;
  profile: { tags: Tag[]; summary: ProfileSummary | null };
}

export interface TimelineEvent {
  id: string; at: string; type: string; subject: string; source: string;
  productId?: string; title?: string; category?: string; brand?: string; price?: Money;
  query?: string; results?: number; position?: number; page?: string; quantity?: number;
  channel?: string; campaign?: string; orderId?: string; amount?: Money;
}

// Operator: crowds

export const LIFECYCLES = ['new', 'active', 'lapsing', 'lost'] as const;
export const PRICE_BANDS = ['low', 'mid', 'high'] as const;
export const NUMERIC_FIELDS = ['orders', 'monetary', 'events', 'daysSinceLastOrder', 'daysSinceLastSeen'] as const;
export const BEHAVIORS = ['view', 'click', 'search', 'cart', 'favorite', 'share', 'content_view', 'buy', 'refund'] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];
export type Behavior = (typeof BEHAVIORS)[number];

export type Condition =
  | { field: 'lifecycle' | 'priceBand' | 'channel' | 'tag'; in: string[] }
  | { field: NumericField; gte?: number; lte?: number }
  | { behavior: Behavior; category?: string; brand?: string; withinDays?: number; minCount?: number };

export type Rule = { all: Rule[] } | { any: Rule[] } | { not: Rule } | Condition;

export interface Crowd {
  id: string; name: string; rule: Rule; tagLabel?: string | null;
  size: number; reachable: number; materializedAt?: string | null; createdAt: string;
}

export interface CrowdMember {
  personId: string; userId?: string | null; email?: string | null; lifecycle?: string | null;
  priceBand?: string | null; orders: number; monetary: Money; lastAt?: string | null;
}

export interface SourceConsent {
  id: string; source: string; purposes: string[]; basis: string; noticeVersion: string;
  recordedAt: string; recordedBy?: string | null; revokedAt?: string | null;
}

/** "partner:acme" -> "合作伙伴 acme", "web" -> "网站". */
export function sourceLabel(source: string): string {
  const at = source.indexOf(':');
  return at < 0 ? valueLabel('source', source) : `${valueLabel('source', source.slice(0, at))} ${source.slice(at + 1)}`;
}

/** An identifier key with a long value (a hash, a UUID) shortened: "email:3f2a9c01de…b81c7e". */
export function shortKey(key: string): string {
  const at = key.indexOf(':');
  const value = key.slice(at + 1);
  return value.length > 24 ? `${key.slice(0, at + 1)}${value.slice(0, 10)}…${value.slice(-6)}` : key;
}

/** The label of a value from a fixed set ("lifecycle_active" -> 活跃), or the value itself when unknown. */
export function valueLabel(prefix: string, value?: string | null): string {
  if (!value) return '—';
  const key = `${prefix}_${value}`;
  return hasKey(key) ? t(key) : value;
}
