/**
 * The benchmark's adapter interface and the two peers: MiniSearch and Orama, both with a jieba
 * tokenizer (neither can segment Chinese on its own).
 */
import MiniSearch from 'minisearch';
import { create, insert, search as oramaSearch, type Tokenizer } from '@orama/orama';
import type { SearchDocument } from '../../src/modules/search/engine/types.ts';
import fs from 'node:fs';
import path from 'node:path';
import { jieba, ROOT } from './dataset.ts';

export interface SearchAdapter {
  name: string;
  /** How the engine is configured, printed once per run. */
  settings: Record<string, unknown>;
  build(docs: SearchDocument[]): void | Promise<void>;
  search(q: string, k: number): string[] | Promise<string[]>;
  /** Search-time variants compared on relevance; the best one is kept for the 200k and latency runs. */
  variants?: string[];
  setVariant?(variant: string): void;
}
/** A fresh, empty engine per dataset. */
export type AdapterFactory = () => SearchAdapter | Promise<SearchAdapter>;

/** jieba search-mode cut (HMM on), lowercased first, whitespace/punctuation tokens dropped. */
export function jiebaTokens(text: string): string[] {
  return jieba.cutForSearch(text.toLowerCase(), true).filter((t) => /[\p{L}\p{N}]/u.test(t));
}

const FIELDS = ['title', 'brand', 'category'] as const;
const version = (pkg: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version as string;

export const minisearch: AdapterFactory = () => {
  const options = { prefix: false, fuzzy: false, combineWith: 'AND' as 'AND' | 'OR' };
  const ms = new MiniSearch<SearchDocument>({
    idField: 'id',
    fields: [...FIELDS],
    storeFields: [],
    tokenize: jiebaTokens,
    processTerm: (t) => t, // already lowercased by the tokenizer
    searchOptions: options,
  });
  return {
    name: 'minisearch',
    settings: {
      version: version('minisearch'),
      fields: FIELDS,
      tokenize: 'jieba.cutForSearch(lowercase(text), hmm=true), punctuation/whitespace dropped (index and query)',
      searchOptions: { prefix: false, fuzzy: false, combineWith: 'AND or OR: both measured (variant), the better one timed' },
      boost: 'none (defaults, BM25+ k=1.2 b=0.7 d=0.5)',
    },
    variants: ['AND', 'OR'],
    setVariant: (v) => void (options.combineWith = v as 'AND' | 'OR'),
    build: (docs) => ms.addAll(docs),
    search: (q, k) => ms.search(q, { combineWith: options.combineWith }).slice(0, k).map((r) => String(r.id)),
  };
};

/** Orama takes a whole tokenizer object as a component (types.d.ts: Tokenizer). */
const oramaTokenizer: Tokenizer = {
  language: 'jieba',
  normalizationCache: new Map(),
  // deduplicated, as Orama's default tokenizer does (allowDuplicates: false)
  tokenize: (raw: string) => (typeof raw === 'string' ? [...new Set(jiebaTokens(raw))] : [raw]),
};

export const orama: AdapterFactory = () => {
  const db = create({
    schema: { title: 'string', brand: 'string', category: 'string' } as const,
    components: { tokenizer: oramaTokenizer },
  });
  let threshold = 1;
  return {
    name: 'orama',
    settings: {
      version: version('@orama/orama'),
      schema: { title: 'string', brand: 'string', category: 'string' },
      tokenizer: 'custom components.tokenizer: jieba.cutForSearch(lowercase(text), hmm=true), punctuation dropped, deduplicated',
      search: "{ term, properties: '*', exact: false (Orama's default: a query token also matches index terms it prefixes), tolerance: 0 }",
      variants: 'threshold 0 = all query tokens in one property (AND), 1 = any token (OR, the default)',
    },
    variants: ['threshold=0', 'threshold=1'],
    setVariant: (v) => void (threshold = Number(v.split('=')[1])),
    build(docs) {
      for (const d of docs) {
        const r = insert(db, { id: d.id, title: d.title, brand: d.brand ?? '', category: d.category ?? '' });
        if (r instanceof Promise) throw new Error('orama insert went async');
      }
    },
    search(q, k) {
      const r = oramaSearch(db, { term: q, limit: k, threshold });
      if (r instanceof Promise) return r.then((res) => res.hits.map((h) => h.id));
      return r.hits.map((h) => h.id);
    },
  };
};
