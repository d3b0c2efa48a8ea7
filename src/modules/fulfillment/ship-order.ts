import type { Sql } from '../../db/database.ts';
import type { Services } from '../../app.ts';
import { invalidState, notFound } from '../../shared/problems.ts';

/** The merchant hands the parcel to a carrier: the order becomes shipped with its tracking number. */
export async function shipOrder(sql: Sql, services: Services, merchantId: string, orderId: string, input: { carrier: string; trackingNo: string }) {
  services.fulfillment.validate(input);
  const order = await services.orders.find(sql, orderId);
  if (!order || order.merchant_id !== merchantId) throw notFound('order');
  const held = await services.pricing.holdsShipping(sql, orderId);
  if (held) throw invalidState(held);
  await services.orders.transition(sql, orderId, 'shipped');
  await services.fulfillment.recordShipment(sql, { orderId, merchantId, ...input });
}
