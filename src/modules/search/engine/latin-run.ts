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
    // A known word, as typed, beats any other reading of it alone (its pinyin readings are alternatives).
    if (known(ctx.main, word)) offer(i + 1, from, 0.9, [literalUnit(word, 'latin', [word], ctx)]);
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
    if (split) offer(i + 1, from, split.cost, split.units);
    // A typo reading costs 1.5: only worth looking for when nothing reads the word as one known word.
    // Left as an unknown word it costs more the shorter it is: "apple" should stay "apple" rather
    // than become a + pp + le, while 22 letters of pinyin are likely 5 or 6 words.
    if (!known(ctx.main, word) && (!split || split.cost > 1.5)) {
      const fuzzy = fuzzyLatinUnit(word, ctx);
      offer(i + 1, from, fuzzy.alts.length > 0 ? 1.5 : Math.max(3, 0.4 * word.length), [fuzzy]);
    }
  }
  return joinSounds(best[n]!.units, ctx);
}

/** Letters as the fewest known Latin words ("galaxyddr" → galaxy, ddr), or null. */
export function breakWords(letters: string, ctx: PlanContext): string[] | null {
  const split = splitLetters(letters, ctx, false);
  return split && split.units.length > 1 ? split.units.map((u) => u.label) : null;
}

/**
 * Letters as the fewest known words, pinyin or Latin: "qinzixie", "everlightled", "vryanjing"
 * (vr 眼镜). A lone letter is a word only beside pinyin ("vgang" → v缸, "txu" → t恤), so the
 * search keeps four states per position: with or without a pinyin word, with or without a lone letter.
 */
function splitLetters(letters: string, ctx: PlanContext, pinyin = true): { units: Unit[]; cost: number } | null {
  const n = letters.length;
  if (n === 0 || n > 64) return null;
  const PINYIN = 1;
  const LETTER = 2;
  const cost: number[][] = [0, 1, 2, 3].map(() => new Array(n + 1).fill(Infinity));
  const back: { from: number; state: number; pinyin: boolean }[][] = [0, 1, 2, 3].map(() => new Array(n + 1));
  cost[0][0] = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j <= Math.min(n, i + MAX_WORD); j++) {
      const piece = letters.slice(i, j);
      const readings = pinyin ? readingFrequency(piece, ctx) : 0;
      const id = readings > 0 ? -1 : ctx.main.lookup(piece);
      const latin = id >= 0 ? ctx.main.df[id] : 0;
      if (readings === 0 && latin === 0) continue;
      // About one per word; short pieces cost more, being weaker evidence (a single syllable
      // "xie", a two-letter "tv", a lone letter); a tiny frequency bonus breaks ties.
      const weak = readings > 0 ? (ctx.sounds.chars(piece).length > 0 ? 0.25 : 0) : piece.length >= 3 ? 0 : piece.length === 2 ? 0.15 : 0.5;
      const step = 1 + weak - Math.min(0.04, Math.log1p(readings + latin) / 400);
      const adds = (readings > 0 ? PINYIN : 0) | (readings === 0 && piece.length === 1 ? LETTER : 0);
      for (let state = 0; state < 4; state++) {
        if (cost[state][i] === Infinity) continue;
        const next = state | adds;
        if (cost[state][i] + step < cost[next][j]) {
          cost[next][j] = cost[state][i] + step;
          back[next][j] = { from: i, state, pinyin: readings > 0 };
        }
      }
    }
  }
  let state = [0, PINYIN, PINYIN | LETTER].reduce((a, b) => (cost[b][n] < cost[a][n] ? b : a));
  const total = cost[state][n];
  if (total === Infinity) return null;
  const units: Unit[] = [];
  for (let j = n; j > 0; ) {
    const { from, state: previous, pinyin: asPinyin } = back[state][j];
    const piece = letters.slice(from, j);
    units.unshift(asPinyin ? readingUnit(piece, ctx)! : literalUnit(piece, 'latin', [piece], ctx));
    [j, state] = [from, previous];
  }
  return { units, cost: total };
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
    while (units[i].sound && end + 1 < units.length && units[end + 1].sound) end++;
    let joined: Unit | null = null;
    // The longest stretch starting here that spells something indexed.
    for (let j = end; j > i && !joined; j--) {
      const syllables = ctx.sounds.syllables(units.slice(i, j + 1).map((u) => u.sound).join(''));
      joined = syllables ? soundUnit(syllables, ctx) : null;
      if (joined) i = j;
    }
    if (!joined && units[i].kind === 'pinyin') {
      // One pinyin word: also the sound-alike strings the vocabulary lacks as words (manpu → 螨扑 besides 满铺).
      const syllables = ctx.sounds.syllables(units[i].sound!);
      const alike = syllables ? soundUnit(syllables, ctx) : null;
      const have = new Set(units[i].alts.flatMap((a) => a.needles));
      if (alike) units[i].alts.push(...alike.alts.filter((a) => !have.has(a.needles[0])));
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
        const id = ctx.grams.lookupGram(state.last * 0x10000 + c);
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
