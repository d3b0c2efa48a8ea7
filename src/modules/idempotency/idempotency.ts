import { createHash } from 'node:crypto';
import type { Database, Sql } from '../../db/database.ts';
import { Problem } from '../../shared/problems.ts';

export interface StoredAnswer {
  statusCode: number;
  body: unknown;
}

/**
 * Runs a money- or order-creating action at most once per (caller, Idempotency-Key).
 * The key row is inserted first, in the same transaction as the action: a retry after
 * the first answer committed conflicts at once and replays it; a concurrent retry waits
 * on the uncommitted row, then does the same. A failed action stores nothing.
 */
export function createIdempotency(db: Database) {
  const hashOf = (route: string, body: unknown) => createHash('sha256').update(route).update(JSON.stringify(body ?? null)).digest('hex');

  async function replay(sql: Sql, ownerId: string, key: string, requestHash: string): Promise<StoredAnswer | undefined> {
    const row = await sql.one<{ request_hash: string; status_code: number; response: unknown }>(
      'SELECT request_hash, status_code, response FROM idempotency_keys WHERE owner_id = $1 AND key = $2',
      [ownerId, key],
    );
    if (!row) return undefined;
    if (row.request_hash !== requestHash)
      throw new Problem(409, 'idempotency_key_reused', 'this Idempotency-Key was used with a different request');
    return { statusCode: row.status_code, body: row.response };
  }

  return {
    async run(
      opts: { ownerId: string; key: string | undefined; route: string; body: unknown },
      action: (sql: Sql) => Promise<StoredAnswer>,
    ): Promise<StoredAnswer & { replayed: boolean }> {
      if (!opts.key) return { ...(await db.tx(action)), replayed: false };
      const requestHash = hashOf(opts.route, opts.body);
      try {
        return await db.tx(async (sql) => {
          const claimed = await sql.query(
            `INSERT INTO idempotency_keys (owner_id, key, route, request_hash, status_code, response)
             VALUES ($1, $2, $3, $4, 0, 'null') ON CONFLICT DO NOTHING RETURNING 1`,
            [opts.ownerId, opts.key, opts.route, requestHash],
          );
          if (!claimed.length) throw new KeyTaken();
          const answer = await action(sql);
          await sql.query('UPDATE idempotency_keys SET status_code = $3, response = $4::jsonb WHERE owner_id = $1 AND key = $2', [
            opts.ownerId,
            opts.key,
            answer.statusCode,
            JSON.stringify(answer.body),
          ]);
          return { ...answer, replayed: false };
        });
      } catch (error) {
        if (!(error instanceof KeyTaken)) throw error;
        const committed = await replay(db, opts.ownerId, opts.key, requestHash);
        if (!committed) throw new Problem(409, 'idempotency_key_in_use', 'a request with this Idempotency-Key is still running');
        return { ...committed, replayed: true };
      }
    },
  };
}

class KeyTaken extends Error {}

export type Idempotency = ReturnType<typeof createIdempotency>;
