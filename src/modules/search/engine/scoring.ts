/**
 * BM25F. A term's frequencies in the document's fields are length-normalised per field,
 * weighted and summed (tf~), then saturated once: tf~ / (k1 + tf~). That saturated value
 * is what the index stores per posting; a query multiplies it by idf * (k1 + 1).
 */
import type { SearchDocument } from './types.ts';

export const FIELDS = ['title', 'brand', 'category', 'attributes', 'merchant'] as const;
export const FIELD_COUNT = FIELDS.length;
/** Brand and title high, category medium, attributes and merchant low. */
const FIELD_WEIGHT = [2.0, 2.5, 1.2, 0.6, 0.5];
/** Length normalisation per field: titles vary in length, the short fields hardly. */
const FIELD_B = [0.75, 0.3, 0.3, 0.5, 0.3];
const K1 = 1.2;

/** Term frequency per field, packed 6 bits each (capped at 63) into one uint32. */
export const TF_BITS = 6;
const TF_MAX = (1 << TF_BITS) - 1;

export function addTf(packed: number, field: number): number {
  const shift = field * TF_BITS;
  const tf = (packed >>> shift) & TF_MAX;
  return tf === TF_MAX ? packed : (packed + (1 << shift)) >>> 0;
}

/** The field texts of a document, in FIELDS order. */
export function fieldTexts(doc: SearchDocument): string[] {
  const title = doc.titleEn ? `${doc.title} ${doc.titleEn}` : doc.title;
  const attributes = doc.attributes ? Object.values(doc.attributes).filter((v) => typeof v === 'string').join(' ') : '';
  return [title ?? '', doc.brand ?? '', (doc.category ?? '').replaceAll('/', ' '), attributes, doc.merchantName ?? ''];
}

/** Saturated BM25F term frequency of one posting. */
export function postingWeight(packed: number, lengths: ArrayLike<number>, averages: ArrayLike<number>): number {
  let tf = 0;
  for (let f = 0; f < FIELD_COUNT; f++) {
    const n = (packed >>> (f * TF_BITS)) & TF_MAX;
    if (n === 0) continue;
    const norm = 1 - FIELD_B[f] + (FIELD_B[f] * lengths[f]) / (averages[f] || 1);
    tf += (FIELD_WEIGHT[f] * n) / norm;
  }
  return tf / (K1 + tf);
}

export function idf(df: number, documents: number): number {
  return Math.log(1 + (documents - df + 0.5) / (df + 0.5));
}

/** Score of a stored posting weight. */
export function termScore(weight: number, termIdf: number): number {
  return termIdf * (K1 + 1) * weight;
}

/** What a bigram posting (unweighted) scores: as if it were a single mid-length title hit. */
export const GRAM_POSTING_WEIGHT = 0.5;
