/**
 * Title highlighting: the matched terms are searched in the folded title, and the marks
 * are mapped back to the original characters, so "ＡＢＣ手機" highlights for "abc 手机".
 * Everything outside <em> is HTML-escaped, and so is the text inside.
 */
import { escapeHtml, foldWithOffsets } from './normalize.ts';

const MAX_NEEDLES = 64;
let scratch = new Uint8Array(256); // reused: one allocation per title would keep the GC busy

/** needles: folded strings, without repeats (the caller dedupes once per query). */
export function highlight(title: string, needles: readonly string[]): string {
  if (!title) return '';
  const folded = foldWithOffsets(title);
  const { text, from, to } = folded;
  if (scratch.length < title.length) scratch = new Uint8Array(title.length * 2);
  const marked = scratch.fill(0, 0, title.length);
  let count = 0;
  for (const needle of needles) {
    if (count++ >= MAX_NEEDLES) break;
    if (!needle || (needle.length === 1 && needle.charCodeAt(0) < 0x80)) continue; // a lone "1" or "g" would light up everything
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
      if (from && to) for (let i = at; i < at + needle.length; i++) marked.fill(1, from[i], to[i]);
      else marked.fill(1, at, at + needle.length);
    }
  }
  let out = '';
  for (let i = 0; i < title.length; ) {
    let j = i;
    while (j < title.length && marked[j] === marked[i]) j++;
    const text = escapeHtml(title.slice(i, j));
    out += marked[i] ? `<em>${text}</em>` : text;
    i = j;
  }
  return out;
}
