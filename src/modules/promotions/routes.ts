import { Type, type TSchema } from 'typebox';
import type { AppContext } from '../../app.ts';
import { actingAsOperator, requireMerchantStaff, requireOperator, requireUser } from '../../http/auth.ts';
import { Id, IdParams, ListOf, MoneyOut, PageQuery, pageOf, PositiveMoneySchema } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';

const Time = Type.String({ format: 'date-time' });
const Ids = (what: string) => Type.Optional(Type.Array(Id, { maxItems: 200, description: what }));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

// ---- requests
const CouponFields = {
  code: Type.String({ pattern: '^[A-Za-z0-9_-]{3,32}$', description: '3-32 letters, digits, - or _; unique per issuer, ignoring case' }),
  kind: Type.Union([Type.Literal('threshold'), Type.Literal('no_threshold'), Type.Literal('percent')]),
  threshold: Type.Optional(PositiveMoneySchema),
  off: Type.Optional(PositiveMoneySchema),
  percentBps: Type.Optional(Type.Integer({ minimum: 1, maximum: 9900, description: 'percent coupons: 1000 takes 10% off (9折)' })),
  cap: Type.Optional(PositiveMoneySchema),
  startsAt: Time,
  endsAt: Time,
  perUserLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 1, description: 'claims per shopper (每人限领)' })),
  totalQuantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'how many may be claimed or granted in all (发行量); absent: unlimited' })),
};
const StoreCoupon = Type.Object({ ...CouponFields, scope: Type.Optional(Type.Object({ productIds: Ids('products of this store; absent: the whole store') })) });
const PlatformScope = Type.Object({ categoryIds: Ids('categories (a top category covers its leaves)'), merchantIds: Ids('stores'), brandIds: Ids('brands') });
const PlatformCoupon = Type.Object({
  ...CouponFields,
  scope: Type.Optional(PlatformScope),
  crowdId: Type.Optional(Id),
  audienceLabel: Type.Optional(Type.String({ minLength: 1, maxLength: 20, pattern: '\\S', description: 'the condition shoppers read, e.g. 新人专享' })),
});
const PromotionFields = {
  kind: Type.Union([Type.Literal('cross_store_reduction'), Type.Literal('instant_discount')]),
  offer: Type.Optional(Type.Object({ type: Type.Union([Type.Literal('per_unit'), Type.Literal('percent_off')]), off: Type.Optional(PositiveMoneySchema), percentBps: Type.Optional(Type.Integer({ minimum: 1, maximum: 9900 })) })),
  startsAt: Time,
  endsAt: Time,
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' })),
};
const PlatformPromotion = Type.Object({
  ...PromotionFields,
  every: Type.Optional(PositiveMoneySchema),
  off: Type.Optional(PositiveMoneySchema),
  maxOff: Type.Optional(PositiveMoneySchema),
  fundedBy: Type.Optional(Type.Literal('platform')),
  scope: Type.Optional(Type.Object({ productIds: Ids('products'), ...PlatformScope.properties })),
});
const StorePromotion = Type.Object({ ...PromotionFields, scope: Type.Optional(Type.Object({ productIds: Ids('products of this store; absent: the whole store') })) });

// ---- answers
const Named = Type.Array(Type.Object({ id: Type.String(), name: Type.String() }));
const ScopeOut = Type.Object({ productIds: Type.Optional(Type.Array(Type.String())), categories: Type.Optional(Named), merchants: Type.Optional(Named), brands: Type.Optional(Named) });
const Terms = {
  code: Type.String(), kind: Type.Union([Type.Literal('threshold'), Type.Literal('no_threshold'), Type.Literal('percent')]), fundedBy: Type.Union([Type.Literal('merchant'), Type.Literal('platform')]), merchantId: Type.Optional(Type.String()),
  title: Type.String({ description: 'e.g. 满300减40' }), titleEn: Type.String(),
  threshold: Type.Optional(MoneyOut), off: Type.Optional(MoneyOut), percentBps: Type.Optional(Type.Integer()), cap: Type.Optional(MoneyOut),
  startsAt: Type.String(), endsAt: Type.String(), perUserLimit: Type.Integer(), scope: ScopeOut,
  audience: Type.Optional(Type.Object({ label: Nullable(Type.String()) }, { description: 'set when only a crowd may claim' })),
};
const State = Type.Union([Type.Literal('scheduled'), Type.Literal('running'), Type.Literal('finished'), Type.Literal('stopped'), Type.Literal('ended')]);
const CouponOut = Type.Object({
  id: Type.String(), ...Terms, totalQuantity: Nullable(Type.Integer()), crowdId: Type.Optional(Type.String()), crowdName: Type.Optional(Nullable(Type.String())),
  status: Type.Union([Type.Literal('active'), Type.Literal('stopped')]), state: State, claimed: Type.Integer(), used: Type.Integer(), discountTotal: MoneyOut, createdAt: Type.String(), stoppedAt: Type.Optional(Type.String()),
});
const HeldStatus = Type.Union([Type.Literal('held'), Type.Literal('used'), Type.Literal('expired')]);
const HeldOut = Type.Object({
  id: Type.String({ description: 'the held coupon (claim)' }), couponId: Type.String(), ...Terms, merchantName: Type.Optional(Type.String()),
  status: HeldStatus, source: Type.String({ description: 'claim, or why it was granted' }), claimedAt: Type.String(), orderId: Type.Optional(Type.String()), usedAt: Type.Optional(Type.String()),
});
const WhyNot = Type.Object({ reason: Type.String(), message: Type.String(), messageZh: Type.String() });
const OfferOut = Type.Object({
  id: Type.String(), ...Terms, remaining: Nullable(Type.Integer()), held: Type.Integer({ description: 'unused ones the shopper holds' }), canClaim: Type.Boolean(), whyNot: Type.Optional(WhyNot),
});
const PromotionOut = Type.Object({
  id: Type.String(), kind: Type.Union([Type.Literal('cross_store_reduction'), Type.Literal('instant_discount')]), fundedBy: Type.Union([Type.Literal('merchant'), Type.Literal('platform')]), merchantId: Type.Optional(Type.String()),
  title: Type.String(), titleEn: Type.String(), every: Type.Optional(MoneyOut), off: Type.Optional(MoneyOut), maxOff: Type.Optional(MoneyOut),
  offer: Type.Optional(Type.Object({ type: Type.Union([Type.Literal('per_unit'), Type.Literal('percent_off')]), off: Type.Optional(MoneyOut), percentBps: Type.Optional(Type.Integer()) })),
  scope: ScopeOut, startsAt: Type.String(), endsAt: Type.String(), status: Type.Union([Type.Literal('active'), Type.Literal('ended')]), state: State,
  used: Type.Integer({ description: 'orders it took something off (cancelled ones not counted)' }), discountTotal: MoneyOut, createdAt: Type.String(), endedAt: Type.Optional(Type.String()),
});

export function promotionRoutes(api: Api, { services }: AppContext) {
  const { promotions } = services;
  const tags = ['promotions'];
  const admin = ['operator'];
  const platform = {};

  // ---- store coupons and instant discounts
  api.post('/merchants/:merchantId/coupons', {
    schema: { tags, summary: 'Create a store coupon (merchant-funded): threshold (满300减40), no_threshold or percent', params: IdParams('merchantId'), body: StoreCoupon, response: { 201: CouponOut } },
  }, async (request, reply) => {
    const { merchantId } = request.params;
    const user = requireMerchantStaff(request, merchantId);
    return reply.status(201).send(await promotions.createCoupon({ merchantId }, request.body, { id: user.id, audited: actingAsOperator(user, merchantId) }));
  });

  api.get('/merchants/:merchantId/coupons', {
    schema: { tags, summary: 'The store\'s coupons with how many were claimed and used, and the discount given', params: IdParams('merchantId'), querystring: Type.Object({ ...PageQuery }), response: { 200: ListOf(CouponOut) } },
  }, async (request) => {
    requireMerchantStaff(request, request.params.merchantId);
    return promotions.listCoupons({ merchantId: request.params.merchantId }, pageOf(request.query));
  });

  api.post('/merchants/:merchantId/coupons/:couponId/stop', {
    schema: { tags, summary: 'Stop issuing a store coupon; coupons already held stay usable in their window', params: IdParams('merchantId', 'couponId'), response: { 200: CouponOut } },
  }, async (request) => {
    const { merchantId, couponId } = request.params;
    const user = requireMerchantStaff(request, merchantId);
    return promotions.stopCoupon({ merchantId }, couponId, { id: user.id, audited: actingAsOperator(user, merchantId) });
  });

  api.post('/merchants/:merchantId/promotions', {
    schema: { tags, summary: 'Create a store instant discount (立减, merchant-funded) on its own products', params: IdParams('merchantId'), body: StorePromotion, response: { 201: PromotionOut } },
  }, async (request, reply) => {
    const { merchantId } = request.params;
    const user = requireMerchantStaff(request, merchantId);
    return reply.status(201).send(await promotions.createPromotion({ merchantId }, request.body, { id: user.id, audited: actingAsOperator(user, merchantId) }));
  });

  api.get('/merchants/:merchantId/promotions', {
    schema: { tags, summary: 'The store\'s instant discounts with how often they were used and the discount given', params: IdParams('merchantId'), querystring: Type.Object({ ...PageQuery }), response: { 200: ListOf(PromotionOut) } },
  }, async (request) => {
    requireMerchantStaff(request, request.params.merchantId);
    return promotions.listPromotions({ merchantId: request.params.merchantId }, pageOf(request.query));
  });

  api.post('/merchants/:merchantId/promotions/:promotionId/end', {
    schema: { tags, summary: 'End a store instant discount now', params: IdParams('merchantId', 'promotionId'), response: { 200: PromotionOut } },
  }, async (request) => {
    const { merchantId, promotionId } = request.params;
    const user = requireMerchantStaff(request, merchantId);
    return promotions.endPromotion({ merchantId }, promotionId, { id: user.id, audited: actingAsOperator(user, merchantId) });
  });

  // ---- platform coupons and promotions (operators, audited)
  api.post('/admin/coupons', {
    schema: { tags: admin, summary: 'Create a platform coupon (platform-funded), optionally for one crowd (audited)', body: PlatformCoupon, response: { 201: CouponOut } },
  }, async (request, reply) => reply.status(201).send(await promotions.createCoupon(platform, request.body, { id: requireOperator(request).id, audited: true })));

  api.get('/admin/coupons', {
    schema: { tags: admin, summary: 'Platform coupons with how many were claimed and used, and the discount given', querystring: Type.Object({ ...PageQuery }), response: { 200: ListOf(CouponOut) } },
  }, async (request) => {
    requireOperator(request);
    return promotions.listCoupons(platform, pageOf(request.query));
  });

  api.post('/admin/coupons/:couponId/stop', {
    schema: { tags: admin, summary: 'Stop issuing a platform coupon (audited); held ones stay usable in their window', params: IdParams('couponId'), response: { 200: CouponOut } },
  }, async (request) => promotions.stopCoupon(platform, request.params.couponId, { id: requireOperator(request).id, audited: true }));

  api.post('/admin/promotions', {
    schema: {
      tags: admin, summary: 'Create a cross-store reduction (跨店满减: every, off, maxOff) or an instant discount (立减: offer, scope), platform-funded (audited)',
      body: PlatformPromotion, response: { 201: PromotionOut },
    },
  }, async (request, reply) => reply.status(201).send(await promotions.createPromotion(platform, request.body, { id: requireOperator(request).id, audited: true })));

  api.get('/admin/promotions', {
    schema: { tags: admin, summary: 'Platform promotions with how often they were used and the discount given', querystring: Type.Object({ ...PageQuery }), response: { 200: ListOf(PromotionOut) } },
  }, async (request) => {
    requireOperator(request);
    return promotions.listPromotions(platform, pageOf(request.query));
  });

  api.post('/admin/promotions/:promotionId/end', {
    schema: { tags: admin, summary: 'End a platform promotion now (audited)', params: IdParams('promotionId'), response: { 200: PromotionOut } },
  }, async (request) => promotions.endPromotion(platform, request.params.promotionId, { id: requireOperator(request).id, audited: true }));

  api.get('/admin/promotions/scope-options', {
    schema: { tags: admin, summary: 'Brands, categories (by path) and stores a platform coupon or promotion can be limited to', response: { 200: Type.Object({ brands: Named, categories: Named, merchants: Named }) } },
  }, async (request) => {
    requireOperator(request);
    return promotions.scopeOptions();
  });

  // ---- shoppers
  api.get('/coupons/offers', {
    schema: {
      tags, summary: 'Coupons to claim for a product (or a store), with their conditions and, signed in, whether you hold or can claim them; and the promotions that cover it',
      querystring: Type.Object({ productId: Type.Optional(Id), merchantId: Type.Optional(Id) }),
      response: { 200: Type.Object({ items: Type.Array(OfferOut), promotions: Type.Array(Type.Object({ id: Type.String(), kind: Type.Union([Type.Literal('cross_store_reduction'), Type.Literal('instant_discount')]), title: Type.String(), fundedBy: Type.Union([Type.Literal('merchant'), Type.Literal('platform')]) })) }) },
    },
  }, async (request) => promotions.offers(request.query, request.user?.id));

  api.post('/me/coupons', {
    schema: {
      tags, summary: 'Claim a coupon by its code (领券); merchantId picks a store\'s coupon when several use the code. Refusals are 422 coupon_not_applicable with messageZh',
      body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }), merchantId: Type.Optional(Id) }),
      response: { 201: HeldOut },
    },
  }, async (request, reply) => reply.status(201).send(await promotions.claim(requireUser(request).id, request.body)));

  api.get('/me/coupons', {
    schema: {
      tags, summary: 'My coupons: held (usable or not yet started), used, or expired; with a count of each',
      querystring: Type.Object({ status: Type.Optional(HeldStatus), ...PageQuery }),
      response: { 200: Type.Object({ items: Type.Array(HeldOut), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), counts: Type.Object({ held: Type.Integer(), used: Type.Integer(), expired: Type.Integer() }) }) },
    },
  }, async (request) => promotions.myCoupons(requireUser(request).id, request.query.status, pageOf(request.query)));
}
