import type { Sql } from '../../db/database.ts';
import type { Services } from '../../app.ts';

/**
 * Cancels an order before it ships. Unpaid: its reservation goes back on sale.
 * Paid: its stock goes back and its payable is refunded through the provider and the ledger.
 */
export async function cancelOrder(sql: Sql, services: Services, orderId: string, reason: string) {
  const before = await services.orders.find(sql, orderId);
  const order = await services.orders.transition(sql, orderId, 'cancelled', { cancelReason: reason });
  await services.pricing.cancelled(sql, { orderId, groupId: order.group_id, buyerId: order.buyer_id, reason, wasPaid: before?.status !== 'pending_payment' });
  if (before?.status === 'pending_payment') {
    await services.inventory.release(sql, orderId);
    return order;
  }
  await services.inventory.restock(sql, orderId);
  const payment = await services.payments.succeededOfGroup(sql, order.group_id);
  // Lines refunded earlier already got their money back.
  if (payment) await services.payments.refund(sql, payment, { orderId, amount: order.payable - order.refunded, reason: 'order_cancelled' });
  return order;
}

/** Cancels unpaid orders whose payment window closed (30 minutes by default). */
export async function expireUnpaidOrders(db: { tx: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T> }, services: Services, limit = 200) {
  let expired = 0;
  for (const { id } of await services.orders.expiredUnpaid(limit)) {
    try {
      await db.tx(async (sql) => {
        const current = await services.orders.find(sql, id);
        if (current?.status === 'pending_payment') await cancelOrder(sql, services, id, 'payment_timeout');
      });
      expired++;
    } catch (error) {
      // A payment that landed meanwhile wins; the next run looks again.
      if ((error as { code?: string }).code !== 'invalid_state') throw error;
    }
  }
  return expired;
}
