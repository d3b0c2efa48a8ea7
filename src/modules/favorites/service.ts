import type { Database, Sql } from '../../db/database.ts';
import { money } from '../../shared/money.ts';
import { notFound } from '../../shared/problems.ts';
import type { CatalogService } from '../catalog/service.ts';

/** Favourites (收藏夹): products a shopper saved, newest first. */
export function createFavoritesService(db: Database, catalog: CatalogService) {
  return {
    /** Answers true when the product was not yet a favourite. */
    async add(userId: string, productId: string): Promise<boolean> {
      if (!(await catalog.productFacts([productId])).has(productId)) throw notFound('product');
      const rows = await db.query('INSERT INTO favorites (user_id, product_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING product_id', [userId, productId]);
      return rows.length > 0;
    },

    async remove(userId: string, productId: string) {
      await db.query('DELETE FROM favorites WHERE user_id = $1 AND product_id = $2', [userId, productId]);
    },

    async list(userId: string) {
      const rows = await db.query<{ product_id: string; added_at: Date }>('SELECT product_id, added_at FROM favorites WHERE user_id = $1 ORDER BY added_at DESC LIMIT 500', [userId]);
      const facts = await catalog.productFacts(rows.map((r) => r.product_id));
      return rows.flatMap((r) => {
        const product = facts.get(r.product_id);
        return product ? [{ productId: r.product_id, title: product.title, price: money(product.price ?? 0), addedAt: r.added_at.toISOString() }] : [];
      });
    },

    async erase(sql: Sql, userId: string): Promise<number> {
      return (await sql.query('DELETE FROM favorites WHERE user_id = $1 RETURNING product_id', [userId])).length;
    },
  };
}

export type FavoritesService = ReturnType<typeof createFavoritesService>;
