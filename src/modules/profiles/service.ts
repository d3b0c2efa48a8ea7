import type { Database, Sql } from '../../db/database.ts';
import { notFound } from '../../shared/problems.ts';
import { chinaDay, emptyState, fold, lifecycleOf, priceBandOf, shares, topCategoryShares, type ProfileEvent, type ProfileState } from './fold.ts';
import { computeTags, supports, type Tag } from './tags.ts';

const TIME_DEPENDENT = ['lifecycle:', 'rfm:'];

/** Extra tags from other sources (operator crowds), looked up when a profile is shown. */
export type ExtraTags = (personId: string) => Promise<Tag[]>;

/**
 * Stores each person's folded profile. Callers fold new events in the transaction that
 * stores them (`apply`), or rebuild a profile from all its events (`rebuild`).
 */
export function createProfilesService(db: Database) {
  let extraTags: ExtraTags = async () => [];

  async function lockState(sql: Sql, personId: string): Promise<ProfileState> {
    let row = await sql.one<{ state: ProfileState }>('SELECT state FROM profiles WHERE person_id = $1 FOR UPDATE', [personId]);
    if (!row) {
      await sql.query('INSERT INTO profiles (person_id, state) VALUES ($1, $2::jsonb) ON CONFLICT (person_id) DO NOTHING', [personId, JSON.stringify(emptyState())]);
      row = await sql.one<{ state: ProfileState }>('SELECT state FROM profiles WHERE person_id = $1 FOR UPDATE', [personId]);
    }
    return row!.state;
  }

  async function save(sql: Sql, personId: string, state: ProfileState) {
    const now = Date.now();
    const cats = [...topCategoryShares(state), ...shares(state.categories, state.lastAt).filter((c) => c.key.includes('/'))];
    const storedTags = computeTags(state, now).map((t) => t.id).filter((id) => !TIME_DEPENDENT.some((p) => id.startsWith(p)));
    await sql.query(
      `UPDATE profiles SET state = $2::jsonb, events = $3, first_at = $4, last_at = $5, orders = $6, monetary = $7, last_order_at = $8,
              price_band = $9, top_categories = $10, top_brands = $11, channels = $12, tags = $13, updated_at = now()
        WHERE person_id = $1`,
      [
        personId, JSON.stringify(state), state.events, time(state.firstAt), time(state.lastAt), state.orders, state.monetary, time(state.lastOrderAt),
        priceBandOf(state) ?? null, cats.filter((c) => c.share >= 0.2).map((c) => c.key), shares(state.brands, state.lastAt).filter((b) => b.share >= 0.2).map((b) => b.key),
        Object.keys(state.channels), storedTags,
      ],
    );
  }

  /** Adds events to the daily rollup that crowds query (rows as one JSON parameter, cheap to encode). */
  async function addActivity(sql: Sql, personId: string, events: ProfileEvent[]) {
    const rows = new Map<string, { day: string; type: string; category: string; brand: string; count: number; amount: number }>();
    for (const e of events) {
      const day = chinaDay(e.at);
      const key = `${day}|${e.type}|${e.category ?? ''}|${e.brand ?? ''}`;
      const row = rows.get(key) ?? { day, type: e.type, category: e.category ?? '', brand: e.brand ?? '', count: 0, amount: 0 };
      row.count += 1;
      row.amount += e.amount ?? 0;
      rows.set(key, row);
    }
    if (!rows.size) return;
    await sql.query(
      `INSERT INTO profile_activity (person_id, day, type, category, brand, count, amount)
       SELECT $1, x.day, x.type, x.category, x.brand, x.count, x.amount
         FROM json_to_recordset($2::json) AS x(day date, type text, category text, brand text, count int, amount bigint)
       ON CONFLICT (person_id, type, category, brand, day)
       DO UPDATE SET count = profile_activity.count + excluded.count, amount = profile_activity.amount + excluded.amount`,
      [personId, JSON.stringify([...rows.values()])],
    );
  }

  async function remove(sql: Sql, personId: string) {
    await sql.query('DELETE FROM profiles WHERE person_id = $1', [personId]);
    await sql.query('DELETE FROM profile_activity WHERE person_id = $1', [personId]);
  }

  function summaryAndTags(personId: string, state: ProfileState, extra: Tag[]) {
    const now = Date.now();
    const tags = [...computeTags(state, now), ...extra.filter((t) => !state.suppressed[t.id] || state.suppressed[t.id].n > 0)];
    return { personId, tags, summary: summaryOf(state, now) };
  }

  return {
    /** Folds new events into a person's profile, inside the caller's transaction. */
    async apply(sql: Sql, personId: string, events: ProfileEvent[]) {
      if (!events.length) return;
      const state = await lockState(sql, personId);
      for (const e of [...events].sort((a, b) => a.at - b.at)) fold(state, e, supports);
      await save(sql, personId, state);
      await addActivity(sql, personId, events);
    },

    /**
     * Replaces a profile with one folded from all its events, keeping the tags the shopper
     * deleted. The profile row is locked before the events are read, so an event stored
     * meanwhile is either read here or folded in after.
     */
    async rebuild(sql: Sql, personId: string, loadEvents: () => Promise<ProfileEvent[]>) {
      await lockState(sql, personId);
      const events = await loadEvents();
      const state = emptyState();
      for (const s of await sql.query<{ tag_id: string; deleted_at: Date }>('SELECT tag_id, deleted_at FROM profile_tag_suppressions WHERE person_id = $1', [personId]))
        state.suppressed[s.tag_id] = { at: s.deleted_at.getTime(), n: 0 };
      for (const e of [...events].sort((a, b) => a.at - b.at)) fold(state, e, supports);
      await sql.query('DELETE FROM profile_activity WHERE person_id = $1', [personId]);
      await save(sql, personId, state);
      await addActivity(sql, personId, events);
    },

    /** Drops a person's profile, rollup and deleted-tag records (a merge absorbed it, or erasure). */
    async remove(sql: Sql, personId: string) {
      await remove(sql, personId);
      await sql.query('DELETE FROM profile_tag_suppressions WHERE person_id = $1', [personId]);
    },

    /** Moves deleted-tag records from an absorbed person to the one that absorbed it. */
    async carryOverDeletedTags(sql: Sql, fromPersonId: string, toPersonId: string) {
      await sql.query(
        `INSERT INTO profile_tag_suppressions (person_id, tag_id, deleted_at)
         SELECT $2, tag_id, deleted_at FROM profile_tag_suppressions WHERE person_id = $1 ON CONFLICT DO NOTHING`,
        [fromPersonId, toPersonId],
      );
    },

    /** The shopper's view: tags with where they came from, and a summary. Empty for a person with no behaviour yet. */
    async view(personId: string) {
      const [row, extra] = await Promise.all([db.one<{ state: ProfileState }>('SELECT state FROM profiles WHERE person_id = $1', [personId]), extraTags(personId)]);
      return summaryAndTags(personId, row?.state ?? emptyState(), extra);
    },

    /** Deletes a tag: hidden until behaviour after now supports it again. */
    async deleteTag(personId: string, tagId: string) {
      const operatorTag = (await extraTags(personId)).some((t) => t.id === tagId);
      await db.tx(async (sql) => {
        const row = await sql.one<{ state: ProfileState }>('SELECT state FROM profiles WHERE person_id = $1 FOR UPDATE', [personId]);
        if (!row) throw notFound('tag');
        const known = operatorTag || computeTags(row.state, Date.now()).some((t) => t.id === tagId);
        if (!known && !row.state.suppressed[tagId]) throw notFound('tag');
        row.state.suppressed[tagId] = { at: Date.now(), n: 0 };
        await sql.query(
          `INSERT INTO profile_tag_suppressions (person_id, tag_id) VALUES ($1, $2) ON CONFLICT (person_id, tag_id) DO UPDATE SET deleted_at = now()`,
          [personId, tagId],
        );
        await save(sql, personId, row.state);
      });
    },

    /**
     * How much a person likes a product's category and brand, 0..1, for personalised
     * ranking; undefined when there is no behaviour to go on.
     */
    async affinityOf(personId: string): Promise<((category?: string, brand?: string) => number) | undefined> {
      const row = await db.one<{ state: ProfileState }>('SELECT state FROM profiles WHERE person_id = $1', [personId]);
      if (!row?.state.events) return undefined;
      const top = new Map(topCategoryShares(row.state).map((c) => [c.key, c.share]));
      const brands = new Map(shares(row.state.brands, row.state.lastAt).map((b) => [b.key, b.share]));
      return (category, brand) => Math.min(1, 0.7 * (category ? (top.get(category.split('/')[0]) ?? 0) : 0) + 0.3 * (brand ? (brands.get(brand) ?? 0) : 0));
    },

    async statesOf(personIds: string[]): Promise<Map<string, ProfileState>> {
      const rows = await db.query<{ person_id: string; state: ProfileState }>('SELECT person_id, state FROM profiles WHERE person_id = ANY($1)', [personIds]);
      return new Map(rows.map((r) => [r.person_id, r.state]));
    },

    setExtraTags(source: ExtraTags) {
      extraTags = source;
    },
  };
}

export type ProfilesService = ReturnType<typeof createProfilesService>;

const time = (ms: number | undefined) => (ms ? new Date(ms) : null);

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

export function summaryOf(state: ProfileState, now: number) {
  return {
    events: state.events,
    firstAt: iso(state.firstAt),
    lastAt: iso(state.lastAt),
    orders: state.orders,
    monetary: { amount: state.monetary, currency: 'CNY' },
    lifecycle: state.events ? lifecycleOf(state, now) : null,
    priceBand: priceBandOf(state) ?? null,
    activeHours: state.hours,
    categories: topCategoryShares(state).slice(0, 8).map((c) => ({ category: c.key, share: Math.round(c.share * 1000) / 1000 })),
    brands: shares(state.brands, state.lastAt).slice(0, 8).map((b) => ({ brand: b.key, share: Math.round(b.share * 1000) / 1000 })),
    channels: Object.entries(state.channels).map(([channel, c]) => ({ channel, count: c.n, lastAt: new Date(c.lastAt).toISOString() })),
  };
}
