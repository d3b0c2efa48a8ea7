import type { Database, Sql } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import { notFound } from '../../shared/problems.ts';
import type { CatalogService } from '../catalog/service.ts';
import type { OrdersService } from '../orders/service.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { createSearchEngine } from './engine/engine.ts';
import type { SearchEngine, SearchQuery, Synonym } from './engine/types.ts';
import { createPolicyStore, type Policy } from './policies.ts';
import { emptyFeatureData, median, policyReranker, type FeatureData, type PersonalScore, type Weights } from './ranking.ts';

const FRESHNESS_FLUSH_MS = 200;
const RECONCILE_MS = 60_000;
const FEATURES_MS = 60_000;

/**
 * Keeps the in-process engine current with the catalogue and answers searches under the
 * live ranking policy. Each node rebuilds its index from PostgreSQL at start, follows
 * catalog and order events, and reconciles by `updated_at` every minute for changes made
 * on other nodes.
 */
export function createSearchService(deps: { db: Database; catalog: CatalogService; orders: OrdersService; outbox: Outbox; engine?: SearchEngine }) {
  const { db, catalog, orders, outbox } = deps;
  const engine = deps.engine ?? createSearchEngine();
  const policies = createPolicyStore(db);
  let livePolicy: Policy | undefined;
  let features: FeatureData = emptyFeatureData();
  let lastReconcile = new Date(0);
  const dirtyProducts = new Set<string>();
  const dirtyOrders = new Set<string>();
  const queryCounts = new Map<string, { count: number; results: number }>();
  const timers: NodeJS.Timeout[] = [];
  const catalogView = { get: (id: string) => engine.get(id), documents: () => engine.documents(), features: () => features };

  async function reindex(productIds: string[]) {
    if (!productIds.length) return;
    const found = await catalog.searchDocuments({ productIds });
    for (const { doc, searchable } of found) searchable ? engine.upsert(doc) : engine.remove(doc.id);
    const seen = new Set(found.map((f) => f.doc.id));
    for (const id of productIds) if (!seen.has(id)) engine.remove(id);
  }

  /** Applies the changes collected from events since the last flush, in two queries at most. */
  async function flushDirty() {
    const products = [...dirtyProducts];
    const orderIds = [...dirtyOrders];
    dirtyProducts.clear();
    dirtyOrders.clear();
    if (orderIds.length) products.push(...(await orders.productIdsOfOrders(orderIds)));
    await reindex([...new Set(products)]);
  }

  /** Catches up with changes made on other nodes: catalogue, live policy, synonyms. */
  async function reconcile() {
    livePolicy = await policies.live();
    await loadSynonyms();
    const since = new Date(lastReconcile.getTime() - 5_000);
    lastReconcile = new Date();
    for (const { doc, searchable } of await catalog.searchDocuments({ changedSince: since })) searchable ? engine.upsert(doc) : engine.remove(doc.id);
  }

  async function refreshFeatures() {
    const data = emptyFeatureData();
    for (const r of await orders.productSales(30)) {
      data.gmv30d.set(r.product_id, r.gmv);
      data.buyers30d.set(r.product_id, r.buyers);
      data.maxGmv30d = Math.max(data.maxGmv30d, r.gmv);
    }
    for (const r of await db.query<{ product_id: string; n: number }>(
      `SELECT product_id, count(DISTINCT visitor) AS n FROM search_clicks WHERE at > now() - interval '30 days' GROUP BY product_id`,
    ))
      data.clickers30d.set(r.product_id, r.n);
    for (const r of await orders.merchantService(90)) {
      const shipScore = r.ship_hours === null ? 0.7 : Math.max(0, Math.min(1, (120 - r.ship_hours) / 96));
      data.merchantService.set(r.merchant_id, 0.5 * shipScore + 0.5 * (1 - r.cancelled_after_paid / Math.max(1, r.paid)));
    }
    const pricesByCategory = new Map<string, number[]>();
    for (const doc of engine.documents()) {
      if (!doc.category) continue;
      pricesByCategory.set(doc.category, [...(pricesByCategory.get(doc.category) ?? []), doc.price]);
    }
    for (const [category, prices] of pricesByCategory) data.categoryMedianPrice.set(category, median(prices));
    features = data;
  }

  async function loadSynonyms() {
    const rows = await db.query<{ terms: string[]; when_terms: string[] }>('SELECT terms, when_terms FROM search_synonyms ORDER BY created_at');
    engine.setSynonyms(rows.map((r): Synonym => ({ terms: r.terms, ...(r.when_terms.length ? { when: r.when_terms } : {}) })));
  }

  async function flushQueryLog() {
    const entries = [...queryCounts];
    queryCounts.clear();
    for (const [q, { count, results }] of entries)
      await db.query(
        `INSERT INTO search_queries (q, count, last_results) VALUES ($1, $2, $3)
         ON CONFLICT (q) DO UPDATE SET count = search_queries.count + $2, last_results = $3, last_at = now()`,
        [q, count, results],
      );
  }

  const every = (ms: number, fn: () => Promise<unknown>) => {
    const timer = setInterval(() => fn().catch((e) => console.error('search job failed', e)), ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    engine,
    policies,

    /** This node's in-memory catalogue (kept current from catalogue events) and the commercial features of its products. */
    catalog: () => catalogView,

    /** Builds the index from the database and starts following changes. */
    async start(options: { background?: boolean } = {}) {
      await policies.ensureDefaults();
      await loadSynonyms();
      lastReconcile = new Date();
      engine.rebuild((await catalog.searchDocuments()).filter((d) => d.searchable).map((d) => d.doc));
      for (const r of await db.query<{ q: string }>('SELECT q FROM search_queries WHERE last_results > 0 ORDER BY count DESC LIMIT 5000')) engine.recordQuery(r.q);
      livePolicy = await policies.live();
      await refreshFeatures();
      for (const topic of ['catalog.product_created', 'catalog.product_updated', 'catalog.sku_updated'])
        outbox.subscribe(topic, (e) => void dirtyProducts.add(e.productId));
      outbox.subscribe('catalog.merchant_updated', async (e) => (await catalog.productIdsOfMerchant(e.merchantId)).forEach((id) => dirtyProducts.add(id)));
      for (const topic of ['order.created', 'order.paid', 'order.cancelled']) outbox.subscribe(topic, (e) => void dirtyOrders.add(e.orderId));
      if (options.background === false) return;
      every(FRESHNESS_FLUSH_MS, flushDirty);
      every(RECONCILE_MS, reconcile);
      every(FEATURES_MS, refreshFeatures);
      every(5_000, flushQueryLog);
    },

    stop() {
      timers.forEach(clearInterval);
    },

    flushDirty,
    refreshFeatures,

    /** Applies pending catalogue events and recomputes features now (after a bulk load such as the demo). */
    async catchUp() {
      await outbox.dispatchPending();
      await flushDirty();
      await refreshFeatures();
    },
    flushQueryLog,

    /** A search under the live policy, or under `policyId` for an operator's preview. */
    async search(query: Omit<SearchQuery, 'rerank'>, options: { policyId?: string; personal?: PersonalScore; log?: boolean } = {}) {
      const policy = options.policyId ? await policies.get(db, options.policyId) : livePolicy;
      const rerank = policy ? policyReranker(policy.weights, features, (id) => engine.get(id), options.personal ?? (() => 0)) : undefined;
      const result = engine.search({ ...query, rerank });
      const q = query.q.trim().slice(0, 200);
      if (q && !query.offset && options.log !== false) {
        const seen = queryCounts.get(q) ?? { count: 0, results: 0 };
        queryCounts.set(q, { count: seen.count + 1, results: result.total });
        if (result.total > 0) engine.recordQuery(q);
      }
      return { result, policy };
    },

    suggest: (prefix: string, limit = 10) => engine.suggest(prefix, limit),

    /** Erasure: the clicks a person made, by account id and device ids. */
    async forgetVisitors(sql: Sql, visitors: string[]) {
      await sql.query('DELETE FROM search_clicks WHERE visitor = ANY($1)', [visitors]);
    },

    async recordClick(input: { q: string; productId: string; position: number; visitor: string }) {
      if (!engine.get(input.productId)) throw notFound('product');
      await db.query('INSERT INTO search_clicks (product_id, visitor, q, position) VALUES ($1, $2, $3, $4)', [input.productId, input.visitor, input.q, input.position]);
    },

    async switchPolicy(policyId: string, actorId: string, audit: (sql: any) => Promise<void>) {
      await db.tx(async (sql) => {
        await policies.switchLive(sql, policyId, actorId);
        await outbox.emit(sql, 'search.policy_switched', { policyId });
        await audit(sql);
      });
      livePolicy = await policies.live();
      return livePolicy;
    },

    async savePolicy(input: { name: string; weights: Weights; note?: string }, actorId: string, audit: (sql: any, id: string) => Promise<void>) {
      const id = await db.tx(async (sql) => {
        const id = await policies.addVersion(sql, input, actorId);
        await audit(sql, id);
        return id;
      });
      return policies.get(db, id);
    },

    /** Another node switched the live policy. */
    async reloadPolicy() {
      livePolicy = await policies.live();
    },

    async synonyms() {
      const rows = await db.query('SELECT id, terms, when_terms, created_at FROM search_synonyms ORDER BY created_at');
      return rows.map((r) => ({ id: r.id, terms: r.terms, when: r.when_terms, createdAt: r.created_at.toISOString() }));
    },

    async addSynonym(input: { terms: string[]; when?: string[] }, actorId: string, audit: (sql: any, id: string) => Promise<void>) {
      const id = newId('syn');
      await db.tx(async (sql) => {
        await sql.query('INSERT INTO search_synonyms (id, terms, when_terms, created_by) VALUES ($1, $2, $3, $4)', [id, input.terms, input.when ?? [], actorId]);
        await outbox.emit(sql, 'search.synonyms_changed', {});
        await audit(sql, id);
      });
      await loadSynonyms();
      return id;
    },

    async removeSynonym(id: string, audit: (sql: any) => Promise<void>) {
      await db.tx(async (sql) => {
        const gone = await sql.query('DELETE FROM search_synonyms WHERE id = $1 RETURNING id', [id]);
        if (!gone.length) throw notFound('synonym');
        await outbox.emit(sql, 'search.synonyms_changed', {});
        await audit(sql);
      });
      await loadSynonyms();
    },

    loadSynonyms,

    async zeroResultQueries(limit = 50) {
      return db.query('SELECT q, count, last_at FROM search_queries WHERE last_results = 0 ORDER BY count DESC, last_at DESC LIMIT $1', [limit]);
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
