import type { Sql } from '../../db/database.ts';
import { money } from '../../shared/money.ts';
import type { Services } from '../../app.ts';
import type { GrabClaim } from '../flash-sales/grabs.ts';
import { accountKey, deviceKey } from '../people/identifiers.ts';
import { markOrdersPaid } from '../payments/handle-notification.ts';
import { priceItems, type ItemRequest, type QuotedLine } from './quote.ts';

export interface PlaceOrderInput {
  items?: ItemRequest[];
  couponCodes?: string[];
  /** Pay with points (积分抵扣), as much as the rule allows. */
  usePoints?: boolean;
  address: { name: string; phone: string; region: string; line1: string };
  /** The order behind a flash-sale grab: priced as of the grab at the sale's price, its units already taken. */
  flashGrab?: GrabClaim;
}

/**
 * Checkout in one transaction: price the items, open one order per store under one
 * order group, reserve their stock (409 out_of_stock rolls all of it back), and take
 * the bought lines out of the cart.
 */
export async function placeOrder(sql: Sql, services: Services, buyerId: string, input: PlaceOrderInput, paymentTimeoutMinutes: number, deviceId?: string) {
  const fromCart = !input.items;
  const items = input.items ?? (await services.cart.items(sql, buyerId)).map(cartItem);
  // A flash sale just sold out with nothing else left: refused here, before any work (flash-sales/service.ts).
  const grab = input.flashGrab;
  if (!grab) services.flashSales.refuseSoldOut(items.map((i) => i.skuId));
  const quote = await priceItems(sql, quoteDeps(services), { buyerId, items, couponCodes: input.couponCodes, usePoints: input.usePoints, ...(grab ? { at: grab.at, heldRules: [grab.rule] } : {}) });
  const expiresAt = new Date(Date.now() + paymentTimeoutMinutes * 60_000);
  const { groupId, orders, payable } = await services.orders.createGroup(sql, {
    buyerId,
    address: input.address,
    expiresAt,
    arrival: await services.tracking.arrivalOf(sql, arrivalSubjects(buyerId, deviceId)),
    stores: quote.stores.map((s) => ({
      merchantId: s.merchantId,
      merchantName: s.merchantName,
      commissionRateBps: s.commissionRateBps,
      lines: s.lines.map(({ sku, priced: l }) => ({
        skuId: sku.skuId, productId: sku.productId, title: sku.title, skuAttributes: sku.attributes, quantity: l.quantity,
        listPrice: l.listPrice, unitPrice: l.unitPrice, priceSource: l.priceSource, listTotal: l.listTotal, discounts: l.discounts, payable: l.payable,
        merchantFunded: l.merchantFunded, platformFunded: l.platformFunded, paidBefore: l.paidBefore, payLater: l.payLater,
      })),
    })),
  });
  if (fromCart) await services.cart.remove(sql, buyerId, quote.lines.map((l) => l.sku.skuId));
  const orderOf = new Map(quote.stores.flatMap((store, i) => store.lines.map((l) => [l.sku.skuId, orders[i].id] as const)));
  // Coupons are redeemed by the modules that own them, in this transaction.
  await services.pricing.placed(sql, { groupId, buyerId, result: quote.result, orderOf });
  // Reserving comes last so a hot SKU's row stays locked for as little of the transaction as possible.
  // A presale balance line's units were reserved with its deposit.
  // A flash-sale line's units (and a grab's, however it was priced) come from the sale's dedicated stock, below.
  const fromSale = (l: QuotedLine) => !!l.priced.flashSaleId || l.sku.skuId === grab?.skuId;
  for (const [i, store] of quote.stores.entries())
    await services.inventory.reserve(sql, orders[i].id, store.lines.filter((l) => !l.priced.presaleOrderId && !fromSale(l)).map((l) => ({ skuId: l.sku.skuId, quantity: l.priced.quantity })));
  // Flash-sale lines last: the sale's counter is the hottest row of all (flash-sales/service.ts).
  await services.flashSales.reserveForCheckout(sql, { buyerId, lines: quote.result.lines, orderOf, grab });
  if (payable > 0) return { orderGroupId: groupId, payable: money(payable), orders };
  // Discounts cover it all (0元): nothing to pay, so the orders are paid as placed.
  await markOrdersPaid(sql, services, orders.map((o) => o.id));
  const paidAt = new Date().toISOString();
  return { orderGroupId: groupId, payable: money(0), orders: orders.map((o) => ({ ...o, status: 'paid' as const, paidAt })) };
}

export const quoteDeps = (services: Services) => ({
  catalog: services.catalog, pricing: services.pricing, livePrices: services.content.livePrices, presaleBalance: services.presale.balanceOf,
});

/** A cart line as a checkout item; a line added in a live room keeps its session. */
export const cartItem = (r: { sku_id: string; quantity: number; live_session_id: string | null }): ItemRequest =>
  ({ skuId: r.sku_id, quantity: r.quantity, ...(r.live_session_id ? { liveSessionId: r.live_session_id } : {}) });

/** The account, and the device the order is placed from, may each have arrived through a tracked link. */
const arrivalSubjects = (buyerId: string, deviceId?: string) => [accountKey(buyerId), ...(deviceId ? [deviceKey(deviceId.slice(0, 64))] : [])];
