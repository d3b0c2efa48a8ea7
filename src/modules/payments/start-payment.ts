import type { Sql } from '../../db/database.ts';
import type { Services } from '../../app.ts';
import { forbidden, invalidState, notFound } from '../../shared/problems.ts';
import { ORDER_GROUP, paymentView } from './service.ts';

export type PaymentRequest = { provider: string } & ({ orderGroupId: string } | { purpose: string; payableId: string });

/** Opens a payment for the unpaid orders of a group, or for another payable, for exactly what is owed. */
export async function startPayment(sql: Sql, services: Services, buyerId: string, input: PaymentRequest) {
  services.payments.provider(input.provider);
  if ('payableId' in input && input.purpose !== ORDER_GROUP) {
    const amount = await services.payments.payable(input.purpose).amountDue(sql, buyerId, input.payableId);
    return paymentView(await services.payments.insert(sql, { purpose: input.purpose, groupId: input.payableId, buyerId, provider: input.provider, amount }));
  }
  const orderGroupId = 'orderGroupId' in input ? input.orderGroupId : input.payableId;
  const orders = await services.orders.ordersOfGroup(sql, orderGroupId);
  if (!orders.length) throw notFound('order group');
  if (orders[0].buyer_id !== buyerId) throw forbidden();
  // A successful payment turns every order of its group to paid, so pending orders mean unpaid.
  if (orders.some((o) => o.status !== 'pending_payment')) throw invalidState('this order group is no longer waiting for payment');
  const amount = orders.reduce((a, o) => a + o.payable, 0);
  return paymentView(await services.payments.insert(sql, { groupId: orderGroupId, buyerId, provider: input.provider, amount }));
}
