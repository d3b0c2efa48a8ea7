import type { Database, Sql } from '../../db/database.ts';
import { money } from '../../shared/money.ts';
import { Problem } from '../../shared/problems.ts';
import type { CatalogService } from '../catalog/service.ts';
import type { InventoryService } from '../inventory/service.ts';

export const MAX_LINE_QUANTITY = 999;

export function createCartService(db: Database, catalog: CatalogService, inventory: InventoryService) {
  async function items(sql: Sql, userId: string) {
    return sql.query<{ sku_id: string; quantity: number }>('SELECT sku_id, quantity FROM cart_items WHERE user_id = $1 ORDER BY added_at, sku_id', [userId]);
  }

  async function view(userId: string) {
    const rows = await items(db, userId);
    const skuIds = rows.map((r) => r.sku_id);
    const skus = await catalog.sellableSkus(db, skuIds);
    const stock = await inventory.levels(db, skuIds);
    const lines = rows.flatMap((r) => {
      const sku = skus.get(r.sku_id);
      if (!sku) return [];
      return [{
        skuId: sku.skuId, productId: sku.productId, title: sku.title, titleEn: sku.titleEn, skuAttributes: sku.attributes,
        merchantId: sku.merchantId, merchantName: sku.merchantName, merchantKind: sku.merchantKind,
        unitPrice: money(sku.price), quantity: r.quantity, stock: stock.get(sku.skuId) ?? 0, available: sku.sellable,
        lineTotal: money(sku.price * r.quantity),
      }];
    });
    return { items: lines, total: money(lines.reduce((a, l) => a + l.lineTotal.amount, 0)), count: lines.reduce((a, l) => a + l.quantity, 0) };
  }

  return {
    view,
    items: (sql: Sql, userId: string) => items(sql, userId),

    /** Sets a line's quantity; 0 removes it. */
    async setItem(userId: string, skuId: string, quantity: number) {
      if (quantity > 0) {
        const sku = (await catalog.sellableSkus(db, [skuId])).get(skuId);
        if (!sku) throw new Problem(404, 'not_found', 'SKU not found', [{ field: 'skuId', message: 'unknown SKU' }]);
        if (!sku.sellable) throw new Problem(422, 'not_on_sale', 'this product is not on sale', [{ field: 'skuId', message: 'not on sale' }]);
        await db.query(
          `INSERT INTO cart_items (user_id, sku_id, quantity) VALUES ($1, $2, $3)
           ON CONFLICT (user_id, sku_id) DO UPDATE SET quantity = $3`,
          [userId, skuId, quantity],
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
