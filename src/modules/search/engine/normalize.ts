/**
 * Text folding shared by indexing, querying and highlighting:
 * NFKC (full-width ＡＢＣ１２３ → abc123), lower case, traditional → simplified Chinese.
 */
import * as OpenCC from 'opencc-js';

let tradToSimp: Uint16Array | null = null; // code unit → simplified code unit, 0 when unchanged
let phraseConverter: ((text: string) => string) | null = null;

/**
 * Builds the per-character table once, from OpenCC's Taiwan → mainland converter.
 * Characters of the GB2312 simplified set are left out: OpenCC maps some of them on
 * their own (么 → 幺, 著 → 着) although they are ordinary simplified characters.
 */
function table(): Uint16Array {
  if (tradToSimp) return tradToSimp;
  const convert = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const simplified = gb2312Hanzi();
  const chars: string[] = [];
  for (let c = 0x3400; c <= 0x9fff; c++) chars.push(String.fromCharCode(c));
  const converted = convert(chars.join('\n')).split('\n');
  const map = new Uint16Array(0x10000);
  if (converted.length === chars.length) {
    for (let i = 0; i < chars.length; i++) {
      const to = converted[i];
      if (to !== chars[i] && to.length === 1 && !simplified.has(chars[i])) map[chars[i].charCodeAt(0)] = to.charCodeAt(0);
    }
  }
  phraseConverter = convert;
  tradToSimp = map;
  return map;
}

function gb2312Hanzi(): Set<string> {
  const set = new Set<string>();
  try {
    const decoder = new TextDecoder('gbk');
    for (let hi = 0xb0; hi <= 0xf7; hi++) {
      for (let lo = 0xa1; lo <= 0xfe; lo++) set.add(decoder.decode(new Uint8Array([hi, lo])));
    }
  } catch {
    // Node built without full ICU: no GBK decoder, so every mapped character is converted.
  }
  return set;
}

/** NFKC + lower case + traditional → simplified. Length may change (NFKC, phrase conversion). */
export function fold(text: string): string {
  const map = table();
  const s = (needsNfkc(text) ? text.normalize('NFKC') : text).toLowerCase();
  for (let i = 0; i < s.length; i++) {
    // Only texts holding a traditional-only character pay for OpenCC's phrase-aware conversion.
    if (map[s.charCodeAt(i)] !== 0) return phraseConverter!(s);
  }
  return s;
}

/** Printable ASCII and common Han never change under NFKC; most titles are only that. */
function needsNfkc(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x7f ? c < 0x4e00 || c > 0x9fff : c < 0x20) return true;
  }
  return false;
}

export interface FoldedText {
  text: string;
  /** For each UTF-16 unit of text: start and end offsets of the original code point it came from; null when text lines up with the original one to one. */
  from: Int32Array | null;
  to: Int32Array | null;
}

/** Folds so that every folded character maps back to the original (for highlight). */
export function foldWithOffsets(original: string): FoldedText {
  const map = table();
  if (!needsNfkc(original)) {
    // Lower-casing ASCII and mapping Han one to one keep the length: no offsets needed.
    let text = original.toLowerCase();
    for (let i = 0; i < text.length; i++) {
      if (map[text.charCodeAt(i)] !== 0) {
        text = Array.from(text, (c) => (map[c.charCodeAt(0)] ? String.fromCharCode(map[c.charCodeAt(0)]) : c)).join('');
        break;
      }
    }
    return { text, from: null, to: null };
  }
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < original.length; ) {
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const plain = cp < 0x7f || (cp >= 0x4e00 && cp <= 0x9fff);
    let piece = plain ? original[i].toLowerCase() : original.slice(i, i + width).normalize('NFKC').toLowerCase();
    if (piece.length === 1 && map[piece.charCodeAt(0)] !== 0) piece = String.fromCharCode(map[piece.charCodeAt(0)]);
    text += piece;
    for (let k = 0; k < piece.length; k++) {
      from.push(i);
      to.push(i + width);
    }
    i += width;
  }
  return { text, from: Int32Array.from(from), to: Int32Array.from(to) };
}

export function isHanCode(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || c === 0x3007;
}

export function isHan(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!isHanCode(text.charCodeAt(i))) return false;
  return true;
}

export function isLatinWord(text: string): boolean {
  return /^[a-z]+$/.test(text);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}
