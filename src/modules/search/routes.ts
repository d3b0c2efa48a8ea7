import { Type, type Static } from 'typebox';
import type { AppContext } from '../../app.ts';
import type { FastifyRequest } from 'fastify';
import { deviceIdOf, isOperator, requireOperator } from '../../http/auth.ts';
import { Id, PageQuery, pageOf } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { forbidden } from '../../shared/problems.ts';
import { money } from '../../shared/money.ts';
import type { SearchHit } from './engine/types.ts';
import { accountKey, deviceKey, isDeviceId } from '../people/identifiers.ts';
import { FEATURES, type PersonalScore } from './ranking.ts';

const Sort = Type.Union([Type.Literal('relevance'), Type.Literal('sales'), Type.Literal('price_asc'), Type.Literal('price_desc'), Type.Literal('newest')]);
const Fen = Type.Integer({ minimum: 0, maximum: 100_000_000_00 });
const SearchParams = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 256 })),
  sort: Type.Optional(Sort),
  brand: Type.Optional(Type.String({ maxLength: 100 })),
  category: Type.Optional(Type.String({ maxLength: 200 })),
  merchantKind: Type.Optional(Type.Union([Type.Literal('self_operated'), Type.Literal('marketplace')])),
  merchantId: Type.Optional(Type.String({ maxLength: 64 })),
  minPrice: Type.Optional(Fen),
  maxPrice: Type.Optional(Fen),
  inStock: Type.Optional(Type.Boolean()),
  explain: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')])),
  policy: Type.Optional(Type.String({ maxLength: 64 })),
  ...PageQuery,
});
const Weight = Type.Number({ minimum: 0, maximum: 10 });
const Weights = Type.Object(Object.fromEntries(FEATURES.map((f) => [f, Weight])) as Record<(typeof FEATURES)[number], typeof Weight>);

export function searchRoutes(api: Api, { db, services }: AppContext) {
  const { search, audit } = services;

  const itemOf = (hit: SearchHit, explain: boolean) => {
    const doc = search.engine.get(hit.id)!;
    return {
      productId: doc.id, title: doc.title, titleEn: doc.titleEn ?? '', price: money(doc.price), merchantId: doc.merchantId, merchantName: doc.merchantName ?? '',
      merchantKind: doc.merchantKind, brand: doc.brand ?? null, category: doc.category ?? null, sales: doc.sales, inStock: doc.inStock, highlight: hit.highlight,
      highlightEn: hit.highlightEn ?? null,
      ...(explain ? { score: hit.score, textScore: hit.textScore, explain: hit.explain ?? { text: hit.textScore } } : {}),
    };
  };

  /** The searcher's affinity as the ranking's personal feature, unless they switched personalisation off. */
  async function personalScore(request: FastifyRequest): Promise<PersonalScore | undefined> {
    const userId = request.user?.id;
    if (!(await services.privacy.allows(userId, 'personalization'))) return undefined;
    const deviceId = deviceIdOf(request);
    const key = userId ? accountKey(userId) : deviceId && isDeviceId(deviceId) ? deviceKey(deviceId) : undefined;
    const personId = key && (await services.people.personsOf(db, [key])).get(key);
    const affinity = personId ? await services.profiles.affinityOf(personId) : undefined;
    return affinity && ((doc) => affinity(doc.category, doc.brand));
  }

  async function run(query: Static<typeof SearchParams>, policyId?: string, log = true, personal?: PersonalScore) {
    const { page, pageSize } = pageOf(query);
    const { result, policy } = await search.search(
      {
        q: query.q ?? '',
        sort: query.sort ?? 'relevance',
        offset: (page - 1) * pageSize,
        limit: pageSize,
        filters: { brand: query.brand, category: query.category, merchantKind: query.merchantKind, merchantId: query.merchantId, minPrice: query.minPrice, maxPrice: query.maxPrice, inStock: query.inStock },
        facets: ['category', 'brand', 'merchantKind', 'price'],
      },
      { policyId, log, personal },
    );
    const explain = query.explain === '1' || query.explain === 'true';
    return {
      items: result.hits.map((h) => itemOf(h, explain)),
      total: result.total, page, pageSize, facets: result.facets, matchMode: result.matchMode,
      ...(result.didYouMean ? { didYouMean: result.didYouMean } : {}),
      policy: policy ? { id: policy.id, name: policy.name, version: policy.version } : null,
      ...(explain ? { terms: result.terms } : {}),
    };
  }

  api.get('/search', { schema: { tags: ['search'], summary: 'Product search with filters, facets, sorts and explain', querystring: SearchParams } }, async (request) => {
    if (request.query.policy && !isOperator(request.user)) throw forbidden('only operators can preview another policy');
    return run(request.query, request.query.policy, true, await personalScore(request));
  });

  api.get('/search/suggest', { schema: { tags: ['search'], summary: 'Autocomplete as you type', querystring: Type.Object({ q: Type.String({ maxLength: 100 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })) }) } }, async (request) => ({
    items: search.suggest(request.query.q, request.query.limit ?? 10),
  }));

  api.post('/search/clicks', {
    schema: { tags: ['search'], summary: 'A shopper opened a search result (feeds conversion rates)', body: Type.Object({ q: Type.String({ maxLength: 256 }), productId: Id, position: Type.Integer({ minimum: 0, maximum: 10_000 }) }) },
  }, async (request, reply) => {
    const visitor = request.user?.id ?? String(request.headers['x-device-id'] ?? request.ip).slice(0, 100);
    await search.recordClick({ ...request.body, visitor });
    return reply.status(202).send({ accepted: 1 });
  });

  // Operator console
  api.get('/admin/search/policies', { schema: { tags: ['operator'], summary: 'Ranking policies and their versions' } }, async (request) => {
    requireOperator(request);
    return { items: await search.policies.list(), features: FEATURES };
  });

  api.post('/admin/search/policies', {
    schema: { tags: ['operator'], summary: 'Save a new version of a ranking policy', body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9_\\-]+$' }), weights: Weights, note: Type.Optional(Type.String({ maxLength: 500 })) }) },
  }, async (request, reply) => {
    const operator = requireOperator(request);
    const policy = await search.savePolicy(request.body, operator.id, (sql, id) => audit.record(sql, operator.id, 'search.policy_save', id, { ...request.body }));
    return reply.status(201).send(policy);
  });

  api.put('/admin/search/live-policy', { schema: { tags: ['operator'], summary: 'Switch the live ranking policy, without a restart', body: Type.Object({ policyId: Id }) } }, async (request) => {
    const operator = requireOperator(request);
    return search.switchPolicy(request.body.policyId, operator.id, (sql) => audit.record(sql, operator.id, 'search.policy_switch', request.body.policyId));
  });

  api.get('/admin/search/preview', {
    schema: { tags: ['operator'], summary: 'One query under two policies, side by side, with explain', querystring: Type.Object({ q: Type.String({ maxLength: 256 }), a: Id, b: Id, pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }) },
  }, async (request) => {
    requireOperator(request);
    const params = { q: request.query.q, explain: '1' as const, pageSize: request.query.pageSize ?? 10 };
    // Previews are the operator's, not shoppers' queries: they stay out of suggestions and reports.
    return { a: await run(params, request.query.a, false), b: await run(params, request.query.b, false) };
  });

  api.get('/admin/search/synonyms', { schema: { tags: ['operator'], summary: 'Synonyms' } }, async (request) => {
    requireOperator(request);
    return { items: await search.synonyms() };
  });

  api.post('/admin/search/synonyms', {
    schema: { tags: ['operator'], summary: 'Add a synonym group', body: Type.Object({ terms: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { minItems: 2, maxItems: 20 }), when: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20 })) }) },
  }, async (request, reply) => {
    const operator = requireOperator(request);
    const id = await search.addSynonym(request.body, operator.id, (sql, id) => audit.record(sql, operator.id, 'search.synonym_add', id, { ...request.body }));
    return reply.status(201).send({ id, terms: request.body.terms, when: request.body.when ?? [] });
  });

  api.delete('/admin/search/synonyms/:synonymId', { schema: { tags: ['operator'], summary: 'Remove a synonym group', params: Type.Object({ synonymId: Id }) } }, async (request, reply) => {
    const operator = requireOperator(request);
    await search.removeSynonym(request.params.synonymId, (sql) => audit.record(sql, operator.id, 'search.synonym_remove', request.params.synonymId));
    return reply.status(204).send();
  });

  api.get('/admin/search/zero-results', { schema: { tags: ['operator'], summary: 'Queries that found nothing', querystring: Type.Object({ ...PageQuery }) } }, async (request) => {
    requireOperator(request);
    return { items: await search.zeroResultQueries(pageOf(request.query).pageSize) };
  });
}
