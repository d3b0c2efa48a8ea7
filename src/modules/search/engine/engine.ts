/**
 * Quanyu's in-process product search engine (人找货): implements SearchEngine (types.ts).
 * Reading order for a newcomer: normalize → analyzer → inverted-index/scoring (indexing),
 * then query-plan → matcher → ranking (searching); pinyin, typos, synonyms, suggest,
 * highlight and did-you-mean are the helpers around them.
 */
import { DocumentAnalyzer } from './doc-analysis.ts';
import { DocTable } from './doc-table.ts';
import { InvertedIndex } from './inverted-index.ts';
import { Matcher } from './matcher.ts';
import { isLatinWord } from './normalize.ts';
import { CharSounds, PinyinIndex } from './pinyin.ts';
import { queryLabels, type PlanContext } from './query-plan.ts';
import { FIELD_COUNT, postingWeight } from './scoring.ts';
import { runSearch, type SearchState } from './search.ts';
import { Suggester } from './suggest.ts';
import { compileSynonyms, type CompiledSynonym } from './synonyms.ts';
import { WordList } from './typos.ts';
import type { SearchDocument, SearchEngine, SearchQuery, SearchResult, Synonym } from './types.ts';
import { clampInt, sanitizeDocument, U32Buffer } from './util.ts';

export interface SearchEngineOptions {
  /** Largest page size honoured (default 100); larger limits are capped. */
  maxLimit?: number;
  /** Largest offset honoured (default 10,000). */
  maxOffset?: number;
}

export function createSearchEngine(options: SearchEngineOptions = {}): SearchEngine {
  return new Engine(options);
}

/** Not exported: callers see only the SearchEngine interface. Fields are public for search.ts and suggest.ts. */
class Engine implements SearchEngine, SearchState {
  table = new DocTable();
  main = new InvertedIndex(true);
  grams = new InvertedIndex(false, true);
  pinyin = new PinyinIndex();
  sounds = new CharSounds();
  latin = new WordList();
  synonyms: CompiledSynonym[] = [];
  readonly matcher = new Matcher();
  private readonly suggester = new Suggester();
  /** Sum of field lengths over live documents, for BM25F's average lengths. */
  private lengthSums = new Float64Array(FIELD_COUNT);
  private analyzer = new DocumentAnalyzer(this.main, this.grams);
  readonly maxLimit: number;
  readonly maxOffset: number;

  constructor(options: SearchEngineOptions) {
    this.maxLimit = options.maxLimit ?? 100;
    this.maxOffset = options.maxOffset ?? 10_000;
    this.reset();
  }

  private reset(): void {
    this.table = new DocTable();
    this.main = new InvertedIndex(true);
    this.grams = new InvertedIndex(false, true);
    this.pinyin = new PinyinIndex();
    this.sounds = new CharSounds();
    this.latin = new WordList();
    this.lengthSums = new Float64Array(FIELD_COUNT);
    this.analyzer = new DocumentAnalyzer(this.main, this.grams);
    this.main.onNewTerm = (id, term) => {
      this.pinyin.add(id, term);
      if (isLatinWord(term)) this.latin.add(term);
    };
    this.grams.onNewGram = (_, code) => {
      if (code <= 0xffff) this.sounds.add(String.fromCharCode(code));
    };
    this.suggester.resetVocabulary();
  }

  get context(): PlanContext {
    const { main, grams, pinyin, sounds, latin, synonyms } = this;
    return { main, alive: this.table.alive, grams, pinyin, sounds, latin, synonyms };
  }

  // ---- indexing ----

  private averages(): Float64Array {
    const live = Math.max(1, this.table.live);
    return this.lengthSums.map((sum) => sum / live);
  }

  upsert(input: SearchDocument): void {
    const doc = sanitizeDocument(input);
    if (!doc) return;
    const old = this.table.slotOf(doc.id);
    if (old >= 0) this.removeSlot(old);
    const analysed = this.analyzer.analyse(doc);
    const slot = this.table.add(doc);
    analysed.lengths.forEach((n, f) => (this.lengthSums[f] += n));
    const averages = this.averages();
    analysed.terms.forEach((id, i) => this.main.add(id, slot, postingWeight(analysed.tfs[i], analysed.lengths, averages)));
    for (const id of analysed.grams) this.grams.add(id, slot, 1);
    this.maybeCompact();
  }

  remove(id: string): void {
    const slot = typeof id === 'string' ? this.table.slotOf(id) : -1;
    if (slot < 0) return;
    this.removeSlot(slot);
    this.maybeCompact();
  }

  private removeSlot(slot: number): void {
    const analysed = this.analyzer.analyse(this.table.docs[slot]!);
    for (const id of analysed.terms) this.main.release(id);
    for (const id of analysed.grams) this.grams.release(id);
    analysed.lengths.forEach((n, f) => (this.lengthSums[f] -= n));
    this.table.kill(slot);
  }

  /** Drops dead slots and merges upserted postings once they are a noticeable share. */
  private maybeCompact(): void {
    const dead = this.table.slots - this.table.live;
    const manyDead = dead > 1000 && dead > this.table.slots / 5;
    const bigDelta = this.main.deltaSize > Math.max(200_000, this.main.baseSize / 4);
    if (!manyDead && !bigDelta) return;
    const remap = this.table.compact();
    this.main.compact(remap);
    this.grams.compact(remap);
  }

  rebuild(input: Iterable<SearchDocument>): void {
    const latest = new Map<string, SearchDocument>();
    for (const raw of input) {
      const doc = sanitizeDocument(raw);
      if (doc) latest.set(doc.id, doc);
    }
    this.reset();
    const termOf = new U32Buffer();
    const docOf = new U32Buffer();
    const tfOf = new U32Buffer();
    const gramOf = new U32Buffer();
    const gramDocOf = new U32Buffer();
    const lengths = new U32Buffer(); // FIELD_COUNT per document
    for (const doc of latest.values()) {
      const { terms, tfs, lengths: fieldLengths, grams } = this.analyzer.analyse(doc);
      const slot = this.table.add(doc);
      for (let i = 0; i < terms.length; i++) {
        termOf.push(terms[i]);
        docOf.push(slot);
        tfOf.push(tfs[i]);
      }
      for (const id of grams) {
        gramOf.push(id);
        gramDocOf.push(slot);
      }
      for (let f = 0; f < FIELD_COUNT; f++) {
        lengths.push(fieldLengths[f]);
        this.lengthSums[f] += fieldLengths[f];
      }
    }
    const averages = this.averages();
    const weights = new Float32Array(termOf.length);
    const docLengths = new Float64Array(FIELD_COUNT);
    for (let i = 0; i < termOf.length; i++) {
      const slot = docOf.data[i];
      for (let f = 0; f < FIELD_COUNT; f++) docLengths[f] = lengths.data[slot * FIELD_COUNT + f];
      weights[i] = postingWeight(tfOf.data[i], docLengths, averages);
    }
    this.main.load(termOf.length, termOf.data, docOf.data, weights);
    this.grams.load(gramOf.length, gramOf.data, gramDocOf.data, null);
  }

  setSynonyms(synonyms: Synonym[]): void {
    this.synonyms = compileSynonyms(synonyms, queryLabels);
  }

  get(id: string): SearchDocument | undefined {
    const slot = typeof id === 'string' ? this.table.slotOf(id) : -1;
    return slot >= 0 ? this.table.docs[slot] : undefined;
  }

  *documents(): IterableIterator<SearchDocument> {
    for (const doc of this.table.docs) if (doc) yield doc;
  }

  stats(): { documents: number; terms: number; memoryBytes?: number } {
    let documents = 0;
    for (const doc of this.table.docs) if (doc) documents += 300 + 2 * (doc.id.length + doc.title.length + (doc.brand?.length ?? 0) + (doc.category?.length ?? 0));
    const columns = this.table.alive.length * 43;
    return { documents: this.table.live, terms: this.main.termCount, memoryBytes: this.main.bytes() + this.grams.bytes() + columns + documents };
  }

  // ---- searching ----

  search(query: SearchQuery): SearchResult {
    return runSearch(this, query && typeof query === 'object' ? query : { q: '' });
  }

  suggest(prefix: string, limit = 10): string[] {
    const n = clampInt(limit, 1, 50, 10);
    return this.suggester.suggest(typeof prefix === 'string' ? prefix : '', n, this);
  }

  recordQuery(q: string): void {
    if (typeof q === 'string') this.suggester.record(q);
  }
}
