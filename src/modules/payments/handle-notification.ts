import type { Database, Sql } from '../../db/database.ts';
import type { Services } from '../../app.ts';
import { Problem } from '../../shared/problems.ts';
import { ORDER_GROUP, type PaymentRow } from './service.ts';

/**
 * A provider says a payment went through. Handled once per provider event id.
 * Normally the group's orders become paid and their stock sold (or the payable the payment is
 * for takes it). If they were cancelled or paid by another payment meanwhile, the money is
 * taken and returned at once, so the shopper is never charged for nothing.
 */
export async function handleNotification(db: Database, services: Services, providerName: string, headers: Record<string, any>, rawBody: string) {
  const provider = services.payments.provider(providerName);
  let notice;
  try {
    notice = provider.verifyNotification(headers, rawBody);
  } catch (error) {
    if (error instanceof Problem) throw error;
    throw new Problem(400, 'bad_notification', 'notification body is not valid');
  }
  await db.tx(async (sql) => {
    if (!(await services.payments.claimNotification(sql, providerName, notice.eventId, notice.paymentId))) return;
    const payment = await services.payments.find(sql, notice.paymentId, true);
    if (payment.provider !== providerName) throw new Problem(400, 'bad_notification', 'payment belongs to another provider');
    if (notice.status === 'failed') return services.payments.markFailed(sql, payment.id);
    if (payment.status !== 'pending' && payment.status !== 'failed') return;
    if (notice.amount !== payment.amount) throw new Problem(400, 'amount_mismatch', `notified ${notice.amount}, expected ${payment.amount}`);
    if (payment.purpose !== ORDER_GROUP) {
      if (await services.payments.payable(payment.purpose).settle(sql, payment)) return services.payments.markReceived(sql, payment, notice.providerTxnId);
      return returnPayment(sql, services, payment, notice.providerTxnId);
    }
    const orders = await services.orders.ordersOfGroup(sql, payment.group_id, true);
    // Orders turn paid together with their group's successful payment, so any order not
    // pending means the group was paid by another payment, or cancelled, meanwhile.
    if (orders.some((o) => o.status !== 'pending_payment')) return returnPayment(sql, services, payment, notice.providerTxnId);
    await services.payments.markReceived(sql, payment, notice.providerTxnId);
    await markOrdersPaid(sql, services, orders.map((o) => o.id));
  });
  return provider.acknowledgement();
}

/**
 * Money arrived for something no longer waiting for it: received, and refunded at once. The
 * payment is the refund's request (refunds are once per group, reason and request), so every
 * extra payment for the same group or payable goes back, not only the first.
 */
async function returnPayment(sql: Sql, services: Services, payment: PaymentRow, providerTxnId: string) {
  await services.payments.markReceived(sql, payment, providerTxnId, 'refunded');
  await services.payments.refund(sql, { ...payment, provider_txn_id: providerTxnId }, {
    orderId: payment.group_id, requestId: payment.id, amount: payment.amount, reason: 'late_or_duplicate_payment',
  });
}

/** The orders of a group are paid: their reserved stock is sold, and the pricing modules hear of it. */
export async function markOrdersPaid(sql: Sql, services: Services, orderIds: string[]) {
  for (const orderId of orderIds) {
    await services.orders.transition(sql, orderId, 'paid');
    await services.inventory.commit(sql, orderId);
  }
  await services.pricing.paid(sql, orderIds);
}
