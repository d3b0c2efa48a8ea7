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
import { evalReco } from '../modules/recommend/offline/eval-reco.ts';
import type { DataFormat } from '../modules/recommend/offline/load.ts';

const USAGE = `quanyu <command>

  import-behavior --format taobao FILE
      Load the Taobao UserBehavior CSV (user,item,category,behaviour,time) as people,
      items and events, and build their profiles.
  import-partner --source NAME --consent ID FILE
      Load a partner's identities and events (JSON Lines) under a recorded source consent.
  eval-reco --data FILE [--k 10,20] [--format beauty|taobao|taobao-conversion] [--stage test|validation]
      Offline evaluation of the recommendation engine, leave-one-out with full ranking.
      FILE holds one user per line, "user item item ..." in time order (Amazon review
      benchmarks), or Taobao UserBehavior CSV. Prints one JSON line. No database needed.
  train-reco
      Train a recommendation model from the behaviour in the database and make it active.

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
  const { values, positionals } = parseArgs({
    args: rest, allowPositionals: true,
    options: { format: { type: 'string' }, source: { type: 'string' }, consent: { type: 'string' }, data: { type: 'string' }, k: { type: 'string' }, stage: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (command === 'eval-reco') return evalRecoCommand(values);
  if (command === 'train-reco') return trainRecoCommand();
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

function evalRecoCommand(values: { data?: string; k?: string; format?: string; stage?: string }) {
  const fail = (message: string) => (console.error(`eval-reco: ${message}\n\n${USAGE}`), 2);
  if (!values.data) return fail('--data FILE is required');
  if (!fs.existsSync(values.data)) return fail(`no such file: ${values.data}`);
  const format = values.format ?? (values.data.toLowerCase().endsWith('.csv') ? 'taobao' : 'beauty');
  if (!['beauty', 'taobao', 'taobao-conversion'].includes(format)) return fail(`unknown --format ${format}`);
  const stage = values.stage ?? 'test';
  if (stage !== 'test' && stage !== 'validation') return fail('--stage is test or validation');
  const cutoffs = (values.k ?? '10,20').split(',').map(Number);
  if (!cutoffs.length || cutoffs.some((k) => !Number.isInteger(k) || k < 1 || k > 1000)) return fail(`--k takes whole numbers from 1 to 1000, e.g. 10,20 (got ${values.k})`);
  const { result, malformed } = evalReco({ file: values.data, format: format as DataFormat, cutoffs, stage });
  if (malformed.malformedLines) console.error(`skipped ${malformed.malformedLines} malformed line(s), first at line(s) ${malformed.firstMalformedLines.join(', ')}`);
  if (!result.users) return fail('no user has the 3 items leave-one-out needs');
  console.log(JSON.stringify(result));
  return 0;
}

async function trainRecoCommand() {
  const { db, services } = await openServices();
  await services.search.start({ background: false });
  const bar = progressBar('training');
  const { version, stats } = await services.recommend.train('cli', (done, stage) => bar.update(done, stage));
  bar.done();
  console.log(`Model version ${version} is active: ${JSON.stringify(stats)}`);
  await db.close();
  return 0;
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
