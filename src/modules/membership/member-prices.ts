import { money } from '../../shared/money.ts';
import type { SellableSku } from '../catalog/service.ts';
import { inScope } from '../pricing/engine/scope.ts';
import type { Plan } from './plans.ts';

/** What a member pays for a list price: the engine's member step on a line nothing else discounts. */
export const memberPrice = (price: number, discountBps: number) => price - Math.floor((price * discountBps) / 10_000);

const asLine = (s: SellableSku) => ({ ...s, brandId: s.brandId ?? undefined });

/**
 * The member price to show beside a product's price, from its sellable SKUs: the plan on sale
 * that takes the most off it (ties: the earlier plan), with the engine's scope rule. The same for
 * everyone who looks; the checkout prices the real order.
 */
export function bestMemberPrice(productId: string, skus: SellableSku[], plans: Plan[]) {
  const covered = (plan: Plan) => skus.filter((s) => s.sellable && inScope(plan.scope, asLine(s)));
  const plan = plans
    .filter((p) => p.active && covered(p).length)
    .reduce<Plan | undefined>((best, p) => (!best || p.discountBps > best.discountBps ? p : best), undefined);
  if (!plan) return undefined;
  const inPlan = covered(plan).sort((a, b) => a.price - b.price || a.skuId.localeCompare(b.skuId));
  return {
    productId, planId: plan.id, planName: plan.name, discountBps: plan.discountBps,
    price: money(inPlan[0].price), memberPrice: money(memberPrice(inPlan[0].price, plan.discountBps)),
    skus: inPlan.map((s) => ({ skuId: s.skuId, price: money(s.price), memberPrice: money(memberPrice(s.price, plan.discountBps)) })),
  };
}
