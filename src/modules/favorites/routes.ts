import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { deviceIdOf, requireUser } from '../../http/auth.ts';
import { IdParams, MoneyOut } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';

export function favoriteRoutes(api: Api, { services }: AppContext) {
  api.get('/me/favorites', {
    schema: { tags: ['accounts'], summary: 'My favourite products', response: { 200: Type.Object({ items: Type.Array(Type.Object({ productId: Type.String(), title: Type.String(), price: MoneyOut, addedAt: Type.String() })) }) } },
  }, async (request) => ({ items: await services.favorites.list(requireUser(request).id) }));

  api.put('/me/favorites/:productId', { schema: { tags: ['accounts'], summary: 'Save a product (records a favourite event)', params: IdParams('productId') } }, async (request, reply) => {
    const user = requireUser(request);
    if (await services.favorites.add(user.id, request.params.productId))
      await services.events.record({ userId: user.id, deviceId: deviceIdOf(request) }, [{ type: 'favorite', productId: request.params.productId }]);
    return reply.status(204).send();
  });

  api.delete('/me/favorites/:productId', { schema: { tags: ['accounts'], summary: 'Remove a saved product', params: IdParams('productId') } }, async (request, reply) => {
    await services.favorites.remove(requireUser(request).id, request.params.productId);
    return reply.status(204).send();
  });
}
