import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { requireUser } from '../../http/auth.ts';
import type { Api } from '../../http/types.ts';
import { invalidField } from '../../shared/problems.ts';
import { accountKey } from '../people/identifiers.ts';
import { eraseAccount } from './erase-account.ts';
import { exportData } from './export-data.ts';

const ConsentsOut = Type.Object({ personalization: Type.Boolean(), crossSourceFusion: Type.Boolean(), marketing: Type.Boolean() });
const TagOut = Type.Object({ id: Type.String(), kind: Type.String(), label: Type.String(), labelEn: Type.String(), source: Type.String(), sourceEn: Type.String(), evidence: Type.Record(Type.String(), Type.Unknown()) });

/** The privacy centre: my tags and where they came from, my consents, my data, my account's deletion. */
export function privacyRoutes(api: Api, { db, services }: AppContext) {
  /** The account's person: one read when it exists (the usual case), created in a transaction otherwise. */
  const personOf = async (userId: string) =>
    (await services.people.personsOf(db, [accountKey(userId)])).get(accountKey(userId)) ?? db.tx((sql) => services.people.personOfAccount(sql, userId));

  api.get('/me/profile', {
    schema: { tags: ['privacy'], summary: 'My profile: tags with their sources, and whether personalisation is on', response: { 200: Type.Object({ personId: Type.String(), personalization: Type.Boolean(), tags: Type.Array(TagOut), summary: Type.Record(Type.String(), Type.Unknown()) }) } },
  }, async (request) => {
    const user = requireUser(request);
    // Independent reads go out together: under load each waits for a pooled connection.
    const [view, personalization] = await Promise.all([personOf(user.id).then(services.profiles.view), services.privacy.allows(user.id, 'personalization')]);
    return { ...view, personalization };
  });

  api.delete('/me/profile/tags/:tagId', {
    schema: { tags: ['privacy'], summary: 'Delete a tag: it is not computed back unless new behaviour supports it', params: Type.Object({ tagId: Type.String({ minLength: 3, maxLength: 200 }) }) },
  }, async (request, reply) => {
    const user = requireUser(request);
    await services.profiles.deleteTag(await personOf(user.id), request.params.tagId);
    return reply.status(204).send();
  });

  const PrivacyOut = Type.Object({ consents: ConsentsOut, history: Type.Array(Type.Object({ purpose: Type.String(), granted: Type.Boolean(), via: Type.String(), noticeVersion: Type.String(), at: Type.String() })) });
  const privacyView = async (userId: string) => ({ consents: await services.privacy.consents(userId), history: await services.privacy.history(userId) });

  api.get('/me/privacy', { schema: { tags: ['privacy'], summary: 'My consents and their history', response: { 200: PrivacyOut } } }, async (request) => privacyView(requireUser(request).id));

  api.put('/me/privacy', {
    schema: {
      tags: ['privacy'], summary: 'Give or withdraw consent per purpose; takes effect on the next request',
      body: Type.Object({ personalization: Type.Optional(Type.Boolean()), crossSourceFusion: Type.Optional(Type.Boolean()), marketing: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: PrivacyOut },
    },
  }, async (request) => {
    const user = requireUser(request);
    if (!Object.keys(request.body).length) throw invalidField('body', 'name at least one of personalization, crossSourceFusion, marketing');
    await db.tx((sql) => services.privacy.update(sql, user.id, request.body, 'privacy_centre'));
    if (request.body.crossSourceFusion === false) await services.people.undoPartnerLinks(await personOf(user.id), `self:${user.id}`);
    return privacyView(user.id);
  });

  api.get('/me/data-export', { schema: { tags: ['privacy'], summary: 'Download everything held about me, as JSON' } }, async (request, reply) => {
    const user = requireUser(request);
    const data = await exportData(db, services, user.id);
    return reply.header('content-disposition', `attachment; filename="quanyu-my-data-${new Date().toISOString().slice(0, 10)}.json"`).send(data);
  });

  api.post('/me/erasure', {
    schema: { tags: ['privacy'], summary: 'Delete my account: personal data erased, orders and ledger kept under a pseudonym', body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 200 }) }) },
  }, async (request) => {
    const user = requireUser(request);
    return eraseAccount(db, services, user.id, request.body.password);
  });
}
