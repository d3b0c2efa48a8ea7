/**
 * Operator-managed synonyms. Each term of a group is analysed into query labels once
 * ("mobile phone" → ["mobile", "phone"]); a query holding one term's labels in sequence
 * also matches the group's other terms. A group with `when` applies only if the query
 * also holds one of those terms (苹果 = iPhone only in a phone query).
 */
import type { Synonym } from './types.ts';

export interface CompiledSynonym {
  variants: string[][];
  when: string[][] | null;
}

export interface SynonymMatch {
  /** Span of query units [start, end) that one variant covers. */
  start: number;
  end: number;
  /** The group's other variants, as label sequences. */
  others: string[][];
}

const MAX_GROUPS = 10_000;
const MAX_TERMS = 32;

export function compileSynonyms(list: readonly Synonym[], labels: (text: string) => string[]): CompiledSynonym[] {
  const compiled: CompiledSynonym[] = [];
  for (const group of (Array.isArray(list) ? list : []).slice(0, MAX_GROUPS)) {
    if (!group || !Array.isArray(group.terms)) continue;
    const variants = analyse(group.terms, labels);
    if (variants.length < 2) continue;
    const when = Array.isArray(group.when) ? analyse(group.when, labels) : [];
    compiled.push({ variants, when: when.length > 0 ? when : null });
  }
  return compiled;
}

function analyse(terms: readonly unknown[], labels: (text: string) => string[]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const term of terms.slice(0, MAX_TERMS)) {
    if (typeof term !== 'string') continue;
    const sequence = labels(term);
    const key = sequence.join('\u0000');
    if (sequence.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push(sequence);
  }
  return out;
}

function occurrences(labels: readonly string[], sequence: readonly string[]): number[] {
  const at: number[] = [];
  for (let i = 0; i + sequence.length <= labels.length; i++) {
    let ok = true;
    for (let k = 0; k < sequence.length && ok; k++) ok = labels[i + k] === sequence[k];
    if (ok) at.push(i);
  }
  return at;
}

/** Synonym expansions for a query's unit labels; spans never overlap (longer spans win). */
export function findSynonyms(labels: readonly string[], synonyms: readonly CompiledSynonym[]): SynonymMatch[] {
  const bySpan = new Map<string, SynonymMatch>();
  for (const group of synonyms) {
    if (group.when && !group.when.some((w) => occurrences(labels, w).length > 0)) continue;
    for (const variant of group.variants) {
      for (const start of occurrences(labels, variant)) {
        const key = `${start}:${start + variant.length}`;
        const match = bySpan.get(key) ?? { start, end: start + variant.length, others: [] };
        for (const other of group.variants) if (other !== variant) match.others.push(other);
        bySpan.set(key, match);
      }
    }
  }
  const taken: SynonymMatch[] = [];
  for (const match of [...bySpan.values()].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start)) {
    if (taken.every((t) => match.end <= t.start || match.start >= t.end)) taken.push(match);
  }
  return taken.sort((a, b) => a.start - b.start);
}
