import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { requireMerchantStaff, requireUser } from '../../http/auth.ts';
import { Id, IdParams, PositiveMoneySchema } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { cancelPresale } from './lifecycle.ts';

const Time = Type.String({ format: 'date-time' });

export function presaleRoutes(api: Api, { services, db }: AppContext) {
  const { presale } = services;
  const tags = ['presale'];

  api.post('/merchants/:merchantId/presales', {
    schema: {
      tags, summary: 'Open a presale (预售) on a SKU: a deposit now, the balance in a later window',
      description: 'The deposit takes unitDepositValue off unitPrice (定金膨胀: pay 100 off 200); the shopper pays unitPrice - unitDepositValue in all. The deposit may not exceed 20% of that (Civil Code Art. 586).',
      params: IdParams('merchantId'),
      body: Type.Object({
        skuId: Id, unitPrice: PositiveMoneySchema, unitDeposit: PositiveMoneySchema, unitDepositValue: PositiveMoneySchema,
        depositStartsAt: Time, depositEndsAt: Time, balanceStartsAt: Time, balanceEndsAt: Time,
      }),
    },
  }, async (request, reply) => {
    requireMerchantStaff(request, request.params.merchantId);
    const b = request.body;
    const created = await presale.create(request.params.merchantId, { ...b, unitPrice: b.unitPrice.amount, unitDeposit: b.unitDeposit.amount, unitDepositValue: b.unitDepositValue.amount });
    return reply.status(201).send(created);
  });

  api.get('/merchants/:merchantId/presales', { schema: { tags, summary: "The store's presales with deposits and balances paid", params: IdParams('merchantId') } }, async (request) => {
    requireMerchantStaff(request, request.params.merchantId);
    return { items: await presale.listOfMerchant(request.params.merchantId), purchases: await presale.purchases({ merchantId: request.params.merchantId }) };
  });

  api.post('/merchants/:merchantId/presales/:presaleId/cancel', {
    schema: { tags, summary: 'Call a presale off before its balance window; paid deposits are refunded', params: IdParams('merchantId', 'presaleId') },
  }, async (request) => {
    requireMerchantStaff(request, request.params.merchantId);
    await cancelPresale(db, services, request.params.merchantId, request.params.presaleId);
    return { id: request.params.presaleId, status: 'cancelled' };
  });

  api.get('/products/:productId/presales', { schema: { tags, summary: 'Presales open for deposits on a product', params: IdParams('productId') } }, async (request) =>
    ({ items: await presale.openFor([request.params.productId]) }));

  api.get('/me/presales', { schema: { tags, summary: 'My presale purchases: deposit, balance, and when it can be paid' } }, async (request) =>
    ({ items: await presale.purchases({ buyerId: requireUser(request).id }) }));
}
