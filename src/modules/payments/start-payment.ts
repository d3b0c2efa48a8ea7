import type { Sql } from '../../db/database.ts';
import type { Services } from '../../app.ts';
import { forbidden, invalidState, notFound } from '../../shared/problems.ts';
import { paymentView } from './service.ts';

/** Opens a payment for the unpaid orders of a group, for exactly what they owe. */
export async function startPayment(sql: Sql, services: Services, buyerId: string, input: { orderGroupId: string; provider: string }) {
  services.payments.provider(input.provider);
  const orders = await services.orders.ordersOfGroup(sql, input.orderGroupId);
  if (!orders.length) throw notFound('order group');
  if (orders[0].buyer_id !== buyerId) throw forbidden();
  // A successful payment turns every order of its group to paid, so pending orders mean unpaid.
  if (orders.some((o) => o.status !== 'pending_payment')) throw invalidState('this order group is no longer waiting for payment');
  const amount = orders.reduce((a, o) => a + o.payable, 0);
  return paymentView(await services.payments.insert(sql, { groupId: input.orderGroupId, buyerId, provider: input.provider, amount }));
}
