import type { Sql } from '../db/database.ts';

/**
 * A table read kept in memory for reads on every request's path (rules on every quote, live
 * rooms on every feed). A cold snapshot loads through the caller's connection (inside a
 * checkout's transaction on PGlite's single connection, the pool would wait for that
 * transaction); a stale one answers at once and refreshes behind. `invalidate` after a
 * committed write makes the next read on this node wait for fresh data; other nodes see the
 * write within `maxAgeMs` plus one load.
 */
export function createSnapshot<T>(options: { name: string; maxAgeMs: number; db: Sql; load: (sql: Sql) => Promise<T> }) {
  let current: { loadedAt: number; value: T } | undefined;
  let loading: Promise<T> | undefined;
  let generation = 0;

  function reload(sql: Sql): Promise<T> {
    const started = generation;
    return (loading ??= options
      .load(sql)
      .then((value) => {
        // A load that began before an invalidation may miss the write: it answers its callers but is not kept.
        if (started === generation) current = { loadedAt: Date.now(), value };
        return value;
      })
      .finally(() => (loading = undefined)));
  }

  return {
    async get(sql: Sql = options.db): Promise<T> {
      if (!current) return reload(sql);
      if (Date.now() - current.loadedAt > options.maxAgeMs) reload(options.db).catch((e) => console.error(`${options.name} reload failed`, e));
      return current.value;
    },

    invalidate() {
      generation++;
      current = undefined;
      loading = undefined;
    },
  };
}
