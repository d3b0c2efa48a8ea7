import type { SearchDocument } from './types.ts';

/** A growable Uint32Array (rebuild collects millions of postings without boxing numbers). */
export class U32Buffer {
  data = new Uint32Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

/** An integer in [min, max], or fallback when value is not a finite number. */
export function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const text = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : String(v));
const optionalText = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * A private, well-typed, frozen copy of a document (callers may reuse their objects), or
 * null when it has no usable id. Missing numbers become 0, missing texts empty.
 */
export function sanitizeDocument(doc: SearchDocument | null | undefined): SearchDocument | null {
  if (!doc || typeof doc !== 'object' || typeof doc.id !== 'string' || doc.id.length === 0) return null;
  const copy: SearchDocument = {
    id: doc.id,
    title: text(doc.title),
    merchantId: text(doc.merchantId),
    merchantKind: doc.merchantKind,
    price: number(doc.price),
    inStock: doc.inStock === true,
    sales: number(doc.sales),
    createdAt: number(doc.createdAt),
  };
  const titleEn = optionalText(doc.titleEn);
  const brand = optionalText(doc.brand);
  const category = optionalText(doc.category);
  const merchantName = optionalText(doc.merchantName);
  if (titleEn) copy.titleEn = titleEn;
  if (brand) copy.brand = brand;
  if (category) copy.category = category;
  if (merchantName) copy.merchantName = merchantName;
  if (doc.attributes && typeof doc.attributes === 'object') copy.attributes = Object.freeze({ ...doc.attributes });
  // Frozen: get() and documents() hand it out, and removing it later re-reads its text.
  return Object.freeze(copy);
}

/**
 * uint32 → int map with open addressing in two typed arrays: the bigram dictionary holds
 * hundreds of thousands of keys, and a JS Map of that size spends most of its time missing cache.
 * Key 0 is reserved for empty slots.
 */
export class CodeMap {
  private keys = new Uint32Array(1 << 12);
  private values = new Int32Array(1 << 12);
  size = 0;

  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let i = Math.imul(key, 0x9e3779b1) >>> 0 & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i];
      if (k === key) return this.values[i];
      if (k === 0) return -1;
    }
  }

  set(key: number, value: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    for (let i = Math.imul(key, 0x9e3779b1) >>> 0 & mask; ; i = (i + 1) & mask) {
      if (this.keys[i] === key || this.keys[i] === 0) {
        if (this.keys[i] === 0) this.size++;
        this.keys[i] = key;
        this.values[i] = value;
        return;
      }
    }
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.values = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.set(keys[i], values[i]);
  }
}
