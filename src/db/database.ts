import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

export type Row = Record<string, any>;

/** What module code sees: run a statement, get rows. Same API inside and outside a transaction. */
export interface Sql {
  query<T = Row>(text: string, params?: unknown[]): Promise<T[]>;
  one<T = Row>(text: string, params?: unknown[]): Promise<T | undefined>;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  databaseUrl?: string;
  /** PGlite data folder; omitted means in memory. */
  dataDir?: string;
  /** Postgres schema to use (created if missing); lets test files share one server. */
  schema?: string;
  poolSize?: number;
  /** PGlite only: start from this dumped data folder instead of running initdb. */
  loadDataDir?: Blob;
}

// int8 (counts, money sums) comes back as a JS number: fen totals stay far below 2^53.
const INT8 = 20;
pg.types.setTypeParser(INT8, (v: string) => Number(v));

export async function connect(options: ConnectOptions): Promise<Database> {
  return options.databaseUrl ? connectPostgres(options) : connectPglite(options);
}

function withOne(query: Sql['query']): Sql {
  return { query, one: async (text, params) => (await query(text, params))[0] as any };
}

/**
 * Parameterised statements go to PostgreSQL as named prepared statements, so each
 * connection parses and plans a statement once instead of on every call; about a third
 * of the server's CPU per checkout went to parsing and planning before this.
 */
const statementNames = new Map<string, string>();
function prepared(text: string, params?: unknown[]): pg.QueryConfig {
  if (!params?.length) return { text };
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `q_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
  return { name, text, values: params as any[] };
}

async function connectPostgres(options: ConnectOptions): Promise<Database> {
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: options.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await admin.end();
  }
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 16,
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  const query = async (text: string, params?: unknown[]) => (await pool.query(prepared(text, params))).rows;
  return {
    kind: 'postgres',
    ...withOne(query),
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(withOne(async (text, params) => (await client.query(prepared(text, params))).rows));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function connectPglite(options: ConnectOptions): Promise<Database> {
  if (options.dataDir) fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const db = new PGlite(options.dataDir, { parsers: { [INT8]: (v: string) => Number(v) }, loadDataDir: options.loadDataDir });
  await db.waitReady;
  const query = async (text: string, params?: unknown[]) => (await db.query<Row>(text, params as any[])).rows as any[];
  return {
    kind: 'pglite',
    ...withOne(query),
    // PGlite has one connection: its transaction() queues every other query until this one ends.
    tx: (fn) => db.transaction((tx) => fn(withOne(async (text, params) => (await tx.query<Row>(text, params as any[])).rows as any[]))),
    close: () => db.close(),
    dump: () => db.dumpDataDir('none'),
  } as Database & { dump(): Promise<Blob> };
}
