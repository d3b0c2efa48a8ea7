/**
 * Pinyin for the Han vocabulary, so "shouji", "shou ji" and "sj" find 手机.
 * Pinyin is computed once per distinct term (not per document), when the term first appears.
 */
import { pinyin } from 'pinyin-pro';
import { isHan } from './normalize.ts';
import { WordList } from './typos.ts';

export interface PinyinForm {
  /** Toneless syllables joined, ü written v: 女鞋 → "nvxie". */
  full: string;
  /** First letter of each syllable: 手机 → "sj". */
  initials: string;
}

export function pinyinOf(han: string): PinyinForm | null {
  if (!isHan(han)) return null;
  // Most words have no character with two readings: their pinyin is the characters' pinyin,
  // from a per-character cache. Only the others need pinyin-pro's word-aware reading (重庆, 银行).
  let full = '';
  let initials = '';
  for (const char of han) {
    const reading = charReading(char);
    if (reading === null) return wordPinyin(han);
    if (reading === '') return null; // a character pinyin-pro does not know
    full += reading;
    initials += reading[0];
  }
  return { full, initials };
}

const readings = new Map<string, string | null>();

/** The character's only toneless reading, '' when unknown, null when it has several. */
function charReading(char: string): string | null {
  let reading = readings.get(char);
  if (reading === undefined) {
    const all = pinyin(char, { toneType: 'none', type: 'array', multiple: true, v: true });
    reading = all.length > 1 ? null : /^[a-z]+$/.test(all[0] ?? '') ? all[0] : '';
    readings.set(char, reading);
  }
  return reading;
}

function wordPinyin(han: string): PinyinForm | null {
  const syllables = pinyin(han, { toneType: 'none', type: 'array', v: true });
  let full = '';
  let initials = '';
  for (const s of syllables) {
    if (!/^[a-z]+$/.test(s)) return null;
    full += s;
    initials += s[0];
  }
  return { full, initials };
}

const MAX_TERM_CHARS = 8;
const MAX_RUN = 48;

export class PinyinIndex {
  private readonly byFull = new Map<string, number[]>();
  private readonly byInitials = new Map<string, number[]>();
  /** Every (full pinyin, term) pair in insertion order, for prefix suggestions. */
  readonly entries: { key: string; id: number }[] = [];
  /** The distinct full keys, for "did you mean" on mistyped pinyin. */
  readonly keyList = new WordList();

  add(termId: number, term: string): void {
    if (term.length > MAX_TERM_CHARS) return;
    const form = pinyinOf(term);
    if (!form) return;
    push(this.byFull, form.full, termId);
    if (term.length >= 2) push(this.byInitials, form.initials, termId);
    this.entries.push({ key: form.full, id: termId });
    this.keyList.add(form.full);
  }

  /** Han terms whose pinyin is exactly key. */
  full(key: string): readonly number[] {
    return this.byFull.get(key) ?? [];
  }

  /** Han terms (2+ characters) whose initials are exactly key. */
  initials(key: string): readonly number[] {
    return this.byInitials.get(key) ?? [];
  }

  fullKeys(): IterableIterator<string> {
    return this.byFull.keys();
  }
}

function push<T>(map: Map<string, T[]>, key: string, id: T): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

/** Han characters (as char codes) by syllable, every reading of each, for pinyin of words the vocabulary lacks. */
export class CharSounds {
  private readonly bySyllable = new Map<string, number[]>();
  private readonly seen = new Set<string>();

  add(char: string): void {
    if (this.seen.has(char)) return;
    this.seen.add(char);
    for (const reading of pinyin(char, { toneType: 'none', type: 'array', multiple: true, v: true })) {
      if (!/^[a-z]+$/.test(reading)) continue;
      push(this.bySyllable, reading, char.charCodeAt(0));
    }
  }

  chars(syllable: string): readonly number[] {
    return this.bySyllable.get(syllable) ?? [];
  }

  /** Splits letters into the fewest syllables ("bidai" → bi, dai), or null. */
  syllables(letters: string): string[] | null {
    const n = letters.length;
    if (n === 0 || n > MAX_RUN) return null;
    const count: number[] = new Array(n + 1).fill(1 << 30);
    const back: number[] = new Array(n + 1).fill(-1);
    count[0] = 0;
    for (let i = 0; i < n; i++) {
      if (count[i] === 1 << 30) continue;
      for (let j = i + 1; j <= Math.min(n, i + 6); j++) {
        if (count[i] + 1 < count[j] && this.bySyllable.has(letters.slice(i, j))) {
          count[j] = count[i] + 1;
          back[j] = i;
        }
      }
    }
    if (back[n] < 0) return null;
    const out: string[] = [];
    for (let j = n; j > 0; j = back[j]) out.unshift(letters.slice(back[j], j));
    return out;
  }
}
