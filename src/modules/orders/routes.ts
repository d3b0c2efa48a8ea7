import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { isOperator, requireMerchantStaff, requireOperator, requireUser } from '../../http/auth.ts';
import { IdempotencyHeaders, IdParams, PageQuery, pageOf } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { forbidden, notFound } from '../../shared/problems.ts';
import { money } from '../../shared/money.ts';
import { merchantRole, type User } from '../identity/service.ts';
import { cancelOrder } from './cancel-order.ts';
import { confirmReceipt } from './confirm-receipt.ts';
import { refundLines } from './refund-lines.ts';
import { paymentView } from '../payments/service.ts';

const Status = Type.Union([Type.Literal('pending_payment'), Type.Literal('paid'), Type.Literal('shipped'), Type.Literal('completed'), Type.Literal('cancelled')]);
const ListQuery = Type.Object({ status: Type.Optional(Status), ...PageQuery });

export function orderRoutes(api: Api, { services, db, idempotency }: AppContext) {
  const { orders } = services;

  /** The buyer, that merchant's staff and operators may see an order; others get 404 so ids leak nothing. */
  async function visibleOrder(user: User, orderId: string) {
    const order = await orders.find(db, orderId);
    if (!order) throw notFound('order');
    const allowed = order.buyer_id === user.id || user.roles.includes(merchantRole(order.merchant_id)) || isOperator(user);
    if (!allowed) throw notFound('order');
    return order;
  }

  api.get('/orders', { schema: { tags: ['orders'], summary: 'My orders as a buyer', querystring: ListQuery } }, async (request) =>
    orders.list({ buyerId: requireUser(request).id, status: request.query.status }, pageOf(request.query)));

  api.get('/orders/:orderId', { schema: { tags: ['orders'], summary: 'One order', params: IdParams('orderId') } }, async (request) => {
    await visibleOrder(requireUser(request), request.params.orderId);
    return orders.view(db, request.params.orderId);
  });

  api.get('/order-groups/:groupId', { schema: { tags: ['orders'], summary: 'A checkout: its orders and payment', params: IdParams('groupId') } }, async (request) => {
    const user = requireUser(request);
    const group = await orders.group(db, request.params.groupId);
    if (!group || (group.buyer_id !== user.id && !isOperator(user))) throw notFound('order group');
    const views = await orders.groupViews(db, group.id);
    const payment = await services.payments.latestOfGroup(db, group.id);
    const live = views.filter((o) => o.status !== 'cancelled');
    return {
      id: group.id,
      payable: money(live.reduce((a, o) => a + o.payable.amount, 0)),
      status: live.length === 0 ? 'cancelled' : live.every((o) => o.status === 'pending_payment') ? 'pending_payment' : 'paid',
      createdAt: group.created_at.toISOString(),
      expiresAt: group.expires_at.toISOString(),
      orders: views,
      payment: payment ? paymentView(payment) : null,
    };
  });

  api.post('/orders/:orderId/cancel', { schema: { tags: ['orders'], summary: 'Cancel before shipping (refunds if paid)', params: IdParams('orderId') } }, async (request) => {
    const user = requireUser(request);
    const order = await visibleOrder(user, request.params.orderId);
    if (order.buyer_id !== user.id) throw forbidden('only the buyer can cancel an order');
    await db.tx((sql) => cancelOrder(sql, services, order.id, 'buyer_cancelled'));
    return orders.view(db, order.id);
  });

  api.post('/orders/:orderId/refunds', {
    schema: {
      tags: ['orders'], summary: 'Refund some units of a paid order: each line returns its apportioned paid amount',
      description: 'The store (or an operator) may refund a paid, shipped or completed order; the buyer may refund units of a paid order before it ships.',
      params: IdParams('orderId'), headers: IdempotencyHeaders,
      body: Type.Object({
        lines: Type.Array(Type.Object({ lineNo: Type.Integer({ minimum: 1, maximum: 1000 }), quantity: Type.Integer({ minimum: 1, maximum: 100_000 }) }), { minItems: 1, maxItems: 100 }),
        reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      }),
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const order = await visibleOrder(user, request.params.orderId);
    const byStore = user.roles.includes(merchantRole(order.merchant_id)) || isOperator(user);
    if (!byStore && order.status !== 'paid') throw forbidden('after shipping, ask the store for a refund');
    const answer = await idempotency.run(
      { ownerId: user.id, key: request.headers['idempotency-key'], route: 'POST /orders/:orderId/refunds', body: { orderId: order.id, ...request.body } },
      async (sql) => {
        const refund = await refundLines(sql, services, order.id, { lines: request.body.lines, reason: request.body.reason ?? (byStore ? 'store_refund' : 'buyer_request'), requestedBy: user.id });
        return { statusCode: 201, body: { id: refund.id, amount: money(refund.amount), order: await orders.view(sql, order.id) } };
      },
    );
    return reply.status(answer.statusCode).header('idempotent-replayed', String(answer.replayed)).send(answer.body);
  });

  api.get('/orders/:orderId/refunds', { schema: { tags: ['orders'], summary: "An order's refunds", params: IdParams('orderId') } }, async (request) => {
    await visibleOrder(requireUser(request), request.params.orderId);
    return { items: await orders.refundsOf(db, request.params.orderId) };
  });

  api.post('/orders/:orderId/confirm-receipt', { schema: { tags: ['orders'], summary: 'Confirm the goods arrived', params: IdParams('orderId') } }, async (request) => {
    const user = requireUser(request);
    const order = await visibleOrder(user, request.params.orderId);
    if (order.buyer_id !== user.id) throw forbidden('only the buyer can confirm receipt');
    await db.tx((sql) => confirmReceipt(sql, services, order.id));
    return orders.view(db, order.id);
  });

  api.get('/merchants/:merchantId/orders', { schema: { tags: ['merchant'], summary: "The store's orders", params: IdParams('merchantId'), querystring: ListQuery } }, async (request) => {
    requireMerchantStaff(request, request.params.merchantId);
    return orders.list({ merchantId: request.params.merchantId, status: request.query.status }, pageOf(request.query));
  });

  api.get('/merchants/:merchantId/summary', { schema: { tags: ['merchant'], summary: 'Store dashboard figures', params: IdParams('merchantId') } }, async (request) => {
    requireMerchantStaff(request, request.params.merchantId);
    const merchant = await services.catalog.requireMerchant(db, request.params.merchantId);
    const figures = await orders.merchantSummary(merchant.id);
    const products = await services.catalog.listProducts({ merchantId: merchant.id, includeInactive: true }, { page: 1, pageSize: 1 });
    return {
      merchant: { id: merchant.id, name: merchant.name, kind: merchant.kind, commissionRateBps: merchant.commission_rate_bps },
      productCount: products.total,
      ordersToShip: figures?.to_ship ?? 0,
      paidOrderCount: figures?.paid_count ?? 0,
      gmv: money(figures?.gmv ?? 0),
    };
  });

  api.get('/admin/orders', {
    schema: { tags: ['operator'], summary: 'All orders', querystring: Type.Object({ status: Type.Optional(Status), merchantId: Type.Optional(Type.String({ maxLength: 64 })), ...PageQuery }) },
  }, async (request) => {
    requireOperator(request);
    return orders.list({ status: request.query.status, merchantId: request.query.merchantId }, pageOf(request.query));
  });
}
