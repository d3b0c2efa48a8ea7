import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { actingAsOperator, deviceIdOf, requireMerchantStaff, requireUser } from '../../http/auth.ts';
import { Id, IdParams, MAX_STOCK, MoneyOut, PageQuery, pageOf, PositiveMoneySchema } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { Address } from '../checkout/routes.ts';

export const MAX_PER_PERSON_LIMIT = 1000;

const State = Type.Union([Type.Literal('scheduled'), Type.Literal('live'), Type.Literal('sold_out'), Type.Literal('ended'), Type.Literal('cancelled')]);
export const FlashSaleView = Type.Object({
  id: Type.String(), merchantId: Type.String(), productId: Type.String(), skuId: Type.String(),
  title: Type.String(), titleEn: Type.String(), skuAttributes: Type.Record(Type.String(), Type.String()),
  campaignId: Type.Optional(Type.String()),
  listPrice: MoneyOut, unitPrice: MoneyOut,
  quantity: Type.Integer(), sold: Type.Integer(), remaining: Type.Integer({ description: 'dedicated units still to be had (0 once the sale is settled)' }),
  perPersonLimit: Type.Integer(), startsAt: Type.String(), endsAt: Type.String(), state: State,
  returnedToStock: Type.Optional(Type.Integer({ description: 'unsold units given back to the SKU when the sale ended or was cancelled' })),
});
const Paged = Type.Object({ items: Type.Array(FlashSaleView), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
export const GrabView = Type.Object({
  id: Type.String(), saleId: Type.String(), skuId: Type.String(), quantity: Type.Integer(),
  status: Type.Union([Type.Literal('taken'), Type.Literal('ordered'), Type.Literal('failed')], { description: 'taken: the units are yours and the order is being written (正在为你生成订单); ordered: orderId is the order to pay; failed: the units went back to the sale' }),
  orderId: Type.Optional(Type.String()),
  failure: Type.Optional(Type.Object({ code: Type.String(), message: Bilingual })),
  grabbedAt: Type.String(), doneAt: Type.Optional(Type.String()),
});

export function flashSaleRoutes(api: Api, { services }: AppContext) {
  const { flashSales } = services;
  const tags = ['flash-sales'];

  api.post('/merchants/:merchantId/flash-sales', {
    schema: {
      tags, summary: 'Set a flash sale (秒杀) on one of the store\'s SKUs; its units leave the SKU\'s sellable stock at once (409 out_of_stock if it has fewer)',
      params: IdParams('merchantId'),
      body: Type.Object({
        skuId: Id,
        unitPrice: { ...PositiveMoneySchema, description: 'below the SKU\'s list price' },
        quantity: Type.Integer({ minimum: 1, maximum: MAX_STOCK, description: 'dedicated units' }),
        startsAt: Type.String({ format: 'date-time' }),
        endsAt: Type.String({ format: 'date-time' }),
        perPersonLimit: Type.Integer({ minimum: 1, maximum: MAX_PER_PERSON_LIMIT }),
        campaignId: Type.Optional({ ...Id, description: 'a campaign price: the product is enrolled and the window lies within one of the campaign\'s phases' }),
      }),
      response: { 201: FlashSaleView },
    },
  }, async (request, reply) => {
    const { merchantId } = request.params;
    const user = requireMerchantStaff(request, merchantId);
    const b = request.body;
    const sale = await flashSales.create(merchantId, user, {
      skuId: b.skuId, unitPrice: b.unitPrice.amount, quantity: b.quantity, startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt), perPersonLimit: b.perPersonLimit, campaignId: b.campaignId,
    }, actingAsOperator(user, merchantId));
    return reply.status(201).send(sale);
  });

  api.get('/merchants/:merchantId/flash-sales', {
    schema: { tags, summary: 'The store\'s flash sales, latest start first, with sold and remaining units', params: IdParams('merchantId'), querystring: Type.Object({ ...PageQuery }), response: { 200: Paged } },
  }, async (request) => {
    requireMerchantStaff(request, request.params.merchantId);
    return flashSales.ofMerchant(request.params.merchantId, pageOf(request.query));
  });

  api.post('/merchants/:merchantId/flash-sales/:saleId/cancel', {
    schema: { tags, summary: 'Cancel a flash sale before it starts; its units go back to the SKU', params: IdParams('merchantId', 'saleId'), response: { 200: FlashSaleView } },
  }, async (request) => {
    const { merchantId, saleId } = request.params;
    const user = requireMerchantStaff(request, merchantId);
    return flashSales.cancel(merchantId, saleId, user, actingAsOperator(user, merchantId));
  });

  api.get('/flash-sales', {
    schema: {
      tags, summary: 'Flash sales on now (live, sold out ones too, ending soonest first) or upcoming (scheduled, starting soonest first), with remaining units and times; both without state',
      querystring: Type.Object({ state: Type.Optional(Type.Union([Type.Literal('live'), Type.Literal('scheduled')])), productId: Type.Optional(Id), ...PageQuery }),
      response: { 200: Paged },
    },
  }, async (request) => flashSales.list({ state: request.query.state, productId: request.query.productId }, pageOf(request.query)));

  api.post('/flash-sales/:saleId/grabs', {
    schema: {
      tags, summary: 'Grab (抢购) units of a live flash sale: answered at once, the order is written behind it (poll the grab for its order). 409 out_of_stock when sold out, 422 flash_sale_limit over the per-person limit, 409 flash_sale_ended when not on, 422 validation_failed for another SKU',
      params: IdParams('saleId'),
      headers: Type.Object({ 'idempotency-key': Type.String({ minLength: 1, maxLength: 200 }) }),
      body: Type.Object({
        skuId: Id,
        quantity: Type.Integer({ minimum: 1, maximum: MAX_PER_PERSON_LIMIT }),
        address: Address,
      }),
      response: { 202: GrabView },
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const { skuId, quantity, address } = request.body;
    const { grab, replayed } = await flashSales.grab({
      saleId: request.params.saleId, buyerId: user.id, skuId, quantity, address, deviceId: deviceIdOf(request), idempotencyKey: request.headers['idempotency-key'],
    });
    if (grab.status === 'taken') services.flashGrabs.kick();
    return reply.status(202).header('idempotent-replayed', String(replayed)).send(grab);
  });

  api.get('/flash-sales/grabs', {
    schema: { tags, summary: 'My grabs, latest first', querystring: Type.Object({ ...PageQuery }), response: { 200: Type.Object({ items: Type.Array(GrabView), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }) } },
  }, async (request) => flashSales.grabsOf(requireUser(request).id, pageOf(request.query)));

  api.get('/flash-sales/grabs/:grabId', {
    schema: { tags, summary: 'One of my grabs: taken (the order is being written), ordered (with the order to pay) or failed (with why)', params: IdParams('grabId'), response: { 200: GrabView } },
  }, async (request) => flashSales.grabOf(request.params.grabId, requireUser(request).id));

  api.get('/flash-sales/:saleId', { schema: { tags, summary: 'One flash sale', params: IdParams('saleId'), response: { 200: FlashSaleView } } },
    async (request) => flashSales.get(request.params.saleId));
}
