import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { isOperator, requireUser } from '../../http/auth.ts';
import { Id, IdempotencyHeaders, IdParams } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { invalidState, notFound } from '../../shared/problems.ts';
import { handleNotification } from './handle-notification.ts';
import { paymentView } from './service.ts';
import { startPayment } from './start-payment.ts';

export function paymentRoutes(api: Api, { services, db, idempotency, sandbox }: AppContext) {
  async function ownPayment(request: Parameters<typeof requireUser>[0], paymentId: string) {
    const user = requireUser(request);
    const payment = await services.payments.find(db, paymentId).catch(() => undefined);
    if (!payment || (payment.buyer_id !== user.id && !isOperator(user))) throw notFound('payment');
    return payment;
  }

  api.post('/payments', {
    schema: { tags: ['payments'], summary: 'Start paying an order group', headers: IdempotencyHeaders, body: Type.Object({ orderGroupId: Id, provider: Type.String({ minLength: 1, maxLength: 32 }) }) },
  }, async (request, reply) => {
    const user = requireUser(request);
    const answer = await idempotency.run(
      { ownerId: user.id, key: request.headers['idempotency-key'], route: 'POST /payments', body: request.body },
      async (sql) => ({ statusCode: 201, body: await startPayment(sql, services, user.id, request.body) }),
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
