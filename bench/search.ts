/**
 * Search benchmark (shared BENCHMARKS.md, "Search"): Quanyu's engine, MiniSearch and Orama on the same
 * data and queries, in process. Each engine runs in its own child process (clean heap figures, and a
 * time limit it cannot overrun). Prints one JSON line per (engine, dataset, metric group).
 *
 *   node --expose-gc --import tsx bench/search.ts [--engines quanyu,minisearch,orama] [--docs 200000]
 *     [--cap 1000] [--seconds 10] [--max-queries 50000] [--form-seconds 15] [--timeout 420]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { SearchDocument } from '../src/modules/search/engine/types.ts';
import { loadDataset, prng, shuffle, syntheticCatalogue, dataDir, type Dataset } from './search/dataset.ts';
import { ndcgAt10, percentile, recallAt10, round } from './search/metrics.ts';
import { minisearch, orama, type AdapterFactory, type SearchAdapter } from './search/peers.ts';
import { quanyu } from './search/quanyu.ts';
import { buildQueries, key, pairs, relevantSets, singleTerms, type FormQueries } from './search/queries.ts';

const { values: opts } = parseArgs({
  options: {
    engines: { type: 'string', default: 'quanyu,minisearch,orama' },
    engine: { type: 'string' }, // internal: run one engine in this process
    docs: { type: 'string', default: '200000' },
    cap: { type: 'string', default: '1000' }, // queries per form
    seconds: { type: 'string', default: '10' }, // latency run per dataset
    'max-queries': { type: 'string', default: '50000' }, // latency run per dataset
    'form-seconds': { type: 'string', default: '15' }, // relevance time budget per form
    timeout: { type: 'string', default: '420' }, // per engine, whole run
  },
});
const N = Object.fromEntries(['docs', 'cap', 'seconds', 'max-queries', 'form-seconds', 'timeout'].map((k) => [k, Number(opts[k as keyof typeof opts])]));
const TARGET_FORMS = ['brand_type', 'type_brand', 'brand_type_nospace', 'latin_case', 'pinyin'];
const K = 10;
const out = (line: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'search', ...line }));
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const memMb = () => { gc(); gc(); const m = process.memoryUsage(); return (m.heapUsed + m.external) / 2 ** 20; };
const run = async (a: SearchAdapter, q: string) => { const r = a.search(q, K); return r instanceof Promise ? await r : r; };

const ds = loadDataset();
if (!ds) {
  out({ skipped: true, reason: `no titles_entities.jsonl in ${dataDir()} (set SEARCH_DATA_DIR)` });
  process.exit(0);
}
const allPairs = pairs(ds);
const forms = buildQueries(allPairs, N.cap);

if (!opts.engine) await parent(ds);
else await child(ds, opts.engine);

async function parent(ds: Dataset) {
  if (!(globalThis as { gc?: unknown }).gc) console.error('warning: run with --expose-gc for meaningful memory figures');
  out({
    dataset: ds.dir, realDocs: ds.real.length, distinctTitles: new Set(ds.real.map((d) => d.title)).size, scaleDocs: N.docs,
    pairs: allPairs.length, capPerForm: N.cap,
    forms: Object.fromEntries(forms.map((f) => [f.form, { eligible: f.eligible, queries: f.queries.length }])),
  });
  for (const name of opts.engines!.split(',')) {
    const args = [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--engine', name];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), N.timeout * 1000);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    clearTimeout(timer);
    if (code !== 0) out({ engine: name, error: code === null ? `killed after the ${N.timeout} s limit` : `exit code ${code}` });
  }
}

async function child(ds: Dataset, name: string) {
  const factories: Record<string, AdapterFactory | null> = { minisearch, orama, quanyu: await quanyu() };
  const factory = factories[name];
  if (factory === undefined) throw new Error(`unknown engine ${name}`);
  if (factory === null) return out({ engine: name, skipped: true, reason: 'src/modules/search/engine/engine.ts does not exist yet' });
  const scale = syntheticCatalogue(ds, N.docs);
  const latencyMix = shuffle([
    ...forms.flatMap((f) => f.queries.map((q) => ({ q: q.q, kind: 'pair' }))),
    ...singleTerms(ds, N.cap).map((q) => ({ q, kind: 'single' })),
  ], prng(3));

  const queried = forms.flatMap((f) => f.queries.map((q) => q.pair));
  let adapter: SearchAdapter | null = null;
  for (const docs of [ds.real, scale]) {
    adapter = null; // drop the previous index before building the next one
    adapter = await factory();
    if (docs === ds.real) out({ engine: name, settings: adapter.settings });
    await build(adapter, docs);
    const rel = relevantSets(docs, queried);
    // search-time variants (AND/OR): each is measured; the best on mean recall@10 over the target forms is timed
    let best = { variant: undefined as string | undefined, score: -1 };
    for (const variant of adapter.variants ?? [undefined]) {
      if (variant) adapter.setVariant!(variant);
      const recalls: number[] = [];
      for (const f of forms) {
        const r = await relevance(adapter, docs.length, f, rel, variant);
        if (TARGET_FORMS.includes(f.form)) recalls.push(r);
      }
      const mean = recalls.reduce((a, b) => a + b, 0) / recalls.length;
      if (mean > best.score) best = { variant, score: mean };
    }
    if (best.variant) {
      adapter.setVariant!(best.variant);
      out({ engine: name, docs: docs.length, chosenVariant: best.variant, by: 'best mean recall@10 over the five target forms', meanRecallAt10: round(best.score) });
    }
    await latency(adapter, docs.length, latencyMix, best.variant);
  }
}

async function build(adapter: SearchAdapter, docs: SearchDocument[]) {
  const before = memMb();
  const t0 = performance.now();
  await adapter.build(docs);
  const buildMs = performance.now() - t0;
  out({ engine: adapter.name, docs: docs.length, buildMs: Math.round(buildMs), memoryMb: round(memMb() - before, 1) });
}

/** Mean recall@10 and nDCG@10 of one form; stops early (and says so) past the per-form time budget. */
async function relevance(a: SearchAdapter, docs: number, f: FormQueries, rel: Map<string, Set<string>>, variant?: string) {
  let recall = 0, ndcg = 0, zero = 0, n = 0;
  const missed: string[] = [];
  const deadline = performance.now() + N['form-seconds'] * 1000;
  for (const { q, pair } of f.queries) {
    if (performance.now() > deadline) break;
    const ids = await run(a, q);
    const relevant = rel.get(key(pair))!;
    const r = recallAt10(ids, relevant);
    recall += r;
    ndcg += ndcgAt10(ids, relevant);
    if (ids.length === 0) zero++;
    if (r === 0 && missed.length < 5) missed.push(q);
    n++;
  }
  out({
    engine: a.name, docs, ...(variant ? { variant } : {}), form: f.form, queries: n, eligible: f.eligible,
    ...(n < f.queries.length ? { timeLimited: `stopped after ${N['form-seconds']} s` } : {}),
    recallAt10: round(recall / n), ndcgAt10: round(ndcg / n), zeroResults: zero, missedExamples: missed,
  });
  return recall / n;
}

/** Single-threaded query loop over the mix, for N seconds or M queries, after a short warm-up. */
async function latency(a: SearchAdapter, docs: number, mix: { q: string; kind: string }[], variant?: string) {
  for (const { q } of mix.slice(0, 200)) await run(a, q);
  const times: number[] = [];
  const byKind: Record<string, number[]> = { pair: [], single: [] };
  const start = performance.now();
  const end = start + N.seconds * 1000;
  while (times.length < N['max-queries']) {
    const t0 = performance.now();
    if (t0 > end) break;
    const { q, kind } = mix[times.length % mix.length];
    await run(a, q);
    const ms = performance.now() - t0;
    times.push(ms);
    byKind[kind].push(ms);
  }
  const elapsed = (performance.now() - start) / 1000;
  for (const list of [times, ...Object.values(byKind)]) list.sort((x, y) => x - y);
  out({
    engine: a.name, docs, ...(variant ? { variant } : {}), mix: `${mix.length} queries (all forms, ${N.cap} single brands/types), cycled, k=${K}`,
    queries: times.length, limitedBy: times.length >= N['max-queries'] ? 'count' : 'time',
    p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)), maxMs: round(times[times.length - 1]),
    qps: Math.round(times.length / elapsed),
    p99MsByKind: Object.fromEntries(Object.entries(byKind).map(([k, l]) => [k, round(percentile(l, 99))])),
  });
}
