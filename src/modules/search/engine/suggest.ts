/**
 * Autocomplete. Candidates come from past queries, brands and the title vocabulary; the
 * last word typed is completed ("苹果手" → "苹果手机"), also from pinyin ("shouj", "sj").
 * Frequent candidates first; past queries and brands get a head start over plain words.
 */
import { pinyin } from 'pinyin-pro';
import { queryTokens } from './analyzer.ts';
import type { DocTable } from './doc-table.ts';
import type { InvertedIndex } from './inverted-index.ts';
import { fold } from './normalize.ts';
import type { PinyinIndex } from './pinyin.ts';

const MAX_PREFIX = 64;
const MAX_QUERIES = 20_000;
const SCAN_LIMIT = 5_000;
const RESORT_AFTER = 5_000;
const BOOST = { query: 3, brand: 2, term: 0, pinyin: -0.5 };

interface PastQuery {
  text: string;
  count: number;
  pinyin: string;
}

/** Keys sorted for prefix lookup, plus an unsorted tail of keys added since the last sort. */
class PrefixList {
  private sorted: { key: string; id: number }[] = [];
  private covered = 0;

  /** Calls visit for entries whose key starts with prefix (at most SCAN_LIMIT of the sorted ones). */
  scan(prefix: string, all: readonly { key: string; id: number }[], visit: (id: number, key: string) => void): void {
    if (all.length - this.covered > RESORT_AFTER || (this.covered === 0 && all.length > 0)) {
      this.sorted = all.slice().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      this.covered = all.length;
    }
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid].key < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo, n = 0; i < this.sorted.length && n < SCAN_LIMIT && this.sorted[i].key.startsWith(prefix); i++, n++) {
      visit(this.sorted[i].id, this.sorted[i].key);
    }
    for (let i = this.covered; i < all.length; i++) if (all[i].key.startsWith(prefix)) visit(all[i].id, all[i].key);
  }
}

export function queryKey(q: string): string {
  return fold(String(q).slice(0, MAX_PREFIX * 4)).trim().replace(/\s+/g, ' ').slice(0, MAX_PREFIX);
}

function pinyinKey(text: string): string {
  return pinyin(text, { toneType: 'none', type: 'array', v: true, nonZh: 'consecutive' })
    .join('')
    .replace(/[^a-z0-9]/g, '');
}

export interface SuggestSources {
  main: InvertedIndex;
  pinyin: PinyinIndex;
  table: DocTable;
}

export class Suggester {
  private readonly queries = new Map<string, PastQuery>();
  private termList = new PrefixList();
  private pinyinList = new PrefixList();
  private termEntries: { key: string; id: number }[] = [];

  record(q: string): void {
    const key = queryKey(q);
    if (!key) return;
    const entry = this.queries.get(key);
    if (entry) entry.count++;
    else this.queries.set(key, { text: key, count: 1, pinyin: pinyinKey(key) });
    if (this.queries.size > MAX_QUERIES) {
      const rare = [...this.queries].sort((a, b) => a[1].count - b[1].count).slice(0, MAX_QUERIES / 10);
      for (const [k] of rare) this.queries.delete(k);
    }
  }

  /** Forgets the vocabulary (after a rebuild); past queries stay. */
  resetVocabulary(): void {
    this.termEntries = [];
    this.termList = new PrefixList();
    this.pinyinList = new PrefixList();
  }

  suggest(prefix: string, limit: number, { main, pinyin: readings, table }: SuggestSources): string[] {
    const p = queryKey(prefix);
    const scores = new Map<string, number>();
    const offer = (text: string, score: number) => {
      if (score > (scores.get(text) ?? -Infinity)) scores.set(text, score);
    };
    const letters = /^[a-z ]+$/.test(p) ? p.replace(/ /g, '') : '';
    for (const q of this.queries.values()) {
      if (q.text.startsWith(p) || (letters && q.pinyin.startsWith(letters))) offer(q.text, BOOST.query + Math.log1p(q.count));
    }
    if (p) {
      table.brands.keys.forEach((key, id) => {
        if (table.brands.live[id] > 0 && key.startsWith(p)) offer(table.brands.display[id], BOOST.brand + Math.log1p(table.brands.live[id]));
      });
      this.completeLastWord(p, letters, main, readings, offer);
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0].length - b[0].length)
      .slice(0, limit)
      .map(([text]) => text);
  }

  private completeLastWord(
    p: string,
    letters: string,
    main: InvertedIndex,
    readings: PinyinIndex,
    offer: (text: string, score: number) => void,
  ): void {
    const tokens = queryTokens(p, 64);
    const last = tokens[tokens.length - 1];
    if (!last || last.end < p.length) return; // ends with a space or punctuation: nothing to complete
    const head = p.slice(0, last.start);
    for (let id = this.termEntries.length; id < main.termCount; id++) this.termEntries.push({ key: main.terms[id], id });
    this.termList.scan(last.text, this.termEntries, (id, key) => {
      if (main.df[id] > 0 && key.length >= 2) offer(head + key, BOOST.term + Math.log1p(main.df[id]));
    });
    // Pinyin: the whole input when it is only letters ("shou j"), else the last word.
    const typed = letters || (last.kind === 'latin' ? last.text : '');
    const pinyinHead = letters ? '' : head;
    if (!typed) return;
    this.pinyinList.scan(typed, readings.entries, (id) => {
      if (main.df[id] > 0 && main.terms[id].length >= 2) offer(pinyinHead + main.terms[id], BOOST.pinyin + Math.log1p(main.df[id]));
    });
    if (typed.length >= 2 && typed.length <= 4) {
      for (const id of readings.initials(typed)) {
        if (main.df[id] > 0) offer(pinyinHead + main.terms[id], BOOST.pinyin - 1 + Math.log1p(main.df[id]));
      }
    }
  }
}
