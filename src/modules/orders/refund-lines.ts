import type { Sql } from '../../db/database.ts';
import type { Services } from '../../app.ts';
import { newId } from '../../shared/ids.ts';
import { invalidState, Problem } from '../../shared/problems.ts';
import { refundShare } from '../pricing/engine/refund.ts';

export interface RefundRequest {
  lines: { lineNo: number; quantity: number }[];
  reason: string;
  requestedBy: string;
}

/**
 * Refunds some units of a paid order (MECHANISMS 5): each line returns its apportioned
 * paid amount for those units, never more than it paid, and thresholds are not looked at
 * again. Before shipping the units go back on sale. After settlement the merchant's
 * payable, the commission and the platform's marketing cost are taken back for them.
 */
export async function refundLines(sql: Sql, services: Services, orderId: string, request: RefundRequest) {
  const order = await services.orders.find(sql, orderId, true);
  if (!order) throw new Problem(404, 'not_found', 'order not found');
  if (!['paid', 'shipped', 'completed'].includes(order.status)) throw invalidState(`order is ${order.status}; only a paid order can be refunded`);
  const lines = await services.orders.refundableLines(sql, orderId);
  const parts = request.lines.map((asked, i) => {
    const line = lines.find((l) => l.line_no === asked.lineNo);
    if (!line) throw new Problem(400, 'validation_failed', `order has no line ${asked.lineNo}`, [{ field: `lines.${i}.lineNo`, message: 'no such line' }]);
    const left = line.quantity - line.refunded_quantity;
    if (asked.quantity > left) throw new Problem(422, 'validation_failed', `line ${asked.lineNo} has ${left} units left to refund`, [{ field: `lines.${i}.quantity`, message: `at most ${left}` }]);
    const done = { quantity: line.refunded_quantity, amount: line.refunded_amount };
    return {
      lineNo: line.line_no, skuId: line.sku_id, quantity: asked.quantity,
      amount: refundShare(line, done, asked.quantity),
      platformFunded: refundShare({ payable: line.platform_funded, quantity: line.quantity }, { quantity: line.refunded_quantity, amount: line.refunded_platform_funded }, asked.quantity),
    };
  });
  if (new Set(parts.map((p) => p.lineNo)).size !== parts.length) throw new Problem(400, 'validation_failed', 'each line at most once', [{ field: 'lines', message: 'a line is listed twice' }]);

  const refundId = newId('ord_rfd');
  const afterSettlement = order.status === 'completed';
  const { amount, platformFunded } = await services.orders.recordRefund(sql, { id: refundId, orderId, reason: request.reason, requestedBy: request.requestedBy, afterSettlement, lines: parts });
  // Points spent on the refunded units come back; after completion, points earned on the money go.
  await services.pricing.refunded(sql, {
    orderId, refundId, buyerId: order.buyer_id, amount, afterCompletion: afterSettlement,
    lines: request.lines.map((asked) => {
      const line = lines.find((l) => l.line_no === asked.lineNo)!;
      return { quantity: asked.quantity, refundedBefore: line.refunded_quantity, lineQuantity: line.quantity, discounts: line.discounts };
    }),
  });
  if (order.status === 'paid') await services.inventory.returnUnits(sql, orderId, parts.map((p) => ({ skuId: p.skuId, quantity: p.quantity })));
  // An order the discounts covered entirely had no payment: nothing goes back but the units.
  const payment = amount > 0 ? await services.payments.succeededOfGroup(sql, order.group_id) : undefined;
  if (amount > 0 && !payment) throw invalidState('this order has no payment to refund');
  if (payment) await services.payments.refund(sql, payment, { orderId, amount, reason: 'lines_refunded', requestId: refundId });
  if (afterSettlement)
    await services.ledger.clawBack(sql, refundId, { id: orderId, merchantId: order.merchant_id, paid: amount, platformFunded, commissionRateBps: order.commission_rate_bps });
  return { id: refundId, amount, platformFunded };
}
