/**
 * Typo tolerance for Latin words: bounded edit distance (insert, delete, substitute,
 * swap of two neighbours) against the Latin vocabulary.
 */

/** Edits allowed while searching: none below 5 letters, 1 from 5, 2 from 9. */
export function typoBudget(word: string): number {
  return word.length >= 9 ? 2 : word.length >= 5 ? 1 : 0;
}

const ROW = 64;
const ROWS = [new Int32Array(ROW), new Int32Array(ROW), new Int32Array(ROW)];

/** Optimal string alignment distance of a and b, or max + 1 as soon as it must exceed max. */
export function editDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (lb >= ROW) return max + 1;
  let [prev2, prev, cur] = ROWS;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[lb], max + 1);
}

/** Bit per letter a..z present in the word: an edit changes at most two bits, a cheap pre-filter. */
function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i) - 97;
    if (c >= 0 && c < 26) mask |= 1 << c;
  }
  return mask;
}

function popcount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

export interface Near {
  word: string;
  distance: number;
}

const LETTERS = Array.from({ length: 26 }, (_, i) => 97 + i);

/** Words bucketed by length and first letter, for "which known words are within k edits of this one". */
export class WordList {
  private readonly buckets = new Map<number, { words: string[]; masks: number[] }>();
  private readonly seen = new Set<string>();

  private static key(length: number, first: number): number {
    return length * 0x10000 + first;
  }

  add(word: string): void {
    if (this.seen.has(word) || word.length === 0 || word.length > 40) return;
    this.seen.add(word);
    const key = WordList.key(word.length, word.charCodeAt(0));
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = { words: [], masks: [] }));
    bucket.words.push(word);
    bucket.masks.push(letterMask(word));
  }

  has(word: string): boolean {
    return this.seen.has(word);
  }

  /**
   * Known words within maxEdits of word (word itself excluded), closest first, at most limit.
   * sameStart: only words starting with the word's first letter (much faster on big lists;
   * typos rarely hit the first letter).
   */
  near(word: string, maxEdits: number, limit: number, accept: (w: string) => boolean = () => true, sameStart = false): Near[] {
    const found: Near[] = [];
    if (maxEdits <= 0 || word.length === 0) return found;
    const mask = letterMask(word);
    const firsts = sameStart ? [word.charCodeAt(0)] : LETTERS;
    for (let len = Math.max(1, word.length - maxEdits); len <= word.length + maxEdits; len++) {
      for (const first of firsts) {
        const bucket = this.buckets.get(WordList.key(len, first));
        if (!bucket) continue;
        const { words, masks } = bucket;
        for (let i = 0; i < words.length; i++) {
          if (popcount(masks[i] ^ mask) > 2 * maxEdits || words[i] === word) continue;
          const distance = editDistance(word, words[i], maxEdits);
          if (distance <= maxEdits && accept(words[i])) found.push({ word: words[i], distance });
        }
      }
    }
    found.sort((a, b) => a.distance - b.distance);
    return found.slice(0, limit);
  }
}
