/**
 * Scores documents against query units. Works on dense scratch arrays indexed by slot
 * (allocated once, cleared only where touched), so a query allocates almost nothing.
 * Per document: a bit per matched unit (hence at most 32 units), and the sum over units
 * of the unit's best alternative score.
 *
 * Two modes. "all": only documents matching every unit matter, so units run rarest first
 * and a common unit ("女", "新款") is checked on the few candidates left by binary search
 * instead of scanning its long postings. "any": every unit is scanned, so each document
 * knows how many units it matched (for the relaxed fallback and "did you mean").
 */
import type { InvertedIndex } from './inverted-index.ts';
import type { Alt, Unit } from './units.ts';
import { GRAM_POSTING_WEIGHT, idf, termScore } from './scoring.ts';

/** Postings visited per query before the remaining alternatives are skipped. */
const POSTING_BUDGET = 1_000_000;
/** Checking one candidate by binary search costs about this many sequential postings. */
const LOOKUP_COST = 8;

export interface MatchSources {
  main: InvertedIndex;
  grams: InvertedIndex;
  alive: Uint8Array;
  /** Live documents (N of the idf). */
  documents: number;
}

export class Matcher {
  score = new Float32Array(0);
  mask = new Uint32Array(0);
  /** Slots with a non-zero mask, in the order first matched; valid up to `touchedCount`. */
  touched = new Int32Array(0);
  touchedCount = 0;
  /** Scratch list of candidate slots for the caller (as large as the slot count). */
  candidates = new Int32Array(0);
  /** Documents matched per unit in the last run. */
  unitHits: number[] = [];
  private unitScore = new Float32Array(0);
  private unitTouched = new Int32Array(0);
  private unitTouchedCount = 0;
  private budget = 0;

  /** Runs the units; results stay in score/mask/touched until the next clear(). */
  run(units: readonly Unit[], sources: MatchSources, slots: number, mode: 'all' | 'any'): void {
    this.prepare(slots);
    this.budget = POSTING_BUDGET;
    this.unitHits = units.map(() => 0);
    const cost = units.map((unit) => scanCost(unit, sources));
    const order = units.map((_, u) => u);
    if (mode === 'all') order.sort((a, b) => cost[a] - cost[b]);
    let required = 0; // bits of the units done so far
    let candidates = 0; // documents holding all of them
    for (const u of order) {
      const bit = (1 << u) >>> 0;
      const lookups = candidates * units[u].alts.reduce((n, alt) => n + alt.terms.length, 0) * LOOKUP_COST;
      if (mode === 'all' && required !== 0 && lookups < cost[u]) candidates = this.check(units[u], bit, required, sources);
      else candidates = this.scan(units[u], bit, required, sources);
      this.unitHits[u] = this.unitTouchedCount;
      required = (required | bit) >>> 0;
      if (mode === 'all' && candidates === 0) return; // no document can hold every unit
    }
  }

  /** Scans every alternative's postings; returns how many documents now hold all required units and this one. */
  private scan(unit: Unit, bit: number, required: number, sources: MatchSources): number {
    this.unitTouchedCount = 0;
    for (const alt of unit.alts) this.matchAlt(alt, sources);
    let holding = 0;
    for (let i = 0; i < this.unitTouchedCount; i++) {
      const d = this.unitTouched[i];
      if (this.mask[d] === 0) this.touched[this.touchedCount++] = d;
      if ((this.mask[d] & required) >>> 0 === required) holding++;
      this.mask[d] = (this.mask[d] | bit) >>> 0;
      this.score[d] += this.unitScore[d];
      this.unitScore[d] = 0;
    }
    return holding;
  }

  /** Checks the unit on documents that hold all required units only; returns how many still do. */
  private check(unit: Unit, bit: number, required: number, { main, grams, documents }: MatchSources): number {
    const factors = unit.alts.map((alt) => altFactors(alt, alt.grams ? grams : main, documents));
    let kept = 0;
    this.unitTouchedCount = 0;
    for (let i = 0; i < this.touchedCount; i++) {
      const d = this.touched[i];
      if (this.mask[d] !== required) continue;
      let best = 0;
      unit.alts.forEach((alt, a) => {
        const index = alt.grams ? grams : main;
        let s = 0;
        for (let k = 0; k < alt.terms.length && s >= 0; k++) {
          const w = index.find(alt.terms[k], d);
          s = w < 0 ? -1 : s + factors[a][k] * w;
        }
        if (s > best) best = s;
      });
      if (best > 0) {
        this.mask[d] = (this.mask[d] | bit) >>> 0;
        this.score[d] += best;
        this.unitTouchedCount++;
        kept++;
      }
    }
    return kept;
  }

  clear(): void {
    for (let i = 0; i < this.touchedCount; i++) {
      const d = this.touched[i];
      this.score[d] = 0;
      this.mask[d] = 0;
    }
    this.touchedCount = 0;
  }

  /** Sizes the scratch arrays for this many slots and clears the last run. */
  prepare(slots: number): void {
    this.clear();
    if (this.score.length >= slots) return;
    const size = Math.max(1024, slots * 2);
    this.candidates = new Int32Array(size);
    this.score = new Float32Array(size);
    this.mask = new Uint32Array(size);
    this.touched = new Int32Array(size);
    this.unitScore = new Float32Array(size);
    this.unitTouched = new Int32Array(size);
  }

  /** Every document holding all of alt's terms scores the alternative; the unit keeps its best. */
  private matchAlt(alt: Alt, { main, grams, alive, documents }: MatchSources): void {
    const index = alt.grams ? grams : main;
    const terms = alt.terms.length === 1 ? alt.terms : [...alt.terms].sort((a, b) => index.df[a] - index.df[b]);
    const lead = terms[0];
    const delta = index.deltaDocs[lead];
    const visits = (index.baseEnd(lead) - index.baseStart(lead) + (delta?.length ?? 0)) * terms.length;
    if (visits > this.budget) return;
    this.budget -= visits;
    const factors = altFactors({ ...alt, terms }, index, documents);
    const { unitScore, unitTouched } = this;
    let touched = this.unitTouchedCount;
    for (let segment = 0; segment < 2; segment++) {
      const docs: ArrayLike<number> | undefined = segment === 0 ? index.docs : delta;
      const weights: ArrayLike<number> | null | undefined = alt.grams ? null : segment === 0 ? index.weights : index.deltaWeights[lead];
      if (!docs) continue;
      const from = segment === 0 ? index.baseStart(lead) : 0;
      const to = segment === 0 ? index.baseEnd(lead) : docs.length;
      postings: for (let i = from; i < to; i++) {
        const d = docs[i];
        if (!alive[d]) continue;
        let s = weights ? factors[0] * weights[i] : factors[0];
        for (let k = 1; k < terms.length; k++) {
          const w = index.find(terms[k], d);
          if (w < 0) continue postings;
          s += factors[k] * w;
        }
        const previous = unitScore[d];
        if (previous === 0) unitTouched[touched++] = d;
        if (s > previous) unitScore[d] = s;
      }
    }
    this.unitTouchedCount = touched;
  }
}

/** Per term of alt: score = Σ factor[k] * posting weight[k] (bigram postings weigh 1 and share the alternative's weight). */
function altFactors(alt: Alt, index: InvertedIndex, documents: number): number[] {
  const scale = alt.grams ? (alt.weight * GRAM_POSTING_WEIGHT) / alt.terms.length : alt.weight;
  return alt.terms.map((t) => termScore(1, idf(index.df[t], documents)) * scale);
}

/** Postings a scan of the unit would visit. */
function scanCost(unit: Unit, { main, grams }: MatchSources): number {
  let cost = 0;
  for (const alt of unit.alts) {
    const index = alt.grams ? grams : main;
    let lead = Infinity;
    for (const t of alt.terms) lead = Math.min(lead, index.df[t]);
    cost += lead * alt.terms.length;
  }
  return cost;
}
