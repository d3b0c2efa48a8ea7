import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { deviceIdOf, requireOperator, requireUser } from '../../http/auth.ts';
import { Id, IdParams, MoneyOut } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { notFound, Problem } from '../../shared/problems.ts';

const MAX_LIMIT = 50;
const Limit = (fallback: number) => Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: fallback, description: `1-${MAX_LIMIT}` }));
const Item = Type.Object({
  productId: Type.String(), title: Type.String(), titleEn: Type.Union([Type.String(), Type.Null()]), price: MoneyOut, category: Type.Union([Type.String(), Type.Null()]), brand: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String({ description: 'Why this item, in words a shopper can read (zh-CN)' }), reasonEn: Type.String(),
  recaller: Type.String({ description: 'The candidate source: transitions, sessionKnn, attributePopularity, categoryPopular, crowd, content, newArrival, editorial, popularity, boughtTogether' }),
  position: Type.Integer(),
  live: Type.Union([Type.Object({ sessionId: Type.String(), livePrice: MoneyOut }), Type.Null()], { description: 'In a live session now: the live badge and the live-only price' }),
});
const Shown = Type.Object({ requestId: Type.String({ description: 'Send it back with POST /reco/clicks' }), items: Type.Array(Item) });

export function recommendRoutes(api: Api, { db, services }: AppContext) {
  const { recommend } = services;
  const actorOf = (request: { user?: { id: string }; headers: Record<string, unknown> }) => ({ userId: request.user?.id, deviceId: deviceIdOf(request as any) });

  api.get('/feed', {
    schema: {
      tags: ['recommendation'], summary: '猜你喜欢: the home feed, personalised unless personalisation is off',
      description: 'Infinite scroll: pass `nextCursor` back as `cursor`. With personalisation off, or with no behaviour yet, everyone gets the same non-personalised feed (popular, new, editorial).',
      querystring: Type.Object({ limit: Limit(20), cursor: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ ...Shown.properties, personalized: Type.Boolean(), modelVersion: Type.Union([Type.Integer(), Type.Null()]), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => recommend.feed(actorOf(request), request.query.limit ?? 20, request.query.cursor));

  api.get('/products/:productId/similar', {
    schema: { tags: ['recommendation'], summary: 'Similar items (看了又看)', params: IdParams('productId'), querystring: Type.Object({ limit: Limit(12) }, { additionalProperties: false }), response: { 200: Shown } },
  }, async (request) => recommend.similar(request.params.productId, request.query.limit ?? 12));

  api.get('/products/:productId/bought-together', {
    schema: { tags: ['recommendation'], summary: 'Often bought together', params: IdParams('productId'), querystring: Type.Object({ limit: Limit(8) }, { additionalProperties: false }), response: { 200: Shown } },
  }, async (request) => recommend.boughtTogether(request.params.productId, request.query.limit ?? 8));

  api.get('/cart/recommendations', {
    schema: { tags: ['recommendation'], summary: 'You may also like, under the cart', querystring: Type.Object({ limit: Limit(8) }, { additionalProperties: false }), response: { 200: Shown } },
  }, async (request) => recommend.forCart({ ...actorOf(request), userId: requireUser(request).id }, request.query.limit ?? 8));

  api.post('/reco/clicks', {
    schema: { tags: ['recommendation'], summary: 'A shown item was opened (click-through per surface and recaller)', body: Type.Object({ requestId: Id, position: Type.Integer({ minimum: 0, maximum: 1000 }) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    if (!(await recommend.click(request.body.requestId, request.body.position))) throw notFound('impression');
    return reply.status(204).send();
  });

  api.post('/feed/not-interested', {
    schema: { tags: ['recommendation'], summary: 'Never show this product in my feeds again', body: Type.Object({ productId: Id }, { additionalProperties: false }) },
  }, async (request, reply) => {
    const actor = actorOf(request);
    if (!actor.userId && !actor.deviceId) throw new Problem(400, 'device_required', 'send X-Device-Id, or sign in', [{ field: 'x-device-id', message: 'required when not signed in' }]);
    await recommend.block(actor, request.body.productId);
    return reply.status(204).send();
  });

  // ---- operator ---------------------------------------------------------------------------------------

  api.get('/admin/reco/models', { schema: { tags: ['operator'], summary: 'Recommendation model versions, newest first, with training progress' } }, async (request) => {
    requireOperator(request);
    return { items: await recommend.models(), training: recommend.training, activeVersion: recommend.modelVersion ?? null };
  });

  api.post('/admin/reco/models/train', { schema: { tags: ['operator'], summary: 'Train a model now (in the background; the feed keeps serving)' } }, async (request, reply) => {
    const operator = requireOperator(request);
    const already = recommend.training;
    recommend.train(`operator:${operator.id}`).catch((error) => request.log.error(error, 'training failed'));
    await services.audit.record(db, operator.id, 'reco.train', 'model');
    return reply.status(202).send({ started: !already });
  });

  api.post('/admin/reco/models/:version/activate', {
    schema: { tags: ['operator'], summary: 'Serve this version (switch back to an earlier model)', params: Type.Object({ version: Type.Integer({ minimum: 1 }) }) },
  }, async (request) => {
    const operator = requireOperator(request);
    await recommend.activate(request.params.version);
    await services.audit.record(db, operator.id, 'reco.activate', String(request.params.version));
    return { activeVersion: recommend.modelVersion };
  });

  api.get('/admin/reco/stats', {
    schema: { tags: ['operator'], summary: 'Click-through per surface and recaller', querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7 })) }, { additionalProperties: false }) },
  }, async (request) => {
    requireOperator(request);
    return { items: await recommend.stats(request.query.days ?? 7) };
  });

  api.get('/admin/reco/editorial', { schema: { tags: ['operator'], summary: 'Editorial picks shown in every feed' } }, async (request) => {
    requireOperator(request);
    return { items: await recommend.editorialList() };
  });

  api.put('/admin/reco/editorial/:productId', {
    schema: { tags: ['operator'], summary: 'Add an editorial pick', params: IdParams('productId'), body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    const operator = requireOperator(request);
    await recommend.addEditorial(request.params.productId, request.body?.note ?? '', operator.id);
    await services.audit.record(db, operator.id, 'reco.editorial.add', request.params.productId);
    return reply.status(204).send();
  });

  api.delete('/admin/reco/editorial/:productId', { schema: { tags: ['operator'], summary: 'Remove an editorial pick', params: IdParams('productId') } }, async (request, reply) => {
    const operator = requireOperator(request);
    await recommend.removeEditorial(request.params.productId);
    await services.audit.record(db, operator.id, 'reco.editorial.remove', request.params.productId);
    return reply.status(204).send();
  });
}
