import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createServices, MODULES } from '../app.ts';
import { loadConfig } from '../config.ts';
import { connect } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { importTaobaoBehavior } from '../modules/tracking/import-taobao.ts';
import { importPartner } from '../modules/people/import-partner.ts';
import { progressBar } from './progress.ts';

const USAGE = `quanyu <command>

  import-behavior --format taobao FILE
      Load the Taobao UserBehavior CSV (user,item,category,behaviour,time) as people,
      items and events, and build their profiles.
  import-partner --source NAME --consent ID FILE
      Load a partner's identities and events (JSON Lines) under a recorded source consent.

Uses the same database as the server: DATABASE_URL, or PGlite in QUANYU_DATA_DIR (./data).
Stop a PGlite server first: one process at a time owns its data folder.`;

async function openServices() {
  const config = loadConfig();
  if (!config.databaseUrl) fs.mkdirSync(config.dataDir, { recursive: true });
  const db = await connect({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite') });
  await migrate(db, MODULES);
  const { services } = createServices(db, config, () => config.publicUrl ?? `http://127.0.0.1:${config.port}`);
  return { db, services };
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { format: { type: 'string' }, source: { type: 'string' }, consent: { type: 'string' }, help: { type: 'boolean' } } });
  const file = positionals[0];
  if (values.help || !command || !file || !fs.existsSync(file)) {
    console.error(file && !fs.existsSync(file) ? `no such file: ${file}\n\n${USAGE}` : USAGE);
    return 2;
  }
  if (command === 'import-behavior') {
    if (values.format !== 'taobao') {
      console.error('only --format taobao is supported');
      return 2;
    }
    const { db, services } = await openServices();
    const bar = progressBar('importing');
    const summary = await importTaobaoBehavior(db, services, file, ({ bytes, totalBytes, rows }) => bar.update(bytes / totalBytes, `${rows.toLocaleString()} rows`));
    bar.done();
    console.log(formatTaobaoSummary(summary));
    await db.close();
    return 0;
  }
  if (command === 'import-partner') {
    if (!values.source || !values.consent) {
      console.error('--source and --consent are required');
      return 2;
    }
    const { db, services } = await openServices();
    const summary = await importPartner(db, services, { source: values.source, consentId: values.consent, text: fs.readFileSync(file, 'utf8'), actorId: 'cli' });
    console.log(JSON.stringify(summary, null, 2));
    await db.close();
    return 0;
  }
  console.error(USAGE);
  return 2;
}

function formatTaobaoSummary(s: Awaited<ReturnType<typeof importTaobaoBehavior>>) {
  const types = Object.entries(s.byType).map(([t, n]) => `${t} ${n.toLocaleString()}`).join(', ');
  return [
    `Imported ${s.file} in ${s.seconds} s`,
    `  rows ${s.rows.toLocaleString()}, events ${s.events.toLocaleString()} (${types})`,
    `  people ${s.persons.toLocaleString()} with profiles, items ${s.items.toLocaleString()}, categories ${s.categories.toLocaleString()}`,
    `  rejected ${s.rejectedCount}${s.rejected.length ? ': ' + s.rejected.slice(0, 5).map((r) => `line ${r.line} (${r.reason})`).join('; ') : ''}`,
  ].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error?.code && error?.message ? `${error.code}: ${error.message}` : error);
    process.exit(1);
  },
);
