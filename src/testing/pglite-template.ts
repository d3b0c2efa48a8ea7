import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { MODULES } from '../app.ts';

const MODULES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'modules');

/**
 * A fresh in-memory PGlite for a test file. PGlite's initdb takes ~8 s here; loading a
 * dumped, already-migrated data folder takes ~1.5 s, so the first file makes the dump
 * (keyed by the migrations' text) and the others start from it.
 */
export async function freshPglite(): Promise<Database> {
  const file = path.join(os.tmpdir(), `quanyu-pglite-template-${migrationsHash()}.tar`);
  if (fs.existsSync(file)) return connect({ loadDataDir: new Blob([fs.readFileSync(file)]) });
  const db = (await connect({})) as Database & { dump(): Promise<Blob> };
  await migrate(db, MODULES);
  const dump = Buffer.from(await (await db.dump()).arrayBuffer());
  const partial = `${file}.${process.pid}`;
  fs.writeFileSync(partial, dump);
  fs.renameSync(partial, file);
  return db;
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const module of MODULES) {
    const dir = path.join(MODULES_DIR, module, 'migrations');
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) hash.update(name).update(fs.readFileSync(path.join(dir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}
