import type { Scope } from './types.ts';

export interface ScopedLine {
  merchantId: string;
  productId: string;
  skuId: string;
  categoryIds: string[];
  brandId?: string;
}

/**
 * Whether the line is in scope: every list the scope gives must match it, or with `match: 'any'`
 * one of them. Absent or empty lists say nothing; a scope that says nothing matches every line.
 */
export function inScope(scope: Scope | undefined, line: ScopedLine): boolean {
  if (!scope) return true;
  const { merchantIds, productIds, skuIds, categoryIds, brandIds } = scope;
  const tests: boolean[] = [];
  if (merchantIds?.length) tests.push(merchantIds.includes(line.merchantId));
  if (productIds?.length) tests.push(productIds.includes(line.productId));
  if (skuIds?.length) tests.push(skuIds.includes(line.skuId));
  if (brandIds?.length) tests.push(!!line.brandId && brandIds.includes(line.brandId));
  if (categoryIds?.length) tests.push(line.categoryIds.some((c) => categoryIds.includes(c)));
  if (!tests.length) return true;
  return scope.match === 'any' ? tests.includes(true) : !tests.includes(false);
}

export const inWindow = (w: { startsAt: number; endsAt: number }, at: number) => w.startsAt <= at && at < w.endsAt;
