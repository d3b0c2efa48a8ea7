import type { Sql } from '../../db/database.ts';

/** What a pricing scope (categories, brands, stores) is matched against for one product. */
export interface ProductScopeFacts {
  productId: string;
  merchantId: string;
  /** The category path as ids, top first. */
  categoryIds: string[];
  brandId?: string;
  skus: { skuId: string; price: number }[];
}

/** Active products of active stores with what a scope matches; missing or unsellable ids are absent. */
export async function productScopeFacts(sql: Sql, productIds: string[]): Promise<Map<string, ProductScopeFacts>> {
  if (!productIds.length) return new Map();
  const rows = await sql.query(
    `SELECT p.id, p.merchant_id, p.brand_id,
            (SELECT array_agg(a.id ORDER BY length(a.path)) FROM categories a WHERE c.path = a.path OR c.path LIKE a.path || '/%') AS category_ids,
            (SELECT json_agg(json_build_object('skuId', s.id, 'price', s.price_amount) ORDER BY s.price_amount, s.id) FROM skus s WHERE s.product_id = p.id) AS skus
       FROM products p JOIN merchants m ON m.id = p.merchant_id LEFT JOIN categories c ON c.id = p.category_id
      WHERE p.id = ANY($1) AND p.status = 'active' AND m.status = 'active'`,
    [productIds],
  );
  return new Map(rows.map((r) => [r.id, {
    productId: r.id, merchantId: r.merchant_id, categoryIds: r.category_ids ?? [], ...(r.brand_id ? { brandId: r.brand_id } : {}),
    skus: (r.skus ?? []).map((s: { skuId: string; price: number }) => ({ skuId: s.skuId, price: Number(s.price) })),
  }]));
}

/** Everything an operator can put in a scope, by name: brands, category paths and stores. */
export async function scopeOptions(sql: Sql) {
  const [brands, categories, merchants] = await Promise.all([
    sql.query<{ id: string; name: string }>('SELECT id, name FROM brands ORDER BY name'),
    sql.query<{ id: string; name: string }>('SELECT id, path AS name FROM categories ORDER BY path'),
    sql.query<{ id: string; name: string; kind: string }>(`SELECT id, name, kind FROM merchants ORDER BY kind DESC, name`),
  ]);
  return { brands, categories, merchants };
}

/** The names of the brands, categories (their paths) and stores a scope lists; unknown ids are left out. */
export async function scopeNames(sql: Sql, scope: { brandIds?: string[]; categoryIds?: string[]; merchantIds?: string[] }) {
  const [brands, categories, merchants] = await Promise.all([
    sql.query<{ id: string; name: string }>('SELECT id, name FROM brands WHERE id = ANY($1) ORDER BY name', [scope.brandIds ?? []]),
    sql.query<{ id: string; name: string }>('SELECT id, path AS name FROM categories WHERE id = ANY($1) ORDER BY path', [scope.categoryIds ?? []]),
    sql.query<{ id: string; name: string }>('SELECT id, name FROM merchants WHERE id = ANY($1) ORDER BY name', [scope.merchantIds ?? []]),
  ]);
  return { brands, categories, merchants };
}
