/**
 * Relevance queries: (brand, product type) pairs from the labelled titles, typed in the forms a shopper
 * would use. A result is relevant when its title holds both strings (case-insensitive).
 */
import { pinyin } from 'pinyin-pro';
import type { SearchDocument } from '../../src/modules/search/engine/types.ts';
import { prng, shuffle, type Dataset } from './dataset.ts';

export interface Pair {
  brand: string;
  type: string;
}

export interface FormQueries {
  form: string;
  /** Pairs the form applies to, before the cap. */
  eligible: number;
  queries: { q: string; pair: Pair }[];
}

const LATIN = /[a-z]/i;
const HAN = /\p{Script=Han}/u;
const swapCase = (s: string) => s.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
/** Pinyin of the Han runs (ü typed as v, as on a Latin keyboard), syllables joined by `sep`; other letters and digits kept as typed, punctuation dropped. */
const py = (s: string, sep: string) =>
  (s.match(/\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu) ?? [])
    .map((run) => (HAN.test(run) ? pinyin(run, { toneType: 'none', type: 'array', v: true }).join(sep) : run))
    .join(sep);

/** name -> [applies to the pair?, the query]. pinyin_spaced is extra (no target in the issue). */
export const FORMS: Record<string, [(p: Pair) => boolean, (p: Pair) => string]> = {
  brand_type: [() => true, (p) => `${p.brand} ${p.type}`],
  type_brand: [() => true, (p) => `${p.type} ${p.brand}`],
  brand_type_nospace: [() => true, (p) => `${p.brand}${p.type}`],
  latin_case: [(p) => LATIN.test(p.brand + p.type), (p) => swapCase(`${p.brand} ${p.type}`)],
  pinyin: [(p) => HAN.test(p.type), (p) => `${p.brand} ${py(p.type, '')}`],
  pinyin_spaced: [(p) => HAN.test(p.type), (p) => `${p.brand} ${py(p.type, ' ')}`],
};

/** Every distinct (brand, type) pair of a title with both, in a deterministic shuffled order. */
export function pairs(ds: Dataset): Pair[] {
  const seen = new Map<string, Pair>();
  for (const t of ds.labelled)
    for (const brand of t.brands)
      for (const type of t.types) {
        if (brand.includes(type) || type.includes(brand)) continue; // degenerate: one string holds the other
        seen.set(`${brand}\t${type}`, { brand, type });
      }
  return shuffle([...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, p]) => p), prng(7));
}

/** The queries of each form, at most `cap` per form (the first eligible pairs of the shuffled order). */
export function buildQueries(all: Pair[], cap: number): FormQueries[] {
  return Object.entries(FORMS).map(([form, [applies, make]]) => {
    const eligible = all.filter(applies);
    return { form, eligible: eligible.length, queries: eligible.slice(0, cap).map((pair) => ({ q: make(pair), pair })) };
  });
}

/** Relevant document ids per pair (key brand\ttype), over the given documents. */
export function relevantSets(docs: SearchDocument[], wanted: Pair[]): Map<string, Set<string>> {
  const byBrand = new Map<string, Pair[]>();
  const out = new Map<string, Set<string>>();
  for (const p of wanted) {
    if (out.has(key(p))) continue;
    out.set(key(p), new Set());
    const list = byBrand.get(p.brand.toLowerCase()) ?? [];
    byBrand.set(p.brand.toLowerCase(), [...list, p]);
  }
  // one string of all titles: String#indexOf over it is far quicker than 200,000 includes() per brand
  const titles = docs.map((d) => d.title.toLowerCase());
  const text = titles.join('\n');
  const starts: number[] = [];
  titles.reduce((at, t) => (starts.push(at), at + t.length + 1), 0);
  for (const [brand, list] of byBrand)
    for (let at = text.indexOf(brand); at !== -1; ) {
      const doc = docAt(starts, at);
      for (const p of list) if (titles[doc].includes(p.type.toLowerCase())) out.get(key(p))!.add(docs[doc].id);
      at = doc + 1 < starts.length ? text.indexOf(brand, starts[doc + 1]) : -1;
    }
  return out;
}

/** The index of the title that holds text offset `at` (binary search over the start offsets). */
function docAt(starts: number[], at: number): number {
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export const key = (p: Pair) => `${p.brand}\t${p.type}`;

/** Single-term queries for the latency mix: brands and product types on their own. */
export function singleTerms(ds: Dataset, count: number): string[] {
  const terms = [...new Set(ds.labelled.flatMap((t) => [...t.brands, ...t.types]))].sort();
  return shuffle(terms, prng(11)).slice(0, count);
}
