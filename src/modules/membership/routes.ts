import { Type, type Static } from 'typebox';
import type { AppContext } from '../../app.ts';
import { requireOperator, requireUser } from '../../http/auth.ts';
import { Id, IdempotencyHeaders, IdParams, MoneySchema } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { Problem } from '../../shared/problems.ts';
import type { PlanInput } from './plans.ts';

const Ids = Type.Array(Id, { maxItems: 500 });
const Scope = Type.Object(
  {
    categoryIds: Type.Optional(Ids), brandIds: Type.Optional(Ids), merchantIds: Type.Optional(Ids),
    match: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('any')], { description: 'all (default): a line must match every list given; any: one is enough (eligible brands or the supermarket store)' })),
  },
  { additionalProperties: false, description: 'eligible categories (a top category covers its leaves), brands and stores; no list means everything' },
);
const PlanFields = {
  name: Type.String({ minLength: 1, maxLength: 40, pattern: '\\S', description: 'e.g. 88VIP' }),
  /** For shoppers whose loyalty score reaches eligibilityScore (88 yuan); fullFee for everyone else (888), at least fee. */
  fee: MoneySchema,
  fullFee: MoneySchema,
  eligibilityScore: Type.Integer({ minimum: 0, description: 'loyalty score (淘气值) from which the fee applies' }),
  discountBps: Type.Integer({ minimum: 1, maximum: 5000, description: '500 = 5% off (95折), on eligible lines, platform-funded' }),
  scope: Scope,
  monthlyCoupons: Type.Array(Type.Object({
    couponCode: Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S+$', description: 'a platform coupon of the promotions module' }),
    count: Type.Integer({ minimum: 1, maximum: 10 }),
  }), { maxItems: 10, description: 'given once per calendar month (Asia/Shanghai)' }),
  durationDays: Type.Integer({ minimum: 1, maximum: 3660 }),
  active: Type.Boolean({ description: 'false: no longer sold; members keep their term' }),
};
const NewPlan = Type.Object({
  name: PlanFields.name, fee: PlanFields.fee, fullFee: PlanFields.fullFee, eligibilityScore: PlanFields.eligibilityScore, discountBps: PlanFields.discountBps,
  scope: Type.Optional(PlanFields.scope), monthlyCoupons: Type.Optional(PlanFields.monthlyCoupons),
  durationDays: Type.Optional(Type.Integer({ ...PlanFields.durationDays, default: 365 })), active: Type.Optional(PlanFields.active),
});
const PlanPatch = Type.Partial(Type.Object(PlanFields), { minProperties: 1 });

type MoneyFields = { fee?: { amount: number }; fullFee?: { amount: number } };
/** API money to fen. */
function fen<T extends MoneyFields>(body: T) {
  const { fee, fullFee, ...rest } = body;
  return { ...rest, ...(fee ? { fee: fee.amount } : {}), ...(fullFee ? { fullFee: fullFee.amount } : {}) };
}

export function membershipRoutes(api: Api, { services, idempotency }: AppContext) {
  const { membership } = services;
  const tags = ['membership'];

  // ---- operators
  api.post('/admin/membership/plans', { schema: { tags: ['operator'], summary: 'Create a membership plan (audited)', body: NewPlan } }, async (request, reply) => {
    const operator = requireOperator(request);
    const body = request.body as Static<typeof NewPlan>;
    const input: PlanInput = { scope: {}, monthlyCoupons: [], durationDays: 365, active: true, ...fen(body) } as PlanInput;
    return reply.status(201).send(await membership.createPlan(operator.id, input));
  });

  api.get('/admin/membership/plans', { schema: { tags: ['operator'], summary: 'Every plan with its member count and fee revenue; totals (revenue from the ledger)' } }, async (request) => {
    requireOperator(request);
    return membership.adminPlans();
  });

  api.patch('/admin/membership/plans/:planId', {
    schema: { tags: ['operator'], summary: 'Change a plan, or stop selling it (active: false) (audited)', params: IdParams('planId'), body: PlanPatch },
  }, async (request) => membership.updatePlan(requireOperator(request).id, request.params.planId, fen(request.body as Static<typeof PlanPatch>)));

  api.get('/admin/membership/scope-options', { schema: { tags: ['operator'], summary: 'Brands, categories and stores a plan scope can name' } }, async (request) => {
    requireOperator(request);
    return membership.scopeOptions();
  });

  // ---- everyone
  api.get('/membership/plans', { schema: { tags, summary: 'Plans on sale (the same for everyone)' } }, async () => ({ items: await membership.plansForSale() }));

  api.get('/membership/member-prices', {
    schema: {
      tags, summary: 'Member prices (e.g. 88VIP ¥xx.xx) of these products, for those in a plan\'s scope; the same for everyone',
      querystring: Type.Object({ productIds: Type.String({ minLength: 1, maxLength: 2000, description: 'comma-separated, at most 100' }) }),
    },
  }, async (request) => {
    const ids = [...new Set(request.query.productIds.split(',').map((s) => s.trim()).filter(Boolean))];
    if (ids.length > 100) throw new Problem(400, 'validation_failed', 'productIds: at most 100', [{ field: 'productIds', message: 'at most 100 ids' }]);
    return { items: [...(await membership.memberPrices(ids)).values()] };
  });

  // ---- shoppers
  api.get('/me/membership', { schema: { tags, summary: 'My loyalty score and its formula, plans with the fee that applies to me, my memberships and this month\'s coupons' } },
    async (request) => membership.myMembership(requireUser(request).id));

  api.post('/me/memberships', {
    schema: { tags, summary: 'Buy or renew a plan at the fee that applies to me: a purchase to pay with POST /payments {purpose: "membership", payableId}', headers: IdempotencyHeaders, body: Type.Object({ planId: Id }) },
  }, async (request, reply) => {
    const user = requireUser(request);
    const answer = await idempotency.run(
      { ownerId: user.id, key: request.headers['idempotency-key'], route: 'POST /me/memberships', body: request.body },
      async (sql) => ({ statusCode: 201, body: await membership.purchase(sql, user.id, request.body.planId) }),
    );
    return reply.status(answer.statusCode).header('idempotent-replayed', String(answer.replayed)).send(answer.body);
  });

  api.get('/me/membership/purchases/:purchaseId', { schema: { tags, summary: 'One of my membership purchases with its latest payment', params: IdParams('purchaseId') } },
    async (request) => membership.purchaseOf(requireUser(request).id, request.params.purchaseId));
}
