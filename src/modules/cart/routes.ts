import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { requireUser } from '../../http/auth.ts';
import { Id } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { MAX_LINE_QUANTITY } from './service.ts';

export function cartRoutes(api: Api, { services }: AppContext) {
  api.get('/cart', { schema: { tags: ['cart'], summary: 'My cart' } }, async (request) => services.cart.view(requireUser(request).id));

  api.put('/cart/items', {
    schema: {
      tags: ['cart'], summary: 'Set a line quantity (0 removes it)',
      body: Type.Object({ skuId: Id, quantity: Type.Integer({ minimum: 0, maximum: MAX_LINE_QUANTITY }), liveSessionId: Type.Optional({ ...Id, description: 'added from this live room: checkout applies its live price while it is live' }) }),
    },
  }, async (request) => services.cart.setItem(requireUser(request).id, request.body.skuId, request.body.quantity, request.body.liveSessionId));
}
