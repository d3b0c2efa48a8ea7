import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { actingAsOperator, requireMerchantStaff, requireOperator, requireUser } from '../../http/auth.ts';
import { Id, IdParams, MoneyOut, PageQuery, pageOf, PositiveMoneySchema } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { money } from '../../shared/money.ts';
import { Problem } from '../../shared/problems.ts';
import { COMMENT_MAX, HIDE_REASON_MAX, MAX_LIVE_SKUS, MAX_NOTE_IMAGES, MAX_NOTE_PRODUCTS, NOTE_BODY_MAX, NOTE_TITLE_MAX } from './service.ts';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Url = Type.String({ minLength: 8, maxLength: 500, pattern: '^https?://', description: 'an http(s) image URL' });
const Time = Type.String({ format: 'date-time' });

const Author = Type.Object({
  kind: Type.Union([Type.Literal('user'), Type.Literal('merchant')]), id: Type.String(), name: Type.String(),
  creator: Type.Optional(Type.Object({ title: Type.String() }, { description: 'a creator (达人) the platform certified, with their title' })),
});
const ProductCard = Type.Object({
  productId: Type.String(), title: Type.String(), price: MoneyOut,
  livePrice: Type.Optional(MoneyOut), liveSessionId: Type.Optional(Type.String({ description: 'set while a live session sells this product at livePrice' })),
});
/** Figures for the author (my notes, the store's notes and live sessions); a live room shows its viewers to everyone. */
const Attributed = {
  views: Type.Optional(Type.Integer({ description: 'content_view events received (浏览)' })),
  viewers: Type.Optional(Type.Integer({ description: 'distinct devices or accounts that viewed it (观看人数)' })),
  attributedOrders: Type.Optional(Type.Integer()), attributedGmv: Type.Optional(MoneyOut),
};
const Note = Type.Object({
  kind: Type.Literal('note'), id: Type.String(), title: Type.String(), body: Type.String(), images: Type.Array(Type.String()), author: Author,
  products: Type.Array(ProductCard), likes: Type.Integer(), comments: Type.Integer(), likedByMe: Type.Boolean(),
  status: Type.Union([Type.Literal('visible'), Type.Literal('hidden')]), hiddenReason: Type.Optional(Type.String()), ...Attributed, createdAt: Type.String(),
});
const LiveSku = Type.Object({ skuId: Type.String(), attributes: Type.Record(Type.String(), Type.String()), price: MoneyOut, livePrice: MoneyOut, stock: Type.Integer() });
const LiveProduct = Type.Object({ ...ProductCard.properties, announcedLivePrice: MoneyOut, skus: Type.Array(LiveSku) });
const Session = Type.Object({
  kind: Type.Literal('live'), id: Type.String(), merchantId: Type.String(), author: Author, title: Type.String(), coverUrl: Type.Optional(Type.String()),
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('live'), Type.Literal('ended'), Type.Literal('cancelled')]),
  scheduledStart: Type.String(), startedAt: Type.Optional(Type.String()), endedAt: Type.Optional(Type.String()),
  products: Type.Array(LiveProduct), ...Attributed, createdAt: Type.String(),
});
const Comment = Type.Object({ id: Type.String(), noteId: Type.String(), author: Author, body: Type.String(), mine: Type.Boolean(), createdAt: Type.String() });
const Paged = <T extends ReturnType<typeof Type.Object>>(item: T, extra = {}) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), ...extra });
const LiveItems = Type.Array(Type.Object({ skuId: Id, livePrice: PositiveMoneySchema }), { maxItems: MAX_LIVE_SKUS, description: 'SKUs of this store with their live-only price, below the list price' });
const AuthorKind = Type.Union([Type.Literal('user'), Type.Literal('merchant')]);

export function contentRoutes(api: Api, { services }: AppContext) {
  const { content } = services;
  const tags = ['content'];

  // ---- notes
  api.post('/content/notes', {
    schema: {
      tags, summary: 'Write a seeding note (种草笔记) linking 1 to 9 products; merchantId writes it in a store\'s name',
      body: Type.Object({
        title: Text(NOTE_TITLE_MAX), body: Text(NOTE_BODY_MAX),
        images: Type.Optional(Type.Array(Url, { maxItems: MAX_NOTE_IMAGES })),
        productIds: Type.Array(Id, { minItems: 1, maxItems: MAX_NOTE_PRODUCTS }),
        merchantId: Type.Optional(Id),
      }),
      response: { 201: Note },
    },
  }, async (request, reply) => reply.status(201).send(await content.createNote(requireUser(request), request.body)));

  api.get('/content/notes/:noteId', { schema: { tags, summary: 'A note with its linked products (hidden notes only for their author and operators)', params: IdParams('noteId'), response: { 200: Note } } },
    async (request) => content.note(request.params.noteId, request.user));

  api.delete('/content/notes/:noteId', { schema: { tags, summary: 'Delete my note', params: IdParams('noteId') } }, async (request, reply) => {
    await content.deleteNote(request.params.noteId, requireUser(request));
    return reply.status(204).send();
  });

  api.put('/content/notes/:noteId/like', { schema: { tags, summary: 'Like a note (idempotent: one like per account)', params: IdParams('noteId'), response: { 200: Type.Object({ liked: Type.Boolean(), likes: Type.Integer() }) } } },
    async (request) => content.like(request.params.noteId, requireUser(request).id));

  api.delete('/content/notes/:noteId/like', { schema: { tags, summary: 'Take my like back (idempotent)', params: IdParams('noteId'), response: { 200: Type.Object({ liked: Type.Boolean(), likes: Type.Integer() }) } } },
    async (request) => content.unlike(request.params.noteId, requireUser(request).id));

  api.get('/content/notes/:noteId/comments', { schema: { tags, summary: 'Comments on a note, oldest first', params: IdParams('noteId'), querystring: Type.Object({ ...PageQuery }), response: { 200: Paged(Comment) } } },
    async (request) => content.comments(request.params.noteId, pageOf(request.query), request.user));

  api.post('/content/notes/:noteId/comments', {
    schema: { tags, summary: `Comment on a note (1 to ${COMMENT_MAX} characters)`, params: IdParams('noteId'), body: Type.Object({ body: Text(COMMENT_MAX) }), response: { 201: Comment } },
  }, async (request, reply) => reply.status(201).send(await content.addComment(request.params.noteId, requireUser(request), request.body.body)));

  api.delete('/content/comments/:commentId', { schema: { tags, summary: 'Delete my comment (operators remove any, audited)', params: IdParams('commentId') } }, async (request, reply) => {
    await content.removeComment(request.params.commentId, requireUser(request));
    return reply.status(204).send();
  });

  api.get('/content/authors/:kind/:authorId/notes', {
    schema: { tags, summary: 'An author\'s visible notes (kind user or merchant)', params: Type.Object({ kind: AuthorKind, authorId: Id }), querystring: Type.Object({ ...PageQuery }), response: { 200: Paged(Note) } },
  }, async (request) => content.notesOfAuthor(request.params.kind, request.params.authorId, pageOf(request.query), request.user));

  const AuthorStats = Paged(Note, { views: Type.Integer(), attributedOrders: Type.Integer(), attributedGmv: MoneyOut });
  api.get('/me/notes', { schema: { tags, summary: 'My notes, hidden ones too, with views, viewers, likes, comments and the orders and GMV attributed to each', querystring: Type.Object({ ...PageQuery }), response: { 200: AuthorStats } } },
    async (request) => { const user = requireUser(request); return content.myNotes('user', user.id, pageOf(request.query), user); });

  api.get('/merchants/:merchantId/notes', { schema: { tags, summary: 'Notes written in the store\'s name, with views, viewers, attributed orders and GMV', params: IdParams('merchantId'), querystring: Type.Object({ ...PageQuery }), response: { 200: AuthorStats } } },
    async (request) => content.myNotes('merchant', request.params.merchantId, pageOf(request.query), requireMerchantStaff(request, request.params.merchantId)));

  const Attribution = Type.Object({ orderId: Type.String(), contentId: Type.String(), contentKind: Type.Union([Type.Literal('note'), Type.Literal('live')]), productIds: Type.Array(Type.String()), amount: MoneyOut, cancelled: Type.Boolean(), at: Type.String() });
  api.get('/me/content/attributions', { schema: { tags, summary: 'Orders attributed to my notes', querystring: Type.Object({ ...PageQuery }), response: { 200: Paged(Attribution) } } },
    async (request) => content.attributedOrders('user', requireUser(request).id, pageOf(request.query)));

  api.get('/merchants/:merchantId/content/attributions', { schema: { tags, summary: 'Orders attributed to the store\'s livestreams and notes', params: IdParams('merchantId'), querystring: Type.Object({ ...PageQuery }), response: { 200: Paged(Attribution) } } },
    async (request) => { requireMerchantStaff(request, request.params.merchantId); return content.attributedOrders('merchant', request.params.merchantId, pageOf(request.query)); });

  // ---- feed
  api.get('/content/feed', {
    schema: {
      tags, summary: 'Content feed: live sessions first (on the first page), then recent notes; each with its linked products',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })), cursor: Type.Optional(Id) }),
      response: { 200: Type.Object({ items: Type.Array(Type.Union([Note, Session])), nextCursor: Type.Optional(Type.String()) }) },
    },
  }, async (request) => content.feed(request.query.limit ?? 20, request.query.cursor, request.user));

  // ---- livestreams
  api.get('/content/live-now', {
    schema: {
      tags, summary: 'Which of these products a live session sells now, with the session and its lowest live price (the live badge)',
      querystring: Type.Object({ productIds: Type.String({ minLength: 1, maxLength: 2000, description: 'comma-separated, at most 100' }) }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ productId: Type.String(), liveSessionId: Type.String(), livePrice: MoneyOut })) }) },
    },
  }, async (request) => {
    const ids = [...new Set(request.query.productIds.split(',').map((s) => s.trim()).filter(Boolean))];
    if (ids.length > 100) throw new Problem(400, 'validation_failed', 'productIds: at most 100', [{ field: 'productIds', message: 'at most 100 ids' }]);
    const live = await content.liveNowFor(ids);
    return { items: [...live].map(([productId, l]) => ({ productId, liveSessionId: l.sessionId, livePrice: money(l.livePrice) })) };
  });

  api.get('/content/live/:sessionId', { schema: { tags, summary: 'A live session (live room): linked products, while live their live prices, and how many have watched (viewers)', params: IdParams('sessionId'), response: { 200: Session } } },
    async (request) => content.session(request.params.sessionId));

  api.get('/merchants/:merchantId/live-sessions', {
    schema: { tags, summary: 'The store\'s live sessions with views, viewers, attributed orders and GMV', params: IdParams('merchantId'), querystring: Type.Object({ ...PageQuery }), response: { 200: Paged(Session, { views: Type.Integer(), attributedOrders: Type.Integer(), attributedGmv: MoneyOut }) } },
  }, async (request) => { requireMerchantStaff(request, request.params.merchantId); return content.sessionsOfMerchant(request.params.merchantId, pageOf(request.query)); });

  api.post('/merchants/:merchantId/live-sessions', {
    schema: {
      tags, summary: 'Schedule a live session (直播) for the store',
      params: IdParams('merchantId'),
      body: Type.Object({ title: Text(60), scheduledStart: Time, coverUrl: Type.Optional(Url), items: Type.Optional(LiveItems) }),
      response: { 201: Session },
    },
  }, async (request, reply) => {
    const { merchantId } = request.params;
    const user = requireMerchantStaff(request, merchantId);
    return reply.status(201).send(await content.createSession(merchantId, user, request.body, actingAsOperator(user, merchantId)));
  });

  api.put('/merchants/:merchantId/live-sessions/:sessionId/products', {
    schema: { tags, summary: 'Set the SKUs a session sells and their live prices (replaces the list)', params: IdParams('merchantId', 'sessionId'), body: Type.Object({ items: LiveItems }), response: { 200: Session } },
  }, async (request) => {
    const { merchantId, sessionId } = request.params;
    const user = requireMerchantStaff(request, merchantId);
    return content.setSessionProducts(merchantId, sessionId, request.body.items, user, actingAsOperator(user, merchantId));
  });

  for (const action of ['start', 'end', 'cancel'] as const)
    api.post(`/merchants/:merchantId/live-sessions/:sessionId/${action}`, {
      schema: { tags, summary: { start: 'Go live: scheduled -> live', end: 'End the session: live -> ended', cancel: 'Cancel a session that never started: scheduled -> cancelled' }[action], params: IdParams('merchantId', 'sessionId'), response: { 200: Session } },
    }, async (request) => {
      const { merchantId, sessionId } = request.params as { merchantId: string; sessionId: string };
      const user = requireMerchantStaff(request, merchantId);
      return content.transitionSession(merchantId, sessionId, action, user, actingAsOperator(user, merchantId));
    });

  // ---- moderation
  api.get('/admin/content/notes', {
    schema: { tags: ['operator'], summary: 'Notes for moderation, newest first', querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('visible'), Type.Literal('hidden')])), ...PageQuery }), response: { 200: Paged(Note) } },
  }, async (request) => content.moderationList(request.query.status, pageOf(request.query), requireOperator(request)));

  api.post('/admin/content/notes/:noteId/hide', {
    schema: { tags: ['operator'], summary: 'Hide a note with a reason (audited)', params: IdParams('noteId'), body: Type.Object({ reason: Text(HIDE_REASON_MAX) }), response: { 200: Note } },
  }, async (request) => content.hideNote(request.params.noteId, requireOperator(request), request.body.reason));

  const Creator = Type.Object({ userId: Type.String(), name: Type.String(), title: Type.String(), notes: Type.Integer(), attributedGmv: MoneyOut, certifiedAt: Type.String() });
  api.get('/admin/content/creators', {
    schema: { tags: ['operator'], summary: 'Certified creators (达人), latest first, with their visible notes and attributed GMV', querystring: Type.Object({ ...PageQuery }), response: { 200: Paged(Creator) } },
  }, async (request) => { requireOperator(request); return content.creators(pageOf(request.query)); });

  api.put('/admin/content/creators/:userId', {
    schema: { tags: ['operator'], summary: 'Certify an account as a creator (达人) with the title its notes carry, or change the title (audited)', params: IdParams('userId'), body: Type.Object({ title: Text(20) }), response: { 200: Creator } },
  }, async (request) => content.certifyCreator(request.params.userId, request.body.title, requireOperator(request)));

  api.delete('/admin/content/creators/:userId', { schema: { tags: ['operator'], summary: 'Withdraw a creator certification (audited)', params: IdParams('userId') } }, async (request, reply) => {
    await content.revokeCreator(request.params.userId, requireOperator(request));
    return reply.status(204).send();
  });

  api.post('/admin/content/notes/:noteId/restore', { schema: { tags: ['operator'], summary: 'Show a hidden note again (audited)', params: IdParams('noteId'), response: { 200: Note } } },
    async (request) => content.restoreNote(request.params.noteId, requireOperator(request)));
}
