import type { Sql } from '../../db/database.ts';
import { Problem } from '../../shared/problems.ts';
import { carrierByCode } from './carriers.ts';

export function createFulfillmentService() {
  return {
    /** Checks the carrier and its tracking number format; answers the normalised number. */
    validate(input: { carrier: string; trackingNo: string }) {
      const carrier = carrierByCode.get(input.carrier);
      if (!carrier) throw new Problem(400, 'validation_failed', `unknown carrier ${input.carrier}`, [{ field: 'carrier', message: 'unknown carrier; see GET /api/v1/carriers' }]);
      const trackingNo = input.trackingNo.trim().toUpperCase();
      if (!carrier.trackingPattern.test(trackingNo))
        throw new Problem(400, 'validation_failed', `not a ${carrier.nameEn} tracking number`, [{ field: 'trackingNo', message: `does not match ${carrier.nameEn} tracking numbers` }]);
      return { carrier, trackingNo };
    },

    async recordShipment(sql: Sql, input: { orderId: string; merchantId: string; carrier: string; trackingNo: string }) {
      const { carrier, trackingNo } = this.validate(input);
      const inserted = await sql.query(
        `INSERT INTO shipments (order_id, merchant_id, carrier, tracking_no) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1`,
        [input.orderId, input.merchantId, carrier.code, trackingNo],
      );
      if (!inserted.length) throw new Problem(409, 'tracking_number_used', 'this tracking number is already on another order', [{ field: 'trackingNo', message: 'already used' }]);
    },

    async shipments(sql: Sql, orderIds: string[]) {
      const rows = await sql.query('SELECT order_id, carrier, tracking_no, shipped_at FROM shipments WHERE order_id = ANY($1)', [orderIds]);
      return new Map(
        rows.map((s) => [
          s.order_id as string,
          { carrier: s.carrier as string, carrierName: carrierByCode.get(s.carrier)?.name ?? s.carrier, trackingNo: s.tracking_no as string, shippedAt: (s.shipped_at as Date).toISOString() },
        ]),
      );
    },
  };
}

export type FulfillmentService = ReturnType<typeof createFulfillmentService>;
