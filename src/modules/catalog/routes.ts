import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import type { AppContext } from '../../app.ts';
import { actingAsOperator, requireMerchantStaff, requireOperator } from '../../http/auth.ts';
import { Attributes, IdParams, MAX_STOCK, PageQuery, pageOf, PositiveMoneySchema } from '../../http/schemas.ts';
import type { Api } from '../../http/types.ts';
import { notFound } from '../../shared/problems.ts';
import { merchantRole } from '../identity/service.ts';

const Text = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max });
const Stock = Type.Integer({ minimum: 0, maximum: MAX_STOCK });
const NewSku = Type.Object({ code: Type.Optional(Text(64, 1)), attributes: Type.Optional(Attributes), price: PositiveMoneySchema, stock: Stock });
const NewProduct = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  titleEn: Type.Optional(Text(300)),
  description: Type.Optional(Text(5000)),
  brand: Type.Optional(Text(100)),
  category: Type.Optional(Text(200)),
  attributes: Type.Optional(Attributes),
  skus: Type.Array(NewSku, { minItems: 1, maxItems: 100 }),
});
const Kind = Type.Union([Type.Literal('self_operated'), Type.Literal('marketplace')]);
const Bps = Type.Integer({ minimum: 0, maximum: 10000 });
const ProductSort = Type.Union([Type.Literal('newest'), Type.Literal('price_asc'), Type.Literal('price_desc'), Type.Literal('sales')]);

export function catalogRoutes(api: Api, { services, db }: AppContext) {
  const { catalog, identity, audit } = services;

  api.get('/categories', { schema: { tags: ['catalog'], summary: 'All categories with product counts' } }, async () => ({ items: await catalog.categories() }));

  api.get('/products', {
    schema: {
      tags: ['catalog'], summary: 'Browse products by category or store',
      querystring: Type.Object({ category: Type.Optional(Text(64)), merchantId: Type.Optional(Text(64)), q: Type.Optional(Text(200)), sort: Type.Optional(ProductSort), ...PageQuery }),
    },
  }, async (request) => {
    const { category, merchantId, q, sort } = request.query;
    return catalog.listProducts({ categoryId: category, merchantId, q: q?.trim() || undefined, sort }, pageOf(request.query));
  });

  api.get('/products/:productId', { schema: { tags: ['catalog'], summary: 'One product with its SKUs, prices and stock', params: IdParams('productId') } }, async (request) => {
    const product = await catalog.getProduct(request.params.productId);
    if (!product || product.status !== 'active') throw notFound('product');
    return product;
  });

  api.get('/merchants/:merchantId', { schema: { tags: ['catalog'], summary: 'A store', params: IdParams('merchantId') } }, async (request) =>
    catalog.publicMerchant(request.params.merchantId));

  // Merchant console
  api.post('/merchants/:merchantId/products', {
    schema: { tags: ['merchant'], summary: 'Create a product with its SKUs', params: IdParams('merchantId'), body: NewProduct },
  }, async (request, reply) => {
    const user = requireMerchantStaff(request, request.params.merchantId);
    const product = await db.tx(async (sql) => {
      const created = await catalog.createProduct(sql, request.params.merchantId, request.body);
      if (actingAsOperator(user, request.params.merchantId)) await audit.record(sql, user.id, 'product.create', created.id, { merchantId: request.params.merchantId });
      return created;
    });
    return reply.status(201).send(product);
  });

  api.get('/merchants/:merchantId/products', {
    schema: { tags: ['merchant'], summary: "The store's products with SKUs and stock", params: IdParams('merchantId'), querystring: Type.Object({ q: Type.Optional(Text(200)), ...PageQuery }) },
  }, async (request) => {
    requireMerchantStaff(request, request.params.merchantId);
    const list = await catalog.listProducts({ merchantId: request.params.merchantId, q: request.query.q?.trim() || undefined, includeInactive: true }, pageOf(request.query));
    const skus = await catalog.skusOfProducts(list.items.map((p) => p.id));
    return { ...list, items: list.items.map((p) => ({ ...p, skus: skus.get(p.id) ?? [] })) };
  });

  api.patch('/merchants/:merchantId/products/:productId', {
    schema: {
      tags: ['merchant'], summary: 'Edit a product or put it on / off the shelf', params: IdParams('merchantId', 'productId'),
      body: Type.Object({ title: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })), titleEn: Type.Optional(Text(300)), description: Type.Optional(Text(5000)), status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('inactive')])) }),
    },
  }, async (request) => {
    const user = requireMerchantStaff(request, request.params.merchantId);
    return db.tx(async (sql) => {
      const product = await catalog.updateProduct(sql, request.params.merchantId, request.params.productId, request.body);
      if (actingAsOperator(user, request.params.merchantId)) await audit.record(sql, user.id, 'product.update', product.id, { ...request.body });
      return product;
    });
  });

  api.patch('/merchants/:merchantId/skus/:skuId', {
    schema: { tags: ['merchant'], summary: 'Change a SKU price or stock', params: IdParams('merchantId', 'skuId'), body: Type.Object({ price: Type.Optional(PositiveMoneySchema), stock: Type.Optional(Stock) }) },
  }, async (request) => {
    const user = requireMerchantStaff(request, request.params.merchantId);
    return db.tx(async (sql) => {
      const sku = await catalog.updateSku(sql, request.params.merchantId, request.params.skuId, request.body);
      if (actingAsOperator(user, request.params.merchantId)) await audit.record(sql, user.id, 'sku.update', sku.id, { ...request.body });
      return sku;
    });
  });

  // Operator console
  api.get('/admin/merchants', { schema: { tags: ['operator'], summary: 'All merchants', querystring: Type.Object({ ...PageQuery }) } }, async (request) => {
    requireOperator(request);
    const list = await catalog.listMerchants(pageOf(request.query));
    const emails = await identity.emailsOf(db, list.items.map((m) => m.ownerUserId));
    return { ...list, rows: undefined, items: list.items.map(({ ownerUserId, ...m }) => ({ ...m, ownerEmail: emails.get(ownerUserId) ?? null })) };
  });

  api.post('/admin/merchants', {
    schema: { tags: ['operator'], summary: 'Open a store for an owner account', body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }), kind: Kind, ownerEmail: Type.String({ format: 'email', maxLength: 200 }), commissionRateBps: Bps }) },
  }, async (request, reply) => {
    const operator = requireOperator(request);
    const result = await db.tx(async (sql) => {
      let owner = await identity.findUserByEmail(sql, request.body.ownerEmail);
      // A new owner gets an account with a one-time password, shown to the operator once.
      const temporaryPassword = owner ? undefined : randomBytes(9).toString('base64url');
      if (!owner) owner = await identity.createUser(sql, { email: request.body.ownerEmail, password: temporaryPassword!, roles: ['shopper'] });
      const merchant = await catalog.createMerchant(sql, { ...request.body, ownerUserId: owner.id });
      await identity.grantRole(sql, owner.id, merchantRole(merchant.id));
      await audit.record(sql, operator.id, 'merchant.create', merchant.id, { ...request.body });
      return { ...merchant, ownerEmail: owner.email, ...(temporaryPassword ? { ownerTemporaryPassword: temporaryPassword } : {}) };
    });
    return reply.status(201).send(result);
  });

  api.patch('/admin/merchants/:merchantId', {
    schema: { tags: ['operator'], summary: 'Change commission rate, name or status', params: IdParams('merchantId'), body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), commissionRateBps: Type.Optional(Bps), status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('suspended')])) }) },
  }, async (request) => {
    const operator = requireOperator(request);
    return db.tx(async (sql) => {
      const merchant = await catalog.updateMerchant(sql, request.params.merchantId, request.body);
      await audit.record(sql, operator.id, 'merchant.update', merchant.id, { ...request.body });
      return merchant;
    });
  });
}
