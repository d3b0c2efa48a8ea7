import type { Database } from '../db/database.ts';
import type { Services } from '../app.ts';
import { merchantRole } from '../modules/identity/service.ts';
import { DEMO_PASSWORD, demoCategories, demoMerchants, demoOperator, demoProducts, demoShoppers } from './catalog-data.ts';

/** Loads the demo marketplace through the modules' own services, once, into an empty database. */
export async function seedDemo(db: Database, services: Services): Promise<boolean> {
  if (await db.one('SELECT 1 FROM merchants LIMIT 1')) return false;
  await db.tx(async (sql) => {
    const { identity, catalog } = services;
    await identity.createUser(sql, { email: demoOperator.email, password: DEMO_PASSWORD, name: demoOperator.name, roles: ['operator'] });
    for (const s of demoShoppers) await identity.createUser(sql, { email: s.email, password: DEMO_PASSWORD, name: s.name });
    for (const c of [...demoCategories].sort((a, b) => a.path.split('/').length - b.path.split('/').length)) {
      const parentNames = demoCategories.filter((p) => c.path.startsWith(p.path + '/') || p.path === c.path);
      await catalog.ensureCategoryPath(sql, c.path, c.path.split('/').map((_, i, parts) => parentNames.find((p) => p.path === parts.slice(0, i + 1).join('/'))?.nameEn ?? ''));
    }
    const merchantIds = new Map<string, string>();
    for (const m of demoMerchants) {
      const owner = await identity.createUser(sql, { email: m.ownerEmail, password: DEMO_PASSWORD, name: m.ownerName });
      const merchant = await catalog.createMerchant(sql, { name: m.name, kind: m.kind, commissionRateBps: m.commissionRateBps, ownerUserId: owner.id });
      await identity.grantRole(sql, owner.id, merchantRole(merchant.id));
      merchantIds.set(m.key, merchant.id);
    }
    for (const p of demoProducts) {
      await catalog.createProduct(sql, merchantIds.get(p.merchantKey)!, {
        ...p,
        skus: p.skus.map((s) => ({ code: s.code, attributes: s.attributes, price: { amount: s.price }, stock: s.stock })),
      });
    }
  });
  return true;
}
