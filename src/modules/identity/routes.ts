import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { requireUser } from '../../http/auth.ts';
import type { Api } from '../../http/types.ts';

const Email = Type.String({ format: 'email', maxLength: 200 });
const Password = Type.String({ minLength: 8, maxLength: 200 });
const UserOut = Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), roles: Type.Array(Type.String()) });
const Session = Type.Object({ token: Type.String(), user: UserOut });

export function identityRoutes(api: Api, { services }: AppContext) {
  api.post('/auth/register', {
    schema: { tags: ['accounts'], summary: 'Create a shopper account', body: Type.Object({ email: Email, password: Password, name: Type.Optional(Type.String({ maxLength: 100 })) }), response: { 201: Session } },
  }, async (request, reply) => reply.status(201).send(await services.identity.register(request.body)));

  api.post('/auth/login', {
    schema: { tags: ['accounts'], summary: 'Sign in', body: Type.Object({ email: Type.String({ maxLength: 200 }), password: Type.String({ maxLength: 200 }) }), response: { 200: Session } },
  }, async (request) => services.identity.login(request.body.email, request.body.password));

  api.get('/me', { schema: { tags: ['accounts'], summary: 'The signed-in user', response: { 200: UserOut } } }, async (request) => requireUser(request));
}
