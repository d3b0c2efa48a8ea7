import type { PromotionsDeps } from './checks.ts';
import { createCheckoutSide } from './checkout.ts';
import { createClaims } from './claims.ts';
import { createCouponDefinitions } from './coupons.ts';
import { createPromotionRules } from './rules.ts';
import { coversStore, scopeMatches } from './scope.ts';

export type { PromotionsDeps } from './checks.ts';
export type { CouponUse, Redemption, RuleUse } from './checkout.ts';

/**
 * Promotions (MECHANISMS.md 5): coupons of stores and of the platform that shoppers claim and
 * hold, cross-store reductions and instant discounts. This module keeps the offers and who
 * holds and used what; the price engine decides what a checkout gets.
 */
export function createPromotionsService(deps: PromotionsDeps) {
  const coupons = createCouponDefinitions(deps);
  const claims = createClaims(deps);
  const rules = createPromotionRules(deps);
  const checkout = createCheckoutSide(claims);

  return {
    createCoupon: coupons.create,
    listCoupons: coupons.list,
    stopCoupon: coupons.stop,
    claim: claims.claim,
    myCoupons: claims.mine,

    /** The product page's strip: coupons to claim, and the running promotions that cover it. */
    async offers(query: { productId?: string; merchantId?: string }, buyerId?: string) {
      const { items, merchantId } = await claims.offers(query, buyerId);
      const product = query.productId ? (await deps.catalog.productScopes(deps.db, [query.productId])).get(query.productId) : undefined;
      const running = (await rules.activeRules(new Date())).filter((r) =>
        product ? scopeMatches(r.scope, { productId: query.productId!, ...product }) : coversStore(r.scope, merchantId));
      return { items, promotions: running.map((r) => ({ id: r.id, kind: r.kind, title: r.title ?? '', ...(r.kind === 'instant_discount' ? { fundedBy: r.fundedBy } : { fundedBy: 'platform' as const }) })) };
    },

    /** Every brand, category and store an operator can put in a scope. */
    scopeOptions: () => deps.catalog.scopeOptions(deps.db),

    createPromotion: rules.create,
    listPromotions: rules.list,
    endPromotion: rules.end,

    // ---- what checkout calls
    activeRules: rules.activeRules,
    couponsFor: checkout.couponsFor,
    redeem: checkout.redeem,
    release: checkout.release,
    grant: checkout.grant,
  };
}

export type PromotionsService = ReturnType<typeof createPromotionsService>;
