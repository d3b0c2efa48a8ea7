/**
 * A document's terms for indexing: per field, the analyzer's terms interned in the word
 * index (with their frequency in each field, packed as scoring.ts reads it), and the Han
 * characters and bigrams of title, brand and category interned in the gram index.
 */
import { hanGrams, indexTerms } from './analyzer.ts';
import type { InvertedIndex } from './inverted-index.ts';
import { fold } from './normalize.ts';
import { addTf, fieldTexts } from './scoring.ts';
import type { SearchDocument } from './types.ts';

export interface Analysed {
  /** Distinct word-index term ids. */
  terms: number[];
  /** Per term: frequency in each field, packed. */
  tfs: number[];
  /** Terms per field (BM25F lengths). */
  lengths: number[];
  /** Distinct bigram-index term ids. */
  grams: number[];
}

const SHORT_FIELD_CACHE = 100_000;

export class DocumentAnalyzer {
  /** Per term id: the last analysis that saw it, and the packed frequencies there (no Map per document). */
  private seenAt = new Int32Array(1024);
  private tfs = new Uint32Array(1024);
  private gramSeenAt = new Int32Array(1024);
  private stamp = 0;
  private readonly shortFields = new Map<string, { folded: string; ids: number[] }>();
  private readonly out: Analysed & { codes: number[] } = { terms: [], tfs: [], lengths: [], grams: [], codes: [] };

  constructor(
    private readonly main: InvertedIndex,
    private readonly grams: InvertedIndex,
  ) {}

  /** The result's arrays are reused: read them before the next call. */
  analyse(doc: SearchDocument): Analysed {
    const stamp = ++this.stamp;
    const texts = fieldTexts(doc);
    const folded: string[] = [];
    const { terms, tfs, lengths, grams, codes } = this.out;
    for (const list of [terms, tfs, lengths, grams, codes]) list.length = 0;
    texts.forEach((text, field) => {
      let ids: number[];
      if (field === 0) {
        folded.push(fold(text));
        const words: string[] = [];
        indexTerms(folded[0], words);
        ids = words.map((word) => this.main.intern(word));
      } else {
        const short = this.shortField(text);
        folded.push(short.folded);
        ids = short.ids;
      }
      lengths.push(ids.length);
      for (const id of ids) {
        if (id >= this.seenAt.length) [this.seenAt, this.tfs] = [grown(this.seenAt, id), grown(this.tfs, id)];
        if (this.seenAt[id] !== stamp) {
          this.seenAt[id] = stamp;
          this.tfs[id] = 0;
          terms.push(id);
        }
        this.tfs[id] = addTf(this.tfs[id], field);
      }
    });
    for (const field of [0, 1, 2]) hanGrams(folded[field], codes);
    for (const code of codes) {
      const id = this.grams.internGram(code);
      if (id >= this.gramSeenAt.length) this.gramSeenAt = grown(this.gramSeenAt, id);
      if (this.gramSeenAt[id] !== stamp) {
        this.gramSeenAt[id] = stamp;
        grams.push(id);
      }
    }
    for (const id of terms) tfs.push(this.tfs[id]);
    return this.out;
  }

  /** Brands, categories, attribute values and merchant names repeat across documents: fold and analyse each once. */
  private shortField(text: string): { folded: string; ids: number[] } {
    let entry = this.shortFields.get(text);
    if (!entry) {
      if (this.shortFields.size >= SHORT_FIELD_CACHE) this.shortFields.clear();
      const folded = fold(text);
      const words: string[] = [];
      indexTerms(folded, words);
      entry = { folded, ids: words.map((word) => this.main.intern(word)) };
      this.shortFields.set(text, entry);
    }
    return entry;
  }
}

function grown<T extends Int32Array | Uint32Array>(array: T, index: number): T {
  const next = new (array.constructor as new (n: number) => T)(Math.max(index + 1, array.length * 2));
  next.set(array);
  return next;
}
