import type { Sql } from '../../db/database.ts';
import { invalidField } from '../../shared/problems.ts';
import type { ProductScope } from '../catalog/service.ts';
import type { Scope } from '../pricing/engine/types.ts';

export type ScopeKey = 'productIds' | 'categoryIds' | 'merchantIds' | 'brandIds';
export type ScopeInput = Partial<Record<ScopeKey, string[]>>;

type Named = { id: string; name: string };
type ScopeLists = { brands: Named[]; categories: Named[]; merchants: Named[] };

/** The catalog's reads a scope needs (catalog service and catalog/scope-names.ts). */
export interface ScopeCatalog {
  productScopes(sql: Sql, productIds: string[]): Promise<Map<string, ProductScope>>;
  scopeNames(sql: Sql, ids: { categoryIds?: string[]; merchantIds?: string[]; brandIds?: string[] }): Promise<ScopeLists>;
  scopeOptions(sql: Sql): Promise<ScopeLists>;
}

/** Names by id of the categories (their paths), stores and brands among these ids. */
export async function scopeNameMaps(sql: Sql, catalog: ScopeCatalog, ids: { categoryIds?: string[]; merchantIds?: string[]; brandIds?: string[] }) {
  const lists = await catalog.scopeNames(sql, ids);
  const map = (list: Named[]) => new Map(list.map((x) => [x.id, x.name]));
  return { categories: map(lists.categories), merchants: map(lists.merchants), brands: map(lists.brands) };
}

const KEYS: ScopeKey[] = ['productIds', 'categoryIds', 'merchantIds', 'brandIds'];

/**
 * A scope as given, checked: only the allowed lists, every id known, products of `ownStore`
 * when one is named. Empty lists are dropped; an empty scope is everything.
 */
export async function checkScope(sql: Sql, catalog: ScopeCatalog, input: ScopeInput | undefined, allowed: ScopeKey[], ownStore?: string): Promise<Scope> {
  const scope: Scope = {};
  for (const key of KEYS) {
    const ids = [...new Set(input?.[key] ?? [])];
    if (!ids.length) continue;
    if (!allowed.includes(key)) throw invalidField(`scope.${key}`, `not allowed here; a scope may list ${allowed.join(', ')}`);
    scope[key] = ids;
  }
  if (scope.productIds) {
    const found = await catalog.productScopes(sql, scope.productIds);
    scope.productIds.forEach((id, i) => {
      const product = found.get(id);
      if (!product) throw invalidField(`scope.productIds.${i}`, 'no such product');
      if (ownStore && product.merchantId !== ownStore) throw invalidField(`scope.productIds.${i}`, 'belongs to another store');
    });
  }
  const names = await scopeNameMaps(sql, catalog, scope);
  const known = { categoryIds: names.categories, merchantIds: names.merchants, brandIds: names.brands } as const;
  for (const key of ['categoryIds', 'merchantIds', 'brandIds'] as const) {
    const i = scope[key]?.findIndex((id) => !known[key].has(id)) ?? -1;
    if (i >= 0) throw invalidField(`scope.${key}.${i}`, `no such ${key === 'categoryIds' ? 'category' : key === 'merchantIds' ? 'store' : 'brand'}`);
  }
  return scope;
}

/** Whether a product is in a scope: every list given must match one of its entries. */
export function scopeMatches(scope: Scope | undefined, product: ProductScope & { productId: string }): boolean {
  if (!scope) return true;
  if (scope.productIds?.length && !scope.productIds.includes(product.productId)) return false;
  if (scope.merchantIds?.length && !scope.merchantIds.includes(product.merchantId)) return false;
  if (scope.categoryIds?.length && !scope.categoryIds.some((c) => product.categoryIds.includes(c))) return false;
  if (scope.brandIds?.length && !(product.brandId && scope.brandIds.includes(product.brandId))) return false;
  return true;
}

/** Whether a scope covers a whole store: empty, or naming only stores, this one among them. */
export function coversStore(scope: Scope | undefined, merchantId: string): boolean {
  if (isEmptyScope(scope)) return true;
  return KEYS.every((k) => k === 'merchantIds' || !scope![k]?.length) && !!scope!.merchantIds?.includes(merchantId);
}

export const isEmptyScope = (scope: Scope | undefined) => !scope || KEYS.every((k) => !scope[k]?.length);

/** A scope as people read it: ids with names (categories by their path). */
export async function describeScopes(sql: Sql, catalog: ScopeCatalog, scopes: Scope[]) {
  const all = (key: 'categoryIds' | 'merchantIds' | 'brandIds') => [...new Set(scopes.flatMap((s) => s[key] ?? []))];
  const names = await scopeNameMaps(sql, catalog, { categoryIds: all('categoryIds'), merchantIds: all('merchantIds'), brandIds: all('brandIds') });
  const named = (ids: string[] | undefined, map: Map<string, string>) => (ids?.length ? ids.map((id) => ({ id, name: map.get(id) ?? id })) : undefined);
  return (scope: Scope) => ({
    ...(scope.productIds?.length ? { productIds: scope.productIds } : {}),
    ...(scope.categoryIds?.length ? { categories: named(scope.categoryIds, names.categories) } : {}),
    ...(scope.merchantIds?.length ? { merchants: named(scope.merchantIds, names.merchants) } : {}),
    ...(scope.brandIds?.length ? { brands: named(scope.brandIds, names.brands) } : {}),
  });
}
