import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { isOperator, requireUser } from '../../http/auth.ts';
import { Id, IdempotencyHeaders, IdParams } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { invalidField, invalidState, notFound } from '../../shared/problems.ts';
import { handleNotification } from './handle-notification.ts';
import { paymentView } from './service.ts';
import { startPayment, type PaymentRequest } from './start-payment.ts';

/** Exactly one of an order group, or a purpose with the id of what is paid. */
function paymentRequest(body: { orderGroupId?: string; purpose?: string; payableId?: string; provider: string }): PaymentRequest {
  const { orderGroupId, purpose, payableId, provider } = body;
  if (orderGroupId !== undefined && payableId === undefined && purpose === undefined) return { orderGroupId, provider };
  if (orderGroupId === undefined && payableId !== undefined && purpose !== undefined) return { purpose, payableId, provider };
  if (orderGroupId !== undefined) throw invalidField('orderGroupId', 'give either orderGroupId, or purpose and payableId');
  throw invalidField(payableId === undefined ? 'payableId' : 'purpose', 'required: give orderGroupId, or purpose and payableId');
}

export function paymentRoutes(api: Api, { services, db, idempotency, sandbox }: AppContext) {
  async function ownPayment(request: Parameters<typeof requireUser>[0], paymentId: string) {
    const user = requireUser(request);
    const payment = await services.payments.find(db, paymentId).catch(() => undefined);
    if (!payment || (payment.buyer_id !== user.id && !isOperator(user))) throw notFound('payment');
    return payment;
  }

  api.post('/payments', {
    schema: {
      tags: ['payments'], summary: 'Start paying an order group (orderGroupId), or another payable such as a membership purchase (purpose and payableId)', headers: IdempotencyHeaders,
      body: Type.Object({ orderGroupId: Type.Optional(Id), purpose: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })), payableId: Type.Optional(Id), provider: Type.String({ minLength: 1, maxLength: 32 }) }),
    },
  }, async (request, reply) => {
    const user = requireUser(request);
    const answer = await idempotency.run(
      { ownerId: user.id, key: request.headers['idempotency-key'], route: 'POST /payments', body: request.body },
      async (sql) => ({ statusCode: 201, body: await startPayment(sql, services, user.id, paymentRequest(request.body)) }),
    );
    return reply.status(answer.statusCode).header('idempotent-replayed', String(answer.replayed)).send(answer.body);
  });

  api.get('/payments/:paymentId', { schema: { tags: ['payments'], summary: 'A payment', params: IdParams('paymentId') } }, async (request) =>
    paymentView(await ownPayment(request, request.params.paymentId)));

  api.post('/payments/:paymentId/sandbox/pay', {
    schema: { tags: ['payments'], summary: 'Approve a sandbox payment: the sandbox provider notifies the platform', params: IdParams('paymentId') },
  }, async (request) => {
    const payment = await ownPayment(request, request.params.paymentId);
    if (payment.provider !== 'sandbox') throw invalidState('not a sandbox payment');
    if (payment.status === 'pending') await sandbox.pay(payment);
    return paymentView(await services.payments.find(db, payment.id));
  });

  // Providers post here. The body must stay raw: the signature covers its exact bytes.
  api.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));
    scope.post('/payments/notify/:provider', {
      schema: { tags: ['payments'], summary: 'Payment provider notifications (signed)', params: Type.Object({ provider: Type.String({ maxLength: 32 }) }) },
    }, async (request, reply) => {
      const { provider } = request.params as { provider: string };
      const ack = await handleNotification(db, services, provider, request.headers, String(request.body ?? ''));
      return reply.status(ack.status).send(ack.body);
    });
  });
}
