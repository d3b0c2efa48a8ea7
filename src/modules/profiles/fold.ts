/**
 * The profile as a fold over behaviour events: folding events one by one as they arrive
 * gives the same state as folding them all again in time order, so a profile is updated
 * within the request that brought the event and can always be recomputed from scratch.
 */

export const BEHAVIOR_TYPES = ['view', 'click', 'search', 'cart', 'favorite', 'share', 'content_view', 'buy', 'refund'] as const;
export type BehaviorType = (typeof BEHAVIOR_TYPES)[number];

export interface ProfileEvent {
  at: number; // epoch ms
  type: BehaviorType;
  category?: string; // a path, e.g. 美妆/彩妆/口红
  brand?: string;
  /** The item's price divided by its category's median price, when both are known. */
  priceIndex?: number;
  amount?: number; // fen, for buy and refund
  orderId?: string;
  channel?: string;
}

/** A decayed score: worth `s` at time `t`, halving every HALF_LIFE_MS after. */
export interface Affinity {
  s: number;
  t: number;
  n: number; // events behind it
}

export interface ProfileState {
  v: 1;
  events: number;
  firstAt: number;
  lastAt: number;
  counts: Partial<Record<BehaviorType, number>>;
  orders: number;
  recentOrders: string[];
  monetary: number;
  lastOrderAt?: number;
  categories: Record<string, Affinity>;
  brands: Record<string, Affinity>;
  price: { n: number; sumLog: number };
  hours: number[];
  channels: Record<string, { n: number; lastAt: number }>;
  /** Tags the shopper deleted: when, and how much behaviour since then supports them again. */
  suppressed: Record<string, { at: number; n: number }>;
}

export const HALF_LIFE_MS = 30 * 86_400_000;
const MAX_KEYS = 40;
const WEIGHTS: Record<BehaviorType, number> = { view: 1, click: 1, search: 0, cart: 3, favorite: 3, share: 2, content_view: 1, buy: 5, refund: 0 };
const CHINA_OFFSET_MS = 8 * 3_600_000;
/** A channel's events more than this apart are separate visits (arrivals). */
const SESSION_GAP_MS = 30 * 60_000;

export const emptyState = (): ProfileState => ({
  v: 1, events: 0, firstAt: 0, lastAt: 0, counts: {}, orders: 0, recentOrders: [], monetary: 0,
  categories: {}, brands: {}, price: { n: 0, sumLog: 0 }, hours: new Array(24).fill(0), channels: {}, suppressed: {},
});

/** The score of an affinity as seen at time `at`. */
export const decayedAt = (a: Affinity, at: number) => a.s * 2 ** (-(at - a.t) / HALF_LIFE_MS);

function addAffinity(map: Record<string, Affinity>, key: string, weight: number, at: number) {
  const a = map[key];
  if (a && at >= a.t) map[key] = { s: decayedAt(a, at) + weight, t: at, n: a.n + 1 };
  else if (a) map[key] = { s: a.s + weight * 2 ** (-(a.t - at) / HALF_LIFE_MS), t: a.t, n: a.n + 1 };
  else {
    map[key] = { s: weight, t: at, n: 1 };
    if (Object.keys(map).length > MAX_KEYS) prune(map, at); // only a new key can overflow
  }
}

/** Keeps the MAX_KEYS strongest entries. */
function prune(map: Record<string, Affinity>, at: number) {
  const weakest = Object.entries(map).sort((x, y) => decayedAt(x[1], at) - decayedAt(y[1], at))[0];
  delete map[weakest[0]];
}

/** Top-level category of a path: 美妆/彩妆/口红 -> 美妆. */
export const topCategory = (path: string) => {
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.slice(0, slash);
};

export const chinaHour = (at: number) => new Date(at + CHINA_OFFSET_MS).getUTCHours();

/** The Beijing calendar day of a time, as YYYY-MM-DD; days repeat within a batch, so they are remembered. */
const dayNames = new Map<number, string>();
export function chinaDay(at: number): string {
  const dayNumber = Math.floor((at + CHINA_OFFSET_MS) / 86_400_000);
  let name = dayNames.get(dayNumber);
  if (!name) {
    if (dayNames.size > 10_000) dayNames.clear();
    dayNames.set(dayNumber, (name = new Date(dayNumber * 86_400_000).toISOString().slice(0, 10)));
  }
  return name;
}


/**
 * Folds one event in. `supports` says whether the event backs a deleted tag again;
 * `arrival` tells it the event opened a new visit from its channel.
 */
export function fold(state: ProfileState, e: ProfileEvent, supports: (tagId: string, e: ProfileEvent, arrival: boolean) => boolean = () => false): ProfileState {
  state.events += 1;
  state.firstAt = state.firstAt ? Math.min(state.firstAt, e.at) : e.at;
  state.lastAt = Math.max(state.lastAt, e.at);
  state.counts[e.type] = (state.counts[e.type] ?? 0) + 1;
  state.hours[chinaHour(e.at)] += 1;
  const weight = WEIGHTS[e.type];
  if (weight && e.category) {
    addAffinity(state.categories, e.category, weight, e.at);
  }
  if (weight && e.brand) addAffinity(state.brands, e.brand, weight, e.at);
  if (weight && e.priceIndex && e.priceIndex > 0 && Number.isFinite(e.priceIndex)) {
    state.price.n += weight;
    state.price.sumLog += weight * Math.log(e.priceIndex);
  }
  if (e.type === 'buy') foldPurchase(state, e);
  if (e.type === 'refund') state.monetary = Math.max(0, state.monetary - (e.amount ?? 0));
  let arrival = false;
  if (e.channel) {
    const c = state.channels[e.channel] ?? { n: 0, lastAt: 0 };
    arrival = e.at - c.lastAt > SESSION_GAP_MS;
    state.channels[e.channel] = { n: c.n + 1, lastAt: Math.max(c.lastAt, e.at) };
  }
  for (const [tagId, s] of Object.entries(state.suppressed)) if (e.at > s.at && supports(tagId, e, arrival)) s.n += 1;
  return state;
}

function foldPurchase(state: ProfileState, e: ProfileEvent) {
  state.monetary += e.amount ?? 0;
  state.lastOrderAt = Math.max(state.lastOrderAt ?? 0, e.at);
  const orderId = e.orderId ?? `at:${e.at}`;
  if (state.recentOrders.includes(orderId)) return;
  state.orders += 1;
  state.recentOrders = [orderId, ...state.recentOrders].slice(0, 20);
}

/** Shares of the decayed scores, strongest first, as of the latest event. */
export function shares(map: Record<string, Affinity>, at: number): { key: string; share: number; n: number }[] {
  const scored = Object.entries(map).map(([key, a]) => ({ key, score: decayedAt(a, at), n: a.n }));
  const total = scored.reduce((sum, x) => sum + x.score, 0);
  if (!total) return [];
  return scored.map((x) => ({ key: x.key, share: x.score / total, n: x.n })).sort((a, b) => b.share - a.share);
}

/** Affinity summed up to top-level categories. */
export function topCategoryShares(state: ProfileState): { key: string; share: number; n: number }[] {
  const byTop = new Map<string, { share: number; n: number }>();
  for (const x of shares(state.categories, state.lastAt)) {
    const top = topCategory(x.key);
    const acc = byTop.get(top) ?? { share: 0, n: 0 };
    byTop.set(top, { share: acc.share + x.share, n: acc.n + x.n });
  }
  return [...byTop].map(([key, v]) => ({ key, ...v })).sort((a, b) => b.share - a.share);
}

export type PriceBand = 'low' | 'mid' | 'high';

/** Low, mid or high against each category's median price, once there are a few priced events. */
export function priceBandOf(state: ProfileState): PriceBand | undefined {
  if (state.price.n < 3) return undefined;
  const mean = state.price.sumLog / state.price.n;
  return mean < Math.log(0.75) ? 'low' : mean > Math.log(1.33) ? 'high' : 'mid';
}

export type Lifecycle = 'new' | 'active' | 'lapsing' | 'lost';

/** Same rule as the SQL in crowds: new within 30 days of first sight, active within 30 days, lapsing within 90. */
export function lifecycleOf(state: Pick<ProfileState, 'firstAt' | 'lastAt'>, now: number): Lifecycle {
  const day = 86_400_000;
  if (state.firstAt && now - state.firstAt <= 30 * day) return 'new';
  if (state.lastAt && now - state.lastAt <= 30 * day) return 'active';
  if (state.lastAt && now - state.lastAt <= 90 * day) return 'lapsing';
  return 'lost';
}

export const HOUR_BANDS = { night: [0, 6], morning: [6, 12], afternoon: [12, 18], evening: [18, 24] } as const;
export type HourBand = keyof typeof HOUR_BANDS;

export function dominantHours(state: ProfileState): { band: HourBand; share: number } | undefined {
  const total = state.hours.reduce((a, b) => a + b, 0);
  if (total < 10) return undefined;
  const bands = Object.entries(HOUR_BANDS).map(([band, [from, to]]) => ({ band: band as HourBand, share: state.hours.slice(from, to).reduce((a, b) => a + b, 0) / total }));
  const best = bands.sort((a, b) => b.share - a.share)[0];
  return best.share >= 0.4 ? best : undefined;
}
