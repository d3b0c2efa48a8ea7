import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { actingAsOperator, requireMerchantStaff } from '../../http/auth.ts';
import { IdParams } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { carriers } from './carriers.ts';
import { shipOrder } from './ship-order.ts';

export function fulfillmentRoutes(api: Api, { services, db }: AppContext) {
  api.get('/carriers', { schema: { tags: ['fulfillment'], summary: 'Carriers a merchant can ship with' } }, async () => ({
    items: carriers.map(({ code, name, nameEn, trackingPattern, example }) => ({ code, name, nameEn, pattern: trackingPattern.source, example })),
  }));

  api.post('/merchants/:merchantId/orders/:orderId/ship', {
    schema: {
      tags: ['merchant'], summary: 'Ship a paid order with a carrier and tracking number', params: IdParams('merchantId', 'orderId'),
      body: Type.Object({ carrier: Type.String({ minLength: 1, maxLength: 16 }), trackingNo: Type.String({ minLength: 5, maxLength: 40 }) }),
    },
  }, async (request) => {
    const user = requireMerchantStaff(request, request.params.merchantId);
    await db.tx(async (sql) => {
      await shipOrder(sql, services, request.params.merchantId, request.params.orderId, request.body);
      if (actingAsOperator(user, request.params.merchantId)) await services.audit.record(sql, user.id, 'order.ship', request.params.orderId, { ...request.body });
    });
    return services.orders.view(db, request.params.orderId);
  });
}
