import type { PricingSource } from '../pricing/service.ts';
import type { PromotionsService } from './service.ts';

const COUPON_KINDS = new Set(['store_coupon', 'platform_coupon']);
const RULE_KINDS = new Set(['cross_store_reduction', 'instant_discount']);

/**
 * Promotions' part in pricing (registered in app.ts): the active cross-store reductions and
 * instant discounts, the buyer's coupons; when an order group is placed, what each coupon and
 * rule took off each order is redeemed in the same transaction; a cancelled order gives it back.
 */
export function promotionsCheckoutPart(promotions: PromotionsService): PricingSource {
  return {
    name: 'promotions',
    rules: (sql, _skuIds, at) => promotions.activeRules(at, sql),
    coupons: (sql, buyerId, at, codes) => promotions.couponsFor(sql, buyerId, at, codes),

    async placed(sql, { groupId, buyerId, result, orderOf }) {
      const coupons = new Map<string, { couponId: string; orderId: string; amount: number }>();
      const rules = new Map<string, { ruleId: string; orderId: string; amount: number }>();
      for (const line of result.lines) {
        const orderId = orderOf.get(line.skuId)!;
        for (const d of line.discounts) {
          const key = `${d.sourceId}|${orderId}`;
          if (COUPON_KINDS.has(d.kind)) {
            const use = coupons.get(key) ?? coupons.set(key, { couponId: d.sourceId, orderId, amount: 0 }).get(key)!;
            use.amount += d.amount;
          } else if (RULE_KINDS.has(d.kind)) {
            const use = rules.get(key) ?? rules.set(key, { ruleId: d.sourceId, orderId, amount: 0 }).get(key)!;
            use.amount += d.amount;
          }
        }
      }
      if (coupons.size || rules.size) await promotions.redeem(sql, { buyerId, orderGroupId: groupId, uses: [...coupons.values()], rules: [...rules.values()] });
    },

    async cancelled(sql, order) {
      await promotions.release(sql, order.orderId);
    },
  };
}
