import type { Database, Sql } from '../../db/database.ts';
import { Params } from '../../db/statement.ts';
import type { CatalogService, ProductFacts } from '../catalog/service.ts';
import type { BehaviorType, ProfileEvent } from '../profiles/fold.ts';
import type { ClientEvent } from './events.ts';

/** A behaviour event as stored: who (an identifier key), what, and the product facts at that moment. */
export interface StoredEvent extends Omit<ClientEvent, 'type'> {
  subject: string;
  type: BehaviorType;
  source: string;
  category?: string;
  brand?: string;
  price?: number;
  quantity?: number;
  amount?: number;
  orderId?: string;
  /** When the platform got it (set on events read back). */
  receivedAt?: Date;
}

/** The first event of a visit from a tracked link (?ch=douyin&cmp=618). */
export interface Touch {
  subject: string;
  at: Date;
  channel: string;
  campaign?: string;
}

const COLUMNS = ['received_at', 'at', 'subject', 'type', 'source', 'product_id', 'category', 'brand', 'price', 'quantity', 'amount', 'order_id', 'query', 'results', 'position', 'content_id', 'page', 'channel', 'campaign'] as const;
// at travels as epoch milliseconds
const TYPES = ['timestamptz', 'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'int', 'bigint', 'text', 'text', 'int', 'int', 'text', 'text', 'text', 'text'];
const FACTS_TTL_MS = 60_000;
const MEDIANS_TTL_MS = 5 * 60_000;
export const ATTRIBUTION_WINDOW_DAYS = 7;

const monthKey = (d: Date) => `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const nextMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));

/**
 * Behaviour events (行为数据): stored append-only in monthly partitions by time of receipt,
 * so retention drops whole months; product facts are looked up once and cached briefly.
 */
export function createTrackingService(db: Database, catalog: CatalogService) {
  const partitions = new Set<string>();
  const facts = new Map<string, { facts: ProductFacts | undefined; until: number }>();
  let medians = { map: new Map<string, number>(), until: 0 };

  async function ensurePartition(month: Date) {
    const key = monthKey(month);
    if (partitions.has(key)) return;
    const from = monthStart(month).toISOString();
    const to = nextMonth(month).toISOString();
    try {
      await db.query(`CREATE TABLE IF NOT EXISTS behavior_events_p${key} PARTITION OF behavior_events FOR VALUES FROM ('${from}') TO ('${to}')`);
    } catch (error: any) {
      if (!['42P07', '23505'].includes(error?.code)) throw error; // another node created it at the same moment
    }
    partitions.add(key);
  }

  /** This month's and next month's partitions, so an insert never finds none. */
  async function ensureCurrentPartitions() {
    const now = new Date();
    await ensurePartition(now);
    await ensurePartition(nextMonth(now));
  }

  /**
   * The INSERT of these events, doing nothing unless `onlyIf` holds. Partitions must exist
   * beforehand (`ensureCurrentPartitions` at start and hourly): DDL here could deadlock
   * PGlite's one connection. The rows go as one JSON parameter, which the driver encodes
   * several times faster than one array per column; what all rows share (the receipt time,
   * usually the subject and source) goes once.
   */
  function insertSql(p: Params, events: StoredEvent[], onlyIf = 'true', receivedAt?: Date): string {
    const { subject, source } = events[0];
    const rows = events.map((e) => ({
      at: e.at.getTime(), subject: e.subject === subject ? undefined : e.subject, type: e.type, source: e.source === source ? undefined : e.source,
      product_id: e.productId, category: e.category, brand: e.brand, price: e.price, quantity: e.quantity, amount: e.amount, order_id: e.orderId,
      query: e.query, results: e.results, position: e.position, content_id: e.contentId, page: e.page, channel: e.channel, campaign: e.campaign,
    }));
    return `INSERT INTO behavior_events (${COLUMNS.join(', ')})
            SELECT coalesce(${p.add(receivedAt ?? null)}::timestamptz, now()), to_timestamp(at / 1000.0), coalesce(x.subject, ${p.add(subject)}), type,
                   coalesce(x.source, ${p.add(source)}), ${COLUMNS.slice(5).join(', ')}
              FROM json_to_recordset(${p.add(JSON.stringify(rows))}::json) AS x(${COLUMNS.slice(1).map((c, i) => `${c} ${TYPES[i + 1]}`).join(', ')})
             WHERE ${onlyIf}`;
  }

  /** Stores events; an import gives them all one receipt time, otherwise it is the database's clock. */
  async function insert(sql: Sql, events: StoredEvent[], receivedAt?: Date) {
    if (!events.length) return;
    const p = new Params();
    await sql.query(insertSql(p, events, 'true', receivedAt), p.values);
  }

  /** The INSERT of arrival touches (the first event of each visit from a tracked link), doing nothing unless `onlyIf` holds. */
  function touchesSql(p: Params, touches: Touch[], onlyIf = 'true'): string {
    return `INSERT INTO arrival_touches (subject, at, channel, campaign)
            SELECT x.subject, to_timestamp(x.at / 1000.0), x.channel, x.campaign
              FROM json_to_recordset(${p.add(JSON.stringify(touches.map((t) => ({ ...t, at: t.at.getTime(), campaign: t.campaign ?? '' }))))}::json)
                   AS x(subject text, at bigint, channel text, campaign text)
             WHERE ${onlyIf}
            ON CONFLICT DO NOTHING`;
  }

  async function productFacts(productIds: string[]): Promise<Map<string, ProductFacts | undefined>> {
    const now = Date.now();
    const missing = [...new Set(productIds)].filter((id) => !(facts.get(id)!?.until > now));
    if (missing.length) {
      const found = await catalog.productFacts(missing);
      if (facts.size > 100_000) facts.clear();
      for (const id of missing) facts.set(id, { facts: found.get(id), until: now + FACTS_TTL_MS });
    }
    return new Map(productIds.map((id) => [id, facts.get(id)?.facts]));
  }

  async function categoryMedians() {
    if (medians.until < Date.now()) medians = { map: await catalog.categoryMedianPrices(), until: Date.now() + MEDIANS_TTL_MS };
    return medians.map;
  }

  /**
   * The profile's view of stored events: the price index needs each category's median
   * price, fetched (`categoryMedians`) before a transaction opens.
   */
  function toProfileEvents(events: StoredEvent[], median: Map<string, number>): ProfileEvent[] {
    return events.map((e) => {
      const m = e.category ? median.get(e.category) : undefined;
      return {
        at: e.at.getTime(), type: e.type, category: e.category, brand: e.brand, amount: e.amount, orderId: e.orderId, channel: e.channel,
        ...(e.price && m ? { priceIndex: e.price / m } : {}),
      };
    });
  }

  const fromRow = (r: any): StoredEvent & { id: number } => ({
    id: r.id, at: r.at, subject: r.subject, type: r.type, source: r.source, receivedAt: r.received_at,
    ...Object.fromEntries(
      Object.entries({ productId: r.product_id, category: r.category, brand: r.brand, price: r.price, quantity: r.quantity, amount: r.amount, orderId: r.order_id, query: r.query, results: r.results, position: r.position, contentId: r.content_id, page: r.page, channel: r.channel, campaign: r.campaign })
        .filter(([, v]) => v !== null && v !== undefined),
    ),
  });

  return {
    insert,
    productFacts,
    toProfileEvents,
    categoryMedians,
    ensureCurrentPartitions,
    ensurePartition,

    /** Every event of these subjects, oldest first (profile rebuilds and data export). */
    async eventsOf(sql: Sql, subjects: string[], limit = 1_000_000) {
      const rows = await sql.query(`SELECT * FROM behavior_events WHERE subject = ANY($1) ORDER BY at, id LIMIT $2`, [subjects, limit]);
      return rows.map(fromRow);
    },

    /**
     * Product interactions (views, clicks, carts, favourites, purchases) since a time, by
     * subject in time order: what recommendation models learn from.
     */
    async interactions(since: Date): Promise<{ subject: string; productId: string; type: BehaviorType; at: number; orderId: string | null }[]> {
      const rows = await db.query<{ subject: string; product_id: string; type: BehaviorType; at: number; order_id: string | null }>(
        `SELECT subject, product_id, type, (extract(epoch FROM at) * 1000)::float8 AS at, order_id FROM behavior_events
          WHERE at >= $1 AND product_id IS NOT NULL AND type IN ('view', 'click', 'cart', 'favorite', 'buy')
          ORDER BY subject, at, id`,
        [since],
      );
      return rows.map((r) => ({ subject: r.subject, productId: r.product_id, type: r.type, at: r.at, orderId: r.order_id }));
    },

    /**
     * A person's recent behaviour in one read (the feed asks for it on every first page): the
     * products its subjects interacted with most recently, newest first and distinct, and the
     * content they viewed in [contentFrom, contentTo], most recent first.
     */
    async recentActivity(subjects: string[], o: { products: number; contentFrom: Date; contentTo: Date }): Promise<{ products: { productId: string; type: BehaviorType; at: number }[]; contentIds: string[] }> {
      const rows = await db.query<{ product_id: string | null; content_id: string | null; type: BehaviorType; at: number }>(
        `(SELECT product_id, NULL AS content_id, type, (extract(epoch FROM at) * 1000)::float8 AS at FROM behavior_events
           WHERE subject = ANY($1) AND product_id IS NOT NULL AND type IN ('view', 'click', 'cart', 'favorite', 'buy')
           ORDER BY at DESC LIMIT $2)
         UNION ALL
         (SELECT NULL, content_id, 'content_view', (extract(epoch FROM max(at)) * 1000)::float8 FROM behavior_events
           WHERE subject = ANY($1) AND type = 'content_view' AND content_id IS NOT NULL AND at > $3 AND at <= $4
           GROUP BY content_id ORDER BY max(at) DESC LIMIT 100)`,
        [subjects, o.products * 3, o.contentFrom, o.contentTo],
      );
      rows.sort((a, b) => b.at - a.at); // a union's order is not guaranteed
      const seen = new Set<string>();
      const products = rows
        .filter((r): r is typeof r & { product_id: string } => r.product_id !== null && !seen.has(r.product_id) && !!seen.add(r.product_id))
        .slice(0, o.products)
        .map((r) => ({ productId: r.product_id, type: r.type, at: r.at }));
      return { products, contentIds: rows.flatMap((r) => (r.content_id ? [r.content_id] : [])) };
    },

    /** Newest first, a page at a time: the operator's timeline of one person. */
    async timeline(subjects: string[], limit: number, offset: number) {
      const rows = await db.query(`SELECT *, count(*) OVER () AS total FROM behavior_events WHERE subject = ANY($1) ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3`, [subjects, limit, offset]);
      return { items: rows.map(fromRow), total: rows[0]?.total ?? 0 };
    },

    async countOf(subjects: string[]): Promise<number> {
      return (await db.one<{ n: number }>('SELECT count(*) AS n FROM behavior_events WHERE subject = ANY($1)', [subjects]))!.n;
    },

    /** Records the first event of each new arrival: a channel and campaign from a tracked link. */
    async recordTouches(sql: Sql, touches: Touch[]) {
      if (!touches.length) return;
      const p = new Params();
      await sql.query(touchesSql(p, touches), p.values);
    },

    /** The statements that store a batch and its touches, for a larger statement (see profiles' foldIfUnchanged). */
    writesFor(events: StoredEvent[], touches: Touch[]) {
      return (p: Params, onlyIf: string) => [insertSql(p, events, onlyIf), ...(touches.length ? [touchesSql(p, touches, onlyIf)] : [])];
    },

    /** The last tracked-link arrival of these subjects within the attribution window. */
    async arrivalOf(sql: Sql, subjects: string[]): Promise<{ channel: string; campaign?: string } | undefined> {
      const row = await sql.one<{ channel: string; campaign: string }>(
        `SELECT channel, campaign FROM arrival_touches WHERE subject = ANY($1) AND at > now() - make_interval(days => $2) ORDER BY at DESC LIMIT 1`,
        [subjects, ATTRIBUTION_WINDOW_DAYS],
      );
      return row && { channel: row.channel, ...(row.campaign ? { campaign: row.campaign } : {}) };
    },

    /**
     * The content (notes, live sessions) these subjects viewed in (from, to], each with its
     * last view, newest first: what the content module attributes an order to.
     */
    async contentViewsOf(sql: Sql, subjects: string[], from: Date, to: Date): Promise<{ contentId: string; at: Date }[]> {
      const rows = await sql.query<{ content_id: string; at: Date }>(
        `SELECT content_id, max(at) AS at FROM behavior_events
          WHERE subject = ANY($1) AND type = 'content_view' AND content_id IS NOT NULL AND at > $2 AND at <= $3
          GROUP BY content_id ORDER BY max(at) DESC LIMIT 500`,
        [subjects, from, to],
      );
      return rows.map((r) => ({ contentId: r.content_id, at: r.at }));
    },

    /**
     * How often each content was viewed and by how many distinct identifiers (devices or accounts,
     * as web analytics counts visitors), over the retained events; erased people are not counted.
     */
    async contentReach(sql: Sql, contentIds: string[]): Promise<Map<string, { views: number; viewers: number }>> {
      if (!contentIds.length) return new Map();
      const rows = await sql.query<{ content_id: string; views: number; viewers: number }>(
        `SELECT content_id, count(*)::int AS views, count(DISTINCT subject)::int AS viewers FROM behavior_events
          WHERE type = 'content_view' AND content_id = ANY($1) GROUP BY content_id`,
        [contentIds],
      );
      return new Map(rows.map((r) => [r.content_id, { views: r.views, viewers: r.viewers }]));
    },

    /** Erasure: every event and touch of these subjects. */
    async erase(sql: Sql, subjects: string[]): Promise<number> {
      await sql.query('DELETE FROM arrival_touches WHERE subject = ANY($1)', [subjects]);
      return (await sql.query('DELETE FROM behavior_events WHERE subject = ANY($1) RETURNING id', [subjects])).length;
    },

    /** Drops the monthly partitions wholly older than the retention period; answers their names. */
    async dropExpired(retentionDays: number): Promise<string[]> {
      const cutoff = Date.now() - retentionDays * 86_400_000;
      const rows = await db.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
          JOIN pg_namespace n ON n.oid = p.relnamespace WHERE p.relname = 'behavior_events' AND n.nspname = current_schema()`,
      );
      const dropped: string[] = [];
      for (const { name } of rows) {
        const match = /^behavior_events_p(\d{4})(\d{2})$/.exec(name);
        if (!match || nextMonth(new Date(Date.UTC(+match[1], +match[2] - 1, 1))).getTime() > cutoff) continue;
        await db.query(`DROP TABLE ${name}`);
        partitions.delete(`${match[1]}${match[2]}`);
        dropped.push(name);
      }
      return dropped;
    },

    /** Items only known from imported behaviour files. */
    async addTrackedItems(sql: Sql, items: { id: string; source: string; category?: string }[]) {
      if (!items.length) return;
      await sql.query(
        `INSERT INTO tracked_items (id, source, category) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (id) DO NOTHING`,
        [items.map((i) => i.id), items.map((i) => i.source), items.map((i) => i.category ?? null)],
      );
    },
  };
}

export type TrackingService = ReturnType<typeof createTrackingService>;
