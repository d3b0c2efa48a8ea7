import { Type } from 'typebox';
import type { AppContext } from '../../../app.ts';
import { requireOperator } from '../../../http/auth.ts';
import { IdParams, ListOf, MoneyOut, PageQuery, pageOf } from '../../../http/schemas.ts';
import type { Api } from '../../../http/types.ts';
import { RuleSchema } from './rules.ts';

const Name = Type.String({ minLength: 1, maxLength: 60 });
const TagLabel = Type.Union([Type.String({ minLength: 1, maxLength: 20 }), Type.Null()], { description: 'shoppers in the crowd see this tag (crowd:<id>); null removes it' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Params = IdParams('crowdId');

const Estimate = Type.Object({ size: Type.Integer(), reachable: Type.Integer({ description: 'members with an account whose marketing consent is in force' }) });
const Materialized = Type.Object({ size: Type.Integer(), reachable: Type.Integer(), materializedAt: Type.String() });
const CrowdOut = Type.Object({
  id: Type.String(), name: Type.String(), rule: RuleSchema, tagLabel: Nullable(Type.String()), size: Type.Integer(), reachable: Type.Integer(),
  materializedAt: Nullable(Type.String()), createdAt: Type.String(), updatedAt: Type.String(),
});
const MemberOut = Type.Object({
  personId: Type.String(), userId: Type.Optional(Type.String()), email: Type.Optional(Type.String()), lifecycle: Type.String(),
  priceBand: Nullable(Type.String()), orders: Type.Integer(), monetary: MoneyOut, lastAt: Nullable(Type.String()),
});

/** RFC 6266 / 5987: an ASCII fallback name, and the crowd's own (Chinese) name for browsers that read filename*. */
function attachment(crowdId: string, name: string): string {
  const encoded = encodeURIComponent(`${name}.csv`).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="crowd-${crowdId.replace(/[^A-Za-z0-9_-]/g, '')}.csv"; filename*=UTF-8''${encoded}`;
}

/** Crowds (人群), operator only; every change, materialisation and export is audited. */
export function crowdRoutes(api: Api, { services }: AppContext) {
  const { crowds } = services;

  api.post('/admin/crowds/estimate', {
    schema: { tags: ['operator'], summary: 'How many profiles a crowd rule selects, and how many marketing can reach', body: Type.Object({ rule: RuleSchema }), response: { 200: Estimate } },
  }, async (request) => {
    requireOperator(request);
    return crowds.estimate(request.body.rule);
  });

  api.post('/admin/crowds', {
    schema: { tags: ['operator'], summary: 'Save a crowd (materialised at once)', body: Type.Object({ name: Name, rule: RuleSchema, tagLabel: Type.Optional(TagLabel) }), response: { 201: CrowdOut } },
  }, async (request, reply) => {
    const operator = requireOperator(request);
    return reply.status(201).send(await crowds.create(request.body, operator.id));
  });

  api.get('/admin/crowds', { schema: { tags: ['operator'], summary: 'Crowds, newest first', querystring: Type.Object({ ...PageQuery }), response: { 200: ListOf(CrowdOut) } } }, async (request) => {
    requireOperator(request);
    return crowds.list(pageOf(request.query));
  });

  api.get('/admin/crowds/:crowdId', { schema: { tags: ['operator'], summary: 'One crowd', params: Params, response: { 200: CrowdOut } } }, async (request) => {
    requireOperator(request);
    return crowds.get(request.params.crowdId);
  });

  api.put('/admin/crowds/:crowdId', {
    schema: { tags: ['operator'], summary: 'Rename, change the rule (re-materialises) or the tag label', params: Params, body: Type.Object({ name: Type.Optional(Name), rule: Type.Optional(RuleSchema), tagLabel: Type.Optional(TagLabel) }), response: { 200: CrowdOut } },
  }, async (request) => {
    const operator = requireOperator(request);
    return crowds.update(request.params.crowdId, request.body, operator.id);
  });

  api.delete('/admin/crowds/:crowdId', { schema: { tags: ['operator'], summary: 'Delete a crowd and its tag', params: Params } }, async (request, reply) => {
    const operator = requireOperator(request);
    await crowds.remove(request.params.crowdId, operator.id);
    return reply.status(204).send();
  });

  api.post('/admin/crowds/:crowdId/materialize', { schema: { tags: ['operator'], summary: 'Snapshot the members the rule selects now', params: Params, response: { 200: Materialized } } }, async (request) => {
    const operator = requireOperator(request);
    return crowds.materialize(request.params.crowdId, operator.id);
  });

  api.get('/admin/crowds/:crowdId/members', {
    schema: { tags: ['operator'], summary: 'Materialised members, highest spend first', params: Params, querystring: Type.Object({ ...PageQuery }), response: { 200: ListOf(MemberOut) } },
  }, async (request) => {
    requireOperator(request);
    return crowds.members(request.params.crowdId, pageOf(request.query));
  });

  api.get('/admin/crowds/:crowdId/export.csv', {
    schema: { tags: ['operator'], summary: 'Reachable members as CSV (UTF-8 with BOM): person_id,user_id,email,lifecycle,price_band,orders,monetary_yuan,last_seen', params: Params, response: { 200: { description: 'CSV, UTF-8 with BOM', content: { 'text/csv': { schema: Type.String() } } } } },
  }, async (request, reply) => {
    const operator = requireOperator(request);
    const { crowd, csv } = await crowds.exportCsv(request.params.crowdId, operator.id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(crowd.id, crowd.name)).send(csv);
  });
}
