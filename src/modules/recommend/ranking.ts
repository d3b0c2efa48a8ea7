import { topCategory } from '../profiles/fold.ts';
import type { SearchDocument } from '../search/engine/types.ts';

/** Where a candidate came from: one of the engine's recallers or a recaller of the surfaces. */
export type Recaller =
  | 'transitions' | 'sessionKnn' | 'attributePopularity' | 'embeddings' | 'popularity'
  | 'categoryPopular' | 'newArrival' | 'crowd' | 'content' | 'editorial' | 'boughtTogether';

export interface Candidate {
  productId: string;
  /** 0..1 within its recaller. */
  score: number;
  recaller: Recaller;
  /** The history product that led here, for "because you viewed X". */
  because?: string;
}

/** What ranking may know of the person; everything is empty when personalisation is off. */
export interface PersonContext {
  affinity?: (category?: string, brand?: string) => number;
  priceBand?: 'low' | 'mid' | 'high';
  categoryMedian: (category?: string) => number | undefined;
}

export interface RankedItem extends Candidate {
  doc: SearchDocument;
  final: number;
  /** The leaf and top-level category, for the diversity caps. */
  leaf: string;
  top: string;
}

/** Recallers whose candidates stand on their own: a small bonus keeps them from sinking. */
const RECALLER_PRIOR: Record<Recaller, number> = {
  transitions: 1, sessionKnn: 1, embeddings: 0.9, attributePopularity: 0.8, boughtTogether: 1, content: 0.9, crowd: 0.7, categoryPopular: 0.6, editorial: 0.6, newArrival: 0.5, popularity: 0.4,
};
const AFFINITY_WEIGHT = 0.5;
const GMV_WEIGHT = 0.15;
const SERVICE_WEIGHT = 0.05;
const PRICE_BAND_WEIGHT = 0.05;

/**
 * Scores merged candidates: the recaller's own score, lifted by the person's affinity for
 * the category and brand and by the item's sales and service, and a little by a price that
 * fits the person's usual band. A product found by several recallers counts once, under the
 * recaller that put it forward most strongly.
 */
export function rankCandidates(
  candidates: Candidate[],
  docOf: (id: string) => SearchDocument | undefined,
  person: PersonContext,
  item: { gmvShare: (id: string) => number; service: (merchantId: string) => number },
): RankedItem[] {
  const strongest = new Map<string, Candidate>();
  for (const c of candidates) {
    const previous = strongest.get(c.productId);
    if (!previous || previous.score * RECALLER_PRIOR[previous.recaller] < c.score * RECALLER_PRIOR[c.recaller]) strongest.set(c.productId, c);
  }
  const ranked: RankedItem[] = [];
  for (const c of strongest.values()) {
    const doc = docOf(c.productId);
    if (!doc) continue;
    const affinity = person.affinity?.(doc.category, doc.brand) ?? 0;
    const final =
      c.score * RECALLER_PRIOR[c.recaller] * (1 + AFFINITY_WEIGHT * affinity) +
      GMV_WEIGHT * item.gmvShare(doc.id) + SERVICE_WEIGHT * item.service(doc.merchantId) + PRICE_BAND_WEIGHT * priceFit(doc, person);
    const leaf = doc.category ?? '';
    ranked.push({ productId: c.productId, score: c.score, recaller: c.recaller, because: c.because, doc, final, leaf, top: topCategory(leaf) });
  }
  return ranked.sort((a, b) => b.final - a.final || (a.productId < b.productId ? -1 : 1));
}

/** 1 when the item's price against its category median falls in the person's band. */
function priceFit(doc: SearchDocument, person: PersonContext): number {
  if (!person.priceBand) return 0;
  const median = person.categoryMedian(doc.category);
  if (!median) return 0;
  const index = doc.price / median;
  const band = index < 0.75 ? 'low' : index > 1.33 ? 'high' : 'mid';
  return band === person.priceBand ? 1 : 0;
}

export interface Rules {
  /** Products never shown: bought lately, blocked by the shopper, in the history, the page's own product. */
  exclude: Set<string>;
  /** Per window of `window` items: at most this many of one leaf category, and of one top-level category. */
  window: number;
  perLeafCategory: number;
  perTopCategory: number;
  /** At least one new arrival in each window when there is one. */
  newArrivalEvery: number;
}

export const FEED_RULES: Omit<Rules, 'exclude'> = { window: 10, perLeafCategory: 3, perTopCategory: 5, newArrivalEvery: 10 };

/**
 * Business rules and diversity, greedily in rank order: only sellable products (active,
 * in stock), nothing excluded, no near-duplicate titles, category caps per window, and a
 * fair share of new arrivals. Items held back by a cap come after, in rank order.
 */
export function applyRules(ranked: RankedItem[], rules: Rules, limit: number): RankedItem[] {
  const eligible = ranked.filter((r) => r.doc.inStock && !rules.exclude.has(r.productId));
  const out: RankedItem[] = [];
  const held: RankedItem[] = [];
  const titles = new Set<string>();
  const newArrivals = eligible.filter((r) => r.recaller === 'newArrival');
  for (const r of eligible) {
    if (out.length >= limit) break;
    const title = nearDuplicateKey(r.doc);
    if (titles.has(title)) continue;
    if (!fitsWindow(out, r, rules)) {
      held.push(r);
      continue;
    }
    if (r.recaller === 'newArrival') newArrivals.splice(newArrivals.indexOf(r), 1);
    out.push(r);
    titles.add(title);
    if (out.length % rules.newArrivalEvery === rules.newArrivalEvery - 1 && !lastWindowHasNew(out, rules)) {
      const fresh = newArrivals.shift();
      if (fresh && !titles.has(nearDuplicateKey(fresh.doc))) {
        out.push(fresh);
        titles.add(nearDuplicateKey(fresh.doc));
      }
    }
  }
  for (const r of held) {
    if (out.length >= limit) break;
    const title = nearDuplicateKey(r.doc);
    if (titles.has(title) || out.includes(r)) continue;
    out.push(r);
    titles.add(title);
  }
  return out.slice(0, limit);
}

function fitsWindow(out: RankedItem[], r: RankedItem, rules: Rules): boolean {
  let sameLeaf = 0;
  let sameTop = 0;
  for (let i = Math.max(0, out.length - (rules.window - 1)); i < out.length; i++) {
    if (out[i].leaf === r.leaf) sameLeaf++;
    if (out[i].top === r.top) sameTop++;
  }
  return sameLeaf < rules.perLeafCategory && sameTop < rules.perTopCategory;
}



function lastWindowHasNew(out: RankedItem[], rules: Rules): boolean {
  return out.slice(-rules.newArrivalEvery).some((x) => x.recaller === 'newArrival');
}

/** Same brand and the same title once spaces, case and bracketed notes are dropped: a near-duplicate listing. */
export function nearDuplicateKey(doc: SearchDocument): string {
  let key = duplicateKeys.get(doc);
  if (key === undefined) {
    const title = doc.title.toLowerCase().replace(/[【\[(（].*?[】\])）]/g, '').replace(/\s+/g, '');
    duplicateKeys.set(doc, (key = `${doc.brand ?? ''}|${title}`));
  }
  return key;
}

/** Keys by document object: a product's document is replaced when it changes, so its key goes with it. */
const duplicateKeys = new WeakMap<SearchDocument, string>();

/** A product's title in Chinese, and in English when the store gave one. */
export type TitleOf = (id: string) => { zh: string; en?: string } | undefined;

/** A title to quote in each language: the Chinese one where there is no English one. */
export const quoted = (title: ReturnType<TitleOf>) => title && { zh: title.zh, en: title.en || title.zh };

/** A reason a person can read, in Chinese and English (quoting the English title where there is one). */
export function reasonOf(c: Candidate, titleOf: TitleOf, category?: string): { zh: string; en: string } {
  const because = quoted(c.because ? titleOf(c.because) : undefined);
  const top = category?.split('/')[0];
  switch (c.recaller) {
    case 'transitions':
    case 'sessionKnn':
    case 'embeddings':
      return because ? { zh: `因为你看过「${because.zh}」`, en: `because you viewed "${because.en}"` } : { zh: '根据你最近的浏览', en: 'based on what you viewed lately' };
    case 'boughtTogether':
      return because ? { zh: `常与「${because.zh}」一起购买`, en: `often bought with "${because.en}"` } : { zh: '常一起购买', en: 'often bought together' };
    case 'attributePopularity':
    case 'categoryPopular':
      return top ? { zh: `「${top}」本周热门`, en: `popular in ${top} this week` } : { zh: '你常逛的类目热门', en: 'popular in categories you browse' };
    case 'crowd':
      return { zh: '和你兴趣相似的人也喜欢', en: 'liked by people with interests like yours' };
    case 'content':
      return { zh: '出现在你看过的笔记或直播中', en: 'featured in a note or livestream you watched' };
    case 'newArrival':
      return { zh: '新品上架', en: 'new arrival' };
    case 'editorial':
      return { zh: '编辑精选', en: "editors' pick" };
    case 'popularity':
      return { zh: '近期热销', en: 'selling well lately' };
  }
}
