import type { Database, Sql } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import { notFound } from '../../shared/problems.ts';
import { FEATURES, type Weights } from './ranking.ts';

export interface Policy {
  id: string;
  name: string;
  version: number;
  weights: Weights;
  note: string;
  createdBy: string;
  createdAt: string;
  live: boolean;
}

/** The policies a new marketplace starts with; the first is live. */
export const DEFAULT_POLICIES: { name: string; note: string; weights: Weights }[] = [
  { name: 'gmv', note: 'GMV allocation (UV × conversion × price), as Taobao since 2024', weights: { text: 1, gmv: 0.35, conversion: 0.25, pricePower: 0, service: 0.1, newness: 0.05, personal: 0.2 } },
  { name: 'price_power', note: 'Five-star price power: cheaper than the category median ranks higher', weights: { text: 1, gmv: 0.1, conversion: 0.1, pricePower: 0.45, service: 0.1, newness: 0.05, personal: 0.2 } },
  { name: 'conversion', note: 'Conversion first, as Pinduoduo', weights: { text: 1, gmv: 0.1, conversion: 0.5, pricePower: 0.1, service: 0.05, newness: 0.05, personal: 0.2 } },
  { name: 'relevance', note: 'Text relevance only', weights: { text: 1, gmv: 0, conversion: 0, pricePower: 0, service: 0, newness: 0, personal: 0 } },
];

export function createPolicyStore(db: Database) {
  const view = (r: any, liveId: string | undefined): Policy => ({
    id: r.id, name: r.name, version: r.version, weights: { ...zeroWeights(), ...r.weights }, note: r.note,
    createdBy: r.created_by, createdAt: r.created_at.toISOString(), live: r.id === liveId,
  });
  const liveId = async (sql: Sql) => (await sql.one<{ policy_id: string }>('SELECT policy_id FROM search_live_policy'))?.policy_id;

  async function addVersion(sql: Sql, input: { name: string; weights: Weights; note?: string }, actorId: string) {
    const next = await sql.one<{ v: number }>('SELECT coalesce(max(version), 0) + 1 AS v FROM search_policies WHERE name = $1', [input.name]);
    const id = newId('pol');
    await sql.query('INSERT INTO search_policies (id, name, version, weights, note, created_by) VALUES ($1, $2, $3, $4::jsonb, $5, $6)', [
      id, input.name, next!.v, JSON.stringify(input.weights), input.note ?? '', actorId,
    ]);
    return id;
  }

  return {
    async ensureDefaults() {
      await db.tx(async (sql) => {
        if (await sql.one('SELECT 1 FROM search_policies LIMIT 1')) return;
        const ids = [];
        for (const p of DEFAULT_POLICIES) ids.push(await addVersion(sql, p, 'system'));
        await sql.query('INSERT INTO search_live_policy (policy_id, switched_by) VALUES ($1, $2)', [ids[0], 'system']);
      });
    },

    /** The latest version of each policy name, plus every version that is or was live. */
    async list(): Promise<Policy[]> {
      const live = await liveId(db);
      const rows = await db.query('SELECT * FROM search_policies ORDER BY name, version DESC');
      return rows.map((r) => view(r, live));
    },

    async get(sql: Sql, id: string): Promise<Policy> {
      const row = await sql.one('SELECT * FROM search_policies WHERE id = $1', [id]);
      if (!row) throw notFound('policy');
      return view(row, await liveId(sql));
    },

    async live(): Promise<Policy | undefined> {
      const id = await liveId(db);
      return id ? this.get(db, id) : undefined;
    },

    addVersion,

    async switchLive(sql: Sql, policyId: string, actorId: string) {
      await this.get(sql, policyId);
      await sql.query('UPDATE search_live_policy SET policy_id = $1, switched_by = $2, switched_at = now()', [policyId, actorId]);
    },
  };
}

export const zeroWeights = (): Weights => Object.fromEntries(FEATURES.map((f) => [f, 0])) as Weights;

export type PolicyStore = ReturnType<typeof createPolicyStore>;
