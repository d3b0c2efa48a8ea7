import { Type, type Static } from 'typebox';
import type { AppContext } from '../../app.ts';
import { actingAsOperator, isOperator, requireMerchantStaff, requireOperator } from '../../http/auth.ts';
import { IdParams, MoneyOut, PageQuery, pageOf, PositiveMoneySchema } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { type CampaignInput, type CampaignRule, type PhaseInput } from './service.ts';

const MAX_PHASES = 10;
const MAX_RULES = 5;
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Time = Type.String({ format: 'date-time' });

const RuleIn = Type.Union([
  Type.Object({ kind: Type.Literal('cross_store_reduction'), every: PositiveMoneySchema, off: PositiveMoneySchema, maxOff: Type.Optional(PositiveMoneySchema) }, { description: '跨店满减: every `every` paid takes `off` off, repeating, at most maxOff' }),
  Type.Object({
    kind: Type.Literal('instant_discount'),
    offer: Type.Union([
      Type.Object({ type: Type.Literal('percent_off'), percentBps: Type.Integer({ minimum: 1, maximum: 9999, description: '1000 = 10% off' }) }),
      Type.Object({ type: Type.Literal('per_unit'), off: PositiveMoneySchema }),
    ]),
  }, { description: '立减: no threshold' }),
]);
const PhaseKind = Type.Union([Type.Literal('warm_up'), Type.Literal('presale'), Type.Literal('burst'), Type.Literal('second_wave'), Type.Literal('encore')], { description: 'warm_up 蓄水, presale 预售, burst 开门红, second_wave 第二波, encore 返场' });
const PhaseIn = Type.Object({ kind: PhaseKind, name: Type.Optional(Text(30)), startsAt: Time, endsAt: Time, rules: Type.Array(RuleIn, { maxItems: MAX_RULES }) });
const Phases = Type.Array(PhaseIn, { minItems: 1, maxItems: MAX_PHASES, description: 'in time order, not overlapping' });
const CampaignBody = {
  name: Text(60), description: Type.Optional(Type.String({ maxLength: 500 })), phases: Phases, enrolmentEndsAt: Time,
  draft: Type.Optional(Type.Boolean({ description: 'prepare it as a draft (草稿), seen by operators only until published' })),
};

const RuleOut = Type.Object({
  kind: Type.String(), every: Type.Optional(MoneyOut), off: Type.Optional(MoneyOut), maxOff: Type.Optional(MoneyOut),
  offer: Type.Optional(Type.Object({ type: Type.String(), percentBps: Type.Optional(Type.Integer()), off: Type.Optional(MoneyOut) })),
});
const PhaseOut = Type.Object({
  kind: PhaseKind, name: Type.String(), startsAt: Type.String(), endsAt: Type.String(),
  state: Type.Union([Type.Literal('upcoming'), Type.Literal('current'), Type.Literal('ended'), Type.Literal('cancelled')], { description: 'cancelled: it was to start after the campaign was stopped' }), rules: Type.Array(RuleOut),
});
const Summary = {
  id: Type.String(), name: Type.String(), description: Type.String(), startsAt: Type.String(), endsAt: Type.String(),
  enrolmentEndsAt: Type.String(), enrolmentOpen: Type.Boolean(),
  state: Type.Union([Type.Literal('draft'), Type.Literal('upcoming'), Type.Literal('running'), Type.Literal('ended'), Type.Literal('stopped')]),
  stoppedAt: Type.Optional(Type.String({ description: 'when an operator stopped it early' })),
  stopReason: Type.Optional(Type.String()),
  phases: Type.Array(PhaseOut),
  currentPhase: Type.Union([Type.Integer(), Type.Null()], { description: 'index of the phase on now' }),
  nextPhaseStartsAt: Type.Union([Type.String(), Type.Null()]),
  enrolledProducts: Type.Integer(),
};
const CampaignOut = Type.Object(Summary);
const Paged = <T extends ReturnType<typeof Type.Object>>(item: T) => Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
const VenueProduct = Type.Object({
  productId: Type.String(), title: Type.String(), merchantId: Type.String(), merchantName: Type.String(), price: MoneyOut,
  flashSale: Type.Optional(Type.Object({
    id: Type.String(), skuId: Type.String(), unitPrice: MoneyOut, listPrice: MoneyOut, quantity: Type.Integer(), remaining: Type.Integer(),
    startsAt: Type.String(), endsAt: Type.String(), state: Type.String(),
  }, { description: 'the campaign price: the flash sale on now, else the next one' })),
});
const Venue = Type.Object({ ...Summary, products: Paged(VenueProduct) });

type RuleBody = Static<typeof RuleIn>;
type PhaseBody = Static<typeof PhaseIn>;

function ruleOf(r: RuleBody): CampaignRule {
  if (r.kind === 'cross_store_reduction') return { kind: r.kind, every: r.every.amount, off: r.off.amount, maxOff: r.maxOff?.amount ?? null };
  return { kind: r.kind, offer: r.offer.type === 'per_unit' ? { type: 'per_unit', off: r.offer.off.amount } : { type: 'percent_off', percentBps: r.offer.percentBps } };
}
const phaseOf = (p: PhaseBody): PhaseInput => ({ kind: p.kind, name: p.name, startsAt: new Date(p.startsAt), endsAt: new Date(p.endsAt), rules: p.rules.map(ruleOf) });

export function campaignRoutes(api: Api, { services }: AppContext) {
  const { campaigns } = services;
  const tags = ['campaigns'];

  api.post('/admin/campaigns', {
    schema: { tags: ['operator', ...tags], summary: 'Create a campaign (大促) with dated phases and their platform-funded rules (audited)', body: Type.Object(CampaignBody), response: { 201: CampaignOut } },
  }, async (request, reply) => {
    const b = request.body;
    const input: CampaignInput = { name: b.name, description: b.description, phases: b.phases.map(phaseOf), enrolmentEndsAt: new Date(b.enrolmentEndsAt), draft: b.draft };
    return reply.status(201).send(await campaigns.create(requireOperator(request), input));
  });

  api.get('/admin/campaigns', { schema: { tags: ['operator', ...tags], summary: 'Every campaign, latest first, with enrolment counts', querystring: Type.Object({ ...PageQuery }), response: { 200: Paged(CampaignOut) } } },
    async (request) => { requireOperator(request); return campaigns.adminList(pageOf(request.query)); });

  api.patch('/admin/campaigns/:campaignId', {
    schema: {
      tags: ['operator', ...tags], summary: 'Change a campaign; phases, when given, replace all phases (audited)', params: IdParams('campaignId'),
      body: Type.Object({ name: Type.Optional(CampaignBody.name), description: Type.Optional(Type.String({ maxLength: 500 })), phases: Type.Optional(Phases), enrolmentEndsAt: Type.Optional(Time) }, { minProperties: 1 }),
      response: { 200: CampaignOut },
    },
  }, async (request) => {
    const b = request.body;
    return campaigns.update(requireOperator(request), request.params.campaignId, {
      ...(b.name !== undefined ? { name: b.name } : {}), ...(b.description !== undefined ? { description: b.description } : {}),
      ...(b.phases ? { phases: b.phases.map(phaseOf) } : {}), ...(b.enrolmentEndsAt ? { enrolmentEndsAt: new Date(b.enrolmentEndsAt) } : {}),
    });
  });

  api.post('/admin/campaigns/:campaignId/publish', {
    schema: {
      tags: ['operator', ...tags], summary: 'Publish a draft campaign: its rules price from its phases\' times, stores may enrol, the lists show it (audited)',
      params: IdParams('campaignId'), response: { 200: CampaignOut },
    },
  }, async (request) => campaigns.publish(requireOperator(request), request.params.campaignId));

  api.post('/admin/campaigns/:campaignId/stop', {
    schema: {
      tags: ['operator', ...tags], summary: 'Stop a campaign early (提前结束): its rules stop at once, enrolment closes, the public lists drop it (audited)',
      params: IdParams('campaignId'), body: Type.Object({ reason: Text(200) }), response: { 200: CampaignOut },
    },
  }, async (request) => campaigns.stop(requireOperator(request), request.params.campaignId, request.body.reason));

  api.get('/campaigns', { schema: { tags, summary: 'Current and upcoming campaigns, soonest first', querystring: Type.Object({ ...PageQuery }), response: { 200: Paged(CampaignOut) } } },
    async (request) => campaigns.publicList(pageOf(request.query)));

  api.get('/campaigns/:campaignId', {
    schema: { tags, summary: 'The venue (会场): phases with states, the current phase, when the next starts, and enrolled products (paged) with their campaign prices', params: IdParams('campaignId'), querystring: Type.Object({ ...PageQuery }), response: { 200: Venue } },
  }, async (request) => campaigns.venue(request.params.campaignId, pageOf(request.query), isOperator(request.user)));

  api.get('/merchants/:merchantId/campaigns', {
    schema: {
      tags, summary: 'Current and upcoming campaigns with the store\'s enrolled products', params: IdParams('merchantId'), querystring: Type.Object({ ...PageQuery }),
      response: { 200: Paged(Type.Object({ ...Summary, myProductIds: Type.Array(Type.String()) })) },
    },
  }, async (request) => { requireMerchantStaff(request, request.params.merchantId); return campaigns.forMerchant(request.params.merchantId, pageOf(request.query)); });

  const Enrolment = Type.Object({ campaignId: Type.String(), productId: Type.String(), merchantId: Type.String() });
  api.post('/merchants/:merchantId/campaigns/:campaignId/products/:productId', {
    schema: { tags, summary: 'Enrol one of the store\'s products (报名) while enrolment is open; 200 when it already was', params: IdParams('merchantId', 'campaignId', 'productId'), response: { 200: Enrolment, 201: Enrolment } },
  }, async (request, reply) => {
    const { merchantId, campaignId, productId } = request.params;
    const user = requireMerchantStaff(request, merchantId);
    const { created, enrolment } = await campaigns.enrol(merchantId, campaignId, productId, user, actingAsOperator(user, merchantId));
    return reply.status(created ? 201 : 200).send(enrolment);
  });

  api.delete('/merchants/:merchantId/campaigns/:campaignId/products/:productId', {
    schema: { tags, summary: 'Withdraw a product before enrolment closes', params: IdParams('merchantId', 'campaignId', 'productId') },
  }, async (request, reply) => {
    const { merchantId, campaignId, productId } = request.params;
    const user = requireMerchantStaff(request, merchantId);
    await campaigns.withdraw(merchantId, campaignId, productId, user, actingAsOperator(user, merchantId));
    return reply.status(204).send();
  });
}
