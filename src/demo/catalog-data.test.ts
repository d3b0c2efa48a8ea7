import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoCategories, demoMerchants, demoProducts, demoSummary } from './catalog-data.ts';

const allSkus = demoProducts.flatMap((product) => product.skus);

function duplicatesOf(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => (seen.has(value) ? true : (seen.add(value), false)));
}

test('has at least three merchants, exactly one self-operated', () => {
  assert.ok(demoMerchants.length >= 3);
  assert.equal(demoMerchants.filter((merchant) => merchant.kind === 'self_operated').length, 1);
});

test('has at least 200 products', () => {
  assert.ok(demoProducts.length >= 200, `only ${demoProducts.length} products`);
});

test('has at least 10 top-level categories', () => {
  const topLevel = demoCategories.filter((category) => !category.path.includes('/'));
  assert.ok(topLevel.length >= 10, `only ${topLevel.length} top-level categories`);
});

test('every category has its parent listed', () => {
  const paths = new Set(demoCategories.map((category) => category.path));
  for (const { path } of demoCategories) {
    const parent = path.split('/').slice(0, -1).join('/');
    if (parent) assert.ok(paths.has(parent), `missing parent of ${path}`);
  }
});

test("every product's category path is a known category", () => {
  const paths = new Set(demoCategories.map((category) => category.path));
  for (const product of demoProducts) assert.ok(paths.has(product.category), `${product.title}: ${product.category}`);
});

test("every product's merchant exists", () => {
  const keys = new Set(demoMerchants.map((merchant) => merchant.key));
  for (const product of demoProducts) assert.ok(keys.has(product.merchantKey), `${product.title}: ${product.merchantKey}`);
});

test('SKU codes are unique across the catalog', () => {
  assert.deepEqual(duplicatesOf(allSkus.map((sku) => sku.code)), []);
});

test('product titles are unique', () => {
  assert.deepEqual(duplicatesOf(demoProducts.map((product) => product.title)), []);
});

test('every product has 1 to 6 SKUs', () => {
  for (const product of demoProducts) assert.ok(product.skus.length >= 1 && product.skus.length <= 6, product.title);
});

test('prices are positive integers in fen', () => {
  for (const sku of allSkus) assert.ok(Number.isInteger(sku.price) && sku.price > 0, `${sku.code}: ${sku.price}`);
});

test('stock is a non-negative integer', () => {
  for (const sku of allSkus) assert.ok(Number.isInteger(sku.stock) && sku.stock >= 0, `${sku.code}: ${sku.stock}`);
});

test('summary matches the exported data', () => {
  assert.deepEqual(demoSummary(), {
    merchants: demoMerchants.length,
    products: demoProducts.length,
    skus: allSkus.length,
    categories: demoCategories.length,
  });
});
