import type { Database, Sql } from '../../db/database.ts';

export type EventHandler = (payload: any, topic: string) => Promise<void> | void;

/**
 * Domain events go into the outbox table inside the transaction that caused them;
 * the dispatcher hands committed events to in-process subscribers afterwards.
 */
export function createOutbox(db: Database) {
  const handlers = new Map<string, EventHandler[]>();
  let dispatching: Promise<number> | undefined;

  /**
   * Claims a batch (marks it published) in one short transaction, then hands it to the
   * in-process subscribers after commit, so a handler may use the database freely.
   * In-process subscribers are projections rebuilt from the database at start, so
   * a crash between claim and delivery loses nothing that matters.
   */
  async function dispatchBatch(limit = 200): Promise<number> {
    const rows = await db.tx((sql) =>
      // SKIP LOCKED lets several nodes drain the outbox without handing an event out twice.
      sql.query<{ id: number; topic: string; payload: unknown }>(
        `UPDATE outbox SET published_at = now() WHERE id IN (
           SELECT id FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, topic, payload`,
        [limit],
      ),
    );
    rows.sort((a, b) => a.id - b.id);
    for (const row of rows) {
      for (const handler of [...(handlers.get(row.topic) ?? []), ...(handlers.get('*') ?? [])]) {
        try {
          await handler(row.payload, row.topic);
        } catch (error) {
          console.error(`outbox handler for ${row.topic} failed`, error);
        }
      }
    }
    return rows.length;
  }

  return {
    async emit(sql: Sql, topic: string, payload: Record<string, unknown>) {
      await sql.query('INSERT INTO outbox (topic, payload) VALUES ($1, $2::jsonb)', [topic, JSON.stringify(payload)]);
    },
    subscribe(topic: string, handler: EventHandler) {
      handlers.set(topic, [...(handlers.get(topic) ?? []), handler]);
    },
    /** Delivers every pending event; concurrent calls share one run. */
    async dispatchPending(): Promise<number> {
      if (dispatching) return dispatching;
      dispatching = (async () => {
        let total = 0;
        for (let n = await dispatchBatch(); n > 0; n = await dispatchBatch()) total += n;
        return total;
      })().finally(() => (dispatching = undefined));
      return dispatching;
    },
    async recent(topic: string, limit = 50) {
      return db.query<{ id: number; topic: string; payload: any; created_at: Date }>(
        'SELECT id, topic, payload, created_at FROM outbox WHERE topic = $1 ORDER BY id DESC LIMIT $2',
        [topic, limit],
      );
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
