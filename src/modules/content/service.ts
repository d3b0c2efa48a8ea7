import type { Database, Sql } from '../../db/database.ts';
import type { Page } from '../../http/schemas.ts';
import { newId } from '../../shared/ids.ts';
import { formatYuan, money } from '../../shared/money.ts';
import { forbidden, invalidState, notFound, Problem } from '../../shared/problems.ts';
import { createSnapshot } from '../../shared/snapshot.ts';
import type { Audit } from '../audit/audit.ts';
import type { CatalogService } from '../catalog/service.ts';
import type { TrackingService } from '../tracking/service.ts';

/**
 * Content (种草, 直播): "goods find people" through seeding notes and livestreams that link
 * products. Notes are written by any signed-in account (a shopper or creator, author kind
 * `user`) or by a store's staff in the store's name (`merchant`); livestreams belong to a
 * store and sell its SKUs at a live-only price while the session is live.
 */

export const MAX_NOTE_PRODUCTS = 9;
export const MAX_NOTE_IMAGES = 9;
export const MAX_LIVE_SKUS = 50;
export const NOTE_TITLE_MAX = 50;
export const NOTE_BODY_MAX = 2000;
export const COMMENT_MAX = 300;
export const HIDE_REASON_MAX = 200;

export type AuthorKind = 'user' | 'merchant';
/** What an author sees of each note or live session. */
type ContentStats = { views: number; viewers: number; attributedOrders: number; attributedGmv: ReturnType<typeof money> };
export type LiveStatus = 'scheduled' | 'live' | 'ended' | 'cancelled';

export interface Viewer {
  id: string;
  roles: string[];
}

export interface NewNote {
  title: string;
  body: string;
  images?: string[];
  productIds: string[];
  /** Write in the name of this store (the writer must be its staff). */
  merchantId?: string;
}

export interface LivePrice {
  skuId: string;
  livePrice: { amount: number };
}

/** What checkout learns about a SKU asked for at a live session's price. */
export type LivePriceAnswer = { state: 'live'; price: number; sessionId: string } | { state: 'not_live'; sessionId: string } | { state: 'unknown' };
export type LivePricer = (sql: Sql, requests: { skuId: string; liveSessionId: string }[]) => Promise<Map<string, LivePriceAnswer>>;

const isOperator = (v?: Viewer) => !!v?.roles.includes('operator');
const isStaff = (v: Viewer | undefined, merchantId: string) => !!v?.roles.includes(`merchant:${merchantId}`);

/** Image addresses: http(s) URLs only (the catalogue keeps no uploaded images to reuse). */
export function checkImageUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
  } catch {
    return false;
  }
}

const fieldProblem = (field: string, message: string, status = 400, code = 'validation_failed') => new Problem(status, code, `${field}: ${message}`, [{ field, message }]);

/** Other nodes see a live room start or end within this. */
const LIVE_SNAPSHOT_MS = 2_000;

export function createContentService(deps: {
  db: Database; catalog: CatalogService; audit: Audit; tracking: Pick<TrackingService, 'contentReach'>;
  namesOf: (sql: Sql, userIds: string[]) => Promise<Map<string, string>>;
}) {
  const { db, catalog, audit } = deps;

  // ---- shared views -------------------------------------------------------------------

  /** Authors as content shows them: the name, and a certified creator's title (达人). */
  async function authorNames(authors: { kind: AuthorKind; id: string }[]) {
    const users = [...new Set(authors.filter((a) => a.kind === 'user').map((a) => a.id))];
    const stores = [...new Set(authors.filter((a) => a.kind === 'merchant').map((a) => a.id))];
    const [u, m, creators] = await Promise.all([
      users.length ? deps.namesOf(db, users) : new Map(),
      stores.length ? catalog.merchantNames(db, stores) : new Map(),
      users.length ? db.query<{ user_id: string; title: string }>('SELECT user_id, title FROM content_creators WHERE user_id = ANY($1)', [users]) : [],
    ]);
    const titles = new Map(creators.map((c) => [c.user_id, c.title]));
    return (kind: AuthorKind, id: string) => {
      const title = kind === 'user' ? titles.get(id) : undefined;
      return { kind, id, name: ((kind === 'user' ? u.get(id) : m.get(id)) as string | undefined) ?? '', ...(title ? { creator: { title } } : {}) };
    };
  }

  /** Products as content shows them: title, lowest price, and the live price where one is live now. */
  async function productCards(productIds: string[]) {
    const ids = [...new Set(productIds)];
    const [facts, live] = await Promise.all([catalog.productFacts(ids), liveNowFor(ids)]);
    return (id: string) => {
      const f = facts.get(id);
      if (!f) return undefined;
      const l = live.get(id);
      return {
        productId: id, title: f.title, price: money(f.price ?? 0),
        ...(l ? { livePrice: money(Math.min(l.livePrice, f.price ?? l.livePrice)), liveSessionId: l.sessionId } : {}),
      };
    };
  }

  /** Each content's figures for its author: views and viewers, and the orders and GMV attributed to it. */
  async function contentStats(contentIds: string[]) {
    if (!contentIds.length) return new Map<string, ContentStats>();
    const [attributed, reach] = await Promise.all([
      db.query<{ content_id: string; orders: number; gmv: number }>(
        `SELECT content_id, count(*)::int AS orders, coalesce(sum(amount), 0)::bigint AS gmv FROM content_attributions
          WHERE content_id = ANY($1) AND NOT cancelled GROUP BY content_id`,
        [contentIds],
      ),
      deps.tracking.contentReach(db, contentIds),
    ]);
    const orders = new Map(attributed.map((r) => [r.content_id, r]));
    return new Map(contentIds.map((id) => {
      const o = orders.get(id);
      const r = reach.get(id);
      return [id, { views: r?.views ?? 0, viewers: r?.viewers ?? 0, attributedOrders: o?.orders ?? 0, attributedGmv: money(Number(o?.gmv ?? 0)) }];
    }));
  }

  /** An author's figures over all their notes or live sessions: views, and distinct orders and GMV attributed. */
  async function authorTotals(kind: AuthorKind, authorId: string, contentKind: 'note' | 'live', contentIds: string[]) {
    const [totals, reach] = await Promise.all([
      db.one<{ orders: number; gmv: number }>(
        `SELECT count(DISTINCT order_id)::int AS orders, coalesce(sum(amount), 0)::bigint AS gmv FROM content_attributions
          WHERE author_kind = $1 AND author_id = $2 AND content_kind = $3 AND NOT cancelled`,
        [kind, authorId, contentKind],
      ),
      deps.tracking.contentReach(db, contentIds),
    ]);
    let views = 0;
    for (const r of reach.values()) views += r.views;
    return { views, attributedOrders: totals!.orders, attributedGmv: money(Number(totals!.gmv)) };
  }

  /** Certified creators, latest first, with their visible notes and the GMV attributed to their notes. */
  async function creatorsPage({ page, pageSize }: Page, onlyUserId?: string) {
    const rows = await db.query(
      `SELECT c.*, count(*) OVER () AS total,
              (SELECT count(*)::int FROM content_notes n WHERE n.author_kind = 'user' AND n.author_id = c.user_id AND n.status = 'visible') AS notes,
              (SELECT coalesce(sum(amount), 0)::bigint FROM content_attributions a WHERE a.author_kind = 'user' AND a.author_id = c.user_id AND NOT a.cancelled) AS gmv
         FROM content_creators c WHERE $3::text IS NULL OR c.user_id = $3 ORDER BY c.certified_at DESC, c.user_id LIMIT $1 OFFSET $2`,
      [pageSize, (page - 1) * pageSize, onlyUserId ?? null],
    );
    const names = await deps.namesOf(db, rows.map((r) => r.user_id));
    return {
      items: rows.map((r) => ({
        userId: r.user_id as string, name: names.get(r.user_id) ?? '', title: r.title as string, notes: r.notes as number,
        attributedGmv: money(Number(r.gmv)), certifiedAt: (r.certified_at as Date).toISOString(),
      })),
      total: (rows[0]?.total as number) ?? 0, page, pageSize,
    };
  }

  async function noteViews(rows: any[], viewer?: Viewer, options: { stats?: boolean } = {}) {
    const [names, cards, liked, stats] = await Promise.all([
      authorNames(rows.map((r) => ({ kind: r.author_kind, id: r.author_id }))),
      productCards(rows.flatMap((r) => r.product_ids)),
      viewer && rows.length
        ? db.query<{ note_id: string }>('SELECT note_id FROM content_likes WHERE user_id = $1 AND note_id = ANY($2)', [viewer.id, rows.map((r) => r.id)]).then((l) => new Set(l.map((x) => x.note_id)))
        : new Set<string>(),
      options.stats ? contentStats(rows.map((r) => r.id)) : undefined,
    ]);
    return rows.map((r) => {
      const mayModerate = isOperator(viewer) || (r.author_kind === 'user' ? viewer?.id === r.author_id : isStaff(viewer, r.author_id));
      return {
        kind: 'note' as const,
        id: r.id as string,
        title: r.title as string,
        body: r.body as string,
        images: r.images as string[],
        author: names(r.author_kind, r.author_id),
        products: (r.product_ids as string[]).map(cards).filter((p) => !!p),
        likes: r.like_count as number,
        comments: r.comment_count as number,
        likedByMe: liked.has(r.id),
        status: r.status as 'visible' | 'hidden',
        ...(r.status === 'hidden' && mayModerate ? { hiddenReason: r.hidden_reason as string } : {}),
        ...stats?.get(r.id),
        createdAt: (r.created_at as Date).toISOString(),
      };
    });
  }

  async function noteRow(sql: Sql, noteId: string, lock = false) {
    return sql.one(`SELECT * FROM content_notes WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [noteId]);
  }

  /** A note as a viewer may see it: hidden notes only for their author and operators. */
  async function visibleNote(noteId: string, viewer?: Viewer) {
    const row = await noteRow(db, noteId);
    if (!row) throw notFound('note');
    if (row.status === 'hidden') {
      const mayModerate = isOperator(viewer) || (row.author_kind === 'user' ? viewer?.id === row.author_id : isStaff(viewer, row.author_id));
      if (!mayModerate) throw notFound('note');
    }
    return row;
  }

  // ---- notes ----------------------------------------------------------------------------

  async function createNote(writer: Viewer, input: NewNote) {
    const productIds = input.productIds;
    if (new Set(productIds).size !== productIds.length) throw fieldProblem(`productIds.${productIds.findIndex((p, i) => productIds.indexOf(p) !== i)}`, 'listed twice');
    const facts = await catalog.productFacts(productIds);
    const unknown = productIds.findIndex((id) => !facts.has(id));
    if (unknown >= 0) throw fieldProblem(`productIds.${unknown}`, 'no such product');
    const images = input.images ?? [];
    const badImage = images.findIndex((u) => !checkImageUrl(u));
    if (badImage >= 0) throw fieldProblem(`images.${badImage}`, 'an http(s) URL');
    if (input.merchantId && !isStaff(writer, input.merchantId)) throw forbidden('you are not staff of this store');
    const id = newId('note');
    await db.query(
      `INSERT INTO content_notes (id, author_kind, author_id, written_by, title, body, images, product_ids) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
      [id, input.merchantId ? 'merchant' : 'user', input.merchantId ?? writer.id, writer.id, input.title.trim(), input.body.trim(), JSON.stringify(images), productIds],
    );
    return (await noteViews([await noteRow(db, id)], writer))[0];
  }

  async function notesPage(where: string, params: unknown[], { page, pageSize }: Page, viewer?: Viewer, stats = false) {
    const rows = await db.query(`SELECT *, count(*) OVER () AS total FROM content_notes WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, pageSize, (page - 1) * pageSize]);
    return { items: await noteViews(rows, viewer, { stats }), total: (rows[0]?.total as number) ?? 0, page, pageSize };
  }

  async function setLike(noteId: string, userId: string, like: boolean) {
    return db.tx(async (sql) => {
      const note = await noteRow(sql, noteId, true);
      if (!note) throw notFound('note');
      if (like && note.status === 'hidden') throw invalidState('this note was hidden by moderation and cannot be liked');
      const changed = like
        ? await sql.query('INSERT INTO content_likes (note_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING note_id', [noteId, userId])
        : await sql.query('DELETE FROM content_likes WHERE note_id = $1 AND user_id = $2 RETURNING note_id', [noteId, userId]);
      const likes = changed.length
        ? (await sql.one<{ like_count: number }>('UPDATE content_notes SET like_count = like_count + $2 WHERE id = $1 RETURNING like_count', [noteId, like ? 1 : -1]))!.like_count
        : note.like_count;
      return { liked: like, likes };
    });
  }

  // ---- livestreams --------------------------------------------------------------------

  async function sessionRow(sql: Sql, sessionId: string, lock = false) {
    return sql.one(`SELECT * FROM live_sessions WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [sessionId]);
  }

  async function sessionViews(rows: any[], options: { stats?: boolean } = {}) {
    const ids = rows.map((r) => r.id);
    const skus = ids.length ? await db.query('SELECT * FROM live_session_skus WHERE session_id = ANY($1) ORDER BY position', [ids]) : [];
    const productIds = [...new Set(skus.map((s) => s.product_id as string))];
    const [facts, skuLists, names, stats] = await Promise.all([
      catalog.productFacts(productIds),
      catalog.skusOfProducts(productIds),
      authorNames(rows.map((r) => ({ kind: 'merchant' as const, id: r.merchant_id }))),
      options.stats ? contentStats(ids) : undefined,
    ]);
    return rows.map((r) => {
      const mine = skus.filter((s) => s.session_id === r.id);
      const live = r.status === 'live';
      const products = [...new Set(mine.map((s) => s.product_id as string))].flatMap((productId) => {
        const f = facts.get(productId);
        if (!f) return [];
        const all = (skuLists.get(productId) ?? []) as { id: string; attributes: Record<string, string>; price: { amount: number }; stock: number }[];
        const linked = mine.filter((s) => s.product_id === productId).flatMap((s) => {
          const sku = all.find((k) => k.id === s.sku_id);
          return sku ? [{ skuId: s.sku_id as string, attributes: sku.attributes, price: money(sku.price.amount), livePrice: money(Math.min(Number(s.live_price), sku.price.amount)), stock: sku.stock }] : [];
        });
        if (!linked.length) return [];
        const lowest = Math.min(...linked.map((l) => l.livePrice.amount));
        return [{ productId, title: f.title, price: money(f.price ?? 0), ...(live ? { livePrice: money(lowest), liveSessionId: r.id as string } : {}), announcedLivePrice: money(lowest), skus: linked }];
      });
      return {
        kind: 'live' as const,
        id: r.id as string,
        merchantId: r.merchant_id as string,
        author: names('merchant', r.merchant_id),
        title: r.title as string,
        coverUrl: (r.cover_url as string | null) ?? undefined,
        status: r.status as LiveStatus,
        scheduledStart: (r.scheduled_start as Date).toISOString(),
        startedAt: r.started_at ? (r.started_at as Date).toISOString() : undefined,
        endedAt: r.ended_at ? (r.ended_at as Date).toISOString() : undefined,
        products,
        ...stats?.get(r.id),
        createdAt: (r.created_at as Date).toISOString(),
      };
    });
  }

  async function setLiveSkus(merchantId: string, sessionId: string, items: LivePrice[], actor: Viewer, audited: boolean) {
    if (items.length > MAX_LIVE_SKUS) throw fieldProblem('items', `at most ${MAX_LIVE_SKUS} SKUs`);
    const dup = items.findIndex((it, i) => items.findIndex((x) => x.skuId === it.skuId) !== i);
    if (dup >= 0) throw fieldProblem(`items.${dup}.skuId`, 'listed twice');
    const updated = await db.tx(async (sql) => {
      const session = await sessionRow(sql, sessionId, true);
      if (!session || session.merchant_id !== merchantId) throw notFound('live session');
      if (session.status === 'ended' || session.status === 'cancelled') throw invalidState(`the session is ${session.status}; its products can no longer change`);
      const skus = await catalog.sellableSkus(sql, items.map((i) => i.skuId));
      items.forEach((item, i) => {
        const sku = skus.get(item.skuId);
        if (!sku) throw fieldProblem(`items.${i}.skuId`, 'no such SKU');
        if (sku.merchantId !== merchantId) throw fieldProblem(`items.${i}.skuId`, 'belongs to another store');
        if (item.livePrice.amount >= sku.price) throw fieldProblem(`items.${i}.livePrice.amount`, `must be below the list price ${formatYuan(sku.price)} (${sku.price} fen)`);
      });
      await sql.query('DELETE FROM live_session_skus WHERE session_id = $1', [sessionId]);
      if (items.length)
        await sql.query(
          `INSERT INTO live_session_skus (session_id, sku_id, product_id, live_price, position) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::int[])`,
          [sessionId, items.map((i) => i.skuId), items.map((i) => skus.get(i.skuId)!.productId), items.map((i) => i.livePrice.amount), items.map((_, i) => i)],
        );
      if (audited) await audit.record(sql, actor.id, 'content.live_products_set', sessionId, { merchantId, skus: items.length });
      return sessionRow(sql, sessionId);
    });
    liveNow.invalidate();
    return updated;
  }

  const TRANSITIONS: Record<'start' | 'end' | 'cancel', { from: LiveStatus; to: LiveStatus; set: string }> = {
    start: { from: 'scheduled', to: 'live', set: 'started_at = now()' },
    end: { from: 'live', to: 'ended', set: 'ended_at = now()' },
    cancel: { from: 'scheduled', to: 'cancelled', set: 'ended_at = now()' },
  };

  async function transition(merchantId: string, sessionId: string, action: keyof typeof TRANSITIONS, actor: Viewer, audited: boolean) {
    const t = TRANSITIONS[action];
    const updated = await db.tx(async (sql) => {
      const session = await sessionRow(sql, sessionId, true);
      if (!session || session.merchant_id !== merchantId) throw notFound('live session');
      if (session.status !== t.from) throw invalidState(`the session is ${session.status}; only a ${t.from} session can ${action}`);
      const row = await sql.one(`UPDATE live_sessions SET status = $2, ${t.set} WHERE id = $1 RETURNING *`, [sessionId, t.to]);
      if (audited) await audit.record(sql, actor.id, `content.live_${action}`, sessionId, { merchantId });
      return row;
    });
    liveNow.invalidate();
    return updated;
  }

  /**
   * Every product in a session live now, with the session and the lowest live price of its linked
   * SKUs: kept in memory, since every feed, card and similar-items answer asks for the live badge.
   */
  const liveNow = createSnapshot({
    name: 'live sessions', maxAgeMs: LIVE_SNAPSHOT_MS, db,
    load: async (sql) => {
      const rows = await sql.query<{ product_id: string; session_id: string; price: number }>(
        `SELECT DISTINCT ON (k.product_id) k.product_id, k.session_id, min(k.live_price) AS price
           FROM live_session_skus k JOIN live_sessions s ON s.id = k.session_id
          WHERE s.status = 'live'
          GROUP BY k.product_id, k.session_id ORDER BY k.product_id, min(k.live_price), k.session_id`,
      );
      return new Map(rows.map((r) => [r.product_id, { sessionId: r.session_id, livePrice: Number(r.price) }]));
    },
  });

  /** Of these products, those in a session that is live now, with the session and the live price. */
  async function liveNowFor(productIds: string[]): Promise<Map<string, { sessionId: string; livePrice: number }>> {
    if (!productIds.length) return new Map();
    const live = await liveNow.get();
    return new Map(productIds.flatMap((id) => (live.has(id) ? [[id, live.get(id)!] as const] : [])));
  }

  /** Checkout's hook: the live price of each (SKU, session) asked for, only while that session is live. */
  const livePrices: LivePricer = async (sql, requests) => {
    const answers = new Map<string, LivePriceAnswer>();
    if (!requests.length) return answers;
    const rows = await sql.query<{ sku_id: string; session_id: string; live_price: number; status: string }>(
      `SELECT k.sku_id, k.session_id, k.live_price, s.status FROM live_session_skus k JOIN live_sessions s ON s.id = k.session_id
        WHERE (k.session_id, k.sku_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [requests.map((r) => r.liveSessionId), requests.map((r) => r.skuId)],
    );
    for (const r of requests) {
      const row = rows.find((x) => x.sku_id === r.skuId && x.session_id === r.liveSessionId);
      answers.set(`${r.liveSessionId}|${r.skuId}`, !row ? { state: 'unknown' } : row.status === 'live' ? { state: 'live', price: Number(row.live_price), sessionId: row.session_id } : { state: 'not_live', sessionId: row.session_id });
    }
    return answers;
  };

  // ---- the service ------------------------------------------------------------------

  return {
    createNote,
    liveNowFor,
    livePrices,

    async note(noteId: string, viewer?: Viewer) {
      return (await noteViews([await visibleNote(noteId, viewer)], viewer, { stats: false }))[0];
    },

    async notesOfAuthor(kind: AuthorKind, authorId: string, page: Page, viewer?: Viewer) {
      return notesPage(`author_kind = $1 AND author_id = $2 AND status = 'visible'`, [kind, authorId], page, viewer);
    },

    /** The author's own notes, hidden ones too, with likes, comments, attributed orders and GMV. */
    async myNotes(kind: AuthorKind, authorId: string, page: Page, viewer: Viewer) {
      const list = await notesPage(`author_kind = $1 AND author_id = $2`, [kind, authorId], page, viewer, true);
      const ids = await db.query<{ id: string }>('SELECT id FROM content_notes WHERE author_kind = $1 AND author_id = $2', [kind, authorId]);
      return { ...list, ...(await authorTotals(kind, authorId, 'note', ids.map((r) => r.id))) };
    },

    async deleteNote(noteId: string, viewer: Viewer) {
      const note = await noteRow(db, noteId);
      if (!note) throw notFound('note');
      const own = note.author_kind === 'user' ? note.author_id === viewer.id : isStaff(viewer, note.author_id);
      if (!own) throw forbidden('only its author deletes a note; operators hide it');
      await db.query('DELETE FROM content_notes WHERE id = $1', [noteId]);
    },

    like: (noteId: string, userId: string) => setLike(noteId, userId, true),
    unlike: (noteId: string, userId: string) => setLike(noteId, userId, false),

    async comments(noteId: string, { page, pageSize }: Page, viewer?: Viewer) {
      await visibleNote(noteId, viewer);
      const rows = await db.query(
        `SELECT *, count(*) OVER () AS total FROM content_comments WHERE note_id = $1 AND removed_by IS NULL ORDER BY created_at, id LIMIT $2 OFFSET $3`,
        [noteId, pageSize, (page - 1) * pageSize],
      );
      const names = await authorNames(rows.map((r) => ({ kind: 'user' as const, id: r.user_id })));
      return {
        items: rows.map((r) => ({ id: r.id as string, noteId, author: names('user', r.user_id), body: r.body as string, mine: viewer?.id === r.user_id, createdAt: (r.created_at as Date).toISOString() })),
        total: (rows[0]?.total as number) ?? 0, page, pageSize,
      };
    },

    async addComment(noteId: string, user: Viewer, body: string) {
      return db.tx(async (sql) => {
        const note = await noteRow(sql, noteId, true);
        if (!note) throw notFound('note');
        if (note.status === 'hidden') throw invalidState('this note was hidden by moderation and takes no comments');
        const id = newId('cmt');
        const row = await sql.one('INSERT INTO content_comments (id, note_id, user_id, body) VALUES ($1, $2, $3, $4) RETURNING *', [id, noteId, user.id, body.trim()]);
        await sql.query('UPDATE content_notes SET comment_count = comment_count + 1 WHERE id = $1', [noteId]);
        const names = await deps.namesOf(sql, [user.id]);
        return { id, noteId, author: { kind: 'user' as const, id: user.id, name: names.get(user.id) ?? '' }, body: row!.body as string, mine: true, createdAt: (row!.created_at as Date).toISOString() };
      });
    },

    /** Its writer deletes a comment; an operator removes any (audited). */
    async removeComment(commentId: string, viewer: Viewer, reason?: string) {
      await db.tx(async (sql) => {
        const row = await sql.one('SELECT * FROM content_comments WHERE id = $1 FOR UPDATE', [commentId]);
        if (!row || row.removed_by) throw notFound('comment');
        const own = row.user_id === viewer.id;
        if (!own && !isOperator(viewer)) throw forbidden('only its writer or an operator removes a comment');
        await sql.query('UPDATE content_comments SET removed_by = $2 WHERE id = $1', [commentId, viewer.id]);
        await sql.query('UPDATE content_notes SET comment_count = greatest(0, comment_count - 1) WHERE id = $1', [row.note_id]);
        if (!own) await audit.record(sql, viewer.id, 'content.comment_removed', commentId, { noteId: row.note_id, reason: reason ?? '' });
      });
    },

    // moderation
    async moderationList(status: 'visible' | 'hidden' | undefined, page: Page, operator: Viewer) {
      return status ? notesPage('status = $1', [status], page, operator, true) : notesPage('true', [], page, operator, true);
    },

    async hideNote(noteId: string, operator: Viewer, reason: string) {
      await db.tx(async (sql) => {
        const note = await noteRow(sql, noteId, true);
        if (!note) throw notFound('note');
        await sql.query(`UPDATE content_notes SET status = 'hidden', hidden_reason = $2, hidden_by = $3, hidden_at = now() WHERE id = $1`, [noteId, reason.trim(), operator.id]);
        await audit.record(sql, operator.id, 'content.note_hidden', noteId, { reason: reason.trim(), title: note.title, previous: note.status });
      });
      return (await noteViews([await noteRow(db, noteId)], operator, { stats: true }))[0];
    },

    /** Certifies an account as a creator (达人) with the title its notes carry; again, to change the title. */
    async certifyCreator(userId: string, title: string, operator: Viewer) {
      if (!(await deps.namesOf(db, [userId])).has(userId)) throw notFound('account');
      await db.tx(async (sql) => {
        await sql.query(
          `INSERT INTO content_creators (user_id, title, certified_by) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET title = excluded.title, certified_by = excluded.certified_by, certified_at = now()`,
          [userId, title.trim(), operator.id],
        );
        await audit.record(sql, operator.id, 'content.creator_certified', `user:${userId}`, { title: title.trim() });
      });
      return (await creatorsPage({ page: 1, pageSize: 1 }, userId)).items[0];
    },

    async revokeCreator(userId: string, operator: Viewer) {
      await db.tx(async (sql) => {
        const removed = await sql.one<{ title: string }>('DELETE FROM content_creators WHERE user_id = $1 RETURNING title', [userId]);
        if (!removed) throw notFound('creator');
        await audit.record(sql, operator.id, 'content.creator_revoked', `user:${userId}`, { title: removed.title });
      });
    },

    creators: (page: Page) => creatorsPage(page),

    async restoreNote(noteId: string, operator: Viewer) {
      await db.tx(async (sql) => {
        const note = await noteRow(sql, noteId, true);
        if (!note) throw notFound('note');
        if (note.status !== 'hidden') throw invalidState('the note is not hidden');
        await sql.query(`UPDATE content_notes SET status = 'visible', hidden_reason = NULL, hidden_by = NULL, hidden_at = NULL WHERE id = $1`, [noteId]);
        await audit.record(sql, operator.id, 'content.note_restored', noteId, { reason: note.hidden_reason });
      });
      return (await noteViews([await noteRow(db, noteId)], operator, { stats: true }))[0];
    },

    // livestreams
    async createSession(merchantId: string, actor: Viewer, input: { title: string; scheduledStart: string; coverUrl?: string; items?: LivePrice[] }, audited: boolean) {
      const start = Date.parse(input.scheduledStart);
      if (!Number.isFinite(start)) throw fieldProblem('scheduledStart', 'an ISO 8601 time');
      if (input.coverUrl && !checkImageUrl(input.coverUrl)) throw fieldProblem('coverUrl', 'an http(s) URL');
      const id = newId('live');
      await db.tx(async (sql) => {
        await sql.query('INSERT INTO live_sessions (id, merchant_id, title, cover_url, scheduled_start, created_by) VALUES ($1, $2, $3, $4, $5, $6)', [id, merchantId, input.title.trim(), input.coverUrl ?? null, new Date(start), actor.id]);
        if (audited) await audit.record(sql, actor.id, 'content.live_created', id, { merchantId });
      });
      try {
        if (input.items?.length) await setLiveSkus(merchantId, id, input.items, actor, false);
      } catch (error) {
        await db.query('DELETE FROM live_sessions WHERE id = $1', [id]); // nothing half made
        throw error;
      }
      return (await sessionViews([await sessionRow(db, id)], { stats: true }))[0];
    },

    async setSessionProducts(merchantId: string, sessionId: string, items: LivePrice[], actor: Viewer, audited: boolean) {
      return (await sessionViews([await setLiveSkus(merchantId, sessionId, items, actor, audited)], { stats: true }))[0];
    },

    async transitionSession(merchantId: string, sessionId: string, action: 'start' | 'end' | 'cancel', actor: Viewer, audited: boolean) {
      return (await sessionViews([await transition(merchantId, sessionId, action, actor, audited)], { stats: true }))[0];
    },

    async session(sessionId: string) {
      const row = await sessionRow(db, sessionId);
      if (!row) throw notFound('live session');
      const [[view], reach] = await Promise.all([sessionViews([row]), deps.tracking.contentReach(db, [sessionId])]);
      return { ...view, viewers: reach.get(sessionId)?.viewers ?? 0 };
    },

    async sessionsOfMerchant(merchantId: string, { page, pageSize }: Page) {
      const rows = await db.query(
        `SELECT *, count(*) OVER () AS total FROM live_sessions WHERE merchant_id = $1
          ORDER BY (status = 'live') DESC, (status = 'scheduled') DESC, scheduled_start DESC, id LIMIT $2 OFFSET $3`,
        [merchantId, pageSize, (page - 1) * pageSize],
      );
      const ids = await db.query<{ id: string }>('SELECT id FROM live_sessions WHERE merchant_id = $1', [merchantId]);
      const totals = await authorTotals('merchant', merchantId, 'live', ids.map((r) => r.id));
      return { items: await sessionViews(rows, { stats: true }), total: (rows[0]?.total as number) ?? 0, page, pageSize, ...totals };
    },

    /**
     * The content feed: sessions live now first (then those starting within a day) on the
     * first page, then visible notes newest first; the cursor is the last note's id.
     */
    async feed(limit: number, cursor: string | undefined, viewer?: Viewer) {
      let sessions: any[] = [];
      if (!cursor)
        sessions = await db.query(
          `SELECT * FROM live_sessions WHERE status = 'live' OR (status = 'scheduled' AND scheduled_start BETWEEN now() - interval '1 hour' AND now() + interval '1 day')
            ORDER BY (status = 'live') DESC, CASE WHEN status = 'live' THEN started_at END DESC, scheduled_start, id LIMIT 10`,
        );
      else if (!(await noteRow(db, cursor))) throw fieldProblem('cursor', 'not a cursor this feed gave');
      const notes = await db.query(
        `SELECT * FROM content_notes WHERE status = 'visible' ${cursor ? 'AND (created_at, id) < (SELECT created_at, id FROM content_notes WHERE id = $2)' : ''}
          ORDER BY created_at DESC, id DESC LIMIT $1`,
        cursor ? [limit + 1, cursor] : [limit + 1],
      );
      const more = notes.length > limit;
      const page = notes.slice(0, limit);
      const [liveItems, noteItems] = await Promise.all([sessionViews(sessions), noteViews(page, viewer)]);
      return { items: [...liveItems, ...noteItems], nextCursor: more ? page[page.length - 1].id : undefined };
    },

    /** Content ids (of Quanyu's own form) that exist; behaviour tracking checks content views with it. */
    async existing(contentIds: string[]): Promise<Set<string>> {
      if (!contentIds.length) return new Set();
      const rows = await db.query<{ id: string }>('SELECT id FROM content_notes WHERE id = ANY($1) UNION ALL SELECT id FROM live_sessions WHERE id = ANY($1)', [contentIds]);
      return new Set(rows.map((r) => r.id));
    },

    /** The products each content links and its author, for attribution. */
    async linksOf(sql: Sql, contentIds: string[]) {
      const notes = await sql.query('SELECT id, author_kind, author_id, product_ids FROM content_notes WHERE id = ANY($1)', [contentIds]);
      const lives = await sql.query(
        `SELECT s.id, s.merchant_id, coalesce(array_agg(DISTINCT k.product_id) FILTER (WHERE k.product_id IS NOT NULL), '{}') AS product_ids
           FROM live_sessions s LEFT JOIN live_session_skus k ON k.session_id = s.id WHERE s.id = ANY($1) GROUP BY s.id, s.merchant_id`,
        [contentIds],
      );
      const links = new Map<string, { kind: 'note' | 'live'; authorKind: AuthorKind; authorId: string; productIds: Set<string> }>();
      for (const n of notes) links.set(n.id, { kind: 'note', authorKind: n.author_kind, authorId: n.author_id, productIds: new Set(n.product_ids) });
      for (const l of lives) links.set(l.id, { kind: 'live', authorKind: 'merchant', authorId: l.merchant_id, productIds: new Set(l.product_ids) });
      return links;
    },

    /** Orders attributed to one author's content, newest first. */
    async attributedOrders(kind: AuthorKind, authorId: string, { page, pageSize }: Page) {
      const rows = await db.query(
        `SELECT *, count(*) OVER () AS total FROM content_attributions WHERE author_kind = $1 AND author_id = $2 ORDER BY at DESC, order_id LIMIT $3 OFFSET $4`,
        [kind, authorId, pageSize, (page - 1) * pageSize],
      );
      return {
        items: rows.map((r) => ({ orderId: r.order_id as string, contentId: r.content_id as string, contentKind: r.content_kind as 'note' | 'live', productIds: r.product_ids as string[], amount: money(Number(r.amount)), cancelled: r.cancelled as boolean, at: (r.at as Date).toISOString() })),
        total: (rows[0]?.total as number) ?? 0, page, pageSize,
      };
    },

    /** A user's notes, comments and likes, for their data export. */
    async exportUser(userId: string) {
      const [notes, comments, likes] = await Promise.all([
        db.query(`SELECT id, title, body, images, product_ids, status, hidden_reason, created_at FROM content_notes WHERE author_kind = 'user' AND author_id = $1 ORDER BY created_at`, [userId]),
        db.query('SELECT id, note_id, body, created_at FROM content_comments WHERE user_id = $1 AND removed_by IS NULL ORDER BY created_at', [userId]),
        db.query('SELECT note_id, at FROM content_likes WHERE user_id = $1 ORDER BY at', [userId]),
      ]);
      return {
        notes: notes.map((n) => ({ id: n.id, title: n.title, body: n.body, images: n.images, productIds: n.product_ids, status: n.status, hiddenReason: n.hidden_reason ?? undefined, createdAt: n.created_at.toISOString() })),
        comments: comments.map((c) => ({ id: c.id, noteId: c.note_id, body: c.body, createdAt: c.created_at.toISOString() })),
        likes: likes.map((l) => ({ noteId: l.note_id, at: l.at.toISOString() })),
      };
    },

    async eraseUser(sql: Sql, userId: string) {
      await sql.query(`DELETE FROM content_notes WHERE author_kind = 'user' AND author_id = $1`, [userId]);
      await sql.query('DELETE FROM content_creators WHERE user_id = $1', [userId]);
      const liked = await sql.query<{ note_id: string }>('DELETE FROM content_likes WHERE user_id = $1 RETURNING note_id', [userId]);
      if (liked.length) await sql.query('UPDATE content_notes SET like_count = greatest(0, like_count - 1) WHERE id = ANY($1)', [liked.map((l) => l.note_id)]);
      const commented = await sql.query<{ note_id: string }>(`UPDATE content_comments SET body = '', removed_by = $1 WHERE user_id = $1 AND removed_by IS NULL RETURNING note_id`, [userId]);
      for (const c of commented) await sql.query('UPDATE content_notes SET comment_count = greatest(0, comment_count - 1) WHERE id = $1', [c.note_id]);
    },
  };
}

export type ContentService = ReturnType<typeof createContentService>;
