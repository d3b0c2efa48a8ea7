/**
 * "Did you mean": for the units that matched nothing, a nearby known word.
 * Latin: one edit more than search tolerates, at most 2 ("iphnoe" is found anyway, "ipbome" is not).
 * Mistyped pinyin: the nearest known pinyin with the same first letter, shown in Han ("shuoji" → 手机).
 * Han: a more frequent word that sounds the same (平果 → 苹果), the usual Chinese typo.
 */
import { isHan } from './normalize.ts';
import { pinyinOf } from './pinyin.ts';
import type { PlanContext, Unit } from './units.ts';
import { typoBudget } from './typos.ts';

function mostFrequent(ctx: PlanContext, ids: readonly number[], not: string): string | null {
  let best = -1;
  for (const id of ids) {
    if (ctx.main.df[id] > 0 && ctx.main.terms[id] !== not && (best < 0 || ctx.main.df[id] > ctx.main.df[best])) best = id;
  }
  return best < 0 ? null : ctx.main.terms[best];
}

export function correction(unit: Unit, ctx: PlanContext): string | null {
  const known = (w: string) => {
    const id = ctx.main.lookup(w);
    return id >= 0 && ctx.main.df[id] > 0;
  };
  if (unit.kind === 'latin' && /^[a-z]{3,}$/.test(unit.source)) {
    const edits = Math.min(2, typoBudget(unit.source) + 1);
    const latin = ctx.latin.near(unit.source, edits, 1, known)[0];
    const hasTerm = (k: string) => mostFrequent(ctx, ctx.pinyin.full(k), '') !== null;
    const key = ctx.pinyin.keyList.near(unit.source, edits, 1, hasTerm, true)[0];
    if (latin && (!key || latin.distance <= key.distance)) return latin.word;
    if (key) return mostFrequent(ctx, ctx.pinyin.full(key.word), '');
    return null;
  }
  if ((unit.kind === 'han' || unit.kind === 'pinyin') && isHan(unit.label)) {
    const sound = pinyinOf(unit.label);
    return sound ? mostFrequent(ctx, ctx.pinyin.full(sound.full), unit.label) : null;
  }
  return null;
}

/** Joins labels back into a query: a space only next to Latin or digits. */
export function joinLabels(labels: readonly string[]): string {
  let out = '';
  for (const label of labels) {
    if (out && (/[a-z0-9]$/.test(out) || /^[a-z0-9]/.test(label))) out += ' ';
    out += label;
  }
  return out;
}

/** Candidate corrected queries, best first: every dead unit corrected, then one at a time. */
export function corrections(units: readonly Unit[], unitHits: readonly number[], ctx: PlanContext): string[] {
  const fixes = units.map((unit, u) => (unitHits[u] === 0 ? correction(unit, ctx) : null));
  if (fixes.every((f) => f === null)) return [];
  const labels = units.map((u) => u.label);
  const candidates = [joinLabels(labels.map((l, u) => fixes[u] ?? l))];
  fixes.forEach((fix, u) => {
    if (fix) candidates.push(joinLabels(labels.map((l, k) => (k === u ? fix : l))));
  });
  return [...new Set(candidates)].slice(0, 4);
}
