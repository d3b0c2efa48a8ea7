import type { Sql } from '../../db/database.ts';
import type { Services } from '../../app.ts';
import { forbidden, invalidState, notFound } from '../../shared/problems.ts';
import { paymentView } from './service.ts';

/** Opens a payment for the unpaid orders of a group, for exactly what they owe. */
export async function startPayment(sql: Sql, services: Services, buyerId: string, input: { orderGroupId: string; provider: string }) {
  services.payments.provider(input.provider);
  const group = await services.orders.group(sql, input.orderGroupId);
  if (!group) throw notFound('order group');
  if (group.buyer_id !== buyerId) throw forbidden();
  const orders = await services.orders.ordersOfGroup(sql, group.id);
  if (await services.payments.succeededOfGroup(sql, group.id)) throw invalidState('this order group is already paid');
  if (orders.some((o) => o.status !== 'pending_payment')) throw invalidState('this order group is no longer waiting for payment');
  const amount = orders.reduce((a, o) => a + o.payable, 0);
  return paymentView(await services.payments.insert(sql, { groupId: group.id, buyerId, provider: input.provider, amount }));
}
