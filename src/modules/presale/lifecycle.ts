import type { Database, Sql } from '../../db/database.ts';
import type { Services } from '../../app.ts';
import { forbidden, invalidState, notFound } from '../../shared/problems.ts';
import { cancelOrder } from '../orders/cancel-order.ts';
import { settle } from '../orders/confirm-receipt.ts';
import { refundLines } from '../orders/refund-lines.ts';
import type { PricingSource } from '../pricing/service.ts';

/**
 * How a presale purchase moves with its orders (MECHANISMS 4):
 * deposit order paid → deposit_paid; balance order placed → balance_ordered, paid →
 * balance_paid, and the deposit order is done (its goods ship on the balance order).
 * An unpaid deposit order closes after the payment window; a balance window that closes
 * unpaid forfeits the deposit to the merchant; a store that cannot deliver refunds it.
 */
export function presaleCheckoutPart(services: Services): PricingSource {
  const { presale } = services;
  return {
    name: 'presale',
    rules: presale.rules,

    async placed(sql, checkout) {
      const balances = new Map(checkout.result.lines.filter((l) => l.presaleOrderId).map((l) => [l.skuId, l.presaleOrderId!] as const));
      await presale.recordCheckout(sql, { buyerId: checkout.buyerId, result: checkout.result, orderOf: checkout.orderOf, balances });
    },

    async paid(sql, orderIds) {
      for (const orderId of orderIds) {
        const purchase = await presale.byOrder(sql, orderId, true);
        if (purchase?.role === 'deposit' && purchase.state === 'awaiting_deposit') await presale.setState(sql, purchase.id, 'deposit_paid');
        if (purchase?.role === 'balance' && purchase.state === 'balance_ordered') {
          await presale.setState(sql, purchase.id, 'balance_paid');
          await completeDeposit(sql, services, purchase.deposit_order_id);
        }
      }
    },

    async cancelled(sql, order) {
      const purchase = await presale.byOrder(sql, order.orderId, true);
      if (!purchase) return;
      if (purchase.role === 'deposit') {
        if (!order.wasPaid) return presale.setState(sql, purchase.id, 'closed');
        if (order.reason === 'buyer_cancelled') throw invalidState('定金不退：不付尾款则定金不退 / a paid deposit is not refunded when the buyer withdraws; it is forfeited if the balance is not paid');
        return presale.setState(sql, purchase.id, 'refunded');
      }
      if (!order.wasPaid) return presale.setState(sql, purchase.id, 'deposit_paid', { clearBalanceOrder: true });
      // The balance was paid and the order is cancelled before shipping: the deposit goes back too, and the units to sale.
      const deposit = await services.orders.find(sql, purchase.deposit_order_id);
      const lines = await services.orders.refundableLines(sql, purchase.deposit_order_id);
      const left = lines.filter((l) => l.quantity > l.refunded_quantity).map((l) => ({ lineNo: l.line_no, quantity: l.quantity - l.refunded_quantity }));
      if (deposit && left.length) await refundLines(sql, services, deposit.id, { lines: left, reason: 'presale_balance_cancelled', requestedBy: order.buyerId });
      await services.inventory.restock(sql, purchase.deposit_order_id);
      await presale.setState(sql, purchase.id, 'refunded');
    },

    async holdsShipping(sql, orderId) {
      const purchase = await presale.byOrder(sql, orderId);
      if (purchase?.role === 'deposit') return '预售定金订单不单独发货，商品随尾款订单发出 / a presale deposit order does not ship; the goods ship with the balance order';
    },
  };
}

/** The deposit's part of the sale is done: the deposit order completes and its money is settled. */
async function completeDeposit(sql: Sql, services: Services, depositOrderId: string) {
  const order = await services.orders.transition(sql, depositOrderId, 'completed', { presaleDepositDone: true });
  await settle(sql, services, order);
}

/** Balance windows that closed unpaid: the merchant keeps the deposit, and the units go back on sale. */
export async function forfeitUnpaidBalances(db: Database, services: Services, at = new Date()) {
  let forfeited = 0;
  for (const due of await services.presale.dueToForfeit(at)) {
    await db.tx(async (sql) => {
      const purchase = await services.presale.byOrder(sql, due.deposit_order_id, true);
      if (purchase?.state !== 'deposit_paid') return;
      await completeDeposit(sql, services, purchase.deposit_order_id);
      await services.inventory.restock(sql, purchase.deposit_order_id);
      await services.presale.setState(sql, purchase.id, 'forfeited');
      forfeited++;
    });
  }
  return forfeited;
}

/** The store calls a presale off before its balance window: open deposit orders are cancelled and paid deposits refunded. */
export async function cancelPresale(db: Database, services: Services, merchantId: string, presaleId: string) {
  return db.tx(async (sql) => {
    const row = await services.presale.find(sql, presaleId, true);
    if (!row) throw notFound('presale');
    if (row.merchant_id !== merchantId) throw forbidden('this presale belongs to another store');
    if (row.status !== 'active') throw invalidState('this presale is already cancelled');
    if (new Date() >= row.balance_starts_at) throw invalidState('the balance window has opened; refund purchases one by one instead');
    for (const purchase of await services.presale.openPurchasesOf(sql, presaleId)) await cancelOrder(sql, services, purchase.deposit_order_id, 'presale_cancelled');
    await services.presale.markCancelled(sql, presaleId);
  });
}
