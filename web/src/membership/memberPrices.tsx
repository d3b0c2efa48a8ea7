// Member prices (88VIP ¥xx.xx) beside list prices: tiles ask one product each, and the asks of one
// render are sent together to GET /membership/member-prices (public, the same for everyone).
import { useEffect, useSyncExternalStore } from 'react';
import { api } from '../shared/api';
import { formatMoney } from '../shared/money';
import type { Money } from '../shared/types';

export interface MemberPrice {
  productId: string; planId: string; planName: string; discountBps: number;
  price: Money; memberPrice: Money; skus: { skuId: string; price: Money; memberPrice: Money }[];
}

const BATCH = 100;
const known = new Map<string, MemberPrice | null>();
const queued = new Set<string>();
const listeners = new Set<() => void>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;

async function flush() {
  flushTimer = undefined;
  const ids = [...queued];
  queued.clear();
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    try {
      const res = await api.get<{ items: MemberPrice[] }>(`/membership/member-prices?productIds=${chunk.map(encodeURIComponent).join(',')}`);
      const found = new Map(res.items.map((p) => [p.productId, p]));
      for (const id of chunk) known.set(id, found.get(id) ?? null);
    } catch {
      for (const id of chunk) known.set(id, null); // no badge rather than a retry storm
    }
  }
  listeners.forEach((l) => l());
}

function ask(productId: string) {
  if (known.has(productId) || queued.has(productId)) return;
  queued.add(productId);
  flushTimer ??= setTimeout(flush, 15);
}

const subscribe = (l: () => void) => { listeners.add(l); return () => { listeners.delete(l); }; };

/** The member price of a product, once known (undefined while asking or when not in a plan's scope). */
export function useMemberPrice(productId: string): MemberPrice | undefined {
  useEffect(() => ask(productId), [productId]);
  return useSyncExternalStore(subscribe, () => known.get(productId) ?? undefined);
}

/** "88VIP ¥xx.xx" for a product (its lowest SKU), or for one SKU of it. */
export function MemberPriceTag({ productId, skuId, size = 'sm' }: { productId: string; skuId?: string; size?: 'sm' | 'lg' }) {
  const mp = useMemberPrice(productId);
  if (!mp) return null;
  const value = (skuId && mp.skus.find((s) => s.skuId === skuId)?.memberPrice) || mp.memberPrice;
  return (
    <span className={`member-price member-price-${size}`} data-testid="member-price" title={mp.planName}>
      <b>{mp.planName}</b><span>{formatMoney(value)}</span>
    </span>
  );
}

/** 500 bps -> "95折" / "5% off". */
export function discountText(bps: number, lang: 'zh' | 'en'): string {
  if (lang === 'en') return `${(bps / 100).toString()}% off`;
  const tenths = (10000 - bps) / 100; // 95 for 95折, 90 -> 9折
  return `${tenths % 10 === 0 ? tenths / 10 : tenths}折`;
}
