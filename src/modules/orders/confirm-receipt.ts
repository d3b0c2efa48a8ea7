import type { Database, Sql } from '../../db/database.ts';
import type { Services } from '../../app.ts';
import type { OrderRow } from './service.ts';

/** The shopper has the goods: the order completes and its money is settled to the merchant. */
export async function confirmReceipt(sql: Sql, services: Services, orderId: string) {
  const order = await services.orders.transition(sql, orderId, 'completed');
  await settle(sql, services, order);
  await services.pricing.completed(sql, { orderId, buyerId: order.buyer_id, paid: order.payable - order.refunded });
  return order;
}

/** A completed order's money, net of refunds, goes to the merchant less commission. */
export function settle(sql: Sql, services: Services, order: OrderRow) {
  return services.ledger.settleOrder(sql, {
    id: order.id, merchantId: order.merchant_id, commissionRateBps: order.commission_rate_bps,
    paid: order.payable - order.refunded, platformFunded: order.platform_funded - order.refunded_platform_funded,
  });
}

/** Confirms shipped orders the shopper left unconfirmed past the configured days (自动确认收货). */
export async function autoConfirmOrders(db: Database, services: Services, days: number, limit = 200) {
  let confirmed = 0;
  for (const { id } of await services.orders.dueForAutoConfirm(days, limit)) {
    await db.tx(async (sql) => {
      if ((await services.orders.find(sql, id))?.status === 'shipped') {
        await confirmReceipt(sql, services, id);
        confirmed++;
      }
    });
  }
  return confirmed;
}
