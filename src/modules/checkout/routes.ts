import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { deviceIdOf, requireUser } from '../../http/auth.ts';
import { Id, IdempotencyHeaders } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { MAX_LINE_QUANTITY } from '../cart/service.ts';
import { cartItem, placeOrder, quoteDeps } from './place-order.ts';
import { priceItems, quoteView } from './quote.ts';

const Items = Type.Array(Type.Object({
  skuId: Id, quantity: Type.Integer({ minimum: 1, maximum: MAX_LINE_QUANTITY }),
  liveSessionId: Type.Optional({ ...Id, description: 'bought from this live room: its live price applies while the session is live' }),
  presaleOrderId: Type.Optional({ ...Id, description: 'pays the balance (尾款) of this presale purchase: the SKU and quantity of its deposit order' }),
}), { minItems: 1, maxItems: 100 });
const CouponCodes = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 10 });
const UsePoints = Type.Optional(Type.Boolean({ description: 'pay with my points (积分抵扣): 1 point = 1 fen, at most 10% of what the goods cost after every other discount' }));
const Line = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
export const Address = Type.Object({
  name: Line(50),
  phone: Type.String({ pattern: '^\\+?[0-9][0-9 -]{5,19}$', maxLength: 20 }),
  region: Line(100),
  line1: Line(200),
});

export function checkoutRoutes(api: Api, { services, db, idempotency, config }: AppContext) {
  api.post('/checkout/quote', {
    schema: { tags: ['checkout'], summary: 'Price a checkout, per store and per line', body: Type.Object({ items: Type.Optional(Items), couponCodes: Type.Optional(CouponCodes), usePoints: UsePoints }) },
  }, async (request) => {
    const user = requireUser(request);
    const items = request.body.items ?? (await services.cart.items(db, user.id)).map(cartItem);
    return quoteView(await priceItems(db, quoteDeps(services), { buyerId: user.id, items, couponCodes: request.body.couponCodes, usePoints: request.body.usePoints }));
  });

  api.post('/orders', {
    schema: {
      tags: ['checkout'], summary: 'Place one order per store; reserves stock for 30 minutes',
      headers: IdempotencyHeaders,
      body: Type.Object({ items: Type.Optional(Items), couponCodes: Type.Optional(CouponCodes), usePoints: UsePoints, address: Address }),
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const answer = await idempotency.run(
      { ownerId: user.id, key: request.headers['idempotency-key'], route: 'POST /orders', body: request.body },
      async (sql) => ({ statusCode: 201, body: await placeOrder(sql, services, user.id, request.body, config.paymentTimeoutMinutes, deviceIdOf(request)) }),
    );
    return reply.status(answer.statusCode).header('idempotent-replayed', String(answer.replayed)).send(answer.body);
  });
}
