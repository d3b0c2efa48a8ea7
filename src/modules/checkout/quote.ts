import type { Sql } from '../../db/database.ts';
import { money } from '../../shared/money.ts';
import { Problem } from '../../shared/problems.ts';
import type { CatalogService, SellableSku } from '../catalog/service.ts';
import { MAX_LINE_QUANTITY } from '../cart/service.ts';
import type { LivePricer } from '../content/service.ts';

export interface ItemRequest {
  skuId: string;
  quantity: number;
  /** Bought from this live room: the session's live price while it is live. */
  liveSessionId?: string;
}

export interface PricedLine {
  sku: SellableSku;
  quantity: number;
  /** The price this line sells at: the live price when a live session applies (MECHANISMS 5: "item price or campaign price"), else the list price. */
  unitPrice: number;
  /** The live session whose price this line got. */
  liveSessionId?: string;
  listTotal: number;
  discounts: { kind: string; amount: number; fundedBy: 'merchant' | 'platform' }[];
  payable: number;
}

export interface Quote {
  lines: PricedLine[];
  stores: { merchantId: string; merchantName: string; commissionRateBps: number; lines: PricedLine[] }[];
  listTotal: number;
  discountTotal: number;
  payable: number;
}

/**
 * Prices a checkout at list price, grouped by store. Promotions (issue 6) add their
 * discounts here, in the order MECHANISMS.md section 5 gives; until then codes are refused.
 */
export async function priceItems(sql: Sql, catalog: CatalogService, items: ItemRequest[], couponCodes: string[] = [], livePrices?: LivePricer): Promise<Quote> {
  if (!items.length) throw new Problem(400, 'validation_failed', 'nothing to buy: the cart is empty', [{ field: 'items', message: 'no items' }]);
  if (couponCodes.length)
    throw new Problem(422, 'coupon_not_applicable', `coupon ${couponCodes[0]} does not apply`, [{ field: 'couponCodes.0', message: 'unknown or not applicable' }]);
  const merged = mergeItems(items);
  const skus = await catalog.sellableSkus(sql, merged.map((i) => i.skuId));
  const asked = merged.flatMap((i) => (i.liveSessionId ? [{ skuId: i.skuId, liveSessionId: i.liveSessionId }] : []));
  const live = asked.length && livePrices ? await livePrices(sql, asked) : new Map();
  const lines = merged.map((item) => {
    const sku = skus.get(item.skuId);
    const field = `items.${items.findIndex((i) => i.skuId === item.skuId)}`;
    if (!sku) throw new Problem(404, 'not_found', `SKU ${item.skuId} not found`, [{ field: `${field}.skuId`, message: 'unknown SKU' }]);
    if (!sku.sellable) throw new Problem(422, 'not_on_sale', `${sku.title} is not on sale`, [{ field: `${field}.skuId`, message: 'not on sale' }]);
    if (item.quantity > MAX_LINE_QUANTITY) throw new Problem(400, 'validation_failed', 'quantity too large', [{ field: `${field}.quantity`, message: `at most ${MAX_LINE_QUANTITY}` }]);
    const l = item.liveSessionId ? live.get(`${item.liveSessionId}|${item.skuId}`) : undefined;
    if (l?.state === 'unknown') throw new Problem(400, 'validation_failed', 'this live session does not sell this SKU', [{ field: `${field}.liveSessionId`, message: 'no such live session selling this SKU' }]);
    // The live price holds only while the session is live; after that the line is at list price.
    const unitPrice = l?.state === 'live' ? Math.min(l.price, sku.price) : sku.price;
    const listTotal = unitPrice * item.quantity;
    return { sku, quantity: item.quantity, unitPrice, ...(l?.state === 'live' ? { liveSessionId: l.sessionId } : {}), listTotal, discounts: [], payable: listTotal };
  });
  const stores = new Map<string, Quote['stores'][number]>();
  for (const line of lines) {
    const store = stores.get(line.sku.merchantId) ?? { merchantId: line.sku.merchantId, merchantName: line.sku.merchantName, commissionRateBps: line.sku.commissionRateBps, lines: [] };
    store.lines.push(line);
    stores.set(store.merchantId, store);
  }
  const listTotal = lines.reduce((a, l) => a + l.listTotal, 0);
  const payable = lines.reduce((a, l) => a + l.payable, 0);
  return { lines, stores: [...stores.values()], listTotal, discountTotal: listTotal - payable, payable };
}

function mergeItems(items: ItemRequest[]): ItemRequest[] {
  const bySku = new Map<string, ItemRequest>();
  for (const i of items) {
    const seen = bySku.get(i.skuId);
    bySku.set(i.skuId, { skuId: i.skuId, quantity: (seen?.quantity ?? 0) + i.quantity, liveSessionId: seen?.liveSessionId ?? i.liveSessionId });
  }
  return [...bySku.values()];
}

/** The API shape of a quote: Money objects, per API.md. */
export function quoteView(quote: Quote) {
  const sum = (lines: PricedLine[], f: (l: PricedLine) => number) => money(lines.reduce((a, l) => a + f(l), 0));
  return {
    lines: quote.lines.map((l) => ({
      skuId: l.sku.skuId, productId: l.sku.productId, merchantId: l.sku.merchantId, title: l.sku.title, titleEn: l.sku.titleEn,
      skuAttributes: l.sku.attributes, quantity: l.quantity, unitPrice: money(l.unitPrice), listPrice: money(l.sku.price), ...(l.liveSessionId ? { liveSessionId: l.liveSessionId } : {}), listTotal: money(l.listTotal),
      discounts: l.discounts.map((d) => ({ ...d, amount: money(d.amount) })), payable: money(l.payable),
    })),
    stores: quote.stores.map((s) => ({
      merchantId: s.merchantId, merchantName: s.merchantName,
      listTotal: sum(s.lines, (l) => l.listTotal), discountTotal: sum(s.lines, (l) => l.listTotal - l.payable), payable: sum(s.lines, (l) => l.payable),
    })),
    listTotal: money(quote.listTotal),
    discountTotal: money(quote.discountTotal),
    payable: money(quote.payable),
  };
}
