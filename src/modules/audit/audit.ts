import type { Database, Sql } from '../../db/database.ts';
import type { Page } from '../../http/schemas.ts';

/** Every operator action is recorded: who, what, to what, with which details. */
export function createAudit(db: Database) {
  return {
    async record(sql: Sql, actorId: string, action: string, target: string, details: Record<string, unknown> = {}) {
      await sql.query('INSERT INTO audit_log (actor_id, action, target, details) VALUES ($1, $2, $3, $4::jsonb)', [
        actorId,
        action,
        target,
        JSON.stringify(details),
      ]);
    },
    async list({ page, pageSize }: Page) {
      const rows = await db.query(
        `SELECT id, actor_id, action, target, details, at, count(*) OVER () AS total FROM audit_log ORDER BY id DESC LIMIT $1 OFFSET $2`,
        [pageSize, (page - 1) * pageSize],
      );
      return {
        items: rows.map((r) => ({ id: String(r.id), actorId: r.actor_id, action: r.action, target: r.target, details: r.details, at: r.at.toISOString() })),
        total: rows[0]?.total ?? 0,
        page,
        pageSize,
      };
    },
  };
}

export type Audit = ReturnType<typeof createAudit>;
