/**
 * The search benchmark's documents: the 8,000 real Taobao-style titles (titles_entities.jsonl) and a
 * deterministic synthetic catalogue that recombines their brands, product types and words.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import type { SearchDocument } from '../../src/modules/search/engine/types.ts';
import { seededRandom } from '../../src/shared/random.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const jieba = Jieba.withDict(dict);

export interface LabelledTitle {
  title: string;
  /** HPPX (brand) and HCCX (product type) entities, in title order, duplicates kept. */
  brands: string[];
  types: string[];
}

export interface Dataset {
  dir: string;
  labelled: LabelledTitle[];
  /** One document per labelled title, ids t0..t7997 (titles repeat in the data: 5,531 distinct). */
  real: SearchDocument[];
}

export function dataDir(): string {
  return path.resolve(ROOT, process.env.SEARCH_DATA_DIR ?? '../shared/data/taobao-titles');
}

/** Loads the labelled titles; null when the data set is not there. */
export function loadDataset(): Dataset | null {
  const dir = dataDir();
  const file = path.join(dir, 'titles_entities.jsonl');
  if (!fs.existsSync(file)) return null;
  const labelled: LabelledTitle[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { title: string; entities: [string, string][] };
    const of = (kind: string) => row.entities.filter(([k]) => k === kind).map(([, v]) => v);
    labelled.push({ title: row.title, brands: of('HPPX'), types: of('HCCX') });
  }
  const rand = prng(1);
  const real = labelled.map((t, i) => makeDoc(`t${i}`, t.title, t.brands[0], t.types[0], rand));
  return { dir, labelled, real };
}

/** A seeded generator, so every run builds the same catalogue. */
export const prng = seededRandom;

export function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

const pick = <T>(items: T[], rand: () => number): T => items[Math.floor(rand() * items.length)];
const BASE_TIME = Date.UTC(2025, 0, 1);

function makeDoc(id: string, title: string, brand: string | undefined, type: string | undefined, rand: () => number): SearchDocument {
  return {
    id,
    title,
    brand,
    category: type, // the first product type as a leaf category: simple and deterministic
    merchantId: `m${1 + Math.floor(rand() * 500)}`,
    merchantKind: rand() < 0.2 ? 'self_operated' : 'marketplace',
    price: Math.round(100 * Math.exp(rand() * Math.log(5000))), // 1 to 5,000 yuan, log-uniform, in fen
    inStock: rand() < 0.9,
    sales: Math.floor(Math.exp(rand() * Math.log(100_000))) - 1,
    createdAt: BASE_TIME - Math.floor(rand() * 730 * 86_400_000),
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isWord = (t: string) => /[\p{L}\p{N}]/u.test(t);

/**
 * `total` documents: the real ones first, then synthetic ones. Each synthetic title takes a real title
 * as its template, maps each of its brands and product types to a real one drawn by frequency, keeps
 * the rest of the text but swaps about half of its words for real title words drawn by frequency.
 */
export function syntheticCatalogue(ds: Dataset, total: number, seed = 42): SearchDocument[] {
  const rand = prng(seed);
  const brands = ds.labelled.flatMap((t) => t.brands);
  const types = ds.labelled.flatMap((t) => t.types);
  const words: string[] = [];
  const templates = ds.labelled.map((t) => {
    const entities = [...new Set([...t.brands, ...t.types])].sort((a, b) => b.length - a.length);
    const pieces = entities.length ? t.title.split(new RegExp(`(${entities.map(escape).join('|')})`)) : [t.title];
    // odd pieces are entities; even pieces are text, pre-segmented once
    const parts = pieces.map((p, i) => (i % 2 ? p : jieba.cut(p, true)));
    for (let i = 0; i < parts.length; i += 2) words.push(...(parts[i] as string[]).filter(isWord));
    return { t, parts };
  });
  const docs = ds.real.slice(0, total);
  for (let n = docs.length; n < total; n++) {
    const { t, parts } = pick(templates, rand);
    const map = new Map<string, string>();
    for (const b of t.brands) if (!map.has(b)) map.set(b, pick(brands, rand));
    for (const c of t.types) if (!map.has(c)) map.set(c, pick(types, rand));
    let title = '';
    parts.forEach((p, i) => {
      if (i % 2) title += map.get(p as string) ?? p;
      else for (const w of p as string[]) title += isWord(w) && rand() < 0.5 ? pick(words, rand) : w;
    });
    const brand = t.brands.length ? map.get(t.brands[0]) : undefined;
    const type = t.types.length ? map.get(t.types[0]) : undefined;
    docs.push(makeDoc(`s${n}`, title, brand, type, rand));
  }
  return docs;
}
