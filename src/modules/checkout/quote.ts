import type { Sql } from '../../db/database.ts';
import { money } from '../../shared/money.ts';
import { Problem } from '../../shared/problems.ts';
import type { CatalogService, SellableSku } from '../catalog/service.ts';
import { MAX_LINE_QUANTITY } from '../cart/service.ts';
import type { LivePricer } from '../content/service.ts';
import type { PresaleBalance, PricedLine, PriceResult, Rule } from '../pricing/engine/types.ts';
import { discountView, refusalMessage, type PricingService } from '../pricing/service.ts';

export interface ItemRequest {
  skuId: string;
  quantity: number;
  /** Bought from this live room: the session's live price while it is live. */
  liveSessionId?: string;
  /** Pays the balance (尾款) of this presale purchase of mine. */
  presaleOrderId?: string;
}

/** A checkout line: the SKU as sold, and what the price engine made of it. */
export interface QuotedLine {
  sku: SellableSku;
  priced: PricedLine;
}

export interface Quote {
  lines: QuotedLine[];
  stores: { merchantId: string; merchantName: string; commissionRateBps: number; lines: QuotedLine[] }[];
  result: PriceResult;
}

export interface QuoteDeps {
  catalog: CatalogService;
  pricing: PricingService;
  livePrices?: LivePricer;
  presaleBalance?: (sql: Sql, buyerId: string, presaleOrderId: string, at: Date, field: string) => Promise<{ skuId: string; quantity: number; balance: PresaleBalance }>;
}

/**
 * Prices a checkout: reads the SKUs and live prices, then lets the price engine apply
 * every active rule, coupon and membership (MECHANISMS 5), and groups the lines by store.
 */
export async function priceItems(sql: Sql, deps: QuoteDeps, request: { buyerId?: string; items: ItemRequest[]; couponCodes?: string[]; usePoints?: boolean; at?: Date; heldRules?: Rule[] }): Promise<Quote> {
  const { items } = request;
  const at = request.at ?? new Date();
  if (!items.length) throw new Problem(400, 'validation_failed', 'nothing to buy: the cart is empty', [{ field: 'items', message: 'no items' }]);
  const balances = await presaleBalances(sql, deps, request.buyerId, items, at);
  const merged = mergeItems(items);
  const skus = await deps.catalog.sellableSkus(sql, merged.map((i) => i.skuId));
  const asked = merged.flatMap((i) => (i.liveSessionId ? [{ skuId: i.skuId, liveSessionId: i.liveSessionId }] : []));
  const live = asked.length && deps.livePrices ? await deps.livePrices(sql, asked) : new Map();
  const cartLines = merged.map((item) => {
    const sku = skus.get(item.skuId);
    const field = `items.${items.findIndex((i) => i.skuId === item.skuId)}`;
    if (!sku) throw new Problem(404, 'not_found', `SKU ${item.skuId} not found`, [{ field: `${field}.skuId`, message: 'unknown SKU' }]);
    if (!sku.sellable) throw new Problem(422, 'not_on_sale', `${sku.title} is not on sale`, [{ field: `${field}.skuId`, message: 'not on sale' }]);
    if (item.quantity > MAX_LINE_QUANTITY) throw new Problem(400, 'validation_failed', 'quantity too large', [{ field: `${field}.quantity`, message: `at most ${MAX_LINE_QUANTITY}` }]);
    const l = item.liveSessionId ? live.get(`${item.liveSessionId}|${item.skuId}`) : undefined;
    if (l?.state === 'unknown') throw new Problem(400, 'validation_failed', 'this live session does not sell this SKU', [{ field: `${field}.liveSessionId`, message: 'no such live session selling this SKU' }]);
    return {
      skuId: sku.skuId, productId: sku.productId, merchantId: sku.merchantId, categoryIds: sku.categoryIds, ...(sku.brandId ? { brandId: sku.brandId } : {}),
      quantity: item.quantity, listPrice: sku.price,
      // The live price holds only while the session is live; after that the line is at list price.
      ...(l?.state === 'live' ? { livePrice: { unitPrice: l.price, sessionId: l.sessionId } } : {}),
      ...(balances.has(item.skuId) ? { presaleBalance: balances.get(item.skuId) } : {}),
    };
  });
  const result = await deps.pricing.price(sql, { buyerId: request.buyerId, lines: cartLines, couponCodes: request.couponCodes, usePoints: request.usePoints, at, heldRules: request.heldRules });
  const lines = result.lines.map((priced) => ({ sku: skus.get(priced.skuId)!, priced }));
  const stores = new Map<string, Quote['stores'][number]>();
  for (const line of lines) {
    const store = stores.get(line.sku.merchantId) ?? { merchantId: line.sku.merchantId, merchantName: line.sku.merchantName, commissionRateBps: line.sku.commissionRateBps, lines: [] };
    store.lines.push(line);
    stores.set(store.merchantId, store);
  }
  return { lines, stores: [...stores.values()], result };
}

/** Balance lines: each must be the shopper's own presale purchase, whole, in its balance window. */
async function presaleBalances(sql: Sql, deps: QuoteDeps, buyerId: string | undefined, items: ItemRequest[], at: Date) {
  const balances = new Map<string, PresaleBalance>();
  for (const [i, item] of items.entries()) {
    if (!item.presaleOrderId) continue;
    const field = `items.${i}.presaleOrderId`;
    if (!buyerId || !deps.presaleBalance) throw new Problem(400, 'validation_failed', 'presale balances are paid signed in', [{ field, message: 'sign in' }]);
    const purchase = await deps.presaleBalance(sql, buyerId, item.presaleOrderId, at, field);
    if (purchase.skuId !== item.skuId || purchase.quantity !== item.quantity || balances.has(item.skuId) || items.some((other) => other !== item && other.skuId === item.skuId))
      throw new Problem(400, 'validation_failed', `the balance pays for ${purchase.quantity} of SKU ${purchase.skuId}, on a line of its own`, [{ field, message: 'SKU and quantity must match the deposit order' }]);
    balances.set(item.skuId, purchase.balance);
  }
  return balances;
}

function mergeItems(items: ItemRequest[]): ItemRequest[] {
  const bySku = new Map<string, ItemRequest>();
  for (const i of items) {
    const seen = bySku.get(i.skuId);
    bySku.set(i.skuId, { skuId: i.skuId, quantity: (seen?.quantity ?? 0) + i.quantity, liveSessionId: seen?.liveSessionId ?? i.liveSessionId, presaleOrderId: i.presaleOrderId });
  }
  return [...bySku.values()];
}

/** The API shape of a quote: Money objects, per API.md, with why each coupon does or does not apply. */
export function quoteView(quote: Quote) {
  const sum = (lines: QuotedLine[], f: (l: PricedLine) => number) => money(lines.reduce((a, l) => a + f(l.priced), 0));
  const discounted = (l: PricedLine) => l.merchantFunded + l.platformFunded;
  const { result } = quote;
  return {
    lines: quote.lines.map(({ sku, priced: l }) => ({
      skuId: l.skuId, productId: sku.productId, merchantId: l.merchantId, title: sku.title, titleEn: sku.titleEn, skuAttributes: sku.attributes,
      quantity: l.quantity, unitPrice: money(l.unitPrice), listPrice: money(l.listPrice), priceSource: l.priceSource,
      ...(l.liveSessionId ? { liveSessionId: l.liveSessionId } : {}), ...(l.flashSaleId ? { flashSaleId: l.flashSaleId } : {}),
      listTotal: money(l.listTotal), discounts: l.discounts.map(discountView), payable: money(l.payable),
      ...(l.paidBefore ? { paidBefore: money(l.paidBefore) } : {}), ...(l.payLater ? { payLater: money(l.payLater) } : {}),
      ...(l.presaleOrderId ? { presaleOrderId: l.presaleOrderId } : {}),
      ...(l.presaleDeposit ? { presaleDeposit: { presaleId: l.presaleDeposit.presaleId, balanceStartsAt: new Date(l.presaleDeposit.balanceStartsAt).toISOString(), balanceEndsAt: new Date(l.presaleDeposit.balanceEndsAt).toISOString() } } : {}),
    })),
    stores: quote.stores.map((s) => ({
      merchantId: s.merchantId, merchantName: s.merchantName,
      listTotal: sum(s.lines, (l) => l.listTotal), discountTotal: sum(s.lines, discounted), payable: sum(s.lines, (l) => l.payable),
    })),
    coupons: result.coupons.map((c) => ({ couponId: c.couponId, code: c.code, kind: c.kind, ...(c.merchantId ? { merchantId: c.merchantId } : {}), applied: c.applied, amount: money(c.amount), ...(c.refusal ? { refusal: c.refusal } : {}), message: refusalMessage(c) })),
    applied: result.applied.map(discountView),
    listTotal: money(result.listTotal),
    discountTotal: money(result.discountTotal),
    payable: money(result.payable),
    ...(result.paidBefore ? { paidBefore: money(result.paidBefore) } : {}),
    ...(result.payLater ? { payLater: money(result.payLater) } : {}),
    ...(result.pointsUsed ? { pointsUsed: result.pointsUsed } : {}),
  };
}
