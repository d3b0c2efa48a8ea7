import { chinaDay, dominantHours, HOUR_BANDS, lifecycleOf, priceBandOf, shares, topCategory, topCategoryShares, type HourBand, type ProfileEvent, type ProfileState } from './fold.ts';

/** A tag the shopper can see, with where it came from in words, and delete. */
export interface Tag {
  id: string;
  kind: 'category' | 'brand' | 'price_band' | 'active_hours' | 'lifecycle' | 'rfm' | 'channel' | 'operator';
  label: string;
  labelEn: string;
  source: string;
  sourceEn: string;
  evidence: Record<string, unknown>;
}

const day = 86_400_000;
const CATEGORY_SHARE = 0.3;
const BRAND_SHARE = 0.3;
/** Behaviour after a deletion needed before a deleted tag may come back. */
const SUPPORT_TO_RETURN: Record<string, number> = { category: 3, brand: 3, price_band: 3, active_hours: 10, lifecycle: 1, rfm: 1, channel: 1, crowd: 1 };

const CHANNELS: Record<string, [string, string]> = {
  douyin: ['抖音', 'Douyin'], xiaohongshu: ['小红书', 'Xiaohongshu'], wechat: ['微信', 'WeChat'], weibo: ['微博', 'Weibo'],
  kuaishou: ['快手', 'Kuaishou'], baidu: ['百度', 'Baidu'], bilibili: ['哔哩哔哩', 'Bilibili'], share: ['好友分享', 'a shared link'],
};
const channelName = (c: string): [string, string] => CHANNELS[c] ?? [c, c];

const PRICE_BANDS = { low: ['实惠价位', 'budget'], mid: ['中等价位', 'mid-range'], high: ['高价位', 'premium'] } as const;
const HOURS: Record<HourBand, [string, string]> = { night: ['深夜', 'late night'], morning: ['上午', 'morning'], afternoon: ['下午', 'afternoon'], evening: ['晚间', 'evening'] };
const LIFECYCLE = { new: ['新客', 'new'], active: ['活跃用户', 'active'], lapsing: ['沉睡中', 'lapsing'], lost: ['已流失', 'lost'] } as const;

const fmtDate = chinaDay;
const kindOfTag = (tagId: string) => tagId.slice(0, tagId.indexOf(':'));

/** Whether an event counts as fresh support for a deleted tag; for a channel, only a new visit from it does. */
export function supports(tagId: string, e: ProfileEvent, arrival: boolean): boolean {
  const value = tagId.slice(tagId.indexOf(':') + 1);
  switch (kindOfTag(tagId)) {
    case 'category': return !!e.category && topCategory(e.category) === value && e.type !== 'refund';
    case 'brand': return e.brand === value;
    case 'price_band': return !!e.priceIndex;
    case 'channel': return e.channel === value && arrival;
    case 'rfm': return e.type === 'buy';
    default: return true; // lifecycle, active hours, operator crowds: any new behaviour
  }
}

/** Tags that follow from the profile now; deleted ones only once new behaviour supports them. */
export function computeTags(state: ProfileState, now: number): Tag[] {
  if (!state.events) return [];
  const tags = [...categoryTags(state), ...brandTags(state), ...priceTags(state), ...hourTags(state), lifecycleTag(state, now), ...rfmTags(state, now), ...channelTags(state)];
  return tags.filter((t) => visible(state, t.id));
}

export function visible(state: ProfileState, tagId: string): boolean {
  const s = state.suppressed[tagId];
  return !s || s.n >= (SUPPORT_TO_RETURN[kindOfTag(tagId)] ?? 1);
}

function categoryTags(state: ProfileState): Tag[] {
  return topCategoryShares(state)
    .filter((c) => c.share >= CATEGORY_SHARE && c.n >= 3)
    .slice(0, 3)
    .map((c) => ({
      id: `category:${c.key}`, kind: 'category', label: `偏好 · ${c.key}`, labelEn: `Likes ${c.key}`,
      source: `浏览、收藏、加购或购买「${c.key}」类商品 ${c.n} 次，占近期兴趣的 ${Math.round(c.share * 100)}%`,
      sourceEn: `${c.n} views, favourites, carts or purchases in ${c.key}, ${Math.round(c.share * 100)}% of recent interest`,
      evidence: { events: c.n, share: round(c.share) },
    }));
}

function brandTags(state: ProfileState): Tag[] {
  return shares(state.brands, state.lastAt)
    .filter((b) => b.share >= BRAND_SHARE && b.n >= 3)
    .slice(0, 2)
    .map((b) => ({
      id: `brand:${b.key}`, kind: 'brand', label: `品牌 · ${b.key}`, labelEn: `Brand: ${b.key}`,
      source: `与「${b.key}」品牌商品互动 ${b.n} 次，占近期品牌兴趣的 ${Math.round(b.share * 100)}%`,
      sourceEn: `${b.n} interactions with ${b.key} products, ${Math.round(b.share * 100)}% of recent brand interest`,
      evidence: { events: b.n, share: round(b.share) },
    }));
}

function priceTags(state: ProfileState): Tag[] {
  const band = priceBandOf(state);
  if (!band) return [];
  const ratio = Math.exp(state.price.sumLog / state.price.n);
  return [{
    id: `price_band:${band}`, kind: 'price_band', label: `价格偏好 · ${PRICE_BANDS[band][0]}`, labelEn: `Prefers ${PRICE_BANDS[band][1]} prices`,
    source: `看过和买过的商品价格平均为同类中位价的 ${ratio.toFixed(2)} 倍`,
    sourceEn: `items viewed and bought cost ${ratio.toFixed(2)}× their category's median on average`,
    evidence: { ratio: round(ratio), weight: state.price.n },
  }];
}

function hourTags(state: ProfileState): Tag[] {
  const best = dominantHours(state);
  if (!best) return [];
  const [from, to] = HOUR_BANDS[best.band];
  return [{
    id: `active_hours:${best.band}`, kind: 'active_hours', label: `活跃时段 · ${HOURS[best.band][0]}`, labelEn: `Active in the ${HOURS[best.band][1]}`,
    source: `${Math.round(best.share * 100)}% 的行为发生在 ${from}:00–${to}:00（北京时间）`,
    sourceEn: `${Math.round(best.share * 100)}% of activity between ${from}:00 and ${to}:00 Beijing time`,
    evidence: { share: round(best.share) },
  }];
}

function lifecycleTag(state: ProfileState, now: number): Tag {
  const stage = lifecycleOf(state, now);
  return {
    id: `lifecycle:${stage}`, kind: 'lifecycle', label: `生命周期 · ${LIFECYCLE[stage][0]}`, labelEn: `Lifecycle: ${LIFECYCLE[stage][1]}`,
    source: `首次出现于 ${fmtDate(state.firstAt)}，最近一次活动 ${fmtDate(state.lastAt)}`,
    sourceEn: `first seen ${fmtDate(state.firstAt)}, last active ${fmtDate(state.lastAt)}`,
    evidence: { firstAt: new Date(state.firstAt).toISOString(), lastAt: new Date(state.lastAt).toISOString() },
  };
}

/** The classic eight RFM segments (重要价值客户 ...), from high/low recency, frequency and money. */
const RFM_SEGMENTS: Record<string, [string, string]> = {
  HHH: ['重要价值客户', 'champion'], LHH: ['重要保持客户', 'loyal, slipping away'], HLH: ['重要发展客户', 'big spender to develop'], LLH: ['重要挽留客户', 'big spender to win back'],
  HHL: ['一般价值客户', 'frequent buyer'], LHL: ['一般保持客户', 'frequent buyer, slipping away'], HLL: ['一般发展客户', 'recent buyer'], LLL: ['一般挽留客户', 'occasional buyer'],
};

function rfmSegment(state: ProfileState, now: number): string | undefined {
  if (!state.orders || !state.lastOrderAt) return undefined;
  const r = now - state.lastOrderAt <= 30 * day ? 'H' : 'L';
  const f = state.orders >= 3 ? 'H' : 'L';
  const m = state.monetary >= 100_000 ? 'H' : 'L'; // 1,000 yuan
  return r + f + m;
}

function rfmTags(state: ProfileState, now: number): Tag[] {
  const segment = rfmSegment(state, now);
  if (!segment) return [];
  const [zh, en] = RFM_SEGMENTS[segment];
  const days = Math.floor((now - state.lastOrderAt!) / day);
  return [{
    id: `rfm:${segment}`, kind: 'rfm', label: `客户价值 · ${zh}`, labelEn: `Customer value: ${en}`,
    source: `共 ${state.orders} 笔订单，实付 ¥${(state.monetary / 100).toFixed(2)}，最近一次下单在 ${days} 天前`,
    sourceEn: `${state.orders} orders, ¥${(state.monetary / 100).toFixed(2)} paid, last order ${days} days ago`,
    evidence: { orders: state.orders, monetary: state.monetary, daysSinceLastOrder: days },
  }];
}

function channelTags(state: ProfileState): Tag[] {
  return Object.entries(state.channels)
    .sort((a, b) => b[1].n - a[1].n)
    .slice(0, 3)
    .map(([channel, c]) => {
      const [zh, en] = channelName(channel);
      return {
        id: `channel:${channel}`, kind: 'channel', label: `来自 · ${zh}`, labelEn: `Arrives from ${en}`,
        source: `经「${zh}」的推广链接到访，带来 ${c.n} 次行为，最近一次 ${fmtDate(c.lastAt)}`,
        sourceEn: `came through ${en} links: ${c.n} events, last on ${fmtDate(c.lastAt)}`,
        evidence: { events: c.n },
      };
    });
}

const round = (x: number) => Math.round(x * 1000) / 1000;
