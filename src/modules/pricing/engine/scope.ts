import type { Scope } from './types.ts';

export interface ScopedLine {
  merchantId: string;
  productId: string;
  skuId: string;
  categoryIds: string[];
  brandId?: string;
}

/** Every list the scope gives must match the line; an absent or empty list matches all. */
export function inScope(scope: Scope | undefined, line: ScopedLine): boolean {
  if (!scope) return true;
  const { merchantIds, productIds, skuIds, categoryIds, brandIds } = scope;
  if (merchantIds?.length && !merchantIds.includes(line.merchantId)) return false;
  if (productIds?.length && !productIds.includes(line.productId)) return false;
  if (skuIds?.length && !skuIds.includes(line.skuId)) return false;
  if (brandIds?.length && !(line.brandId && brandIds.includes(line.brandId))) return false;
  if (categoryIds?.length && !line.categoryIds.some((c) => categoryIds.includes(c))) return false;
  return true;
}

export const inWindow = (w: { startsAt: number; endsAt: number }, at: number) => w.startsAt <= at && at < w.endsAt;
