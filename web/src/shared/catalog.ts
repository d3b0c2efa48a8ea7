// Cached public catalog look-ups: categories, merchants, carriers.
import { useEffect, useState } from 'react';
import { api } from './api';
import type { Carrier, Category, MerchantKind } from './types';

let categoriesP: Promise<Category[]> | null = null;

export function loadCategories(): Promise<Category[]> {
  categoriesP ??= api.get<{ items: Category[] }>('/categories').then((r) => r.items).catch((e) => {
    categoriesP = null;
    throw e;
  });
  return categoriesP;
}

export function useCategories(): Category[] {
  const [cats, setCats] = useState<Category[]>([]);
  useEffect(() => { loadCategories().then(setCats).catch(() => setCats([])); }, []);
  return cats;
}

export function topCategories(cats: Category[]): Category[] {
  return cats.filter((c) => c.parentId === null);
}

export function childrenOf(cats: Category[], id: string): Category[] {
  return cats.filter((c) => c.parentId === id);
}

const merchants = new Map<string, Promise<{ id: string; name: string; kind: MerchantKind }>>();

export function loadMerchant(id: string) {
  let p = merchants.get(id);
  if (!p) {
    p = api.get<{ id: string; name: string; kind: MerchantKind }>(`/merchants/${encodeURIComponent(id)}`);
    p.catch(() => merchants.delete(id));
    merchants.set(id, p);
  }
  return p;
}

/** Merchant kinds by id for a set of merchant ids (for the 自营 badge). */
export function useMerchantKinds(ids: string[]): Record<string, MerchantKind> {
  const [kinds, setKinds] = useState<Record<string, MerchantKind>>({});
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    if (!key) return;
    let live = true;
    Promise.all(key.split(',').map((id) => loadMerchant(id).then((m) => [id, m.kind] as const).catch(() => null)))
      .then((pairs) => { if (live) setKinds(Object.fromEntries(pairs.filter((p) => p !== null))); });
    return () => { live = false; };
  }, [key]);
  return kinds;
}

let carriersP: Promise<Carrier[]> | null = null;
export function loadCarriers(): Promise<Carrier[]> {
  carriersP ??= api.get<{ items: Carrier[] }>('/carriers').then((r) => r.items).catch((e) => {
    carriersP = null;
    throw e;
  });
  return carriersP;
}

const productMeta = new Map<string, Promise<{ category?: string | null; brand?: string | null }>>();

/** Category and brand of a product (cached), so thumbnails match the product page art. */
export function loadProductMeta(id: string) {
  let p = productMeta.get(id);
  if (!p) {
    p = api.get<{ category?: string | null; brand?: string | null }>(`/products/${encodeURIComponent(id)}`)
      .then((x) => ({ category: x.category, brand: x.brand }));
    p.catch(() => productMeta.delete(id));
    productMeta.set(id, p);
  }
  return p;
}

/** The category and its ancestors, top level first. */
export function categoryTrail(cats: Category[], id?: string | null): Category[] {
  const out: Category[] = [];
  for (let c = cats.find((x) => x.id === id); c && out.length < 8; c = cats.find((x) => x.id === c!.parentId)) out.unshift(c);
  return out;
}
