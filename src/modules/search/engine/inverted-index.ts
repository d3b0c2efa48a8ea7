/**
 * Postings per term, stored compactly.
 *
 * Documents are numbered slots (see doc-table.ts). The postings of a full rebuild live in
 * one pair of typed arrays in CSR form: term t owns docs[offsets[t] .. offsets[t + 1]).
 * Upserts append to small per-term "delta" lists; a new version of a document always gets
 * a new, higher slot, so base + delta stays sorted by slot. Removed slots stay in the
 * postings until compact() (the engine skips dead slots), which also merges the deltas.
 *
 * A weighted index stores one float per posting: the BM25F term-frequency part, already
 * saturated (see scoring.ts), so a query only multiplies it by the term's idf.
 */

import { CodeMap } from './util.ts';

export class InvertedIndex {
  private readonly ids = new Map<string, number>();
  /** A gram index keys its one- and two-character terms by char codes instead (see internGram). */
  private readonly codes: CodeMap | null;
  /** Single characters of a gram index: id + 1 by char code (0: none), a direct table. */
  private readonly charIds: Int32Array;
  /** Term strings by id (not kept in a bigram index: see term()). */
  readonly terms: string[] = [];
  private codeOf = new Uint32Array(0);
  private count = 0;
  /** Live documents per term. */
  df = new Int32Array(1024);
  offsets = new Uint32Array(1);
  docs = new Uint32Array(0);
  weights: Float32Array | null;
  deltaDocs: (number[] | undefined)[] = [];
  deltaWeights: (number[] | undefined)[] = [];
  deltaSize = 0;
  /** Called once for every new term (pinyin and typo vocabularies hook in here). */
  onNewTerm: ((id: number, term: string) => void) | null = null;
  /** The same for a gram index, with the gram's code (see gramCode). */
  onNewGram: ((id: number, code: number) => void) | null = null;

  constructor(readonly weighted: boolean, gramKeys = false) {
    this.weights = weighted ? new Float32Array(0) : null;
    this.codes = gramKeys ? new CodeMap() : null;
    this.charIds = new Int32Array(gramKeys ? 0x10000 : 0);
  }

  get termCount(): number {
    return this.count;
  }

  term(id: number): string {
    if (!this.codes) return this.terms[id];
    const code = this.codeOf[id];
    return code > 0xffff ? String.fromCharCode(code >>> 16, code & 0xffff) : String.fromCharCode(code);
  }

  get baseSize(): number {
    return this.docs.length;
  }

  lookup(term: string): number {
    if (this.codes) return term.length === 1 || term.length === 2 ? this.lookupGram(gramCode(term)) : -1;
    return this.ids.get(term) ?? -1;
  }

  intern(term: string): number {
    if (this.codes) return this.internGram(gramCode(term));
    return this.ids.get(term) ?? this.create(term);
  }

  /** lookup() by gram code, in a gram-keyed index. */
  lookupGram(code: number): number {
    if (!this.codes) return -1;
    return code <= 0xffff ? this.charIds[code] - 1 : this.codes.get(code);
  }

  /** intern() by gram code, in a gram-keyed index. */
  internGram(code: number): number {
    let id = this.lookupGram(code);
    if (id >= 0) return id;
    id = this.newId();
    if (code <= 0xffff) this.charIds[code] = id + 1;
    else this.codes!.set(code, id);
    if (id >= this.codeOf.length) this.codeOf = grow(this.codeOf, id);
    this.codeOf[id] = code;
    this.onNewGram?.(id, code);
    return id;
  }

  private create(term: string): number {
    const id = this.newId();
    this.ids.set(term, id);
    this.terms.push(term);
    this.onNewTerm?.(id, term);
    return id;
  }

  private newId(): number {
    const id = this.count++;
    if (id >= this.df.length) this.df = grow(this.df, id);
    return id;
  }

  /** Appends a posting for a document newer than every indexed one. */
  add(termId: number, doc: number, weight: number): void {
    (this.deltaDocs[termId] ??= []).push(doc);
    if (this.weighted) (this.deltaWeights[termId] ??= []).push(weight);
    this.deltaSize++;
    this.df[termId]++;
  }

  /** A document holding the term was removed (its posting is dropped at the next compact). */
  release(termId: number): void {
    if (termId >= 0 && this.df[termId] > 0) this.df[termId]--;
  }

  baseStart(termId: number): number {
    return termId + 1 < this.offsets.length ? this.offsets[termId] : 0;
  }

  baseEnd(termId: number): number {
    return termId + 1 < this.offsets.length ? this.offsets[termId + 1] : 0;
  }

  /** Weight of the posting of doc in termId (1 in an unweighted index), or -1 when absent. */
  find(termId: number, doc: number): number {
    let lo = this.baseStart(termId);
    let hi = this.baseEnd(termId) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = this.docs[mid];
      if (d === doc) return this.weights ? this.weights[mid] : 1;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    const delta = this.deltaDocs[termId];
    if (!delta) return -1;
    lo = 0;
    hi = delta.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = delta[mid];
      if (d === doc) return this.weighted ? this.deltaWeights[termId]![mid] : 1;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * Replaces all postings with n given ones, which must come in increasing doc order
   * (a counting sort by term then keeps each term's docs sorted).
   */
  load(n: number, termOf: Uint32Array, docOf: Uint32Array, weightOf: Float32Array | null): void {
    const termCount = this.count;
    const offsets = new Uint32Array(termCount + 1);
    for (let i = 0; i < n; i++) offsets[termOf[i] + 1]++;
    for (let t = 0; t < termCount; t++) offsets[t + 1] += offsets[t];
    const docs = new Uint32Array(n);
    const weights = this.weighted ? new Float32Array(n) : null;
    const cursor = offsets.slice(0, termCount);
    for (let i = 0; i < n; i++) {
      const at = cursor[termOf[i]]++;
      docs[at] = docOf[i];
      if (weights) weights[at] = weightOf![i];
    }
    this.install(offsets, docs, weights);
  }

  /** Makes freshly built CSR arrays the base, with no deltas, and recounts document frequencies. */
  private install(offsets: Uint32Array<ArrayBuffer>, docs: Uint32Array<ArrayBuffer>, weights: Float32Array<ArrayBuffer> | null): void {
    this.offsets = offsets;
    this.docs = docs;
    this.weights = weights;
    this.deltaDocs = [];
    this.deltaWeights = [];
    this.deltaSize = 0;
    for (let t = 0; t < this.count; t++) this.df[t] = offsets[t + 1] - offsets[t];
  }

  /** Merges deltas into the base and renumbers docs (remap[old] = new slot, or -1 to drop). */
  compact(remap: Int32Array): void {
    const termCount = this.count;
    const offsets = new Uint32Array(termCount + 1);
    const keep = (d: number) => d < remap.length && remap[d] >= 0;
    for (let t = 0; t < termCount; t++) {
      let count = 0;
      for (let i = this.baseStart(t), end = this.baseEnd(t); i < end; i++) if (keep(this.docs[i])) count++;
      for (const d of this.deltaDocs[t] ?? []) if (keep(d)) count++;
      offsets[t + 1] = offsets[t] + count;
    }
    const docs = new Uint32Array(offsets[termCount]);
    const weights = this.weighted ? new Float32Array(docs.length) : null;
    let at = 0;
    for (let t = 0; t < termCount; t++) {
      for (let i = this.baseStart(t), end = this.baseEnd(t); i < end; i++) {
        const d = this.docs[i];
        if (!keep(d)) continue;
        docs[at] = remap[d];
        if (weights) weights[at] = this.weights![i];
        at++;
      }
      const delta = this.deltaDocs[t];
      if (delta) {
        const dw = this.deltaWeights[t];
        for (let i = 0; i < delta.length; i++) {
          if (!keep(delta[i])) continue;
          docs[at] = remap[delta[i]];
          if (weights) weights[at] = dw![i];
          at++;
        }
      }
    }
    this.install(offsets, docs, weights);
  }

  /** Rough bytes held: typed arrays, delta lists and the term dictionary. */
  bytes(): number {
    let strings = this.codes ? this.count * 12 : 0; // CodeMap slots
    for (const t of this.terms) strings += 40 + 2 * t.length;
    return (
      this.codeOf.byteLength +
      this.offsets.byteLength +
      this.docs.byteLength +
      (this.weights?.byteLength ?? 0) +
      this.df.byteLength +
      this.deltaSize * (this.weighted ? 16 : 8) +
      strings * 2 // the string in terms[] and the Map entry
    );
  }
}

/** A character is its char code; a two-character gram is (first << 16 | second). */
export function gramCode(gram: string): number {
  return gram.length === 2 ? gram.charCodeAt(0) * 0x10000 + gram.charCodeAt(1) : gram.charCodeAt(0);
}

function grow<T extends Int32Array | Uint32Array>(array: T, index: number): T {
  const next = new (array.constructor as new (n: number) => T)(Math.max(1024, index + 1, array.length * 2));
  next.set(array);
  return next;
}
