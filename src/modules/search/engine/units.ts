/**
 * Query units and their alternatives. A document must match every unit (then fewer, see
 * matcher.ts). A unit matches when any of its alternatives does; an alternative is a set of
 * terms that must all be present: the word itself, its jieba parts, its Han bigrams, pinyin
 * readings, typo corrections, synonyms. Looser alternatives weigh less, so the literal word
 * outranks them.
 */
import { subTerms, type TokenKind } from './analyzer.ts';
import type { InvertedIndex } from './inverted-index.ts';
import type { CharSounds, PinyinIndex } from './pinyin.ts';
import type { CompiledSynonym } from './synonyms.ts';
import { typoBudget, type WordList } from './typos.ts';

export const W = { exact: 1, parts: 0.95, synonym: 0.9, pinyin: 0.85, typo: 0.8, gram: 0.6, initials: 0.6 };
const MAX_READINGS = 8; // homophones kept per pinyin word
const MAX_CHARS = 16; // characters kept per pinyin syllable

export interface Alt {
  /** Terms of the bigram index rather than the word index. */
  grams: boolean;
  terms: number[];
  weight: number;
  /** Strings to highlight when this alternative matched. */
  needles: string[];
}

export interface Unit {
  label: string;
  kind: TokenKind | 'pinyin';
  /** The folded query text this unit came from (for "did you mean"). */
  source: string;
  alts: Alt[];
  /** Set when the unit can be read as pinyin: the pinyin (see latin-run.ts, joinSounds). */
  sound?: string;
}

export interface PlanContext {
  main: InvertedIndex;
  /** Live slots (for "does any document match this" checks while planning). */
  alive: Uint8Array;
  grams: InvertedIndex;
  pinyin: PinyinIndex;
  sounds: CharSounds;
  latin: WordList;
  synonyms: readonly CompiledSynonym[];
}

export function known(index: InvertedIndex, term: string): boolean {
  const id = index.lookup(term);
  return id >= 0 && index.df[id] > 0;
}

/** Term ids that exist, most frequent first. */
export function byFrequency(index: InvertedIndex, ids: readonly number[], limit: number): number[] {
  return ids.filter((id) => index.df[id] > 0).sort((a, b) => index.df[b] - index.df[a]).slice(0, limit);
}

/** An alternative requiring all of terms, or null if one of them is not indexed. */
export function exactAlt(index: InvertedIndex, terms: readonly string[], weight: number, grams = false): Alt | null {
  const ids: number[] = [];
  for (const term of terms) {
    const id = index.lookup(term);
    if (id < 0 || index.df[id] === 0) return null;
    ids.push(id);
  }
  return ids.length > 0 ? { grams, terms: ids, weight, needles: [...terms] } : null;
}

/**
 * Han text as a substring: all of its bigrams present, or the character itself (catches
 * words jieba cut differently in the title, and 鞋 inside 运动鞋).
 */
export function gramAlt(ctx: PlanContext, han: string, weight: number): Alt | null {
  if (han.length === 0) return null;
  const grams: string[] = han.length === 1 ? [han] : [];
  for (let i = 0; i + 1 < han.length; i++) grams.push(han.slice(i, i + 2));
  const alt = exactAlt(ctx.grams, grams, weight * W.gram, true);
  if (alt) alt.needles = [han];
  return alt;
}

/** Whether some live document holds all of alt's terms (stops at the first; assumes yes past a work limit). */
export function hasMatch(alt: Alt, ctx: PlanContext, budget = 50_000): boolean {
  const index = alt.grams ? ctx.grams : ctx.main;
  const terms = [...alt.terms].sort((a, b) => index.df[a] - index.df[b]);
  const check = (d: number) => {
    if (!ctx.alive[d]) return false;
    for (let k = 1; k < terms.length; k++) if (index.find(terms[k], d) < 0) return false;
    return true;
  };
  const lead = terms[0];
  for (let i = index.baseStart(lead), end = index.baseEnd(lead); i < end; i++) {
    if (check(index.docs[i])) return true;
    if (--budget <= 0) return true;
  }
  for (const d of index.deltaDocs[lead] ?? []) {
    if (check(d)) return true;
    if (--budget <= 0) return true;
  }
  return false;
}

function present(alts: (Alt | null)[]): Alt[] {
  return alts.filter((a): a is Alt => a !== null);
}

/** A word as typed (Han word, Latin word, number, model code). */
export function literalUnit(text: string, kind: TokenKind, parts: readonly string[], ctx: PlanContext): Unit {
  const alts: (Alt | null)[] = [exactAlt(ctx.main, [text], W.exact)];
  if (kind === 'han') {
    if (parts.length > 1) alts.push(exactAlt(ctx.main, parts, W.parts));
    alts.push(gramAlt(ctx, text, 1));
  } else if (kind === 'alnum' || kind === 'other') {
    const inner = subTerms(text, kind);
    if (inner.length > 0) alts.push(exactAlt(ctx.main, inner, W.parts));
  } else if (kind === 'latin') {
    // A known Latin word may also be the pinyin of a Han word ("shouji" in a shop name, and 手机).
    const reading = readingUnit(text, ctx);
    if (reading) return { label: text, kind, source: text, alts: [...present(alts), ...reading.alts], sound: text };
  }
  return { label: text, kind, source: text, alts: present(alts) };
}

/**
 * A pinyin word read as the Han words it may stand for (qinzi → 亲子), or null. A single
 * syllable also reads as any character with that sound (dao → 刀 even where 刀 is not a word).
 */
export function readingUnit(key: string, ctx: PlanContext): Unit | null {
  const ids = byFrequency(ctx.main, ctx.pinyin.full(key), MAX_READINGS);
  if (ids.length === 0) return null;
  const alts: (Alt | null)[] = [];
  for (const id of ids) {
    const han = ctx.main.terms[id];
    alts.push({ grams: false, terms: [id], weight: W.pinyin, needles: [han] }, gramAlt(ctx, han, W.pinyin));
  }
  const chars = ctx.sounds.chars(key).map((c) => ctx.grams.lookupGram(c));
  for (const id of byFrequency(ctx.grams, chars.filter((id) => id >= 0), MAX_CHARS)) {
    const char = ctx.grams.term(id);
    if (!ids.some((t) => ctx.main.terms[t] === char)) alts.push({ grams: true, terms: [id], weight: W.pinyin * W.gram, needles: [char] });
  }
  return { label: ctx.main.terms[ids[0]], kind: 'pinyin', source: key, alts: present(alts), sound: key };
}

/** An unknown Latin word: typo corrections, else pinyin initials ("sj" → 手机). May have no alternatives. */
export function fuzzyLatinUnit(word: string, ctx: PlanContext): Unit {
  const alts: Alt[] = [];
  for (const near of ctx.latin.near(word, typoBudget(word), 3, (w) => known(ctx.main, w))) {
    alts.push({ grams: false, terms: [ctx.main.lookup(near.word)], weight: W.typo, needles: [near.word] });
  }
  if (alts.length === 0 && word.length >= 2 && word.length <= 4) {
    for (const id of byFrequency(ctx.main, ctx.pinyin.initials(word), 5)) {
      alts.push({ grams: false, terms: [id], weight: W.initials, needles: [ctx.main.terms[id]] });
    }
  }
  return { label: word, kind: 'latin', source: word, alts };
}
