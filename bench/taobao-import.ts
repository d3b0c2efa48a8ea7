/**
 * The Taobao UserBehavior file through the real command, `quanyu import-behavior --format
 * taobao`, into a fresh PGlite data dir and a fresh PostgreSQL schema: wall time of the whole
 * command (start, migrations, import, profiles), then a check of what landed.
 *
 *   node --import tsx bench/taobao-import.ts [--db pglite|postgres|both] [--file PATH]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchDatabase, dbList, ROOT, round } from './support.ts';

const { values: opts } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    file: { type: 'string', default: path.join(ROOT, '..', 'shared', 'data', 'taobao-userbehavior', 'UserBehavior.csv') },
  },
});

for (const db of dbList(opts.db!)) {
  const target = benchDatabase(db);
  const started = performance.now();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'quanyu.js'), 'import-behavior', '--format', 'taobao', opts.file!], {
    env: { ...process.env, ...target.env }, encoding: 'utf8',
  });
  const wallSeconds = round((performance.now() - started) / 1000);
  if (run.status !== 0) throw new Error(`[${db}] import failed: ${run.stderr}`);
  const importSeconds = Number(/in ([\d.]+) s/.exec(run.stdout)?.[1]);
  const direct = await target.open();
  const [events] = await direct.query('SELECT count(*)::int AS n FROM behavior_events');
  const [profiles] = await direct.query(`SELECT count(*)::int AS n, sum(events)::int AS events FROM profiles`);
  await direct.close();
  await target.drop();
  console.log(JSON.stringify({
    bench: 'events', db, scenario: 'taobao-import', file: path.basename(opts.file!), wallSeconds, importSeconds,
    events: events.n, profiles: profiles.n, eventsInProfiles: profiles.events, eventsPerSecond: Math.round(events.n / importSeconds),
  }));
}
