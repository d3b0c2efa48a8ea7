/**
 * What a storefront may report. Purchases and refunds are recorded by the platform from
 * orders and payments, so a client cannot claim them; the account comes from the token,
 * so an event cannot name a user.
 */
export const CLIENT_EVENT_TYPES = ['view', 'click', 'search', 'cart', 'favorite', 'share', 'content_view'] as const;
export type ClientEventType = (typeof CLIENT_EVENT_TYPES)[number];

export interface ClientEvent {
  type: ClientEventType;
  at: Date;
  productId?: string;
  query?: string;
  results?: number;
  position?: number;
  contentId?: string;
  page?: string;
  channel?: string;
  campaign?: string;
}

export interface FieldError {
  field: string;
  message: string;
}

export const MAX_BATCH = 500;
const FUTURE_SKEW_MS = 2 * 60_000;
const MAX_AGE_MS = 7 * 86_400_000;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
export const CHANNEL = /^[a-z0-9_-]{1,32}$/;

const STRING_FIELDS: Record<string, { max: number; pattern?: RegExp; message?: string }> = {
  productId: { max: 64, pattern: ID, message: 'a product id' },
  contentId: { max: 64, pattern: ID, message: 'a content id' },
  query: { max: 200 },
  page: { max: 300 },
  channel: { max: 32, pattern: CHANNEL, message: 'lower-case letters, digits, - or _, at most 32' },
  campaign: { max: 64 },
};
const INT_FIELDS: Record<string, [number, number]> = { results: [0, 1_000_000], position: [1, 10_000] };
const KNOWN = new Set(['type', 'at', ...Object.keys(STRING_FIELDS), ...Object.keys(INT_FIELDS)]);
const NEEDS: Partial<Record<ClientEventType, string>> = { click: 'productId', cart: 'productId', favorite: 'productId', share: 'productId', search: 'query', content_view: 'contentId' };

/** One event checked on its own, so a bad one in a batch does not sink the good ones. */
export function validateEvent(raw: unknown, now: number): { event: ClientEvent } | { error: FieldError } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { error: { field: '', message: 'must be an object' } };
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (key === 'userId' || key === 'user') return { error: { field: key, message: 'events cannot name a user: the account comes from the sign-in token' } };
    if (!KNOWN.has(key)) return { error: { field: key, message: 'unknown field' } };
  }
  if (!(CLIENT_EVENT_TYPES as readonly unknown[]).includes(input.type))
    return { error: { field: 'type', message: ['buy', 'refund', 'order', 'pay'].includes(String(input.type)) ? 'purchases and refunds are recorded by the platform from orders' : `must be one of ${CLIENT_EVENT_TYPES.join(', ')}` } };
  const event: ClientEvent = { type: input.type as ClientEventType, at: new Date(now) };
  for (const [field, rule] of Object.entries(STRING_FIELDS)) {
    const value = input[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !value.length || value.length > rule.max || (rule.pattern && !rule.pattern.test(value)))
      return { error: { field, message: rule.message ?? `a string of 1 to ${rule.max} characters` } };
    (event as any)[field] = value;
  }
  for (const [field, [min, max]] of Object.entries(INT_FIELDS)) {
    const value = input[field];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) return { error: { field, message: `an integer from ${min} to ${max}` } };
    (event as any)[field] = value;
  }
  const needed = NEEDS[event.type];
  if (needed && !(event as any)[needed]) return { error: { field: needed, message: `required for ${event.type} events` } };
  if (input.at !== undefined) {
    const at = typeof input.at === 'string' && input.at.length <= 40 ? Date.parse(input.at) : NaN;
    if (!Number.isFinite(at)) return { error: { field: 'at', message: 'an ISO 8601 time' } };
    if (at > now + FUTURE_SKEW_MS) return { error: { field: 'at', message: 'is in the future' } };
    if (at < now - MAX_AGE_MS) return { error: { field: 'at', message: 'is older than 7 days; send events as they happen' } };
    event.at = new Date(at);
  }
  return { event };
}
