import v8 from 'node:v8';
import type { Database } from '../../db/database.ts';
import { notFound, Problem } from '../../shared/problems.ts';
import type { EngineState } from './engine/model.ts';
import type { CsrMatrix } from './engine/sparse.ts';

/** A trained model as stored and loaded: the engine plus what the surfaces need beside it. */
export interface ModelData {
  itemIds: string[];
  engine: EngineState;
  /** Products bought in the same order, weighted by how often. */
  boughtTogether: CsrMatrix;
  /** Per crowd, the items its members interact with most, best first. */
  crowdItems: Record<string, Int32Array>;
}

export interface ModelRow {
  version: number;
  status: 'training' | 'ready' | 'failed';
  trigger: string;
  progress: number;
  stage: string;
  stats: Record<string, unknown>;
  error: string | null;
  active: boolean;
  startedAt: string;
  finishedAt: string | null;
  activatedAt: string | null;
}

const COLUMNS = 'version, status, trigger, progress, stage, stats, error, active, started_at, finished_at, activated_at';
const toRow = (r: any): ModelRow => ({
  version: r.version, status: r.status, trigger: r.trigger, progress: r.progress, stage: r.stage, stats: r.stats, error: r.error, active: r.active,
  startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null, activatedAt: r.activated_at?.toISOString() ?? null,
});

/** Model versions in PostgreSQL: every node loads the active one; older ones stay for switching back. */
export function createModelStore(db: Database) {
  return {
    async begin(trigger: string, settings: unknown): Promise<number> {
      return (await db.one<{ version: number }>(`INSERT INTO reco_models (status, trigger, settings) VALUES ('training', $1, $2) RETURNING version`, [trigger, JSON.stringify(settings)]))!.version;
    },

    async progress(version: number, progress: number, stage: string) {
      await db.query('UPDATE reco_models SET progress = $2, stage = $3 WHERE version = $1', [version, progress, stage]);
    },

    async finish(version: number, data: ModelData, stats: Record<string, unknown>) {
      await db.query(`UPDATE reco_models SET status = 'ready', progress = 1, stage = 'done', data = $2, stats = $3, finished_at = now() WHERE version = $1`, [version, v8.serialize(data), JSON.stringify(stats)]);
    },

    async fail(version: number, error: string) {
      await db.query(`UPDATE reco_models SET status = 'failed', error = $2, finished_at = now() WHERE version = $1`, [version, error.slice(0, 2000)]);
    },

    /** Makes a ready version the one every node serves. */
    async activate(version: number) {
      await db.tx(async (sql) => {
        const row = await sql.one<{ status: string }>('SELECT status FROM reco_models WHERE version = $1 FOR UPDATE', [version]);
        if (!row) throw notFound('model');
        if (row.status !== 'ready') throw new Problem(409, 'model_not_ready', `version ${version} is ${row.status}; only a trained model can serve`);
        await sql.query('UPDATE reco_models SET active = false WHERE active');
        await sql.query('UPDATE reco_models SET active = true, activated_at = now() WHERE version = $1', [version]);
      });
    },

    async list(limit = 20): Promise<ModelRow[]> {
      return (await db.query(`SELECT ${COLUMNS} FROM reco_models ORDER BY version DESC LIMIT $1`, [limit])).map(toRow);
    },

    async find(version: number): Promise<ModelRow | undefined> {
      const row = await db.one(`SELECT ${COLUMNS} FROM reco_models WHERE version = $1`, [version]);
      return row && toRow(row);
    },

    async activeVersion(): Promise<number | undefined> {
      return (await db.one<{ version: number }>('SELECT version FROM reco_models WHERE active'))?.version;
    },

    async load(version: number): Promise<ModelData> {
      const row = await db.one<{ data: Uint8Array }>('SELECT data FROM reco_models WHERE version = $1', [version]);
      if (!row?.data) throw notFound('model');
      return v8.deserialize(row.data) as ModelData;
    },

    /** Training that a stopped process left behind is marked failed, so it does not show as running forever. */
    async failAbandoned(olderThanMinutes: number) {
      await db.query(`UPDATE reco_models SET status = 'failed', error = 'abandoned: the process training it stopped' WHERE status = 'training' AND started_at < now() - make_interval(mins => $1)`, [olderThanMinutes]);
    },
  };
}

export type ModelStore = ReturnType<typeof createModelStore>;
