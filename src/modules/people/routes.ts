import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { requireOperator } from '../../http/auth.ts';
import { Id, IdParams, PageQuery, pageOf } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { money } from '../../shared/money.ts';
import { notFound, Problem } from '../../shared/problems.ts';
import { recomputeProfile } from '../profiles/recompute.ts';
import { identifierKey, IdentifierError, IDENTIFIER_KINDS } from './identifiers.ts';
import { importPartner } from './import-partner.ts';

const IdentifierIn = Type.Object({ kind: Type.Union(IDENTIFIER_KINDS.map((k) => Type.Literal(k))), value: Type.String({ minLength: 1, maxLength: 200 }) });
const Purposes = Type.Array(Type.Union(['personalization', 'cross_source_fusion', 'marketing'].map((p) => Type.Literal(p))), { minItems: 1, uniqueItems: true });

/** Operator views of the identity graph: who a person is, from which identifiers, and why. */
export function peopleRoutes(api: Api, context: AppContext) {
  const { db, services } = context;
  const { people, profiles, tracking, audit, identity, privacy } = services;

  async function personView(personId: string) {
    const graph = await people.explain(personId);
    const userId = (await people.accountsOf([personId])).get(personId);
    const account = userId ? await identity.account(userId) : undefined;
    return {
      ...graph,
      account: account ? { userId: account.id, email: account.email, name: account.name } : null,
      consents: userId ? await privacy.consents(userId) : null,
      profile: await profiles.view(personId),
    };
  }

  api.get('/admin/people', {
    schema: { tags: ['operator'], summary: 'Find people by email, account, person id, device or identifier', querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), ...PageQuery }) },
  }, async (request) => {
    requireOperator(request);
    const { page, pageSize } = pageOf(request.query);
    let q = (request.query.q ?? '').trim();
    if (q.includes('@')) q = (await identity.findUserByEmail(db, q))?.id ?? q;
    const found = await people.find(q, pageSize, (page - 1) * pageSize);
    const [accounts, counts, states] = await Promise.all([people.accountsOf(found.personIds), people.identifierCounts(found.personIds), profiles.statesOf(found.personIds)]);
    const emails = await identity.emailsOf(db, [...accounts.values()]);
    const items = found.personIds.map((personId) => {
      const userId = accounts.get(personId);
      const state = states.get(personId);
      return {
        personId,
        account: userId ? { userId, email: emails.get(userId) ?? '' } : null,
        identifiers: counts.get(personId) ?? 0,
        events: state?.events ?? 0,
        lastAt: state?.lastAt ? new Date(state.lastAt).toISOString() : null,
      };
    });
    return { items, total: found.total, page, pageSize };
  });

  api.get('/admin/people/:personId', { schema: { tags: ['operator'], summary: 'One person: identifiers, links with their sources, merges, consents, profile', params: IdParams('personId') } }, async (request) => {
    requireOperator(request);
    return personView(request.params.personId);
  });

  api.get('/admin/people/:personId/timeline', {
    schema: { tags: ['operator'], summary: "A person's behaviour, newest first", params: IdParams('personId'), querystring: Type.Object({ ...PageQuery }) },
  }, async (request) => {
    requireOperator(request);
    const { page, pageSize } = pageOf(request.query);
    const keys = await people.keysOf(db, request.params.personId);
    if (!keys.length) throw notFound('person');
    const { items, total } = await tracking.timeline(keys, pageSize, (page - 1) * pageSize);
    const titles = await tracking.productFacts(items.flatMap((e) => (e.productId ? [e.productId] : [])));
    return {
      items: items.map(({ price, amount, receivedAt: _received, ...e }) => ({
        ...e, id: String(e.id), at: e.at.toISOString(),
        ...(e.productId && titles.get(e.productId) ? { title: titles.get(e.productId)!.title } : {}),
        ...(price !== undefined ? { price: money(price) } : {}),
        ...(amount !== undefined ? { amount: money(amount) } : {}),
      })),
      total, page, pageSize,
    };
  });

  api.post('/admin/people/:personId/recompute', { schema: { tags: ['operator'], summary: 'Fold the profile again from all events', params: IdParams('personId') } }, async (request) => {
    const operator = requireOperator(request);
    if (!(await people.keysOf(db, request.params.personId)).length) throw notFound('person');
    await recomputeProfile({ db, ...services }, request.params.personId);
    await audit.record(db, operator.id, 'people.recompute', request.params.personId);
    return profiles.view(request.params.personId);
  });

  api.post('/admin/people/links', {
    schema: { tags: ['operator'], summary: 'Link two identifiers as one person (a manual merge)', body: Type.Object({ a: IdentifierIn, b: IdentifierIn, reason: Type.String({ minLength: 1, maxLength: 300 }) }) },
  }, async (request, reply) => {
    const operator = requireOperator(request);
    const [a, b] = [keyOf(request.body.a, 'a'), keyOf(request.body.b, 'b')];
    if (a === b) throw new Problem(400, 'validation_failed', 'a and b are the same identifier', [{ field: 'b', message: 'same as a' }]);
    const result = await db.tx(async (sql) => {
      const result = await people.link(sql, a, b, { source: `operator:${operator.id}`, reason: request.body.reason });
      await audit.record(sql, operator.id, 'people.link', result.linkId!, { a, b, reason: request.body.reason });
      return result;
    });
    return reply.status(201).send(result);
  });

  api.post('/admin/people/links/:linkId/undo', { schema: { tags: ['operator'], summary: 'Undo a link (unmerge): the person splits where the link held it together', params: IdParams('linkId') } }, async (request) => {
    const operator = requireOperator(request);
    const result = await people.undoLink(request.params.linkId, operator.id);
    await audit.record(db, operator.id, 'people.unlink', request.params.linkId, { persons: result.persons });
    return result;
  });

  api.get('/admin/source-consents', { schema: { tags: ['operator'], summary: 'Recorded consents under which partner sources may send data' } }, async (request) => {
    requireOperator(request);
    return { items: await people.sourceConsents() };
  });

  api.post('/admin/source-consents', {
    schema: {
      tags: ['operator'], summary: 'Record the consent a partner source sends data under (PIPL Art. 23)',
      body: Type.Object({ source: Type.String({ pattern: '^[a-z0-9_-]{2,40}$' }), purposes: Purposes, basis: Type.String({ minLength: 10, maxLength: 2000 }), noticeVersion: Type.String({ minLength: 1, maxLength: 40 }) }),
    },
  }, async (request, reply) => {
    const operator = requireOperator(request);
    const consent = await db.tx(async (sql) => {
      const consent = await people.recordSourceConsent(sql, request.body, operator.id);
      await audit.record(sql, operator.id, 'people.source_consent', consent.id, { ...request.body });
      return consent;
    });
    return reply.status(201).send(consent);
  });

  api.delete('/admin/source-consents/:consentId', { schema: { tags: ['operator'], summary: 'Revoke a source consent: later imports under it are refused', params: IdParams('consentId') } }, async (request, reply) => {
    const operator = requireOperator(request);
    await db.tx(async (sql) => {
      await people.revokeSourceConsent(sql, request.params.consentId);
      await audit.record(sql, operator.id, 'people.source_consent_revoke', request.params.consentId);
    });
    return reply.status(204).send();
  });

  api.post('/admin/imports/partner', {
    bodyLimit: 50 * 1024 * 1024,
    schema: {
      tags: ['operator'], summary: "Import a partner's identities and events (JSONL) under a recorded consent",
      querystring: Type.Object({ source: Type.String({ pattern: '^[a-z0-9_-]{2,40}$' }), consentId: Id }),
    },
  }, async (request) => {
    const operator = requireOperator(request);
    if (typeof request.body !== 'string') throw new Problem(415, 'unsupported_media_type', 'send the JSONL as application/x-ndjson');
    const summary = await importPartner(db, services, { source: request.query.source, consentId: request.query.consentId, text: request.body, actorId: operator.id });
    await audit.record(db, operator.id, 'people.partner_import', summary.importId, { source: request.query.source, lines: summary.lines, rejected: summary.rejected.length });
    return summary;
  });
}

function keyOf(identifier: { kind: string; value: string }, field: string): string {
  try {
    return identifierKey(identifier.kind, identifier.value);
  } catch (error) {
    if (error instanceof IdentifierError) throw new Problem(400, 'validation_failed', error.message, [{ field: `${field}.value`, message: error.message }]);
    throw error;
  }
}
