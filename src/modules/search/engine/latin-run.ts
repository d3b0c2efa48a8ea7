/**
 * Reading a run of Latin words. "apple iphone" is two English words, "qin zi xie" and
 * "qinzixie" are pinyin of 亲子鞋, "er ji" is pinyin of one word (耳机), "everlightled" is two
 * English words typed together, "iphnoe" is a typo. Each reading of a stretch of the run has a
 * cost (about one per word); the cheapest reading of the whole run wins.
 */
import {
  exactAlt,
  fuzzyLatinUnit,
  gramAlt,
  hasMatch,
  known,
  literalUnit,
  readingUnit,
  W,
  type Alt,
  type PlanContext,
  type Unit,
} from './units.ts';

const MAX_JOINED = 4; // typed words that may together be one pinyin word ("dui jiang ji")
const MAX_WORD = 24;
const BEAM = 16;

interface Reading {
  cost: number;
  units: Unit[];
}

export function readLatinRun(words: readonly string[], ctx: PlanContext): Unit[] {
  const n = words.length;
  const best: (Reading | null)[] = new Array(n + 1).fill(null);
  best[0] = { cost: 0, units: [] };
  const offer = (at: number, from: Reading, cost: number, units: Unit[]) => {
    const current = best[at];
    if (!current || from.cost + cost < current.cost) best[at] = { cost: from.cost + cost, units: [...from.units, ...units] };
  };
  for (let i = 0; i < n; i++) {
    const from = best[i];
    if (!from) continue;
    const word = words[i];
    if (known(ctx.main, word)) offer(i + 1, from, 1, [literalUnit(word, 'latin', [word], ctx)]);
    // Several typed words that are one pinyin or Latin word together.
    let joined = word;
    for (let j = i + 1; j < Math.min(n, i + MAX_JOINED); j++) {
      joined += words[j];
      const reading = readingUnit(joined, ctx);
      if (reading) offer(j + 1, from, 1, [reading]);
      else if (known(ctx.main, joined)) {
        // "kiss me" typed as one word or "lan*come" split by a symbol: either spelling matches.
        const unit = literalUnit(joined, 'latin', [joined], ctx);
        const apart = exactAlt(ctx.main, words.slice(i, j + 1), W.parts);
        if (apart) unit.alts.push(apart);
        offer(j + 1, from, 1, [unit]);
      }
    }
    const split = splitLetters(word, ctx);
    if (split) offer(i + 1, from, split.length === 1 ? 1 : split.length + 0.2, split);
    // A typo reading costs 1.5: only worth looking for when nothing reads the word as one known word.
    if (!known(ctx.main, word) && (!split || split.length > 1)) {
      const fuzzy = fuzzyLatinUnit(word, ctx);
      offer(i + 1, from, fuzzy.alts.length > 0 ? 1.5 : 4, [fuzzy]);
    }
  }
  return joinSounds(best[n]!.units, ctx);
}

/** Letters as the fewest known Latin words of 3+ letters ("galaxyddr" → galaxy, ddr), or null. */
export function breakWords(letters: string, ctx: PlanContext): string[] | null {
  const units = splitLetters(letters, ctx, false);
  return units && units.length > 1 ? units.map((u) => u.label) : null;
}

/** Letters as the fewest known words, pinyin or Latin: "qinzixie", "everlightled", "vryanjing" (vr 眼镜). */
function splitLetters(letters: string, ctx: PlanContext, pinyin = true): Unit[] | null {
  const n = letters.length;
  if (n === 0 || n > 64) return null;
  const cost: number[] = new Array(n + 1).fill(Infinity);
  const back: number[] = new Array(n + 1).fill(-1);
  const asPinyin: boolean[] = new Array(n + 1).fill(false);
  cost[0] = 0;
  for (let i = 0; i < n; i++) {
    if (cost[i] === Infinity) continue;
    for (let j = i + 1; j <= Math.min(n, i + MAX_WORD); j++) {
      const piece = letters.slice(i, j);
      const readings = pinyin ? readingFrequency(piece, ctx) : 0;
      const id = readings > 0 || piece.length < 2 ? -1 : ctx.main.lookup(piece);
      const latin = id >= 0 ? ctx.main.df[id] : 0;
      if (readings === 0 && latin === 0) continue;
      // One per word (short Latin words a bit more: "tv", "hd" should not beat pinyin on a tie);
      // a tiny frequency bonus only breaks ties between equally short splits.
      const c = cost[i] + (readings > 0 || piece.length >= 3 ? 1 : 1.1) - Math.min(0.04, Math.log1p(readings + latin) / 400);
      if (c < cost[j]) {
        cost[j] = c;
        back[j] = i;
        asPinyin[j] = readings > 0;
      }
    }
  }
  if (cost[n] === Infinity) return null;
  const units: Unit[] = [];
  for (let j = n; j > 0; j = back[j]) {
    const piece = letters.slice(back[j], j);
    units.unshift(asPinyin[j] ? readingUnit(piece, ctx)! : literalUnit(piece, 'latin', [piece], ctx));
  }
  return units;
}

/** Documents holding the Han words whose pinyin is key (0 when key is not known pinyin). */
function readingFrequency(key: string, ctx: PlanContext): number {
  let sum = 0;
  for (const id of ctx.pinyin.full(key)) sum += ctx.main.df[id];
  return sum;
}

/**
 * Pinyin readings next to each other ("shu" + "tiaoji", or "bi" + "dai") may spell one word
 * the vocabulary lacks or that was split the wrong way (薯条机, 臂带). If Han strings with
 * those sounds occur as such in some document, the stretch becomes one unit; else the
 * readings stay separate words.
 */
function joinSounds(units: Unit[], ctx: PlanContext): Unit[] {
  const out: Unit[] = [];
  for (let i = 0; i < units.length; i++) {
    let end = i;
    while (units[i].kind === 'pinyin' && end + 1 < units.length && units[end + 1].kind === 'pinyin') end++;
    let joined: Unit | null = null;
    // The longest stretch starting here that spells something indexed.
    for (let j = end; j > i && !joined; j--) {
      const syllables = ctx.sounds.syllables(units.slice(i, j + 1).map((u) => u.source).join(''));
      joined = syllables ? soundUnit(syllables, ctx) : null;
      if (joined) i = j;
    }
    out.push(joined ?? units[i]);
  }
  return out;
}

/** Han strings whose characters sound like the syllables and whose bigrams are all indexed, best first. */
export function soundUnit(syllables: readonly string[], ctx: PlanContext): Unit | null {
  if (syllables.length < 2 || syllables.length > 8) return null;
  // Beam search over characters: keep the BEAM strings whose bigrams are most frequent.
  let states = ctx.sounds.chars(syllables[0]).map((c) => ({ text: String.fromCharCode(c), last: c, score: 0 }));
  for (let k = 1; k < syllables.length && states.length > 0; k++) {
    const next: typeof states = [];
    const chars = ctx.sounds.chars(syllables[k]);
    for (const state of states) {
      for (const c of chars) {
        const id = ctx.grams.lookupBigram(state.last * 0x10000 + c);
        if (id >= 0 && ctx.grams.df[id] > 0) {
          next.push({ text: state.text + String.fromCharCode(c), last: c, score: state.score + Math.log1p(ctx.grams.df[id]) });
        }
      }
    }
    states = next.sort((a, b) => b.score - a.score).slice(0, BEAM);
  }
  const alts: Alt[] = [];
  let label = '';
  for (const { text } of states) {
    const gram = gramAlt(ctx, text, W.pinyin);
    if (!gram || !hasMatch(gram, ctx)) continue;
    label ||= text;
    const id = ctx.main.lookup(text);
    if (id >= 0 && ctx.main.df[id] > 0) alts.push({ grams: false, terms: [id], weight: W.pinyin, needles: [text] });
    alts.push(gram);
    if (alts.length >= 6) break;
  }
  return label ? { label, kind: 'pinyin', source: syllables.join(''), alts } : null;
}
