/**
 * The contract of Quanyu's in-process product search engine (人找货).
 * The engine knows nothing of the database: the search module feeds it documents
 * (rebuilt from PostgreSQL at start, then kept current from catalog events) and asks it
 * queries. An external engine (OpenSearch, Meilisearch) would implement the same interface.
 */

export type MerchantKind = 'self_operated' | 'marketplace';

/** One product as the engine sees it. Text fields are searched; the rest filter, facet, sort and rank. */
export interface SearchDocument {
  id: string;
  title: string;
  titleEn?: string;
  brand?: string;
  /** Category path, e.g. "数码/手机"; filtering by "数码" matches it too. */
  category?: string;
  attributes?: Record<string, string>;
  merchantId: string;
  merchantName?: string;
  merchantKind: MerchantKind;
  /** Lowest SKU price in fen. */
  price: number;
  inStock: boolean;
  /** Units sold (all time), for sort=sales. */
  sales: number;
  /** Epoch milliseconds, for sort=newest and the newness feature. */
  createdAt: number;
}

export type SortOrder = 'relevance' | 'sales' | 'price_asc' | 'price_desc' | 'newest';

export interface SearchFilters {
  category?: string;
  brand?: string;
  merchantId?: string;
  merchantKind?: MerchantKind;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
}

export interface SearchQuery {
  q: string;
  filters?: SearchFilters;
  sort?: SortOrder;
  /** 0-based offset and page size (the HTTP layer maps page/pageSize to these). */
  offset?: number;
  limit?: number;
  /** Facets to count over the matching set (before pagination). */
  facets?: ('category' | 'brand' | 'merchantKind' | 'price')[];
  /** Re-scores the top candidates (text score in, final score out); ranking policies plug in here. */
  rerank?: (candidates: ScoredHit[]) => ScoredHit[];
  /** How many top text matches rerank sees (default 200). */
  rerankDepth?: number;
}

export interface ScoredHit {
  id: string;
  /** BM25F text relevance. */
  textScore: number;
  /** Final score after rerank (equals textScore without one). */
  score: number;
  /** Per-feature contributions, filled by rerank for explain=1. */
  explain?: Record<string, number>;
}

export interface SearchHit extends ScoredHit {
  /** Title with matched terms wrapped in <em>…</em> (HTML-escaped otherwise). */
  highlight: string;
  /** The English title highlighted the same way, when the document has one. */
  highlightEn?: string;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResult {
  hits: SearchHit[];
  total: number;
  facets: Partial<Record<'category' | 'brand' | 'merchantKind' | 'price', FacetCount[]>>;
  /** 'all' when every query term matched, 'relaxed' when fewer had to (AND first, then relaxed). */
  matchMode: 'all' | 'relaxed' | 'none';
  /** For a zero-result query: a corrected query that has results ("did you mean"). */
  didYouMean?: string;
  /** The analysed query terms, for debugging and explain. */
  terms: string[];
}

export interface Synonym {
  /** Terms that mean the same thing, e.g. ["手机", "mobile phone"]. */
  terms: string[];
  /** Optional: apply only when the query also holds one of these (e.g. 苹果 = iPhone only with 手机). */
  when?: string[];
}

export interface SearchEngine {
  upsert(doc: SearchDocument): void;
  remove(id: string): void;
  /** Replaces every document at once (start-up rebuild). */
  rebuild(docs: Iterable<SearchDocument>): void;
  setSynonyms(synonyms: Synonym[]): void;
  search(query: SearchQuery): SearchResult;
  /** Autocomplete: completions for what has been typed, from titles, brands and past queries. */
  suggest(prefix: string, limit?: number): string[];
  /** Past queries feed suggestions (the search module calls this for queries with results). */
  recordQuery(q: string): void;
  get(id: string): SearchDocument | undefined;
  /** Every indexed document (for features computed over the catalogue, such as category median prices). */
  documents(): Iterable<SearchDocument>;
  stats(): { documents: number; terms: number; memoryBytes?: number };
}
