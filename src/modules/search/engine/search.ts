/**
 * One search: plan the query, match (all units first, then as many as any document has),
 * filter, count facets, order and page, rerank the head, highlight, and suggest a
 * correction when nothing (or not everything) matched.
 */
import { corrections } from './did-you-mean.ts';
import type { DocTable, Filter } from './doc-table.ts';
import { highlight } from './highlight.ts';
import type { InvertedIndex } from './inverted-index.ts';
import type { Matcher } from './matcher.ts';
import { planQuery, type PlanContext, type Unit } from './query-plan.ts';
import { comparator, SORTS, topK } from './ranking.ts';
import type { ScoredHit, SearchFilters, SearchHit, SearchQuery, SearchResult, SortOrder } from './types.ts';
import { clampInt } from './util.ts';

const FACETS = new Set(['category', 'brand', 'merchantKind', 'price']);
const DEFAULT_LIMIT = 20;
const MAX_RERANK_DEPTH = 1000;

export interface SearchState {
  readonly table: DocTable;
  readonly main: InvertedIndex;
  readonly grams: InvertedIndex;
  readonly matcher: Matcher;
  readonly context: PlanContext;
  readonly maxLimit: number;
  readonly maxOffset: number;
}


interface Selection {
  n: number;
  matchMode: SearchResult['matchMode'];
}

export function runSearch(state: SearchState, query: SearchQuery): SearchResult {
  const { table, matcher } = state;
  const q = typeof query.q === 'string' ? query.q : '';
  const sort: SortOrder = SORTS.includes(query.sort as SortOrder) ? (query.sort as SortOrder) : 'relevance';
  const offset = clampInt(query.offset, 0, state.maxOffset, 0);
  const limit = clampInt(query.limit, 0, state.maxLimit, DEFAULT_LIMIT);
  const facetNames = Array.isArray(query.facets) ? query.facets.filter((f) => FACETS.has(f)) : [];
  const filter = table.compile(query.filters);

  const units = q.trim() ? planQuery(q, state.context) : null;
  const { n, matchMode } = units === null ? browse(state, filter) : match(state, units, filter);
  const candidates = matcher.candidates;
  const facets = facetNames.length > 0 ? table.facets(candidates, n, facetNames) : {};

  // Order: the best offset+limit only (or the rerank depth, which the reranker reorders).
  const rerank = sort === 'relevance' && typeof query.rerank === 'function' ? query.rerank : null;
  const depth = clampInt(query.rerankDepth, 1, MAX_RERANK_DEPTH, 200);
  const order = topK(candidates, n, rerank ? Math.max(depth, offset + limit) : offset + limit, comparator(sort, table, matcher.score));
  let ranked: ScoredHit[] = order.map((slot) => ({ id: table.docs[slot]!.id, textScore: matcher.score[slot], score: matcher.score[slot] }));
  if (rerank) {
    const head = rerank(ranked.slice(0, depth));
    if (Array.isArray(head)) ranked = [...head, ...ranked.slice(depth)];
  }

  const needles = [...new Set(units?.flatMap((u) => u.alts.flatMap((a) => a.needles)) ?? [])];
  const hits: SearchHit[] = [];
  const seen = new Set<string>();
  for (const hit of ranked.slice(offset, offset + limit)) {
    const slot = typeof hit?.id === 'string' && !seen.has(hit.id) ? table.slotOf(hit.id) : -1;
    if (slot < 0) continue; // a reranker returned an unknown or repeated id
    seen.add(hit.id);
    const doc = table.docs[slot]!;
    hits.push({ ...hit, highlight: highlight(doc.title, needles), ...(doc.titleEn ? { highlightEn: highlight(doc.titleEn, needles) } : {}) });
  }

  const result: SearchResult = { hits, total: n, facets, matchMode, terms: units?.map((u) => u.label) ?? [] };
  if (units && units.length > 0 && (n === 0 || matchMode === 'relaxed')) {
    const unitHits = [...matcher.unitHits];
    for (const candidate of corrections(units, unitHits, state.context)) {
      if (matchesAll(state, candidate, filter)) {
        result.didYouMean = candidate;
        break;
      }
    }
  }
  countOwnFilterFacets(state, query, units, facetNames, result.facets);
  return result;
}

/** The filters each facet would otherwise be narrowed by. */
const FACET_FILTERS = { category: ['category'], brand: ['brand'], merchantKind: ['merchantKind'], price: ['minPrice', 'maxPrice'] } as const;

/**
 * A facet whose own filter is active is counted as if that filter were off, so a shopper who
 * picked one brand still sees the other brands (and their counts) to switch to. One more
 * match per such facet; runs last because it reuses the matcher's scratch arrays.
 */
function countOwnFilterFacets(state: SearchState, query: SearchQuery, units: Unit[] | null, facetNames: string[], facets: SearchResult['facets']) {
  const filters = query.filters;
  if (!filters || typeof filters !== 'object') return;
  for (const name of facetNames as (keyof typeof FACET_FILTERS)[]) {
    const keys = FACET_FILTERS[name];
    if (!keys.some((k) => filters[k] !== undefined)) continue;
    const others: SearchFilters = { ...filters };
    for (const k of keys) delete others[k];
    const filter = state.table.compile(others);
    const { n } = units === null ? browse(state, filter) : match(state, units, filter);
    Object.assign(facets, state.table.facets(state.matcher.candidates, n, [name]));
  }
}

/** Empty query: every live document that passes the filters. */
function browse({ table, matcher }: SearchState, filter: Filter | null): Selection {
  matcher.prepare(table.slots);
  const out = matcher.candidates;
  let n = 0;
  for (let s = 0; s < table.slots; s++) if (table.alive[s] && (!filter || table.passes(filter, s))) out[n++] = s;
  return { n, matchMode: n > 0 ? 'all' : 'none' };
}

function allBits(units: number): number {
  return units >= 32 ? 0xffffffff : ((1 << units) >>> 0) - 1;
}

function popcount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

/** Documents matching every unit; if none, those matching the most units ("relaxed"). */
function match(state: SearchState, units: Unit[], filter: Filter | null, relax = true): Selection {
  const { table, matcher, main, grams } = state;
  matcher.prepare(table.slots);
  if (units.length === 0) return { n: 0, matchMode: 'none' };
  const sources = { main, grams, alive: table.alive, documents: table.live };
  const all = allBits(units.length);
  const out = matcher.candidates;
  let n = 0;
  matcher.run(units, sources, table.slots, 'all');
  for (let i = 0; i < matcher.touchedCount; i++) {
    const d = matcher.touched[i];
    if (matcher.mask[d] === all && (!filter || table.passes(filter, d))) out[n++] = d;
  }
  if (n > 0) return { n, matchMode: 'all' };
  if (units.length === 1 || !relax) return { n: 0, matchMode: 'none' };
  matcher.run(units, sources, table.slots, 'any');
  let best = 0;
  for (let i = 0; i < matcher.touchedCount; i++) {
    const d = matcher.touched[i];
    if (!filter || table.passes(filter, d)) best = Math.max(best, popcount(matcher.mask[d]));
  }
  if (best === 0) return { n: 0, matchMode: 'none' };
  for (let i = 0; i < matcher.touchedCount; i++) {
    const d = matcher.touched[i];
    if (popcount(matcher.mask[d]) === best && (!filter || table.passes(filter, d))) out[n++] = d;
  }
  return { n, matchMode: 'relaxed' };
}

function matchesAll(state: SearchState, q: string, filter: Filter | null): boolean {
  const units = planQuery(q, state.context);
  return units.length > 0 && match(state, units, filter, false).matchMode === 'all';
}
