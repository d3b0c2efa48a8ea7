import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import type { FastifyRequest } from 'fastify';
import { deviceIdOf, requireUser } from '../../http/auth.ts';
import { accountKey, identifierKey, isDeviceId } from '../people/identifiers.ts';
import type { Api } from '../../http/types.ts';

const Email = Type.String({ format: 'email', maxLength: 200 });
const Password = Type.String({ minLength: 8, maxLength: 200 });
const UserOut = Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), roles: Type.Array(Type.String()) });
const Session = Type.Object({ token: Type.String(), user: UserOut });

const RegisterConsents = Type.Object({ marketing: Type.Optional(Type.Boolean()), crossSourceFusion: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

export function identityRoutes(api: Api, { db, services }: AppContext) {
  /** Behaviour from this device before sign-in joins the account from now on. */
  async function joinDevice(userId: string, request: FastifyRequest) {
    const deviceId = deviceIdOf(request);
    if (deviceId && isDeviceId(deviceId)) await db.tx((sql) => services.events.linkDevice(sql, userId, deviceId, 'signed in on this device'));
  }

  api.post('/auth/register', {
    schema: {
      tags: ['accounts'], summary: 'Create a shopper account (personalisation on, with an off switch; marketing and cross-source fusion only if agreed here or later)',
      body: Type.Object({ email: Email, password: Password, name: Type.Optional(Type.String({ maxLength: 100 })), consents: Type.Optional(RegisterConsents) }),
      response: { 201: Session },
    },
  }, async (request, reply) => {
    const { consents, ...account } = request.body;
    const session = await services.identity.register(account);
    await db.tx(async (sql) => {
      await services.privacy.update(sql, session.user.id, consents ?? {}, 'registration');
      await services.people.link(sql, accountKey(session.user.id), identifierKey('email', session.user.email), { source: 'registration', reason: 'email given at registration' });
    });
    await joinDevice(session.user.id, request);
    return reply.status(201).send(session);
  });

  api.post('/auth/login', {
    schema: { tags: ['accounts'], summary: 'Sign in', body: Type.Object({ email: Type.String({ maxLength: 200 }), password: Type.String({ maxLength: 200 }) }), response: { 200: Session } },
  }, async (request) => {
    const session = await services.identity.login(request.body.email, request.body.password);
    await joinDevice(session.user.id, request);
    return session;
  });

  api.get('/me', { schema: { tags: ['accounts'], summary: 'The signed-in user', response: { 200: UserOut } } }, async (request) => requireUser(request));
}
