/**
 * The recommendation benchmark's server process: the real app on the database the
 * environment names, with a synthetic marketplace loaded (behaviour, people and profiles in
 * the database through the modules' own services; the catalogue straight into this node's
 * in-memory product index, where the feed reads it), a model trained by the real training
 * job, then feed calls timed in process. Prints JSON lines; the last says where it listens.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { StoredEvent } from '../../src/modules/tracking/service.ts';
import { machineTicks, stealPctSince } from '../support.ts';
import { buildWorld } from './world.ts';

const { values: opts } = parseArgs({ options: { items: { type: 'string', default: '100000' }, people: { type: 'string', default: '10000' }, calls: { type: 'string', default: '2000' } } });
const out = (line: Record<string, unknown>) => console.log(JSON.stringify(line));
const quantile = (sorted: number[], q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 100) / 100;

const config = { ...loadConfig(), port: 0, host: '127.0.0.1', demo: false };
const app = await createApp(config, { jobs: false });
const { services, db } = app.context;
const started = Date.now();
const world = buildWorld(Number(opts.items), Number(opts.people));
for (const doc of world.docs) services.search.engine.upsert(doc);

// Behaviour: each person is a device that browsed its history over the last 30 days.
const devices = world.histories.map((_, i) => `bench-device-${String(i).padStart(6, '0')}`);
const medians = await services.tracking.categoryMedians();
for (let from = 0; from < devices.length; from += 500) {
  const chunk = devices.slice(from, from + 500);
  await db.tx(async (sql) => {
    const persons = await services.people.personsFor(sql, chunk.map((d) => `device:${d}`), 'web');
    const events: StoredEvent[] = [];
    for (const [k, device] of chunk.entries()) {
      const history = world.histories[from + k];
      const mine = history.map((item, step): StoredEvent => {
        const doc = world.docs[item];
        return { subject: `device:${device}`, type: step % 9 === 8 ? 'cart' : 'view', source: 'web', productId: doc.id, category: doc.category, brand: doc.brand, price: doc.price, at: new Date(Date.now() - (history.length - step) * 3_600_000) };
      });
      events.push(...mine);
      await services.profiles.apply(sql, persons.get(`device:${device}`)!, services.tracking.toProfileEvents(mine, medians));
    }
    await services.tracking.insert(sql, events);
  });
}
const interactions = world.histories.reduce((n, h) => n + h.length, 0);
out({ bench: 'reco', scenario: 'setup', items: world.docs.length, people: devices.length, interactions, seconds: Math.round((Date.now() - started) / 100) / 10 });

const training = await services.recommend.train('bench');
out({ bench: 'reco', scenario: 'training', ...training.stats, version: training.version });
// Steady state, as a running marketplace is: statistics and visibility maps current after the bulk load.
await db.query('VACUUM ANALYZE');

// In process: the service call the route makes, for people picked at random (with a warm-up).
const pick = () => devices[Math.floor(Math.random() * devices.length)];
for (let i = 0; i < 200; i++) await services.recommend.feed({ deviceId: pick() }, 20);
for (const [surface, call] of [
  ['feed', () => services.recommend.feed({ deviceId: pick() }, 20)],
  ['similar', () => services.recommend.similar(world.docs[world.histories[Math.floor(Math.random() * devices.length)][0]].id, 12)],
] as const) {
  const times: number[] = [];
  const pauses: number[] = [];
  const gc = new PerformanceObserver((list) => pauses.push(...list.getEntries().map((e) => e.duration)));
  gc.observe({ entryTypes: ['gc'] });
  let empty = 0;
  const ticks = machineTicks();
  for (let i = 0; i < Number(opts.calls); i++) {
    const t = performance.now();
    const answer = await call();
    times.push(performance.now() - t);
    if (!answer.items.length) empty++;
  }
  await new Promise((r) => setImmediate(r)); // the observer hears of the last collections
  gc.disconnect();
  times.sort((a, b) => a - b);
  const gcPauses = { count: pauses.length, totalMs: Math.round(pauses.reduce((a, b) => a + b, 0)), maxMs: Math.round(Math.max(0, ...pauses) * 10) / 10 };
  out({ bench: 'reco', scenario: 'in-process', surface, calls: times.length, p50ms: quantile(times, 0.5), p99ms: quantile(times, 0.99), maxMs: quantile(times, 1), emptyAnswers: empty, gcPauses, stealPct: stealPctSince(ticks) });
}

const url = await app.listen();
out({ ready: true, url, devices: devices.length, products: world.docs.slice(0, 2000).map((d) => d.id) });
process.on('SIGINT', async () => {
  await app.close();
  process.exit(0);
});
