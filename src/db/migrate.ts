import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const MODULES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'modules');

/**
 * Applies each module's migrations/NNN_*.sql once, in module order then file order.
 * Modules own their tables, so each keeps its own migrations beside its code.
 */
export async function migrate(db: Database, moduleOrder: readonly string[]): Promise<string[]> {
  const applied: string[] = [];
  await db.tx(async (sql) => {
    // One migrator at a time when several nodes start together.
    await sql.query('SELECT pg_advisory_xact_lock(72617001)');
    await sql.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await sql.query<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id));
    for (const module of moduleOrder) {
      for (const file of migrationFiles(module)) {
        const id = `${module}/${file}`;
        if (done.has(id)) continue;
        const text = fs.readFileSync(path.join(MODULES_DIR, module, 'migrations', file), 'utf8');
        for (const statement of splitStatements(text)) await sql.query(statement);
        await sql.query('INSERT INTO schema_migrations (id) VALUES ($1)', [id]);
        applied.push(id);
      }
    }
  });
  return applied;
}

function migrationFiles(module: string): string[] {
  const dir = path.join(MODULES_DIR, module, 'migrations');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /^\d+_.*\.sql$/.test(f)).sort();
}

/** Our migrations keep one statement per `;` at a line end (no functions with bodies). */
function splitStatements(text: string): string[] {
  return text
    .replace(/--.*$/gm, '')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}
