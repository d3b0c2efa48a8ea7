import type { Database, Sql } from '../../db/database.ts';
import type { Params } from '../../db/statement.ts';
import { newId } from '../../shared/ids.ts';
import { notFound } from '../../shared/problems.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { accountKey, displayOf, kindOf } from './identifiers.ts';
import { UnionFind } from './union-find.ts';

export interface Link {
  id: string;
  a: string;
  b: string;
  source: string;
  reason: string;
  createdAt: Date;
  undoneAt?: Date;
  undoneBy?: string;
}

export interface LinkResult {
  /** Absent when the link was refused. */
  linkId?: string;
  refused?: string;
  /** Set when the link joined two persons: the one kept and the one absorbed. */
  merged?: { survivorId: string; absorbedId: string };
}

const linkOf = (r: any): Link => ({
  id: r.id, a: r.a_key, b: r.b_key, source: r.source, reason: r.reason, createdAt: r.created_at,
  ...(r.undone_at ? { undoneAt: r.undone_at, undoneBy: r.undone_by } : {}),
});

/**
 * The identity graph (人的统一识别): identifiers are nodes, links are edges, a person is a
 * connected component of the active links. Each identifier row carries its component's
 * person id, so finding a person is one lookup; links are kept with where they came from,
 * so every merge can be explained and undone.
 */
export function createPeopleService(db: Database, outbox: Outbox) {
  async function createPerson(sql: Sql): Promise<string> {
    const id = newId('psn');
    await sql.query('INSERT INTO persons (id) VALUES ($1)', [id]);
    return id;
  }

  /**
   * The person an identifier belongs to, created on first sight. The identifier row is
   * share-locked, so a merge moving it waits for the caller's transaction to finish.
   */
  async function personOf(sql: Sql, key: string, source: string): Promise<string> {
    const found = await sql.one<{ person_id: string }>('SELECT person_id FROM person_identifiers WHERE key = $1 FOR SHARE', [key]);
    if (found) return found.person_id;
    const personId = await createPerson(sql);
    const inserted = await sql.one<{ person_id: string }>(
      `INSERT INTO person_identifiers (key, kind, person_id, source) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING RETURNING person_id`,
      [key, kindOf(key), personId, source],
    );
    if (inserted) return personId;
    await sql.query('DELETE FROM persons WHERE id = $1', [personId]); // another request created it first
    return (await sql.one<{ person_id: string }>('SELECT person_id FROM person_identifiers WHERE key = $1 FOR SHARE', [key]))!.person_id;
  }

  /** A SQL expression for a larger statement: the person holding an identifier now (NULL if none). */
  function personSql(p: Params, key: string): string {
    return `(SELECT person_id FROM person_identifiers WHERE key = ${p.add(key)})`;
  }

  /**
   * WITH parts for a larger statement that creates a person for an identifier seen for the
   * first time: `new_person(person_id)` holds the new person, or nothing if the identifier
   * is known already (then nothing is created).
   */
  function newPersonSql(p: Params, key: string, source: string): string {
    return `new_identifier AS (INSERT INTO person_identifiers (key, kind, person_id, source) VALUES (${p.add(key)}, ${p.add(kindOf(key))}, ${p.add(newId('psn'))}, ${p.add(source)})
                               ON CONFLICT (key) DO NOTHING RETURNING person_id),
            new_person AS (INSERT INTO persons (id) SELECT person_id FROM new_identifier RETURNING id AS person_id)`;
  }

  /** A SQL condition for a larger statement: the identifier still belongs to this person. */
  function holdsSql(p: Params, key: string, personId: string): string {
    return `EXISTS (SELECT 1 FROM person_identifiers WHERE key = ${p.add(key)} AND person_id = ${p.add(personId)})`;
  }

  /** Locks the persons (in id order, so two merges cannot deadlock) and answers their current ids. */
  async function lockPersons(sql: Sql, keys: string[]) {
    for (;;) {
      const before = await sql.query<{ key: string; person_id: string }>('SELECT key, person_id FROM person_identifiers WHERE key = ANY($1)', [keys]);
      const ids = [...new Set(before.map((r) => r.person_id))].sort();
      await sql.query('SELECT id FROM persons WHERE id = ANY($1) ORDER BY id FOR UPDATE', [ids]);
      const after = await sql.query<{ key: string; person_id: string }>('SELECT key, person_id FROM person_identifiers WHERE key = ANY($1)', [keys]);
      if (after.every((r) => before.find((b) => b.key === r.key)?.person_id === r.person_id)) return new Map(after.map((r) => [r.key, r.person_id]));
    }
  }

  /** The person kept in a merge: the one with an account, else the older. */
  async function survivorOf(sql: Sql, a: string, b: string): Promise<[string, string]> {
    const rows = await sql.query<{ id: string; has_account: boolean }>(
      `SELECT p.id, EXISTS (SELECT 1 FROM person_identifiers i WHERE i.person_id = p.id AND i.kind = 'account') AS has_account
         FROM persons p WHERE p.id = ANY($1) ORDER BY has_account DESC, p.created_at, p.id`,
      [[a, b]],
    );
    return [rows[0].id, rows[1].id];
  }

  /**
   * Links two identifiers; when they belong to different persons, the persons merge. Two
   * persons that each hold an account (a shared computer, a partner's mistake) are merged
   * only by an operator: anyone else's link is refused and not recorded.
   */
  async function link(sql: Sql, a: string, b: string, input: { source: string; reason: string }): Promise<LinkResult> {
    await personOf(sql, a, input.source);
    await personOf(sql, b, input.source);
    const persons = await lockPersons(sql, [a, b]);
    const [pa, pb] = [persons.get(a)!, persons.get(b)!];
    if (pa !== pb && !input.source.startsWith('operator:') && (await withAccounts(sql, [pa, pb])) === 2)
      return { refused: 'the identifiers belong to two different accounts; only an operator can merge accounts' };
    const linkId = newId('lnk');
    await sql.query('INSERT INTO identity_links (id, a_key, b_key, source, reason) VALUES ($1, $2, $3, $4, $5)', [linkId, a, b, input.source, input.reason]);
    if (pa === pb) return { linkId };
    const [survivorId, absorbedId] = await survivorOf(sql, pa, pb);
    await sql.query('UPDATE person_identifiers SET person_id = $1 WHERE person_id = $2', [survivorId, absorbedId]);
    await sql.query('UPDATE persons SET merged_into = $1 WHERE id = $2', [survivorId, absorbedId]);
    await sql.query(`INSERT INTO person_history (id, kind, link_id, person_id, other_person_id) VALUES ($1, 'merge', $2, $3, $4)`, [newId('phs'), linkId, survivorId, absorbedId]);
    await outbox.emit(sql, 'people.merged', { linkId, survivorId, absorbedId });
    return { linkId, merged: { survivorId, absorbedId } };
  }

  async function withAccounts(sql: Sql, personIds: string[]): Promise<number> {
    return (await sql.one<{ n: number }>(`SELECT count(DISTINCT person_id) AS n FROM person_identifiers WHERE kind = 'account' AND person_id = ANY($1)`, [personIds]))!.n;
  }

  /**
   * Undoes a link. The person's identifiers are regrouped by union-find over the links
   * still active; the group holding the account (or the oldest identifier) keeps the
   * person id, every other group becomes a new person.
   */
  async function undoLink(linkId: string, by: string): Promise<{ linkId: string; persons: string[] }> {
    return db.tx(async (sql) => {
      const row = await sql.one('SELECT * FROM identity_links WHERE id = $1 FOR UPDATE', [linkId]);
      if (!row) throw notFound('link');
      if (row.undone_at) return { linkId, persons: [] };
      await sql.query('UPDATE identity_links SET undone_at = now(), undone_by = $2 WHERE id = $1', [linkId, by]);
      const personId = (await lockPersons(sql, [row.a_key])).get(row.a_key);
      if (!personId) return { linkId, persons: [] };
      const persons = await regroup(sql, personId, linkId);
      if (persons.length > 1) await outbox.emit(sql, 'people.split', { linkId, personIds: persons });
      return { linkId, persons };
    });
  }

  async function regroup(sql: Sql, personId: string, linkId: string): Promise<string[]> {
    const members = await sql.query<{ key: string; kind: string; first_seen_at: Date }>(
      'SELECT key, kind, first_seen_at FROM person_identifiers WHERE person_id = $1 ORDER BY first_seen_at, key',
      [personId],
    );
    const keys = members.map((m) => m.key);
    const sets = new UnionFind();
    for (const key of keys) sets.add(key);
    for (const l of await sql.query<{ a_key: string; b_key: string }>(
      'SELECT a_key, b_key FROM identity_links WHERE undone_at IS NULL AND a_key = ANY($1) AND b_key = ANY($1)',
      [keys],
    ))
      sets.union(l.a_key, l.b_key);
    const groups = sets.groups();
    if (groups.length === 1) return [personId];
    const rank = (group: string[]) => (group.some((k) => kindOf(k) === 'account') ? 0 : 1) * keys.length + Math.min(...group.map((k) => keys.indexOf(k)));
    groups.sort((x, y) => rank(x) - rank(y));
    const result = [personId];
    for (const group of groups.slice(1)) {
      const newPerson = await createPerson(sql);
      await sql.query('UPDATE person_identifiers SET person_id = $1 WHERE key = ANY($2)', [newPerson, group]);
      await sql.query(`INSERT INTO person_history (id, kind, link_id, person_id, other_person_id) VALUES ($1, 'split', $2, $3, $4)`, [newId('phs'), linkId, personId, newPerson]);
      result.push(newPerson);
    }
    return result;
  }

  /**
   * Withdrawn cross-source fusion: every active partner link of the person is undone, so
   * the partner's identifiers and behaviour leave the person again.
   */
  async function undoPartnerLinks(personId: string, by: string): Promise<string[]> {
    const keys = (await db.query<{ key: string }>('SELECT key FROM person_identifiers WHERE person_id = $1', [personId])).map((r) => r.key);
    const links = await db.query<{ id: string }>(
      `SELECT id FROM identity_links WHERE undone_at IS NULL AND source LIKE 'partner:%' AND (a_key = ANY($1) OR b_key = ANY($1)) ORDER BY created_at`,
      [keys],
    );
    for (const { id } of links) await undoLink(id, by);
    return links.map((l) => l.id);
  }

  return {
    personOf,
    personSql,
    newPersonSql,
    holdsSql,
    link,
    undoLink,
    undoPartnerLinks,

    /** Persons for many identifiers at once, creating those not seen before (bulk imports). */
    async personsFor(sql: Sql, keys: string[], source: string): Promise<Map<string, string>> {
      const found = new Map((await sql.query<{ key: string; person_id: string }>('SELECT key, person_id FROM person_identifiers WHERE key = ANY($1)', [keys])).map((r) => [r.key, r.person_id]));
      const missing = keys.filter((k) => !found.has(k));
      if (missing.length) {
        const ids = missing.map(() => newId('psn'));
        await sql.query('INSERT INTO persons (id) SELECT * FROM unnest($1::text[])', [ids]);
        await sql.query(
          'INSERT INTO person_identifiers (key, kind, person_id, source) SELECT k, kind, p, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS x(k, p, kind)',
          [missing, ids, missing.map(kindOf), source],
        );
        missing.forEach((k, i) => found.set(k, ids[i]));
      }
      return found;
    },

    /** Person ids of existing identifiers (unknown keys are absent). */
    async personsOf(sql: Sql, keys: string[]): Promise<Map<string, string>> {
      const rows = await sql.query<{ key: string; person_id: string }>('SELECT key, person_id FROM person_identifiers WHERE key = ANY($1)', [keys]);
      return new Map(rows.map((r) => [r.key, r.person_id]));
    },

    /** The person of the first of these keys that has one, with all its keys, in one round trip. */
    async personWithKeys(sql: Sql, keys: string[]): Promise<{ personId: string; keys: string[] } | undefined> {
      const rows = await sql.query<{ person_id: string; key: string }>(
        `WITH me AS (SELECT person_id FROM person_identifiers WHERE key = ANY($1) ORDER BY array_position($1, key) LIMIT 1)
         SELECT i.person_id, i.key FROM person_identifiers i JOIN me USING (person_id) ORDER BY i.key`,
        [keys],
      );
      return rows.length ? { personId: rows[0].person_id, keys: rows.map((r) => r.key) } : undefined;
    },

    /** The identifier keys of a person: the subjects of its behaviour events. */
    async keysOf(sql: Sql, personId: string): Promise<string[]> {
      return (await sql.query<{ key: string }>('SELECT key FROM person_identifiers WHERE person_id = $1 ORDER BY key', [personId])).map((r) => r.key);
    },

    async personOfAccount(sql: Sql, userId: string): Promise<string> {
      return personOf(sql, accountKey(userId), 'account');
    },

    /** Account user ids of persons that have one. */
    async accountsOf(personIds: string[]): Promise<Map<string, string>> {
      const rows = await db.query<{ person_id: string; key: string }>(
        `SELECT person_id, key FROM person_identifiers WHERE kind = 'account' AND person_id = ANY($1)`,
        [personIds],
      );
      return new Map(rows.map((r) => [r.person_id, r.key.slice('account:'.length)]));
    },

    /** Identifiers, the links that formed the person (and those undone), merges and splits. */
    async explain(personId: string) {
      const person = await db.one('SELECT id, created_at, merged_into FROM persons WHERE id = $1 AND erased_at IS NULL', [personId]);
      if (!person) throw notFound('person');
      const identifiers = await db.query('SELECT key, kind, source, first_seen_at FROM person_identifiers WHERE person_id = $1 ORDER BY first_seen_at, key', [personId]);
      const keys = identifiers.map((i) => i.key);
      const links = await db.query('SELECT * FROM identity_links WHERE a_key = ANY($1) OR b_key = ANY($1) ORDER BY created_at', [keys]);
      const history = await db.query(
        'SELECT kind, link_id, person_id, other_person_id, at FROM person_history WHERE person_id = $1 OR other_person_id = $1 ORDER BY at',
        [personId],
      );
      return {
        id: person.id as string,
        createdAt: person.created_at as Date,
        ...(person.merged_into ? { mergedInto: person.merged_into as string } : {}),
        identifiers: identifiers.map((i) => ({ key: i.key as string, kind: i.kind as string, display: displayOf(i.key), source: i.source as string, firstSeenAt: i.first_seen_at as Date })),
        links: links.map(linkOf),
        history: history.map((h) => ({ kind: h.kind as 'merge' | 'split', linkId: h.link_id as string, otherPersonId: (h.person_id === personId ? h.other_person_id : h.person_id) as string, at: h.at as Date })),
      };
    },

    /** People matching an identifier value, a person id or an account id; newest first. */
    async find(q: string, limit: number, offset: number) {
      const where = q ? `WHERE i.key = $3 OR i.person_id = $3 OR i.key LIKE '%:' || $4 || '%'` : '';
      const rows = await db.query<{ person_id: string; total: number }>(
        `SELECT i.person_id, count(*) OVER () AS total FROM person_identifiers i JOIN persons p ON p.id = i.person_id
          ${where} GROUP BY i.person_id, p.created_at ORDER BY p.created_at DESC LIMIT $1 OFFSET $2`,
        q ? [limit, offset, q, q.replace(/[%_\\]/g, (c) => `\\${c}`)] : [limit, offset],
      );
      return { personIds: rows.map((r) => r.person_id), total: rows[0]?.total ?? 0 };
    },

    async identifierCounts(personIds: string[]): Promise<Map<string, number>> {
      const rows = await db.query<{ person_id: string; n: number }>('SELECT person_id, count(*) AS n FROM person_identifiers WHERE person_id = ANY($1) GROUP BY person_id', [personIds]);
      return new Map(rows.map((r) => [r.person_id, r.n]));
    },

    /** Records the basis on which a partner source may send data: its name, the purposes and the consent text. */
    async recordSourceConsent(sql: Sql, input: { source: string; purposes: string[]; basis: string; noticeVersion: string }, by: string) {
      const id = newId('scn');
      await sql.query('INSERT INTO source_consents (id, source, purposes, basis, notice_version, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)', [
        id, input.source, input.purposes, input.basis, input.noticeVersion, by,
      ]);
      return (await sourceConsents(sql, id))[0];
    },

    sourceConsents: (id?: string) => sourceConsents(db, id),

    async revokeSourceConsent(sql: Sql, id: string) {
      const rows = await sql.query('UPDATE source_consents SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id', [id]);
      if (!rows.length) throw notFound('source consent');
    },

    async recordImport(sql: Sql, input: { id: string; source: string; consentId: string; by: string; summary: object }) {
      await sql.query('INSERT INTO partner_imports (id, source, consent_id, imported_by, summary) VALUES ($1, $2, $3, $4, $5::jsonb)', [
        input.id, input.source, input.consentId, input.by, JSON.stringify(input.summary),
      ]);
    },

    /** Removes a person's identifiers and the links that named them (erasure). */
    async erase(sql: Sql, personId: string): Promise<{ identifiers: number; links: number }> {
      const keys = (await sql.query<{ key: string }>('DELETE FROM person_identifiers WHERE person_id = $1 RETURNING key', [personId])).map((r) => r.key);
      const links = await sql.query('DELETE FROM identity_links WHERE a_key = ANY($1) OR b_key = ANY($1) RETURNING id', [keys]);
      await sql.query('UPDATE persons SET erased_at = now() WHERE id = $1 OR merged_into = $1', [personId]);
      return { identifiers: keys.length, links: links.length };
    },
  };
}

async function sourceConsents(sql: Sql, id?: string) {
  const rows = await sql.query(`SELECT * FROM source_consents ${id ? 'WHERE id = $1' : ''} ORDER BY recorded_at DESC`, id ? [id] : []);
  return rows.map((r) => ({
    id: r.id as string, source: r.source as string, purposes: r.purposes as string[], basis: r.basis as string, noticeVersion: r.notice_version as string,
    recordedBy: r.recorded_by as string, recordedAt: (r.recorded_at as Date).toISOString(), revokedAt: r.revoked_at ? (r.revoked_at as Date).toISOString() : null,
  }));
}

export type PeopleService = ReturnType<typeof createPeopleService>;
