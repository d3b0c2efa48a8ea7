import type { Database, Sql } from '../../db/database.ts';
import { Params } from '../../db/statement.ts';
import { notFound } from '../../shared/problems.ts';
import { chinaDay, emptyState, fold, lifecycleOf, priceBandOf, shares, topCategory, topCategoryShares, type ProfileEvent, type ProfileState } from './fold.ts';
import { computeTags, supports, type Tag } from './tags.ts';

const TIME_DEPENDENT = ['lifecycle:', 'rfm:'];

/** Extra tags from other sources (operator crowds), looked up when a profile is shown. */
export type ExtraTags = (personId: string) => Promise<Tag[]>;

/** A profile as read: its state as JSON text and the version a write must still find to store a fold of it. */
export interface ProfileSnapshot {
  personId: string;
  version: number;
  json: string;
}

/**
 * Other modules' writes that belong with a profile write: each returns statements that must
 * do nothing unless the SQL condition `onlyIf` holds (the profile write went through).
 */
export type WritesAlongside = (p: Params, onlyIf: string) => string[];

/**
 * Stores each person's folded profile. Callers fold new events in the transaction that
 * stores them (`apply`), or rebuild a profile from all its events (`rebuild`).
 */
export function createProfilesService(db: Database) {
  let extraTags: ExtraTags = async () => [];

  async function lockState(sql: Sql, personId: string): Promise<ProfileState> {
    let row = await sql.one<{ state: ProfileState }>('SELECT state FROM profiles WHERE person_id = $1 FOR UPDATE', [personId]);
    if (!row) {
      await sql.query(`INSERT INTO profiles (person_id, state, version) VALUES ($1, $2::jsonb, nextval('profile_versions')) ON CONFLICT (person_id) DO NOTHING`, [personId, JSON.stringify(emptyState())]);
      row = await sql.one<{ state: ProfileState }>('SELECT state FROM profiles WHERE person_id = $1 FOR UPDATE', [personId]);
    }
    return row!.state;
  }

  async function save(sql: Sql, personId: string, state: ProfileState) {
    const p = new Params();
    const columns = profileValues(p, state, JSON.stringify(state)).map(([column, value]) => `${column} = ${value}`);
    await sql.query(`UPDATE profiles SET ${columns} WHERE person_id = ${p.add(personId)}`, p.values);
  }

  /** Adds events to the daily rollup that crowds query. */
  async function addActivity(sql: Sql, personId: string, events: ProfileEvent[]) {
    if (!events.length) return;
    const p = new Params();
    await sql.query(activityInsert(p, p.add(personId), events), p.values);
  }

  async function remove(sql: Sql, personId: string) {
    await sql.query('DELETE FROM profiles WHERE person_id = $1', [personId]);
    await sql.query('DELETE FROM profile_activity WHERE person_id = $1', [personId]);
  }

  /** What recommendation ranks with: affinity, the usual price band, and the top categories; undefined without behaviour. */
  async function preferencesOf(personId: string) {
    const row = await db.one<{ state: ProfileState }>('SELECT state FROM profiles WHERE person_id = $1', [personId]);
    return preferencesIn(row?.state);
  }

  function preferencesIn(state: ProfileState | undefined) {
    if (!state?.events) return undefined;
    const top = topCategoryShares(state);
    const byTop = new Map(top.map((c) => [c.key, c.share]));
    const brands = new Map(shares(state.brands, state.lastAt).map((b) => [b.key, b.share]));
    return {
      affinity: (category?: string, brand?: string) => Math.min(1, 0.7 * (category ? (byTop.get(topCategory(category)) ?? 0) : 0) + 0.3 * (brand ? (brands.get(brand) ?? 0) : 0)),
      priceBand: priceBandOf(state),
      topCategories: top.slice(0, 3).map((c) => ({ category: c.key, share: c.share })),
    };
  }

  function summaryAndTags(personId: string, state: ProfileState, extra: Tag[]) {
    const now = Date.now();
    const tags = [...computeTags(state, now), ...extra.filter((t) => !state.suppressed[t.id] || state.suppressed[t.id].n > 0)];
    return { personId, tags, summary: summaryOf(state, now) };
  }

  return {
    /** The profile of the person a SQL expression names (see people.personSql); undefined if there is none. */
    async snapshotOf(person: (p: Params) => string): Promise<ProfileSnapshot | undefined> {
      const p = new Params();
      const row = await db.one<{ person_id: string; version: number; json: string }>(`SELECT person_id, version, state::text AS json FROM profiles WHERE person_id = ${person(p)}`, p.values);
      return row && { personId: row.person_id, version: row.version, json: row.json };
    },

    /**
     * Folds events into a snapshot and stores the result, the rollup and the writes
     * alongside in one statement, but only if the profile is still at the snapshot's version
     * and `guard` (a SQL condition) holds. Answers the new snapshot, or undefined when
     * something changed and nothing was written. One round trip and no lock held between
     * statements: this is the write path of every storefront batch.
     */
    async foldIfUnchanged(held: ProfileSnapshot, events: ProfileEvent[], guard: (p: Params) => string, alongside: WritesAlongside): Promise<ProfileSnapshot | undefined> {
      const state = foldAll(JSON.parse(held.json), events);
      const json = JSON.stringify(state);
      const p = new Params();
      const person = p.add(held.personId);
      const columns = profileValues(p, state, json).map(([column, value]) => `${column} = ${value}`);
      const row = await db.one<{ version: number }>(
        `WITH saved AS (UPDATE profiles SET ${columns} WHERE person_id = ${person} AND version = ${p.add(held.version)} AND ${guard(p)} RETURNING version),
              ${writesAfter(p, person, events, alongside)}
         SELECT version FROM saved`,
        p.values,
      );
      return row && { personId: held.personId, version: row.version, json };
    },

    /**
     * As foldIfUnchanged, for a person the same statement creates: `newPerson` gives WITH
     * parts ending in `new_person(person_id)` (see people.newPersonSql). Undefined when it
     * created nobody (the person exists already).
     */
    async foldIntoNew(newPerson: (p: Params) => string, events: ProfileEvent[], alongside: WritesAlongside): Promise<ProfileSnapshot | undefined> {
      const state = foldAll(emptyState(), events);
      const json = JSON.stringify(state);
      const p = new Params();
      const values = profileValues(p, state, json);
      const row = await db.one<{ person_id: string; version: number }>(
        `WITH ${newPerson(p)},
              saved AS (INSERT INTO profiles (person_id, ${values.map(([column]) => column)}) SELECT person_id, ${values.map(([, value]) => value)} FROM new_person RETURNING person_id, version),
              ${writesAfter(p, '(SELECT person_id FROM saved)', events, alongside)}
         SELECT person_id, version FROM saved`,
        p.values,
      );
      return row && { personId: row.person_id, version: row.version, json };
    },

    /** Folds new events into a person's profile, inside the caller's transaction. */
    async apply(sql: Sql, personId: string, events: ProfileEvent[]) {
      if (!events.length) return;
      await save(sql, personId, foldAll(await lockState(sql, personId), events));
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
      await sql.query('DELETE FROM profile_activity WHERE person_id = $1', [personId]);
      await save(sql, personId, foldAll(state, events));
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
      return (await preferencesOf(personId))?.affinity;
    },

    preferencesOf,

    /** What the feed ranks with, in one read: the preferences and the crowds the person is a materialised member of. */
    async feedContextOf(personId: string) {
      const row = await db.one<{ state: ProfileState | null; crowd_ids: string[] }>(
        'SELECT (SELECT state FROM profiles WHERE person_id = $1) AS state, ARRAY(SELECT crowd_id FROM crowd_members WHERE person_id = $1 ORDER BY crowd_id) AS crowd_ids',
        [personId],
      );
      return { preferences: preferencesIn(row?.state ?? undefined), crowdIds: row?.crowd_ids ?? [] };
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

/** Folds events into a state in time order. */
function foldAll(state: ProfileState, events: ProfileEvent[]): ProfileState {
  for (const e of [...events].sort((a, b) => a.at - b.at)) fold(state, e, supports);
  return state;
}

/** WITH parts that run only if the part named `saved` wrote the profile: the rollup, and other modules' writes. */
function writesAfter(p: Params, person: string, events: ProfileEvent[], alongside: WritesAlongside): string {
  const written = 'EXISTS (SELECT 1 FROM saved)';
  return [`activity AS (${activityInsert(p, person, events, written)})`, ...alongside(p, written).map((statement, i) => `alongside${i} AS (${statement})`)].join(',\n');
}

/** What a profile write stores, as [column, placeholder]: the state, the columns crowds filter on, and a new version. */
function profileValues(p: Params, state: ProfileState, json: string): [string, string][] {
  const cats = [...topCategoryShares(state), ...shares(state.categories, state.lastAt).filter((c) => c.key.includes('/'))];
  const storedTags = computeTags(state, Date.now()).map((t) => t.id).filter((id) => !TIME_DEPENDENT.some((prefix) => id.startsWith(prefix)));
  return [
    ['state', `${p.add(json)}::jsonb`], ['events', p.add(state.events)], ['first_at', p.add(time(state.firstAt))], ['last_at', p.add(time(state.lastAt))],
    ['orders', p.add(state.orders)], ['monetary', p.add(state.monetary)], ['last_order_at', p.add(time(state.lastOrderAt))], ['price_band', p.add(priceBandOf(state) ?? null)],
    ['top_categories', p.add(cats.filter((c) => c.share >= 0.2).map((c) => c.key))],
    ['top_brands', p.add(shares(state.brands, state.lastAt).filter((b) => b.share >= 0.2).map((b) => b.key))],
    ['channels', p.add(Object.keys(state.channels))], ['tags', p.add(storedTags)], ['updated_at', 'now()'], ['version', "nextval('profile_versions')"],
  ];
}

/** The daily rollup of these events as one INSERT (rows as one JSON parameter, cheap to encode). */
function activityInsert(p: Params, person: string, events: ProfileEvent[], onlyIf = 'true'): string {
  const rows = new Map<string, { day: string; type: string; category: string; brand: string; count: number; amount: number }>();
  for (const e of events) {
    const day = chinaDay(e.at);
    const key = `${day}|${e.type}|${e.category ?? ''}|${e.brand ?? ''}`;
    const row = rows.get(key) ?? { day, type: e.type, category: e.category ?? '', brand: e.brand ?? '', count: 0, amount: 0 };
    row.count += 1;
    row.amount += e.amount ?? 0;
    rows.set(key, row);
  }
  return `INSERT INTO profile_activity (person_id, day, type, category, brand, count, amount)
          SELECT ${person}, x.day, x.type, x.category, x.brand, x.count, x.amount
            FROM json_to_recordset(${p.add(JSON.stringify([...rows.values()]))}::json) AS x(day date, type text, category text, brand text, count int, amount bigint)
           WHERE ${onlyIf}
          ON CONFLICT (person_id, type, category, brand, day)
          DO UPDATE SET count = profile_activity.count + excluded.count, amount = profile_activity.amount + excluded.amount`;
}

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
