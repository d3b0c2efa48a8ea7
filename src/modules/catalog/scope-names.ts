import type { Sql } from '../../db/database.ts';

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
