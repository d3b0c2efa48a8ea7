import type { Database, Row, Sql } from '../../../db/database.ts';
import type { Page } from '../../../http/schemas.ts';
import { newId } from '../../../shared/ids.ts';
import { money } from '../../../shared/money.ts';
import { invalidField, invalidState, notFound } from '../../../shared/problems.ts';
import { toCsv, yuan } from './csv.ts';
import { lifecycleSql } from './lifecycle.ts';
import { compileRule, parseRule, type Rule } from './rules.ts';

export interface Account {
  userId: string;
  email: string;
}

export interface CrowdsDeps {
  db: Database;
  audit: { record(sql: Sql, actorId: string, action: string, target: string, details?: Record<string, unknown>): Promise<void> };
  /** The account user id of each person that has one (people.accountsOf). */
  accountsOf(personIds: string[]): Promise<Map<string, string>>;
  /** Account emails by user id (identity.emailsOf). */
  emailsOf(userIds: string[]): Promise<Map<string, string>>;
  /** The users among userIds whose consent for the purpose is in force. */
  consentedUsers(purpose: 'marketing', userIds: string[]): Promise<Set<string>>;
}

export interface CrowdInput {
  name: string;
  rule: unknown;
  tagLabel?: string | null;
}

export interface CrowdPatch {
  name?: string;
  rule?: unknown;
  tagLabel?: string | null;
}

export interface CrowdTag {
  id: string;
  label: string;
  crowdName: string;
}

export const CSV_COLUMNS = ['person_id', 'user_id', 'email', 'lifecycle', 'price_band', 'orders', 'monetary_yuan', 'last_seen'];

/** Ids go to the people and privacy services in batches this size. */
const BATCH = 5000;

const chunks = <T>(items: T[], size = BATCH) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
const iso = (at: Date | null) => (at ? at.toISOString() : null);

function crowdView(r: Row) {
  return {
    id: r.id as string, name: r.name as string, rule: r.rule as Rule, tagLabel: (r.tag_label as string | null) ?? null,
    size: r.size as number, reachable: r.reachable as number, materializedAt: iso(r.materialized_at), createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}
export type Crowd = ReturnType<typeof crowdView>;

/** A member's profile columns, as members and the CSV export show them. */
const MEMBER_COLUMNS = `p.person_id, p.price_band, p.orders, p.monetary, p.last_at, ${lifecycleSql('p')} AS lifecycle`;

/**
 * Crowds (人群): operator-defined segments over profiles. A rule is estimated on the fly;
 * a crowd is a saved rule whose members are snapshotted by materialisation, which the
 * member list, the CSV export, coupon targeting and crowd tags (`crowd:<id>`) read.
 * Reachable means: has an account, and that user's marketing consent is in force now.
 */
export function createCrowdsService(deps: CrowdsDeps) {
  const { db, audit } = deps;

  async function matchingIds(rule: Rule): Promise<string[]> {
    const where = compileRule(rule);
    const rows = await db.query<{ person_id: string }>(`SELECT p.person_id FROM profiles p WHERE ${where.sql}`, where.params);
    return rows.map((r) => r.person_id);
  }

  /** Person -> account, for the persons that have an account. */
  async function accounts(personIds: string[]): Promise<Map<string, Account>> {
    const users = await deps.accountsOf(personIds);
    const emails = users.size ? await deps.emailsOf([...new Set(users.values())]) : new Map<string, string>();
    return new Map([...users].map(([personId, userId]) => [personId, { userId, email: emails.get(userId) ?? '' }]));
  }

  /** Person -> user id, for the persons whose account's marketing consent is in force. */
  async function reachableUsers(personIds: string[]): Promise<Map<string, string>> {
    const reachable = new Map<string, string>();
    for (const batch of chunks(personIds)) {
      const users = await deps.accountsOf(batch);
      if (!users.size) continue;
      const consented = await deps.consentedUsers('marketing', [...new Set(users.values())]);
      for (const [personId, userId] of users) if (consented.has(userId)) reachable.set(personId, userId);
    }
    return reachable;
  }

  async function memberIds(crowdId: string): Promise<string[]> {
    const rows = await db.query<{ person_id: string }>('SELECT person_id FROM crowd_members WHERE crowd_id = $1', [crowdId]);
    return rows.map((r) => r.person_id);
  }

  async function row(sql: Sql, crowdId: string, lock = false): Promise<Row> {
    const found = await sql.one(`SELECT * FROM crowds WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [crowdId]);
    if (!found) throw notFound('crowd');
    return found;
  }

  /**
   * Snapshots the members the rule selects now; those who stay keep their `since`. Members
   * are selected outside the transaction (reachability asks other services), so the write
   * goes ahead only if the rule is still the one they were selected by.
   */
  async function snapshot(crowdId: string, attempts = 3): Promise<{ size: number; reachable: number; materializedAt: string }> {
    const { rule } = await row(db, crowdId);
    const ids = await matchingIds(parseRule(rule));
    const reachable = (await reachableUsers(ids)).size;
    const result = await db.tx(async (sql) => {
      if (JSON.stringify((await row(sql, crowdId, true)).rule) !== JSON.stringify(rule)) return undefined;
      await sql.query('DELETE FROM crowd_members WHERE crowd_id = $1 AND NOT (person_id = ANY($2::text[]))', [crowdId, ids]);
      await sql.query('INSERT INTO crowd_members (crowd_id, person_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [crowdId, ids]);
      const updated = await sql.one('UPDATE crowds SET size = $2, reachable = $3, materialized_at = now() WHERE id = $1 RETURNING materialized_at', [crowdId, ids.length, reachable]);
      return { size: ids.length, reachable, materializedAt: updated!.materialized_at.toISOString() as string };
    });
    if (result) return result;
    if (attempts > 1) return snapshot(crowdId, attempts - 1);
    throw invalidState('the crowd rule changed while materialising; try again');
  }

  function checkName(name: string | undefined, tagLabel: string | null | undefined) {
    if (name !== undefined && !name.trim()) throw invalidField('name', 'must not be blank');
    if (tagLabel !== undefined && tagLabel !== null && !tagLabel.trim()) throw invalidField('tagLabel', 'must not be blank; null removes the tag');
  }

  async function get(crowdId: string): Promise<Crowd> {
    return crowdView(await row(db, crowdId));
  }

  return {
    /** How many profiles the rule selects now, and how many of them marketing can reach. */
    async estimate(rule: unknown) {
      const ids = await matchingIds(parseRule(rule));
      return { size: ids.length, reachable: (await reachableUsers(ids)).size };
    },

    /** Saves the crowd and materialises it at once. */
    async create(input: CrowdInput, actorId: string): Promise<Crowd> {
      const rule = parseRule(input.rule);
      checkName(input.name, input.tagLabel);
      const id = newId('crd');
      await db.tx(async (sql) => {
        await sql.query('INSERT INTO crowds (id, name, rule, tag_label, created_by) VALUES ($1, $2, $3::jsonb, $4, $5)', [id, input.name.trim(), JSON.stringify(rule), input.tagLabel?.trim() || null, actorId]);
        await audit.record(sql, actorId, 'crowd.create', id, { name: input.name, rule, tagLabel: input.tagLabel ?? null });
      });
      await snapshot(id);
      return get(id);
    },

    async list({ page, pageSize }: Page) {
      const rows = await db.query('SELECT *, count(*) OVER () AS total FROM crowds ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2', [pageSize, (page - 1) * pageSize]);
      return { items: rows.map(crowdView), total: rows[0]?.total ?? 0, page, pageSize };
    },

    get,

    /** Changes name, rule or tag label (null removes the tag); a new rule re-materialises. */
    async update(crowdId: string, patch: CrowdPatch, actorId: string): Promise<Crowd> {
      const rule = patch.rule === undefined ? undefined : parseRule(patch.rule);
      checkName(patch.name, patch.tagLabel);
      await db.tx(async (sql) => {
        await row(sql, crowdId, true);
        await sql.query(
          `UPDATE crowds SET name = COALESCE($2, name), rule = COALESCE($3::jsonb, rule), tag_label = CASE WHEN $4::boolean THEN $5 ELSE tag_label END, updated_at = now() WHERE id = $1`,
          [crowdId, patch.name?.trim() ?? null, rule ? JSON.stringify(rule) : null, patch.tagLabel !== undefined, patch.tagLabel?.trim() || null],
        );
        await audit.record(sql, actorId, 'crowd.update', crowdId, { ...patch, ...(rule ? { rule } : {}) });
      });
      if (rule) await snapshot(crowdId);
      return get(crowdId);
    },

    async remove(crowdId: string, actorId: string) {
      await db.tx(async (sql) => {
        await row(sql, crowdId, true);
        await sql.query('DELETE FROM crowds WHERE id = $1', [crowdId]);
        await audit.record(sql, actorId, 'crowd.delete', crowdId);
      });
    },

    /** Snapshots the members now; audited when an operator asks for it. */
    async materialize(crowdId: string, actorId?: string) {
      const result = await snapshot(crowdId);
      if (actorId) await audit.record(db, actorId, 'crowd.materialize', crowdId, { size: result.size, reachable: result.reachable });
      return result;
    },

    /** The materialised members, highest spend first, with their accounts where they have one. */
    async members(crowdId: string, { page, pageSize }: Page) {
      await row(db, crowdId);
      const rows = await db.query(
        `SELECT ${MEMBER_COLUMNS}, count(*) OVER () AS total FROM crowd_members m JOIN profiles p ON p.person_id = m.person_id
         WHERE m.crowd_id = $1 ORDER BY p.monetary DESC, p.person_id LIMIT $2 OFFSET $3`,
        [crowdId, pageSize, (page - 1) * pageSize],
      );
      const found = rows.length ? await accounts(rows.map((r) => r.person_id)) : new Map<string, Account>();
      return { items: rows.map((r) => memberView(r, found.get(r.person_id))), total: rows[0]?.total ?? 0, page, pageSize };
    },

    /** The reachable members as CSV (UTF-8 with BOM); the export is audited, it is personal data leaving. */
    async exportCsv(crowdId: string, actorId: string) {
      const crowd = await get(crowdId);
      const rows = await db.query(`SELECT ${MEMBER_COLUMNS} FROM crowd_members m JOIN profiles p ON p.person_id = m.person_id WHERE m.crowd_id = $1 ORDER BY p.person_id`, [crowdId]);
      const reachable = await reachableUsers(rows.map((r) => r.person_id));
      const emails = await accounts([...reachable.keys()]);
      const lines = rows.filter((r) => reachable.has(r.person_id)).map((r) => csvLine(r, emails.get(r.person_id)!));
      await audit.record(db, actorId, 'crowd.export', crowdId, { rows: lines.length });
      return { crowd, rows: lines.length, csv: toCsv(CSV_COLUMNS, lines) };
    },

    /** The crowds a person is a materialised member of (sql: inside a caller's transaction). */
    async crowdsOf(personId: string, sql: Sql = db): Promise<string[]> {
      return (await sql.query<{ crowd_id: string }>('SELECT crowd_id FROM crowd_members WHERE person_id = $1', [personId])).map((r) => r.crowd_id);
    },

    /** Every materialised membership, by crowd (recommendation learns what each crowd likes). */
    async memberships(): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>();
      for (const r of await db.query<{ crowd_id: string; person_id: string }>('SELECT crowd_id, person_id FROM crowd_members'))
        (out.get(r.crowd_id) ?? out.set(r.crowd_id, []).get(r.crowd_id)!).push(r.person_id);
      return out;
    },

    /** Operator tags of a person: the tagged crowds they are a materialised member of (the profile applies deleted tags). */
    async tagsOf(personId: string): Promise<CrowdTag[]> {
      const rows = await db.query(
        `SELECT c.id, c.tag_label, c.name FROM crowd_members m JOIN crowds c ON c.id = m.crowd_id
         WHERE m.person_id = $1 AND c.tag_label IS NOT NULL
         ORDER BY c.created_at, c.id`,
        [personId],
      );
      return rows.map((r) => ({ id: `crowd:${r.id}`, label: r.tag_label, crowdName: r.name }));
    },

    /** Re-materialises every tagged crowd (a periodic job); one bad crowd does not stop the others. */
    async materializeTagCrowds() {
      const failed: { crowdId: string; message: string }[] = [];
      const crowds = await db.query<{ id: string }>('SELECT id FROM crowds WHERE tag_label IS NOT NULL ORDER BY id');
      for (const { id } of crowds) await snapshot(id).catch((e: Error) => void failed.push({ crowdId: id, message: e.message }));
      return { materialized: crowds.length - failed.length, failed };
    },

    /** The user ids a marketing send (coupons) may target: reachable materialised members. */
    async marketingAudience(crowdId: string): Promise<string[]> {
      await row(db, crowdId);
      return [...new Set((await reachableUsers(await memberIds(crowdId))).values())];
    },
  };
}

export type CrowdsService = ReturnType<typeof createCrowdsService>;

function memberView(r: Row, account: Account | undefined) {
  return {
    personId: r.person_id as string, ...(account ? { userId: account.userId, email: account.email } : {}),
    lifecycle: r.lifecycle as string, priceBand: (r.price_band as string | null) ?? null, orders: r.orders as number, monetary: money(Number(r.monetary)), lastAt: iso(r.last_at),
  };
}

function csvLine(r: Row, account: Account) {
  return [r.person_id, account.userId, account.email, r.lifecycle, r.price_band, r.orders, yuan(Number(r.monetary)), iso(r.last_at)];
}
