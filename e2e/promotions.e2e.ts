/**
 * Browser test of coupons and promotions, run with:
 *   node --import tsx --test e2e/promotions.e2e.ts
 * Assumes web/dist is built (npm run build). Starts its own server with the demo marketplace. A store owner
 * creates a 满减 coupon in the merchant console's 优惠券 tab (a wrong threshold is refused next to its field first);
 * an operator creates a platform 9折 coupon for the product's top category and a cross-store reduction in the 营销 tab; a fresh shopper opens one of the store's products,
 * sees 领券 with the coupon's conditions and the running 跨店满减, claims it (已领取), and finds it under
 * 我的优惠券; the store's list counts the claim; checkout applies it and it moves to 已使用. Screenshots: e2e/screenshots/promotions-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { apiCall, fillAddress, openPage, PASSWORD, screenshots, signInAs, STEP_TIMEOUT, withShopAndBrowser } from './support.ts';

const OWNER = 'owner@jixin.demo.quanyu';
const OPERATOR = 'admin@demo.quanyu';
const SHOPPER = `coupons-${Date.now()}@e2e.quanyu`;
const CODE = `E2E${Date.now().toString(36).toUpperCase()}`;

let base = '';
let ctx: BrowserContext | undefined;
const shot = screenshots('promotions-', (f) => f.startsWith('promotions-'));
const apiJson = <T>(method: string, p: string, token?: string, body?: unknown) => apiCall<T>(base, method, p, token, body);

withShopAndBrowser((shop, browserContext) => {
  base = shop.base;
  ctx = browserContext;
});

let merchantId = '';
let productId = '';

test('merchant: create a store coupon in the 优惠券 tab; a wrong threshold is refused at its field', { timeout: 120_000 }, async () => {
  const owner = await apiJson<{ token: string; user: { roles: string[] } }>('POST', '/auth/login', undefined, { email: OWNER, password: PASSWORD });
  merchantId = owner.user.roles.find((r) => r.startsWith('merchant:'))!.slice('merchant:'.length);
  const products = await apiJson<{ items: { id: string; status: string }[] }>('GET', `/merchants/${merchantId}/products?pageSize=20`, owner.token);
  productId = products.items.find((p) => p.status === 'active')!.id;

  const page = await openPage(ctx);
  await signInAs(page, base, OWNER);
  await page.goto(`${base}/merchant/coupons?m=${merchantId}`);
  await page.getByTestId('merchant-coupons-tab').waitFor();
  const form = page.getByTestId('coupon-form');
  await form.getByTestId('coupon-code').fill(CODE);
  await form.getByTestId('coupon-threshold').fill('20');
  await form.getByTestId('coupon-off').fill('30');
  await form.getByTestId('coupon-create').click();
  await form.locator('.field-invalid .field-error').first().waitFor();
  assert.match(await form.locator('.field-invalid .field-error').first().innerText(), /above off/);
  await shot(page, 'merchant-threshold-refused', form);

  await form.getByTestId('coupon-threshold').fill('199');
  await form.getByTestId('coupon-total').fill('50');
  await form.getByTestId('coupon-create').click();
  const row = page.locator(`[data-testid="coupon-row"][data-code="${CODE}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /满199减30/);
  assert.equal(await row.getByTestId('coupon-claimed-count').innerText(), '0');
  await shot(page, 'merchant-coupons-tab');
  await page.getByTestId('logout').click();
});

test('operator: a platform 折扣券 for the product\'s category and a cross-store reduction in the 营销 tab', { timeout: 120_000 }, async () => {
  const product = await apiJson<{ categoryId: string }>('GET', `/products/${productId}`);
  const categories = await apiJson<{ items: { id: string; parentId: string | null }[] }>('GET', '/categories');
  let top = categories.items.find((c) => c.id === product.categoryId)!;
  while (top.parentId) top = categories.items.find((c) => c.id === top.parentId)!;
  const page = await openPage(ctx);
  await signInAs(page, base, OPERATOR);
  await page.goto(`${base}/admin/promotions`);
  await page.getByTestId('admin-promotions-tab').waitFor();
  const coupon = page.getByTestId('coupon-form');
  await coupon.getByTestId('coupon-code').fill(`P${CODE}`);
  await coupon.getByTestId('coupon-kind').selectOption('percent');
  await coupon.getByTestId('coupon-percent').fill('10');
  await coupon.getByTestId('scope-categoryIds').selectOption(top.id);
  await coupon.getByTestId('coupon-create').click();
  await page.locator(`[data-testid="coupon-row"][data-code="P${CODE}"]`).waitFor();
  const form = page.getByTestId('cross-store-form');
  await form.getByTestId('cross-every').fill('300');
  await form.getByTestId('cross-off').fill('50');
  await form.getByTestId('cross-create').click();
  await page.getByTestId('promotion-row').filter({ hasText: '跨店每满300减50' }).first().waitFor();
  await shot(page, 'operator-promotions-tab');
  await page.getByTestId('logout').click();
});

test('shopper: claim the coupon on the product page, then find it in 我的优惠券', { timeout: 120_000 }, async () => {
  await apiJson('POST', '/auth/register', undefined, { email: SHOPPER, password: PASSWORD, name: '领券达人' });
  const page = await openPage(ctx);
  await signInAs(page, base, SHOPPER);
  await page.goto(`${base}/product/${productId}`);
  const strip = page.getByTestId('coupon-strip');
  await strip.waitFor();
  assert.match(await strip.innerText(), /满199减30/);
  assert.match(await strip.innerText(), /跨店每满300减50/);
  assert.match(await strip.innerText(), /9折/, 'the platform coupon for the category');
  await strip.getByTestId('coupon-strip-open').click();
  const offer = page.locator(`[data-testid="coupon-offer"][data-code="${CODE}"]`);
  await offer.waitFor();
  assert.match(await offer.innerText(), /满¥199\.00可用/);
  assert.match(await offer.innerText(), /每人限领1张/);
  await shot(page, 'product-coupon-strip', 'view');
  await offer.getByTestId('claim-coupon').click();
  await offer.getByTestId('coupon-claimed').waitFor();
  assert.match(await offer.innerText(), /剩余49张/);
  await shot(page, 'product-coupon-claimed', page.getByTestId('coupon-strip'));

  await page.getByTestId('nav-my-coupons').click();
  await page.getByTestId('my-coupons').waitFor();
  const held = page.locator(`[data-testid="held-coupon"][data-code="${CODE}"]`);
  await held.waitFor();
  assert.match(await page.getByTestId('coupon-tab-held').innerText(), /\(1\)/);
  assert.match(await held.innerText(), /满199减30/);
  await shot(page, 'my-coupons');

  const owner = await apiJson<{ token: string }>('POST', '/auth/login', undefined, { email: OWNER, password: PASSWORD });
  const listed = await apiJson<{ items: { code: string; claimed: number }[] }>('GET', `/merchants/${merchantId}/coupons`, owner.token);
  assert.equal(listed.items.find((c) => c.code === CODE)?.claimed, 1);
});

test('shopper: the cart shows what the held coupon takes off', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx);
  await page.goto(`${base}/product/${productId}`);
  await page.getByTestId('add-to-cart').click();
  // Navigating before the add lands would read an empty cart.
  await page.getByTestId('cart-count').waitFor();
  await page.goto(`${base}/cart`);
  const discount = page.getByTestId('cart-discount');
  await discount.waitFor();
  assert.match(await discount.innerText(), /30\.00/);
  await shot(page, 'cart-with-coupon');
  await page.getByTestId('cart-remove').first().click();
  await page.getByTestId('cart-row').waitFor({ state: 'detached' });
});

test('shopper: checkout uses the held coupon; it moves to 已使用', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx);
  await page.goto(`${base}/product/${productId}`);
  await page.getByTestId('buy-now').click();
  const applied = page.getByTestId('coupon-outcome').filter({ hasText: CODE });
  await applied.waitFor();
  assert.match(await applied.innerText(), /30\.00/);
  await fillAddress(page);
  await shot(page, 'checkout-with-coupon');
  await page.getByTestId('submit-order').click();
  await page.waitForURL(/\/pay\/[^/]+$/, { timeout: STEP_TIMEOUT });
  await page.goto(`${base}/me/coupons`);
  await page.getByTestId('coupon-tab-used').click();
  await page.locator(`[data-testid="held-coupon"][data-code="${CODE}"]`).waitFor();
  assert.match(await page.getByTestId('coupon-tab-used').innerText(), /\(1\)/);
  await shot(page, 'my-coupons-used');
});
