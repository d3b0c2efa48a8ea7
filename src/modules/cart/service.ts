import type { Database, Sql } from '../../db/database.ts';
import { money } from '../../shared/money.ts';
import { Problem } from '../../shared/problems.ts';
import type { CatalogService } from '../catalog/service.ts';
import type { InventoryService } from '../inventory/service.ts';
import type { LivePricer } from '../content/service.ts';

export const MAX_LINE_QUANTITY = 999;

export function createCartService(db: Database, catalog: CatalogService, inventory: InventoryService, livePrices: LivePricer) {
  async function items(sql: Sql, userId: string) {
    return sql.query<{ sku_id: string; quantity: number; live_session_id: string | null }>('SELECT sku_id, quantity, live_session_id FROM cart_items WHERE user_id = $1 ORDER BY added_at, sku_id', [userId]);
  }

  async function view(userId: string) {
    const rows = await items(db, userId);
    const skuIds = rows.map((r) => r.sku_id);
    const skus = await catalog.sellableSkus(db, skuIds);
    const stock = await inventory.levels(db, skuIds);
    const live = await livePrices(db, rows.flatMap((r) => (r.live_session_id ? [{ skuId: r.sku_id, liveSessionId: r.live_session_id }] : [])));
    const lines = rows.flatMap((r) => {
      const sku = skus.get(r.sku_id);
      if (!sku) return [];
      const l = r.live_session_id ? live.get(`${r.live_session_id}|${r.sku_id}`) : undefined;
      const unit = l?.state === 'live' ? Math.min(l.price, sku.price) : sku.price;
      return [{
        skuId: sku.skuId, productId: sku.productId, title: sku.title, titleEn: sku.titleEn, skuAttributes: sku.attributes,
        merchantId: sku.merchantId, merchantName: sku.merchantName, merchantKind: sku.merchantKind,
        unitPrice: money(unit), listPrice: money(sku.price), ...(l?.state === 'live' ? { liveSessionId: l.sessionId } : {}),
        quantity: r.quantity, stock: stock.get(sku.skuId) ?? 0, available: sku.sellable,
        lineTotal: money(unit * r.quantity),
      }];
    });
    return { items: lines, total: money(lines.reduce((a, l) => a + l.lineTotal.amount, 0)), count: lines.reduce((a, l) => a + l.quantity, 0) };
  }

  return {
    view,
    items: (sql: Sql, userId: string) => items(sql, userId),

    /**
     * Sets a line's quantity; 0 removes it. A line added from a live room names the session
     * (it must be live and sell this SKU); a later change without one keeps the session.
     */
    async setItem(userId: string, skuId: string, quantity: number, liveSessionId?: string) {
      if (quantity > 0) {
        const sku = (await catalog.sellableSkus(db, [skuId])).get(skuId);
        if (!sku) throw new Problem(404, 'not_found', 'SKU not found', [{ field: 'skuId', message: 'unknown SKU' }]);
        if (!sku.sellable) throw new Problem(422, 'not_on_sale', 'this product is not on sale', [{ field: 'skuId', message: 'not on sale' }]);
        if (liveSessionId) {
          const answer = (await livePrices(db, [{ skuId, liveSessionId }])).get(`${liveSessionId}|${skuId}`);
          if (answer?.state === 'unknown') throw new Problem(400, 'validation_failed', 'this live session does not sell this SKU', [{ field: 'liveSessionId', message: 'no such live session selling this SKU' }]);
          if (answer?.state === 'not_live') throw new Problem(409, 'invalid_state', 'the live session is not live', [{ field: 'liveSessionId', message: 'not live now' }]);
        }
        await db.query(
          `INSERT INTO cart_items (user_id, sku_id, quantity, live_session_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id, sku_id) DO UPDATE SET quantity = $3, live_session_id = coalesce($4, cart_items.live_session_id)`,
          [userId, skuId, quantity, liveSessionId ?? null],
        );
      } else {
        await db.query('DELETE FROM cart_items WHERE user_id = $1 AND sku_id = $2', [userId, skuId]);
      }
      return view(userId);
    },

    async clear(sql: Sql, userId: string) {
      await sql.query('DELETE FROM cart_items WHERE user_id = $1', [userId]);
    },

    async remove(sql: Sql, userId: string, skuIds: string[]) {
      await sql.query('DELETE FROM cart_items WHERE user_id = $1 AND sku_id = ANY($2)', [userId, skuIds]);
    },
  };
}

export type CartService = ReturnType<typeof createCartService>;
