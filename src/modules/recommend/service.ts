import type { Database } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import { money } from '../../shared/money.ts';
import { notFound } from '../../shared/problems.ts';
import { accountKey, deviceKey, isDeviceId } from '../people/identifiers.ts';
import type { PeopleService } from '../people/service.ts';
import type { ProfilesService } from '../profiles/service.ts';
import type { SearchDocument } from '../search/engine/types.ts';
import type { SearchService } from '../search/service.ts';
import type { TrackingService } from '../tracking/service.ts';
import type { ModelStore } from './models.ts';
import { applyRules, FEED_RULES, rankCandidates, quoted, reasonOf, type Candidate, type PersonContext, type RankedItem, type Recaller } from './ranking.ts';
import { LoadedModel } from './recommender.ts';
import { trainModel, type TrainingProgress } from './train.ts';

export type Surface = 'feed' | 'similar' | 'bought_together' | 'cart';

export interface Actor {
  userId?: string;
  deviceId?: string;
}

interface Deps {
  db: Database;
  tracking: TrackingService;
  people: PeopleService;
  profiles: ProfilesService;
  search: SearchService;
  store: ModelStore;
  allowsPersonalization: (userId: string | undefined) => Promise<boolean>;
  crowds: { memberships(): Promise<Map<string, string[]>> };
  cartProducts: (userId: string) => Promise<string[]>;
  /** Products in a live session now, with the live price (for the live badge). */
  liveNowFor: (productIds: string[]) => Promise<Map<string, { sessionId: string; livePrice: number }>>;
}

/** What the feed may use of a person: nothing at all when personalisation is off. */
interface Viewer {
  personalized: boolean;
  personId?: string;
  subjects: string[];
  history: string[];
  exclude: Set<string>;
  person: PersonContext;
  topCategories: { category: string; share: number }[];
  crowdIds: string[];
  /** Products from notes and live rooms the person viewed lately. */
  fromContent: string[];
}

const FEED_SIZE = 200;
const HISTORY = 50;
const NEW_ARRIVAL_DAYS = 14;
const RECENT_PURCHASE_DAYS = 30;
/** Notes and live rooms viewed this recently lead to their products; views stamped a little ahead of our clock still count. */
const CONTENT_DAYS = 30;
const CLOCK_SKEW_MS = 120_000;
const FEED_CACHE = 2_000;
const FEED_TTL_MS = 10 * 60_000;
const POPULAR = 300;
/** Popular products in every feed: enough to fill it when nothing else is known. */
const FEED_POPULAR = 120;
const ARRIVALS_TTL_MS = 30_000;
const IMPRESSION_FLUSH_MS = 250;
/** Impressions are written once this many wait (and every 250 ms on a running server). */
export const IMPRESSION_BATCH = 200;

/** An item as shown: the candidate and its product. */
type Shown = Candidate & { doc: SearchDocument };

/** Products linked from these content items (a person's recent views, most recent first), in that order. */
export type ContentRecaller = (contentIds: string[]) => Promise<string[]>;

/**
 * "Goods find people" (货找人): the personalised feed, similar items, often bought together
 * and cart suggestions, from the active model's recallers plus popularity, new arrivals,
 * editorial picks, crowds and content, ranked with profile and item features, filtered by
 * business rules, each item with a reason. Personalisation off gives everyone the same feed.
 */
export function createRecommendService(deps: Deps) {
  const { db, tracking, people, profiles, search, store } = deps;
  let model: LoadedModel | undefined;
  let editorial: string[] = [];
  let impressions = new Map<string, number>();
  let contentRecaller: ContentRecaller = async () => [];
  /**
   * Ranked feeds by id, for paging: kept as three flat arrays, not an object per item, so a few
   * thousand cached feeds do not burden the garbage collector.
   */
  const feeds = new Map<string, { ids: string[]; recallers: Recaller[]; because: (string | undefined)[]; at: number; personId?: string; personalized: boolean; blocked?: Set<string> }>();
  const timers: NodeJS.Timeout[] = [];
  let training: ReturnType<typeof trainModel> | undefined;
  /** Impressions not yet written: they go in batches, off the request's path (and before any click or stats read). */
  let pending: { request_id: string; position: number; surface: Surface; product_id: string; recaller: string; person_id: string | null; model_version: number | null }[] = [];

  /** Writes pending impressions; flushes run one after another, so awaiting one waits for every earlier one too. */
  let flushing: Promise<void> = Promise.resolve();
  function flushImpressions(): Promise<void> {
    flushing = flushing.then(writePending, writePending);
    return flushing;
  }

  async function writePending() {
    if (!pending.length) return;
    const rows = pending;
    pending = [];
    await db.query(
      `INSERT INTO reco_impressions (request_id, position, surface, product_id, recaller, person_id, model_version)
       SELECT x.request_id, x.position, x.surface, x.product_id, x.recaller, x.person_id, x.model_version
         FROM json_to_recordset($1::json) AS x(request_id text, position int, surface text, product_id text, recaller text, person_id text, model_version int)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  const catalog = () => search.catalog();
  const docOf = (id: string) => catalog().get(id);

  async function loadActive() {
    const version = await store.activeVersion();
    if (version === undefined || version === model?.version) return;
    model = new LoadedModel(version, await store.load(version));
  }

  async function refreshSideData() {
    editorial = (await db.query<{ product_id: string }>('SELECT product_id FROM reco_editorial ORDER BY added_at DESC LIMIT 50')).map((r) => r.product_id);
    const rows = await db.query<{ product_id: string; n: number }>(`SELECT product_id, count(*) AS n FROM reco_impressions WHERE shown_at > now() - interval '7 days' GROUP BY product_id`);
    impressions = new Map(rows.map((r) => [r.product_id, r.n]));
  }

  // ---- who is asking ---------------------------------------------------------------------------------

  async function viewerOf(actor: Actor): Promise<Viewer> {
    const anonymous: Viewer = { personalized: false, subjects: [], fromContent: [], history: [], exclude: new Set(), person: { categoryMedian: categoryMedian }, topCategories: [], crowdIds: [] };
    const keys = [...(actor.userId ? [accountKey(actor.userId)] : []), ...(actor.deviceId && isDeviceId(actor.deviceId) ? [deviceKey(actor.deviceId)] : [])];
    const [allowed, person] = await Promise.all([deps.allowsPersonalization(actor.userId), keys.length ? people.personWithKeys(db, keys) : undefined]);
    if (!allowed) return anonymous;
    if (!person) return { ...anonymous, personalized: true };
    const { personId, keys: subjects } = person;
    const [activity, context, blocked] = await Promise.all([
      tracking.recentActivity(subjects, { products: HISTORY, contentFrom: new Date(Date.now() - CONTENT_DAYS * 86_400_000), contentTo: new Date(Date.now() + CLOCK_SKEW_MS) }),
      profiles.feedContextOf(personId),
      db.query<{ product_id: string }>('SELECT product_id FROM reco_blocks WHERE person_id = $1', [personId]),
    ]);
    const fromContent = activity.contentIds.length ? await contentRecaller(activity.contentIds) : [];
    const { products: recent } = activity;
    const { preferences, crowdIds } = context;
    const boughtSince = Date.now() - RECENT_PURCHASE_DAYS * 86_400_000;
    const exclude = new Set([...recent.filter((r) => r.type === 'buy' && r.at > boughtSince).map((r) => r.productId), ...blocked.map((b) => b.product_id)]);
    return {
      personalized: true, personId, subjects, exclude, crowdIds, fromContent,
      history: recent.map((r) => r.productId).reverse(),
      person: { affinity: preferences?.affinity, priceBand: preferences?.priceBand, categoryMedian },
      topCategories: preferences?.topCategories ?? [],
    };
  }

  function categoryMedian(category?: string) {
    return category ? catalog().features().categoryMedianPrice.get(category) : undefined;
  }

  // ---- recallers beside the engine -------------------------------------------------------------------

  /** Most popular products: the model's training popularity, else 30-day sales (recomputed at most every 30 s). */
  let bestSellers = { at: 0, list: [] as string[] };
  function popular(limit: number): Candidate[] {
    if (model?.itemCount) return [...model.popular.subarray(0, limit)].map((item, rank) => ({ productId: model!.data.itemIds[item], score: 1 - rank / (limit + 1), recaller: 'popularity' }));
    if (Date.now() - bestSellers.at > ARRIVALS_TTL_MS) {
      const gmv = catalog().features().gmv30d;
      const docs = [...catalog().documents()].sort((a, b) => (gmv.get(b.id) ?? 0) - (gmv.get(a.id) ?? 0) || b.sales - a.sales || a.id.localeCompare(b.id));
      bestSellers = { at: Date.now(), list: docs.slice(0, POPULAR * 3).map((d) => d.id) };
    }
    return bestSellers.list.slice(0, limit).map((productId, rank) => ({ productId, score: 1 - rank / (limit + 1), recaller: 'popularity' }));
  }

  /** Products listed in the last two weeks, the least shown first, so each gets its turn (recomputed at most every 30 s). */
  let arrivals = { at: 0, list: [] as string[] };
  function newArrivals(limit: number): Candidate[] {
    if (Date.now() - arrivals.at > ARRIVALS_TTL_MS) {
      const since = Date.now() - NEW_ARRIVAL_DAYS * 86_400_000;
      const fresh: SearchDocument[] = [];
      for (const d of catalog().documents()) if (d.createdAt >= since && d.inStock) fresh.push(d);
      fresh.sort((a, b) => (impressions.get(a.id) ?? 0) - (impressions.get(b.id) ?? 0) || b.createdAt - a.createdAt || a.id.localeCompare(b.id));
      arrivals = { at: Date.now(), list: fresh.slice(0, 200).map((d) => d.id) };
    }
    return arrivals.list.slice(0, limit).map((productId, rank) => ({ productId, score: 1 - rank / (limit + 1), recaller: 'newArrival' }));
  }

  /** Popular products in the person's strongest categories, from their profile. */
  function categoryPopular(viewer: Viewer, perCategory: number): Candidate[] {
    const out: Candidate[] = [];
    for (const { category, share } of viewer.topCategories)
      popularIn(category).slice(0, perCategory).forEach((productId, rank) => out.push({ productId, score: share * (1 - rank / (perCategory + 1)), recaller: 'categoryPopular' }));
    return out;
  }

  /** The most popular products of each top-level category, by the model's popularity (kept per model). */
  let byTopCategory = { version: -1, lists: new Map<string, string[]>() };
  function popularIn(topCategory: string): string[] {
    if (!model) return [];
    if (byTopCategory.version !== model.version) {
      const lists = new Map<string, string[]>();
      for (const item of model.popular) {
        const productId = model.data.itemIds[item];
        const top = (docOf(productId)?.category ?? '').split('/')[0];
        const list = lists.get(top) ?? lists.set(top, []).get(top)!;
        if (list.length < 100) list.push(productId);
      }
      byTopCategory = { version: model.version, lists };
    }
    return byTopCategory.lists.get(topCategory) ?? [];
  }

  const editorialPicks = (): Candidate[] => editorial.map((productId, rank) => ({ productId, score: 1 - rank / (editorial.length + 1), recaller: 'editorial' }));

  // ---- surfaces ------------------------------------------------------------------------------------

  function buildFeed(viewer: Viewer): RankedItem[] {
    const candidates: Candidate[] = [...editorialPicks(), ...newArrivals(20), ...popular(FEED_POPULAR)];
    if (viewer.personalized && viewer.personId) {
      if (model) candidates.push(...model.recall(model.itemsOf(viewer.history)), ...model.crowdFavourites(viewer.crowdIds, 20));
      candidates.push(...categoryPopular(viewer, 20));
      candidates.push(...viewer.fromContent.map((productId, rank): Candidate => ({ productId, score: 1 - rank / 40, recaller: 'content' })));
    }
    const ranked = rankCandidates(candidates, docOf, viewer.person, itemFeatures());
    return applyRules(ranked, { ...FEED_RULES, exclude: new Set([...viewer.exclude, ...(viewer.personalized ? viewer.history.slice(-20) : [])]) }, FEED_SIZE);
  }

  function itemFeatures() {
    const f = catalog().features();
    return { gmvShare: (id: string) => (f.maxGmv30d ? (f.gmv30d.get(id) ?? 0) / f.maxGmv30d : 0), service: (merchantId: string) => f.merchantService.get(merchantId) ?? 0.7 };
  }

  /** Items shown to a person: the response shape, and one impression row each. */
  async function present(surface: Surface, items: Shown[], offset: number, viewer: { personId?: string }, inCart?: Set<string>) {
    const requestId = newId('rec');
    for (const [i, r] of items.entries()) pending.push({ request_id: requestId, position: offset + i, surface, product_id: r.productId, recaller: r.recaller, person_id: viewer.personId ?? null, model_version: model?.version ?? null });
    if (pending.length >= IMPRESSION_BATCH) void flushImpressions().catch((e) => console.error('impression flush failed', e));
    const live = items.length ? await deps.liveNowFor(items.map((r) => r.productId)) : new Map<string, { sessionId: string; livePrice: number }>();
    const out = items.map((r, i) => {
      const reason = reasonFor(surface, r, inCart);
      const session = live.get(r.productId);
      return {
        productId: r.productId, title: r.doc.title, titleEn: r.doc.titleEn || null, price: money(r.doc.price), category: r.doc.category ?? null, brand: r.doc.brand ?? null,
        reason: reason.zh, reasonEn: reason.en, recaller: r.recaller, position: offset + i,
        live: session ? { sessionId: session.sessionId, livePrice: money(session.livePrice) } : null,
      };
    });
    return { requestId, items: out };
  }

  function reasonFor(surface: Surface, r: Shown, inCart?: Set<string>) {
    const title = (id: string) => {
      const doc = docOf(id);
      return doc && { zh: doc.title, en: doc.titleEn };
    };
    const because = quoted(r.because ? title(r.because) : undefined);
    const sequential = ['transitions', 'sessionKnn', 'embeddings'].includes(r.recaller);
    if (because && surface === 'similar' && sequential) return { zh: `看过「${because.zh}」的人也看了`, en: `people who viewed "${because.en}" also viewed` };
    if (because && surface === 'cart' && inCart?.has(r.because!) && sequential) return { zh: `搭配购物车里的「${because.zh}」`, en: `goes with "${because.en}" in your cart` };
    return reasonOf(r, title, r.doc.category);
  }

  /** Products like this one, by item only (the same for everyone, so no profile is read). */
  function similarTo(productId: string, limit: number, surface: 'similar' | 'bought_together'): RankedItem[] {
    const doc = docOf(productId);
    if (!doc) throw notFound('product');
    const candidates: Candidate[] = [];
    if (model?.indexOf.has(productId)) {
      const items = model.itemsOf([productId]);
      if (surface === 'bought_together') candidates.push(...model.boughtWith(items, limit * 3));
      else candidates.push(...model.recall(items, limit * 5));
    }
    if (surface === 'similar' || candidates.length < limit)
      candidates.push(...popular(POPULAR).filter((c) => docOf(c.productId)?.category === doc.category).map((c): Candidate => ({ ...c, recaller: 'categoryPopular', score: c.score * 0.5 })));
    const ranked = rankCandidates(candidates, docOf, { categoryMedian }, itemFeatures());
    return applyRules(ranked, { ...FEED_RULES, perLeafCategory: limit, perTopCategory: limit, newArrivalEvery: Number.MAX_SAFE_INTEGER, exclude: new Set([productId]) }, limit);
  }

  return {
    /** Loads the active model and follows activations and editorial changes; retrains on a schedule. */
    async start(options: { background?: boolean; retrainEveryMs?: number } = {}) {
      await store.failAbandoned(60);
      await loadActive();
      await refreshSideData();
      if (options.background === false) return;
      const every = (ms: number, fn: () => Promise<unknown>) => {
        const timer = setInterval(() => fn().catch((e) => console.error('recommendation job failed', e)), ms);
        timer.unref();
        timers.push(timer);
      };
      every(30_000, loadActive);
      every(IMPRESSION_FLUSH_MS, flushImpressions);
      every(60_000, refreshSideData);
      if (options.retrainEveryMs) every(options.retrainEveryMs, () => this.train('schedule'));
    },

    async stop() {
      timers.forEach(clearInterval);
      await flushImpressions();
    },

    get modelVersion() {
      return model?.version;
    },

    setContentRecaller(recaller: ContentRecaller) {
      contentRecaller = recaller;
    },

    async feed(actor: Actor, limit: number, cursor?: string) {
      const [feedId, offsetText] = (cursor ?? '').split('.');
      let cached = cursor ? feeds.get(feedId) : undefined;
      let viewer: Viewer | undefined;
      if (!cached || Date.now() - cached.at > FEED_TTL_MS) {
        viewer = await viewerOf(actor);
        const ranked = buildFeed(viewer);
        cached = {
          ids: ranked.map((r) => r.productId), recallers: ranked.map((r) => r.recaller), because: ranked.map((r) => r.because),
          at: Date.now(), personId: viewer.personId, personalized: viewer.personalized && viewer.history.length > 0,
        };
        if (feeds.size >= FEED_CACHE) feeds.delete(feeds.keys().next().value!);
      }
      const id = cursor && feeds.has(feedId) ? feedId : newId('fd');
      feeds.set(id, cached);
      const offset = cursor && feeds.has(feedId) ? Math.max(0, Number(offsetText) || 0) : 0;
      const feed = cached;
      const end = Math.min(feed.ids.length, offset + limit);
      const page: Shown[] = [];
      for (let i = offset; i < end; i++) {
        const doc = docOf(feed.ids[i]);
        if (doc && !feed.blocked?.has(feed.ids[i])) page.push({ productId: feed.ids[i], recaller: feed.recallers[i], because: feed.because[i], score: 0, doc });
      }
      const shown = await present('feed', page, offset, feed);
      return { ...shown, personalized: feed.personalized, modelVersion: model?.version ?? null, nextCursor: end < feed.ids.length ? `${id}.${end}` : null };
    },

    async similar(productId: string, limit: number) {
      return present('similar', similarTo(productId, limit, 'similar'), 0, {});
    },

    async boughtTogether(productId: string, limit: number) {
      return present('bought_together', similarTo(productId, limit, 'bought_together'), 0, {});
    },

    /** "You may also like" under the cart: what goes with its products, and for this person. */
    async forCart(actor: Actor & { userId: string }, limit: number) {
      const inCart = await deps.cartProducts(actor.userId);
      const viewer = await viewerOf(actor);
      const candidates: Candidate[] = [];
      if (model && inCart.length) {
        const items = model.itemsOf(inCart);
        candidates.push(...model.boughtWith(items, limit * 3), ...model.recall(items, limit * 5));
      }
      if (viewer.personalized && model) candidates.push(...model.recall(model.itemsOf(viewer.history), limit * 3).map((c) => ({ ...c, score: c.score * 0.5 })));
      candidates.push(...popular(limit * 3).map((c) => ({ ...c, score: c.score * 0.3 })));
      const ranked = rankCandidates(candidates, docOf, viewer.person, itemFeatures());
      const items = applyRules(ranked, { ...FEED_RULES, exclude: new Set([...inCart, ...viewer.exclude]) }, limit);
      return present('cart', items, 0, viewer, new Set(inCart));
    },

    /** A click on a shown item: marks its impression. False when there was no such impression. */
    async click(requestId: string, position: number): Promise<boolean> {
      await flushImpressions();
      return (await db.query('UPDATE reco_impressions SET clicked_at = coalesce(clicked_at, now()) WHERE request_id = $1 AND position = $2 RETURNING 1', [requestId, position])).length > 0;
    },

    /** "Not interested": the product leaves this person's feeds. */
    async block(actor: Actor, productId: string) {
      if (!docOf(productId)) throw notFound('product');
      const keys = [...(actor.userId ? [accountKey(actor.userId)] : []), ...(actor.deviceId && isDeviceId(actor.deviceId) ? [deviceKey(actor.deviceId)] : [])];
      const personId = await db.tx((sql) => people.personOf(sql, keys[0], actor.userId ? 'account' : 'web'));
      await db.query('INSERT INTO reco_blocks (person_id, product_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [personId, productId]);
      // Feeds being scrolled go on where they are, without the product (a rebuilt feed would start again at the top).
      for (const feed of feeds.values()) if (feed.personId === personId) (feed.blocked ??= new Set()).add(productId);
    },

    /** Click-through per surface and recaller over the last days. */
    async stats(days: number) {
      await flushImpressions();
      const rows = await db.query<{ surface: string; recaller: string; shown: number; clicked: number }>(
        `SELECT surface, recaller, count(*) AS shown, count(clicked_at) AS clicked FROM reco_impressions
          WHERE shown_at > now() - make_interval(days => $1) GROUP BY surface, recaller ORDER BY surface, shown DESC`,
        [days],
      );
      return rows.map((r) => ({ ...r, ctr: r.shown ? Math.round((r.clicked / r.shown) * 10_000) / 10_000 : 0 }));
    },

    /** Trains a new model unless one is training on this node; resolves when it is stored and active. */
    async train(trigger: string, onProgress?: TrainingProgress) {
      if (training) return training;
      training = trainModel({ db, tracking, people, search, crowds: deps.crowds, store }, trigger, onProgress)
        .then(async (result) => {
          await loadActive();
          return result;
        })
        .finally(() => (training = undefined));
      return training;
    },

    get training() {
      return training !== undefined;
    },

    async activate(version: number) {
      await store.activate(version);
      await loadActive();
    },

    models: () => store.list(),

    async editorialList() {
      const rows = await db.query<{ product_id: string; note: string; added_at: Date }>('SELECT product_id, note, added_at FROM reco_editorial ORDER BY added_at DESC');
      return rows.map((r) => ({ productId: r.product_id, title: docOf(r.product_id)?.title ?? null, note: r.note, addedAt: r.added_at.toISOString() }));
    },

    async addEditorial(productId: string, note: string, actorId: string) {
      if (!docOf(productId)) throw notFound('product');
      await db.query('INSERT INTO reco_editorial (product_id, note, added_by) VALUES ($1, $2, $3) ON CONFLICT (product_id) DO UPDATE SET note = $2', [productId, note, actorId]);
      await refreshSideData();
    },

    async removeEditorial(productId: string) {
      await db.query('DELETE FROM reco_editorial WHERE product_id = $1', [productId]);
      await refreshSideData();
    },

    refreshSideData,
  };
}

export type RecommendService = ReturnType<typeof createRecommendService>;
