import type { Database, Sql } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import { money } from '../../shared/money.ts';
import { notFound, Problem } from '../../shared/problems.ts';
import type { Page } from '../../http/schemas.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { InventoryService } from '../inventory/service.ts';

export type MerchantKind = 'self_operated' | 'marketplace';

export interface NewSku {
  code?: string;
  attributes?: Record<string, string>;
  price: { amount: number };
  stock: number;
}
export interface NewProduct {
  title: string;
  titleEn?: string;
  description?: string;
  brand?: string;
  category?: string;
  attributes?: Record<string, string>;
  skus: NewSku[];
}

/** What checkout needs to know about a SKU to sell it. */
export interface SellableSku {
  skuId: string;
  productId: string;
  merchantId: string;
  merchantName: string;
  merchantKind: MerchantKind;
  commissionRateBps: number;
  title: string;
  titleEn: string;
  attributes: Record<string, string>;
  price: number;
  sellable: boolean;
  /** The product's category and its ancestors, top first; what promotion scopes match. */
  categoryIds: string[];
  brandId: string | null;
}

export interface ProductFilter {
  categoryId?: string;
  merchantId?: string;
  q?: string;
  sort?: 'newest' | 'price_asc' | 'price_desc' | 'sales';
}

const SORTS = {
  newest: 'p.created_at DESC, p.id',
  price_asc: 'min_price ASC, p.id',
  price_desc: 'min_price DESC, p.id',
  sales: 'p.sales DESC, p.id',
} as const;

export function createCatalogService(db: Database, inventory: InventoryService, outbox: Outbox) {
  /**
   * Each category with its ancestors, top first, kept in memory: categories are only ever
   * added, so the map is read again only when it meets an id it has not seen.
   */
  let lineageById = new Map<string, string[]>();
  async function categoryLineage(sql: Sql, categoryIds: string[]): Promise<Map<string, string[]>> {
    if (categoryIds.every((id) => lineageById.has(id))) return lineageById;
    const parentOf = new Map((await sql.query<{ id: string; parent_id: string | null }>('SELECT id, parent_id FROM categories')).map((r) => [r.id, r.parent_id]));
    const next = new Map<string, string[]>();
    for (const id of parentOf.keys()) {
      const chain: string[] = [];
      for (let c: string | null | undefined = id; c && chain.length < 10; c = parentOf.get(c)) chain.unshift(c);
      next.set(id, chain);
    }
    return (lineageById = next);
  }

  async function ensureCategoryPath(sql: Sql, path: string, namesEn: string[] = []): Promise<string> {
    const parts = path.split('/').map((p) => p.trim()).filter(Boolean);
    if (!parts.length || parts.length > 5) throw new Problem(400, 'validation_failed', 'category: 1 to 5 levels', [{ field: 'category', message: 'expected a name or a path of up to 5 names' }]);
    let parentId: string | null = null;
    for (let i = 0; i < parts.length; i++) {
      const fullPath = parts.slice(0, i + 1).join('/');
      const existing = await sql.one<{ id: string }>('SELECT id FROM categories WHERE path = $1', [fullPath]);
      if (existing) parentId = existing.id;
      else {
        const id = newId('cat');
        await sql.query('INSERT INTO categories (id, parent_id, name, name_en, path) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (path) DO NOTHING', [
          id, parentId, parts[i], namesEn[i] ?? '', fullPath,
        ]);
        parentId = (await sql.one<{ id: string }>('SELECT id FROM categories WHERE path = $1', [fullPath]))!.id;
      }
    }
    return parentId!;
  }

  async function ensureBrand(sql: Sql, name: string): Promise<string> {
    await sql.query('INSERT INTO brands (id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [newId('brd'), name.trim()]);
    return (await sql.one<{ id: string }>('SELECT id FROM brands WHERE name = $1', [name.trim()]))!.id;
  }

  async function requireMerchant(sql: Sql, merchantId: string) {
    const m = await sql.one('SELECT id, name, kind, commission_rate_bps, status, owner_user_id, created_at FROM merchants WHERE id = $1', [merchantId]);
    if (!m) throw notFound('merchant');
    return m;
  }

  async function productDetail(sql: Sql, productId: string) {
    const p = await sql.one(
      `SELECT p.*, m.name AS merchant_name, m.kind AS merchant_kind, b.name AS brand, c.path AS category
         FROM products p JOIN merchants m ON m.id = p.merchant_id
         LEFT JOIN brands b ON b.id = p.brand_id LEFT JOIN categories c ON c.id = p.category_id
        WHERE p.id = $1`,
      [productId],
    );
    if (!p) return undefined;
    const skus = await sql.query('SELECT id, code, attributes, price_amount FROM skus WHERE product_id = $1 ORDER BY code', [productId]);
    const stock = await inventory.levels(sql, skus.map((s) => s.id));
    const skuViews = skus.map((s) => ({ id: s.id, code: s.code, attributes: s.attributes, price: money(s.price_amount), stock: stock.get(s.id) ?? 0 }));
    return {
      id: p.id,
      merchantId: p.merchant_id,
      merchant: { id: p.merchant_id, name: p.merchant_name, kind: p.merchant_kind },
      title: p.title,
      titleEn: p.title_en,
      description: p.description,
      brand: p.brand ?? null,
      category: p.category ?? null,
      categoryId: p.category_id ?? null,
      attributes: p.attributes,
      status: p.status,
      sales: p.sales,
      createdAt: p.created_at.toISOString(),
      price: money(Math.min(...skus.map((s) => s.price_amount))),
      skus: skuViews,
    };
  }

  return {
    ensureCategoryPath,
    ensureBrand,
    requireMerchant,

    async createMerchant(sql: Sql, input: { name: string; kind: MerchantKind; commissionRateBps: number; ownerUserId: string }) {
      const id = newId('mer');
      await sql.query('INSERT INTO merchants (id, name, kind, commission_rate_bps, owner_user_id) VALUES ($1, $2, $3, $4, $5)', [
        id, input.name, input.kind, input.commissionRateBps, input.ownerUserId,
      ]);
      await outbox.emit(sql, 'catalog.merchant_created', { merchantId: id, kind: input.kind });
      return { id, name: input.name, kind: input.kind, commissionRateBps: input.commissionRateBps };
    },

    async updateMerchant(sql: Sql, merchantId: string, patch: { name?: string; commissionRateBps?: number; status?: 'active' | 'suspended' }) {
      await requireMerchant(sql, merchantId);
      await sql.query(
        `UPDATE merchants SET name = coalesce($2, name), commission_rate_bps = coalesce($3, commission_rate_bps), status = coalesce($4, status) WHERE id = $1`,
        [merchantId, patch.name ?? null, patch.commissionRateBps ?? null, patch.status ?? null],
      );
      await outbox.emit(sql, 'catalog.merchant_updated', { merchantId, ...patch });
      const m = await requireMerchant(sql, merchantId);
      return { id: m.id, name: m.name, kind: m.kind, commissionRateBps: m.commission_rate_bps, status: m.status };
    },

    async listMerchants({ page, pageSize }: Page) {
      const rows = await db.query(
        `SELECT m.*, (SELECT count(*) FROM products p WHERE p.merchant_id = m.id) AS product_count, count(*) OVER () AS total
           FROM merchants m ORDER BY m.created_at, m.id LIMIT $1 OFFSET $2`,
        [pageSize, (page - 1) * pageSize],
      );
      return {
        rows,
        items: rows.map((m) => ({
          id: m.id, name: m.name, kind: m.kind, commissionRateBps: m.commission_rate_bps, status: m.status,
          ownerUserId: m.owner_user_id, productCount: m.product_count, createdAt: m.created_at.toISOString(),
        })),
        total: rows[0]?.total ?? 0,
        page,
        pageSize,
      };
    },

    async publicMerchant(merchantId: string) {
      const m = await requireMerchant(db, merchantId);
      return { id: m.id, name: m.name, kind: m.kind };
    },

    async merchantOwner(sql: Sql, merchantId: string): Promise<string> {
      return (await requireMerchant(sql, merchantId)).owner_user_id;
    },

    async createProduct(sql: Sql, merchantId: string, input: NewProduct) {
      await requireMerchant(sql, merchantId);
      const codes = input.skus.map((s, i) => s.code?.trim() || `SKU-${i + 1}`);
      const duplicate = codes.findIndex((c, i) => codes.indexOf(c) !== i);
      if (duplicate >= 0) throw new Problem(400, 'validation_failed', 'SKU codes must be unique', [{ field: `skus.${duplicate}.code`, message: 'duplicate code' }]);
      const productId = newId('prd');
      const brandId = input.brand?.trim() ? await ensureBrand(sql, input.brand) : null;
      const categoryId = input.category?.trim() ? await ensureCategoryPath(sql, input.category) : null;
      await sql.query(
        `INSERT INTO products (id, merchant_id, title, title_en, description, brand_id, category_id, attributes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
        [productId, merchantId, input.title.trim(), input.titleEn ?? '', input.description ?? '', brandId, categoryId, JSON.stringify(input.attributes ?? {})],
      );
      const skus = [];
      for (const [i, sku] of input.skus.entries()) {
        const id = newId('sku');
        const taken = await sql.one('SELECT 1 FROM skus WHERE merchant_id = $1 AND code = $2', [merchantId, codes[i]]);
        if (taken) throw new Problem(409, 'sku_code_taken', `SKU code ${codes[i]} is already used in this store`, [{ field: `skus.${i}.code`, message: 'already used in this store' }]);
        await sql.query('INSERT INTO skus (id, product_id, merchant_id, code, attributes, price_amount) VALUES ($1, $2, $3, $4, $5::jsonb, $6)', [
          id, productId, merchantId, codes[i], JSON.stringify(sku.attributes ?? {}), sku.price.amount,
        ]);
        await inventory.setStock(sql, id, sku.stock);
        skus.push({ id, code: codes[i], attributes: sku.attributes ?? {}, price: money(sku.price.amount), stock: sku.stock });
      }
      await outbox.emit(sql, 'catalog.product_created', { productId, merchantId });
      return { id: productId, merchantId, title: input.title.trim(), skus };
    },

    async updateProduct(sql: Sql, merchantId: string, productId: string, patch: { title?: string; titleEn?: string; description?: string; status?: 'active' | 'inactive' }) {
      const rows = await sql.query(
        `UPDATE products SET title = coalesce($3, title), title_en = coalesce($4, title_en), description = coalesce($5, description),
                status = coalesce($6, status), updated_at = now()
          WHERE id = $1 AND merchant_id = $2 RETURNING id`,
        [productId, merchantId, patch.title?.trim() ?? null, patch.titleEn ?? null, patch.description ?? null, patch.status ?? null],
      );
      if (!rows.length) throw notFound('product');
      await outbox.emit(sql, 'catalog.product_updated', { productId, merchantId });
      return (await productDetail(sql, productId))!;
    },

    async updateSku(sql: Sql, merchantId: string, skuId: string, patch: { price?: { amount: number }; stock?: number }) {
      const sku = await sql.one('SELECT id, product_id, code, attributes, price_amount FROM skus WHERE id = $1 AND merchant_id = $2 FOR UPDATE', [skuId, merchantId]);
      if (!sku) throw notFound('SKU');
      if (patch.price) await sql.query('UPDATE skus SET price_amount = $2 WHERE id = $1', [skuId, patch.price.amount]);
      if (patch.stock !== undefined) await inventory.setStock(sql, skuId, patch.stock);
      await sql.query('UPDATE products SET updated_at = now() WHERE id = $1', [sku.product_id]);
      await outbox.emit(sql, 'catalog.sku_updated', { skuId, productId: sku.product_id, merchantId, price: patch.price?.amount, stock: patch.stock });
      const stock = (await inventory.levels(sql, [skuId])).get(skuId) ?? 0;
      return { id: skuId, productId: sku.product_id, code: sku.code, attributes: sku.attributes, price: money(patch.price?.amount ?? sku.price_amount), stock };
    },

    getProduct: (productId: string) => productDetail(db, productId),

    async listProducts(filter: ProductFilter & { includeInactive?: boolean }, { page, pageSize }: Page) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (clause: string, value: unknown) => {
        params.push(value);
        where.push(clause.replaceAll('?', `$${params.length}`));
      };
      if (!filter.includeInactive) where.push(`p.status = 'active'`, `m.status = 'active'`);
      if (filter.merchantId) add('p.merchant_id = ?', filter.merchantId);
      if (filter.categoryId)
        add(`p.category_id IN (SELECT d.id FROM categories d, categories c WHERE c.id = ? AND (d.path = c.path OR d.path LIKE c.path || '/%'))`, filter.categoryId);
      if (filter.q) add('(p.title ILIKE ? OR p.title_en ILIKE ?)', `%${escapeLike(filter.q)}%`);
      params.push(pageSize, (page - 1) * pageSize);
      const rows = await db.query(
        `SELECT p.id, p.title, p.title_en, p.merchant_id, p.category_id, p.status, p.sales, p.created_at,
                m.name AS merchant_name, m.kind AS merchant_kind, b.name AS brand, c.path AS category,
                s.min_price, s.sku_ids, count(*) OVER () AS total
           FROM products p JOIN merchants m ON m.id = p.merchant_id
           LEFT JOIN brands b ON b.id = p.brand_id LEFT JOIN categories c ON c.id = p.category_id
           JOIN LATERAL (SELECT min(price_amount) AS min_price, array_agg(id) AS sku_ids FROM skus WHERE product_id = p.id) s ON true
          ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
          ORDER BY ${SORTS[filter.sort ?? 'newest']}
          LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params,
      );
      const stock = await inventory.levels(db, rows.flatMap((r) => r.sku_ids ?? []));
      return {
        items: rows.map((r) => ({
          id: r.id, title: r.title, titleEn: r.title_en, price: money(r.min_price ?? 0), merchantId: r.merchant_id,
          merchantName: r.merchant_name, merchantKind: r.merchant_kind, brand: r.brand ?? null, category: r.category ?? null,
          categoryId: r.category_id ?? null, sales: r.sales, status: r.status,
          inStock: (r.sku_ids ?? []).some((id: string) => (stock.get(id) ?? 0) > 0),
        })),
        total: rows[0]?.total ?? 0,
        page,
        pageSize,
      };
    },

    /** Full SKU lists of a store's products, for the merchant console. */
    async skusOfProducts(productIds: string[]) {
      const skus = await db.query('SELECT id, product_id, code, attributes, price_amount FROM skus WHERE product_id = ANY($1) ORDER BY code', [productIds]);
      const stock = await inventory.levels(db, skus.map((s) => s.id));
      const byProduct = new Map<string, unknown[]>();
      for (const s of skus)
        byProduct.set(s.product_id, [...(byProduct.get(s.product_id) ?? []), { id: s.id, code: s.code, attributes: s.attributes, price: money(s.price_amount), stock: stock.get(s.id) ?? 0 }]);
      return byProduct;
    },

    async categories() {
      const rows = await db.query(
        `SELECT c.id, c.parent_id, c.name, c.name_en, c.path,
                (SELECT count(*) FROM products p JOIN categories pc ON pc.id = p.category_id
                  WHERE p.status = 'active' AND (pc.path = c.path OR pc.path LIKE c.path || '/%')) AS product_count
           FROM categories c ORDER BY c.path`,
      );
      return rows.map((c) => ({ id: c.id, name: c.name, nameEn: c.name_en, path: c.path, parentId: c.parent_id, productCount: c.product_count }));
    },

    /** SKUs with what checkout needs; missing ids are simply absent from the map. */
    async sellableSkus(sql: Sql, skuIds: string[]): Promise<Map<string, SellableSku>> {
      const rows = await sql.query(
        `SELECT s.id, s.product_id, s.merchant_id, s.attributes, s.price_amount, p.title, p.title_en, p.status AS product_status, p.brand_id,
                m.name AS merchant_name, m.kind AS merchant_kind, m.commission_rate_bps, m.status AS merchant_status, p.category_id
           FROM skus s JOIN products p ON p.id = s.product_id JOIN merchants m ON m.id = s.merchant_id
          WHERE s.id = ANY($1)`,
        [skuIds],
      );
      const lineage = await categoryLineage(sql, rows.map((r) => r.category_id).filter(Boolean));
      return new Map(
        rows.map((r) => [
          r.id,
          {
            skuId: r.id, productId: r.product_id, merchantId: r.merchant_id, merchantName: r.merchant_name, merchantKind: r.merchant_kind,
            commissionRateBps: r.commission_rate_bps, title: r.title, titleEn: r.title_en, attributes: r.attributes, price: r.price_amount,
            sellable: r.product_status === 'active' && r.merchant_status === 'active',
            categoryIds: r.category_id ? lineage.get(r.category_id) ?? [] : [], brandId: r.brand_id,
          },
        ]),
      );
    },

    /**
     * Products as the search engine indexes them: all of them, or those changed since a time.
     * Inactive products and suspended stores come back with `searchable: false` so the index drops them.
     */
    async searchDocuments(options: { changedSince?: Date; productIds?: string[] } = {}) {
      const where = options.productIds ? 'WHERE p.id = ANY($1)' : options.changedSince ? 'WHERE p.updated_at >= $1 OR m.created_at >= $1' : '';
      const params = options.productIds ? [options.productIds] : options.changedSince ? [options.changedSince] : [];
      const rows = await db.query(
        `SELECT p.id, p.title, p.title_en, p.attributes, p.status, p.sales, p.created_at, p.merchant_id,
                m.name AS merchant_name, m.kind AS merchant_kind, m.status AS merchant_status, b.name AS brand, c.path AS category,
                s.min_price, s.sku_ids
           FROM products p JOIN merchants m ON m.id = p.merchant_id
           LEFT JOIN brands b ON b.id = p.brand_id LEFT JOIN categories c ON c.id = p.category_id
           JOIN LATERAL (SELECT min(price_amount) AS min_price, array_agg(id) AS sku_ids FROM skus WHERE product_id = p.id) s ON true
          ${where}`,
        params,
      );
      const stock = await inventory.levels(db, rows.flatMap((r) => r.sku_ids ?? []));
      return rows.map((r) => ({
        searchable: r.status === 'active' && r.merchant_status === 'active',
        doc: {
          id: r.id as string, title: r.title as string, titleEn: r.title_en || undefined, brand: r.brand ?? undefined, category: r.category ?? undefined,
          attributes: r.attributes as Record<string, string>, merchantId: r.merchant_id as string, merchantName: r.merchant_name as string,
          merchantKind: r.merchant_kind as MerchantKind, price: Number(r.min_price ?? 0),
          inStock: (r.sku_ids ?? []).some((id: string) => (stock.get(id) ?? 0) > 0), sales: r.sales as number, createdAt: (r.created_at as Date).getTime(),
        },
      }));
    },

    async productIdsOfMerchant(merchantId: string): Promise<string[]> {
      return (await db.query<{ id: string }>('SELECT id FROM products WHERE merchant_id = $1', [merchantId])).map((r) => r.id);
    },

    async productIdOfSku(sql: Sql, skuId: string): Promise<string | undefined> {
      return (await sql.one<{ product_id: string }>('SELECT product_id FROM skus WHERE id = $1', [skuId]))?.product_id;
    },

    async addSales(sql: Sql, lines: { productId: string; quantity: number }[]) {
      for (const line of lines) await sql.query('UPDATE products SET sales = greatest(0, sales + $2) WHERE id = $1', [line.productId, line.quantity]);
    },

    async merchantNames(sql: Sql, merchantIds: string[]): Promise<Map<string, string>> {
      const rows = await sql.query<{ id: string; name: string }>('SELECT id, name FROM merchants WHERE id = ANY($1)', [merchantIds]);
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    /** What behaviour tracking records beside a product id: title, category path, brand, lowest price. */
    async productFacts(productIds: string[]): Promise<Map<string, ProductFacts>> {
      const rows = await db.query(
        `SELECT p.id, p.title, c.path AS category, b.name AS brand, (SELECT min(price_amount) FROM skus WHERE product_id = p.id) AS price
           FROM products p LEFT JOIN categories c ON c.id = p.category_id LEFT JOIN brands b ON b.id = p.brand_id
          WHERE p.id = ANY($1)`,
        [productIds],
      );
      return new Map(rows.map((r) => [r.id, { title: r.title, category: r.category ?? undefined, brand: r.brand ?? undefined, price: r.price === null ? undefined : Number(r.price) }]));
    },

    /** Where each product sits for promotion scopes: its store, category path ids (top first) and brand id. */
    async productScopes(sql: Sql, productIds: string[]): Promise<Map<string, ProductScope>> {
      const rows = await sql.query(
        `SELECT p.id, p.merchant_id, p.brand_id,
                coalesce((SELECT array_agg(a.id ORDER BY length(a.path)) FROM categories a
                           WHERE a.path = c.path OR starts_with(c.path, a.path || '/')), '{}') AS category_ids
           FROM products p LEFT JOIN categories c ON c.id = p.category_id
          WHERE p.id = ANY($1)`,
        [productIds],
      );
      return new Map(rows.map((r) => [r.id, { merchantId: r.merchant_id, categoryIds: r.category_ids, ...(r.brand_id ? { brandId: r.brand_id } : {}) }]));
    },

    /** Median lowest-SKU price of the active products in each category path. */
    async categoryMedianPrices(): Promise<Map<string, number>> {
      const rows = await db.query<{ path: string; median: number }>(
        `SELECT c.path, percentile_cont(0.5) WITHIN GROUP (ORDER BY s.price) AS median
           FROM products p JOIN categories c ON c.id = p.category_id
           JOIN LATERAL (SELECT min(price_amount) AS price FROM skus WHERE product_id = p.id) s ON s.price IS NOT NULL
          WHERE p.status = 'active' GROUP BY c.path`,
      );
      return new Map(rows.map((r) => [r.path, Number(r.median)]));
    },
  };
}

export interface ProductScope {
  merchantId: string;
  categoryIds: string[];
  brandId?: string;
}

export interface ProductFacts {
  title: string;
  category?: string;
  brand?: string;
  price?: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}

export type CatalogService = ReturnType<typeof createCatalogService>;
