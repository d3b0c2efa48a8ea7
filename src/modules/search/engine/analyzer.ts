/**
 * Turns folded text (see normalize.ts) into terms.
 * Index time: jieba search mode (words and the shorter words inside them), plus the parts
 * of letter+digit words ("iphone13" → iphone, 13) and numbers joined to their unit ("15.6寸").
 * Query time: jieba's plain mode, with offsets, so each token is one thing the shopper typed.
 * Han bigrams are indexed separately so that words jieba segments differently still match.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { isHanCode } from './normalize.ts';

let jieba: Jieba | null = null;
function segmenter(): Jieba {
  return (jieba ??= Jieba.withDict(dict));
}

export type TokenKind = 'han' | 'latin' | 'num' | 'alnum' | 'other';

/** Units and counters a number stays glued to: "15.6寸", "500ml", "3件". */
const UNITS = new Set(
  ('寸 英寸 吋 尺 米 厘米 毫米 公分 克 千克 公斤 斤 两 升 毫升 码 号 元 块 岁 度 瓦 伏 安 毫安 匹 位 ' +
    '件 个 只 双 条 片 粒 支 袋 盒 瓶 包 套 张 卷 斤装 寸屏 g kg mg ml l cm mm m t w v mah hz gb mb tb p k').split(' '),
);

const STOP_WORDS = new Set('的 了 和 与 及 或 之 是 在 等 也 都 把 被 就 而 着'.split(' '));

export function tokenKind(token: string): TokenKind | null {
  if (/^[a-zü]+$/.test(token)) return 'latin'; // ü: pinyin as some type it (nü, lü)
  if (/^\d+(?:\.\d+)?$/.test(token)) return 'num';
  let han = 0;
  for (let i = 0; i < token.length; i++) if (isHanCode(token.charCodeAt(i))) han++;
  if (han === token.length) return 'han';
  if (han === 0 && /^[a-z0-9.]+$/.test(token) && /[a-z]/.test(token) && /\d/.test(token)) return 'alnum';
  if (/[\p{L}\p{N}]/u.test(token)) return 'other';
  return null; // whitespace, punctuation, emoji
}

/** Letter runs and digit runs of a mixed word, at least 2 characters each. */
export function alnumParts(token: string): string[] {
  return (token.match(/[a-z]+|\d+(?:\.\d+)?/g) ?? []).filter((p) => p.length >= 2);
}

/**
 * The searchable pieces inside a model code or mixed token, also indexed on their own:
 * "iphone13" → iphone, 13; "redsun12-120" → redsun12, 120, redsun, 12.
 */
export function subTerms(token: string, kind: TokenKind): string[] {
  if (kind === 'alnum') return alnumParts(token);
  if (kind !== 'other') return [];
  // Glued to Han ("t恤", "v领", "u盘") even one letter is a word of its own.
  const minimum = /\p{Script=Han}/u.test(token) ? 1 : 2;
  const out: string[] = [];
  for (const word of token.split(/[^a-z0-9.]+/)) {
    if (word.length < minimum || word === token || !/[a-z0-9]/.test(word)) continue;
    out.push(word);
    if (/[a-z]/.test(word) && /\d/.test(word)) out.push(...alnumParts(word));
  }
  return out;
}

/** Appends the index terms of a folded text to out (repeats kept: they are term frequencies). */
export function indexTerms(folded: string, out: string[]): void {
  if (folded.length === 0) return;
  const raw = segmenter().cutForSearch(folded, true);
  for (let i = 0; i < raw.length; i++) {
    const token = raw[i];
    const kind = tokenKind(token);
    if (kind === null || STOP_WORDS.has(token)) continue;
    if (kind === 'num' && i + 1 < raw.length && UNITS.has(raw[i + 1])) {
      out.push(token + raw[i + 1], token);
      i++;
      continue;
    }
    out.push(token);
    if (kind === 'alnum' || kind === 'other') for (const part of subTerms(token, kind)) out.push(part);
  }
}

/**
 * The Han characters and the bigrams of each Han run, as codes: a character is its char code,
 * a bigram (first char code << 16 | second). Together they make any Han substring searchable.
 */
export function hanGrams(folded: string, out: number[]): void {
  let previous = 0;
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if (!isHanCode(c)) {
      previous = 0;
      continue;
    }
    out.push(c);
    if (previous !== 0) out.push(previous * 0x10000 + c);
    previous = c;
  }
}

export interface QueryToken {
  text: string;
  kind: TokenKind;
  /** Offsets in the folded query. */
  start: number;
  end: number;
  /** True when something (a space, punctuation) separates this token from the previous one. */
  gap: boolean;
}

/** Tokens of a folded query, at most max of them. */
export function queryTokens(folded: string, max: number): QueryToken[] {
  const out: QueryToken[] = [];
  if (folded.length === 0) return out;
  const raw = segmenter().cut(folded, true);
  let pos = 0;
  let gap = true;
  for (let i = 0; i < raw.length && out.length < max; i++) {
    const token = raw[i];
    const at = folded.startsWith(token, pos) ? pos : folded.indexOf(token, pos);
    const start = at < 0 ? pos : at;
    pos = start + token.length;
    const kind = tokenKind(token);
    if (kind === null || STOP_WORDS.has(token)) {
      gap = true;
      continue;
    }
    if (kind === 'num' && i + 1 < raw.length && UNITS.has(raw[i + 1]) && folded.startsWith(raw[i + 1], pos)) {
      const unit = raw[++i];
      pos += unit.length;
      out.push({ text: token + unit, kind: 'alnum', start, end: pos, gap });
    } else {
      out.push({ text: token, kind, start, end: pos, gap });
    }
    gap = false;
  }
  return out;
}
