/**
 * From query text to units: one unit per thing the shopper asked for ("艾熙", "亲子鞋").
 * See units.ts for what a unit matches, latin-run.ts for how Latin words and pinyin are read.
 */
import { queryTokens, subTerms, type QueryToken, type TokenKind } from './analyzer.ts';
import { breakWords, readLatinRun } from './latin-run.ts';
import { fold } from './normalize.ts';
import { findSynonyms } from './synonyms.ts';
import { exactAlt, gramAlt, hasMatch, known, literalUnit, W, type Alt, type PlanContext, type Unit } from './units.ts';

export type { Alt, PlanContext, Unit } from './units.ts';

export const MAX_QUERY_CHARS = 256;
export const MAX_UNITS = 32;
const MAX_TOKENS = 64;

interface Piece {
  text: string;
  kind: TokenKind;
  parts: string[];
}

/**
 * Query tokens, with single Han characters regrouped: consecutive ones form one piece
 * ("臂" + "带" → 臂带), a lone one joins the word before it, else the word after it
 * ("亲子" + "鞋" → 亲子鞋), so that a word jieba does not know is still searched as one.
 */
function pieces(tokens: readonly QueryToken[]): Piece[] {
  const out: Piece[] = [];
  const single = (t: QueryToken | undefined) => t?.kind === 'han' && t.text.length === 1 && !t.gap;
  let glued = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'han' && t.text.length === 1) {
      const parts = [t.text];
      while (single(tokens[i + 1])) parts.push(tokens[++i].text);
      const last = out[out.length - 1];
      const next = tokens[i + 1];
      if (parts.length === 1 && last?.kind === 'han' && !t.gap && !glued) {
        last.text += t.text;
        last.parts.push(t.text);
        glued = true;
        continue;
      }
      if (parts.length === 1 && next?.kind === 'han' && !next.gap) {
        out.push({ text: t.text + next.text, kind: 'han', parts: [t.text, next.text] });
        i++;
        glued = true;
        continue;
      }
      out.push({ text: parts.join(''), kind: 'han', parts: parts.length > 1 ? parts : [t.text] });
    } else {
      out.push({ text: t.text, kind: t.kind, parts: [t.text] });
    }
    glued = false;
  }
  return out;
}

/** The labels a text would be searched as, before any vocabulary lookup (used to compile synonyms). */
export function queryLabels(text: string): string[] {
  return pieces(queryTokens(fold(String(text).slice(0, MAX_QUERY_CHARS)), MAX_TOKENS)).map((p) => p.text);
}

export function planQuery(q: string, ctx: PlanContext): Unit[] {
  const list = pieces(queryTokens(fold(q.slice(0, MAX_QUERY_CHARS)), MAX_TOKENS));
  const units: Unit[] = [];
  for (let i = 0; i < list.length; i++) {
    if (list[i].kind === 'latin') {
      let j = i;
      while (j + 1 < list.length && list[j + 1].kind === 'latin') j++;
      units.push(...readLatinRun(list.slice(i, j + 1).map((p) => p.text.replaceAll('ü', 'v')), ctx));
      i = j;
    } else if (list[i].kind === 'han') {
      units.push(...hanUnits(list[i], ctx));
    } else {
      units.push(codeUnit(list[i], ctx));
    }
  }
  applySynonyms(units, ctx);
  const seen = new Set<string>();
  return units.filter((u) => !seen.has(u.label) && seen.add(u.label)).slice(0, MAX_UNITS);
}

const MAX_SPLIT = 12;

/**
 * A Han piece no document holds, even as a substring, is usually two words run together
 * across a boundary jieba got wrong ("明一辅食" cut 明一辅/食): split it into the fewest
 * pieces that each occur somewhere (single characters only as a last resort).
 */
function hanUnits(piece: Piece, ctx: PlanContext): Unit[] {
  const whole = literalUnit(piece.text, 'han', piece.parts, ctx);
  const text = piece.text;
  if (text.length < 3 || text.length > MAX_SPLIT || whole.alts.some((a) => hasMatch(a, ctx)) || isSynonymTerm(text, ctx)) return [whole];
  const n = text.length;
  const cost: number[] = new Array(n + 1).fill(Infinity);
  const back: number[] = new Array(n + 1).fill(-1);
  cost[0] = 0;
  for (let i = 0; i < n; i++) {
    if (cost[i] === Infinity) continue;
    for (let j = i + 1; j <= n; j++) {
      if (j - i === n) continue;
      const sub = text.slice(i, j);
      const alt = j - i === 1 ? null : (exactAlt(ctx.main, [sub], W.exact) ?? gramAlt(ctx, sub, 1));
      const c = cost[i] + (j - i === 1 ? 1.6 : alt && hasMatch(alt, ctx) ? 1 : Infinity);
      if (c < cost[j]) {
        cost[j] = c;
        back[j] = i;
      }
    }
  }
  const units: Unit[] = [];
  for (let j = n; j > 0; j = back[j]) units.unshift(literalUnit(text.slice(back[j], j), 'han', [text.slice(back[j], j)], ctx));
  return units;
}

/** An operator's synonym term ("大哥大" = 手机) stays whole even when no document holds it. */
function isSynonymTerm(text: string, ctx: PlanContext): boolean {
  return ctx.synonyms.some((group) => group.variants.some((v) => v.length === 1 && v[0] === text));
}

/** Numbers and model codes; an unknown code may hold Latin words typed together ("galaxyddr5"). */
function codeUnit(piece: Piece, ctx: PlanContext): Unit {
  const unit = literalUnit(piece.text, piece.kind, piece.parts, ctx);
  if (unit.alts.length > 0) return unit;
  const words = subTerms(piece.text, piece.kind).flatMap((w) => (known(ctx.main, w) ? [w] : (breakWords(w, ctx) ?? [])));
  const alt = words.length > 0 ? exactAlt(ctx.main, words, W.parts) : null;
  if (alt) unit.alts.push(alt);
  return unit;
}

function applySynonyms(units: Unit[], ctx: PlanContext): void {
  if (ctx.synonyms.length === 0 || units.length === 0) return;
  const matches = findSynonyms(
    units.map((u) => u.label),
    ctx.synonyms,
  );
  for (const match of matches.reverse()) {
    const span = units.slice(match.start, match.end);
    const unit: Unit =
      span.length === 1
        ? span[0]
        : {
            label: span.map((u) => u.label).join(' '),
            kind: span[0].kind,
            source: span.map((u) => u.source).join(' '),
            alts: [exactAlt(ctx.main, span.map((u) => u.label), W.exact)].filter((a): a is Alt => a !== null),
          };
    for (const other of match.others) {
      const alt = exactAlt(ctx.main, other, W.synonym) ?? (other.length === 1 ? gramAlt(ctx, other[0], W.synonym) : null);
      if (alt) unit.alts.push(alt);
    }
    units.splice(match.start, span.length, unit);
  }
}
