import { money } from '../../shared/money.ts';
import type { ProductScopeFacts } from '../catalog/scope-facts.ts';
import type { Plan, PlanScope } from './plans.ts';

/** The engine's Scope rule: every list given must match one of its entries; no lists is everything. */
export function productInScope(scope: PlanScope, product: ProductScopeFacts): boolean {
  const matches = (list: string[] | undefined, test: (id: string) => boolean) => !list?.length || list.some(test);
  return matches(scope.merchantIds, (id) => id === product.merchantId)
    && matches(scope.brandIds, (id) => id === product.brandId)
    && matches(scope.categoryIds, (id) => product.categoryIds.includes(id));
}

/** What a member pays for a list price: the engine's member step on a line nothing else discounts. */
export const memberPrice = (price: number, discountBps: number) => price - Math.floor((price * discountBps) / 10_000);

/**
 * The member price to show beside a product's price: from the plan on sale that takes the most
 * off it (ties: the earlier plan). The same for everyone who looks; the checkout prices the real order.
 */
export function bestMemberPrice(product: ProductScopeFacts, plans: Plan[]) {
  const plan = plans
    .filter((p) => p.active && productInScope(p.scope, product))
    .reduce<Plan | undefined>((best, p) => (!best || p.discountBps > best.discountBps ? p : best), undefined);
  if (!plan || !product.skus.length) return undefined;
  const skus = product.skus.map((s) => ({ skuId: s.skuId, price: money(s.price), memberPrice: money(memberPrice(s.price, plan.discountBps)) }));
  const lowest = product.skus.reduce((a, s) => Math.min(a, s.price), Infinity);
  return {
    productId: product.productId, planId: plan.id, planName: plan.name, discountBps: plan.discountBps,
    price: money(lowest), memberPrice: money(memberPrice(lowest, plan.discountBps)), skus,
  };
}
