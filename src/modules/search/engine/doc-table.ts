/**
 * The documents as numbered slots, with the columns filters, facets and sorts read
 * (typed arrays, one entry per slot) and dictionaries for brand, category and merchant.
 */
import { fold } from './normalize.ts';
import type { FacetCount, MerchantKind, SearchDocument, SearchFilters } from './types.ts';

const KINDS: MerchantKind[] = ['self_operated', 'marketplace'];
const NO_KIND = 255;

/** Price facet bands in fen: [0, 50 yuan), [50, 100), ... [5000 yuan, ∞). */
export const PRICE_BANDS = [0, 5000, 10000, 20000, 50000, 100000, 200000, 500000];

export function priceBandLabel(band: number): string {
  const lo = PRICE_BANDS[band];
  const hi = PRICE_BANDS[band + 1];
  return hi === undefined ? `${lo}-` : `${lo}-${hi}`;
}

function priceBand(price: number): number {
  let band = 0;
  while (band + 1 < PRICE_BANDS.length && price >= PRICE_BANDS[band + 1]) band++;
  return band;
}

/** String ↔ number, keyed by a normalised form, remembering the first spelling seen and live counts. */
export class Dictionary {
  private readonly ids = new Map<string, number>();
  readonly keys: string[] = [];
  readonly display: string[] = [];
  live = new Int32Array(16);

  id(key: string): number {
    return this.ids.get(key) ?? -1;
  }

  private readonly byRaw = new Map<string, number>();

  /** intern() by the raw spelling, normalising it only the first time it is seen. */
  internRaw(raw: string, normalise: (raw: string) => string): number {
    let id = this.byRaw.get(raw);
    if (id === undefined) {
      id = this.intern(normalise(raw), raw.trim());
      if (this.byRaw.size < 1_000_000) this.byRaw.set(raw, id);
    }
    return id;
  }

  intern(key: string, display: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.ids.set(key, id);
      this.keys.push(key);
      this.display.push(display);
      if (id >= this.live.length) this.live = grow(this.live, id + 1);
    }
    return id;
  }
}

export function brandKey(brand: string): string {
  return fold(brand).trim();
}

export function categoryKey(path: string): string {
  return fold(path)
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean)
    .join('/');
}

/** Compiled filters: -2 means "not filtered"; another negative id means "matches nothing" (unknown value). */
export interface Filter {
  categories: Uint8Array | null;
  brand: number;
  merchant: number;
  kind: number;
  minPrice: number;
  maxPrice: number;
  inStock: boolean;
}

export class DocTable {
  docs: (SearchDocument | undefined)[] = [];
  private readonly slotOfId = new Map<string, number>();
  /** Slots used so far (live and dead). */
  slots = 0;
  live = 0;
  alive = new Uint8Array(1024);
  price = new Float64Array(1024);
  sales = new Float64Array(1024);
  createdAt = new Float64Array(1024);
  kind = new Uint8Array(1024);
  inStock = new Uint8Array(1024);
  /** Price band (PRICE_BANDS) per slot, for the price facet. */
  band = new Uint8Array(1024);
  brand = new Int32Array(1024);
  category = new Int32Array(1024);
  merchant = new Int32Array(1024);
  private counts = new Int32Array(64);
  private countedSize = 0;
  readonly brands = new Dictionary();
  readonly categories = new Dictionary();
  readonly merchants = new Dictionary();

  slotOf(id: string): number {
    return this.slotOfId.get(id) ?? -1;
  }

  add(doc: SearchDocument): number {
    const slot = this.slots++;
    if (slot >= this.alive.length) this.resize(this.alive.length * 2);
    this.docs[slot] = doc;
    this.slotOfId.set(doc.id, slot);
    this.alive[slot] = 1;
    this.live++;
    this.price[slot] = doc.price;
    this.band[slot] = priceBand(doc.price);
    this.sales[slot] = doc.sales;
    this.createdAt[slot] = doc.createdAt;
    const kind = KINDS.indexOf(doc.merchantKind);
    this.kind[slot] = kind < 0 ? NO_KIND : kind;
    this.inStock[slot] = doc.inStock ? 1 : 0;
    this.brand[slot] = doc.brand ? this.brands.internRaw(doc.brand, brandKey) : -1;
    this.category[slot] = doc.category ? this.categories.internRaw(doc.category, categoryKey) : -1;
    this.merchant[slot] = this.merchants.intern(doc.merchantId, doc.merchantId);
    for (const [dict, id] of [[this.brands, this.brand[slot]], [this.categories, this.category[slot]]] as const) {
      if (id >= 0) dict.live[id]++;
    }
    return slot;
  }

  kill(slot: number): void {
    if (!this.alive[slot]) return;
    this.alive[slot] = 0;
    this.live--;
    if (this.brand[slot] >= 0) this.brands.live[this.brand[slot]]--;
    if (this.category[slot] >= 0) this.categories.live[this.category[slot]]--;
    const doc = this.docs[slot]!;
    if (this.slotOfId.get(doc.id) === slot) this.slotOfId.delete(doc.id);
    this.docs[slot] = undefined;
  }

  /** Compiles filters, or null when nothing restricts. Unknown keys and bad values are ignored. */
  compile(filters: SearchFilters | undefined): Filter | null {
    if (!filters || typeof filters !== 'object') return null;
    const f: Filter = { categories: null, brand: -2, merchant: -2, kind: -2, minPrice: -Infinity, maxPrice: Infinity, inStock: false };
    let any = false;
    const category = typeof filters.category === 'string' ? categoryKey(filters.category) : '';
    if (category) {
      f.categories = new Uint8Array(this.categories.keys.length);
      this.categories.keys.forEach((key, id) => {
        if (key === category || key.startsWith(category + '/')) f.categories![id] = 1;
      });
      any = true;
    }
    const brand = typeof filters.brand === 'string' ? brandKey(filters.brand) : '';
    if (brand) [f.brand, any] = [this.brands.id(brand), true];
    if (typeof filters.merchantId === 'string') [f.merchant, any] = [this.merchants.id(filters.merchantId), true];
    if (KINDS.includes(filters.merchantKind as MerchantKind)) [f.kind, any] = [KINDS.indexOf(filters.merchantKind!), true];
    if (typeof filters.minPrice === 'number' && Number.isFinite(filters.minPrice)) [f.minPrice, any] = [filters.minPrice, true];
    if (typeof filters.maxPrice === 'number' && Number.isFinite(filters.maxPrice)) [f.maxPrice, any] = [filters.maxPrice, true];
    if (filters.inStock === true) [f.inStock, any] = [true, true];
    return any ? f : null;
  }

  passes(f: Filter, slot: number): boolean {
    if (f.categories !== null) {
      const c = this.category[slot];
      if (c < 0 || f.categories[c] !== 1) return false;
    }
    if (f.brand !== -2 && (f.brand < 0 || this.brand[slot] !== f.brand)) return false;
    if (f.merchant !== -2 && (f.merchant < 0 || this.merchant[slot] !== f.merchant)) return false;
    if (f.kind !== -2 && this.kind[slot] !== f.kind) return false;
    const price = this.price[slot];
    if (price < f.minPrice || price > f.maxPrice) return false;
    return !f.inStock || this.inStock[slot] === 1;
  }

  /** Counts per value over the given slots, most frequent first (price: bands in order). */
  facets(slots: Int32Array, n: number, wanted: readonly string[], top = 20): Record<string, FacetCount[]> {
    const out: Record<string, FacetCount[]> = {};
    for (const facet of new Set(wanted)) {
      if (facet === 'category') out.category = this.topValues(this.countColumn(this.category, this.categories.keys.length, slots, n), (v) => this.categories.display[v], top);
      else if (facet === 'brand') out.brand = this.topValues(this.countColumn(this.brand, this.brands.keys.length, slots, n), (v) => this.brands.display[v], top);
      else if (facet === 'merchantKind') out.merchantKind = this.topValues(this.countColumn(this.kind, KINDS.length, slots, n), (v) => KINDS[v], top);
      else if (facet === 'price') {
        const counts = this.countColumn(this.band, PRICE_BANDS.length, slots, n);
        out.price = [];
        for (let band = 0; band < PRICE_BANDS.length; band++) {
          if (counts[band] > 0) out.price.push({ value: priceBandLabel(band), count: counts[band] });
          counts[band] = 0;
        }
      }
    }
    return out;
  }

  private scratchCounts(size: number): Int32Array {
    if (this.counts.length < size) this.counts = new Int32Array(size * 2);
    return this.counts; // reused, and always left zeroed
  }

  private countColumn(column: Int32Array | Uint8Array, size: number, slots: Int32Array, n: number): Int32Array {
    const counts = this.scratchCounts(size);
    for (let i = 0; i < n; i++) {
      const v = column[slots[i]];
      if (v >= 0 && v < size) counts[v]++;
    }
    this.countedSize = size;
    return counts;
  }

  /** The top values of the last countColumn, by count then first seen; zeroes the counts. */
  private topValues(counts: Int32Array, label: (value: number) => string, top: number): FacetCount[] {
    const best: number[] = []; // keys, descending: count, then lower id first
    for (let v = 0; v < this.countedSize; v++) {
      if (counts[v] === 0) continue;
      const key = counts[v] * 0x400000 + (0x3fffff - v);
      counts[v] = 0;
      if (best.length === top && key <= best[top - 1]) continue;
      let at = best.length === top ? top - 1 : best.length;
      while (at > 0 && best[at - 1] < key) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = key;
    }
    return best.map((key) => ({ value: label(0x3fffff - (key % 0x400000)), count: Math.floor(key / 0x400000) }));
  }

  /** Drops dead slots; returns old slot → new slot (-1 for dropped). */
  compact(): Int32Array {
    const remap = new Int32Array(this.slots).fill(-1);
    let next = 0;
    for (let s = 0; s < this.slots; s++) {
      if (!this.alive[s]) continue;
      remap[s] = next;
      if (next !== s) {
        this.docs[next] = this.docs[s];
        for (const column of this.columns()) column[next] = column[s];
        this.slotOfId.set(this.docs[next]!.id, next);
      }
      next++;
    }
    this.docs.length = next;
    for (const column of this.columns()) column.fill(0, next, this.slots);
    this.slots = next;
    return remap;
  }

  private columns(): (Uint8Array | Int32Array | Float64Array)[] {
    return [this.alive, this.price, this.band, this.sales, this.createdAt, this.kind, this.inStock, this.brand, this.category, this.merchant];
  }

  private resize(capacity: number): void {
    this.alive = grow(this.alive, capacity);
    this.price = grow(this.price, capacity);
    this.sales = grow(this.sales, capacity);
    this.createdAt = grow(this.createdAt, capacity);
    this.kind = grow(this.kind, capacity);
    this.inStock = grow(this.inStock, capacity);
    this.band = grow(this.band, capacity);
    this.brand = grow(this.brand, capacity);
    this.category = grow(this.category, capacity);
    this.merchant = grow(this.merchant, capacity);
  }
}

function grow<T extends Uint8Array | Int32Array | Float64Array>(array: T, capacity: number): T {
  if (capacity <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(capacity, array.length * 2));
  next.set(array);
  return next;
}
