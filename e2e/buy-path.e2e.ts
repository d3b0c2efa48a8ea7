/**
 * Browser test of the whole buy path, run with:
 *   node --import tsx --test e2e/buy-path.e2e.ts
 * Assumes web/dist is built (npx vite build --config web/vite.config.ts). Starts its own server on a
 * free port with a fresh data dir and the demo marketplace, drives headless Chromium through
 * shopper -> merchant -> shopper, saves screenshots in e2e/screenshots/, and stops the server at the end.
 * CHROMIUM_PATH overrides the browser (default /usr/bin/chromium).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { apiCall, fillAddress, PASSWORD, screenshots, signInAs, STEP_TIMEOUT, withShopAndBrowser } from './support.ts';

const SHOPPER = 'zhangxiaoming@demo.quanyu';
const OPERATOR = 'admin@demo.quanyu';
/** SF Express numbers are "SF" + 12–13 digits; the server checks the carrier's format. */
const TRACKING_NO = `SF${String(Date.now()).slice(-12)}`;

let base = '';
let ctx: BrowserContext | undefined;
const shot = screenshots('', (f) => !f.startsWith('search-'));
const apiJson = <T>(method: string, p: string, token?: string, body?: unknown) => apiCall<T>(base, method, p, token, body);
const signIn = (page: Page, email: string) => signInAs(page, base, email);

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('logout').click();
  await page.getByTestId('login-link').waitFor();
}

/** On a product page: picks a SKU other than the preselected one when possible, then adds it to the cart. */
async function addSkuToCart(page: Page, productId: string, expectedCount: number): Promise<void> {
  const tile = page.locator(`a[href="/product/${productId}"]`).first();
  if (await tile.count()) await tile.click();
  else await page.goto(`${base}/product/${productId}`);
  await page.getByTestId('product-title').waitFor();
  const options = page.locator('[data-testid="sku-option"]:not([disabled])');
  const n = await options.count();
  if (n > 1) {
    await options.nth(n - 1).click();
    assert.equal(await options.nth(n - 1).getAttribute('aria-pressed'), 'true', 'the chosen SKU value is selected');
  }
  assert.match((await page.getByTestId('sku-stock').textContent()) ?? '', /\d/, 'the matching SKU shows its stock');
  await page.getByTestId('qty-plus').click();
  await page.getByTestId('add-to-cart').click();
  await page.waitForFunction(
    (count) => document.querySelector('[data-testid="cart-count"]')?.textContent === String(count),
    expectedCount, { timeout: STEP_TIMEOUT },
  );
}

withShopAndBrowser((shop, browserContext) => {
  base = shop.base;
  ctx = browserContext;
});

interface Card { id: string; merchantId: string; merchantKind: string; inStock: boolean; sales: number }
interface Detail { skus: { stock: number }[] }

test('shopper buys from two stores, merchant ships, shopper confirms receipt', { timeout: 300_000 }, async () => {
  assert.ok(ctx);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('dialog', (d) => { void d.accept(); });

  // Pick two in-stock products with several SKUs from two different stores, one of them a marketplace store.
  const list = await apiJson<{ items: Card[] }>('GET', '/products?sort=sales&pageSize=100');
  const pickFrom = async (pred: (c: Card) => boolean): Promise<Card> => {
    for (const c of list.items.filter((x) => x.inStock && pred(x))) {
      const d = await apiJson<Detail>('GET', `/products/${c.id}`);
      if (d.skus.length > 1 && d.skus.every((s) => s.stock > 5)) return c;
    }
    throw new Error('no suitable demo product');
  };
  const first = await pickFrom((c) => c.merchantKind === 'self_operated');
  const second = await pickFrom((c) => c.merchantKind === 'marketplace' && c.merchantId !== first.merchantId);

  // 1. Home, then sign in as a demo shopper.
  await page.goto(`${base}/`);
  await page.getByTestId('product-tile').first().waitFor();
  await shot(page, 'home');
  await page.goto(`${base}/login`);
  await page.getByTestId('demo-note').waitFor();
  await shot(page, 'login');
  await signIn(page, SHOPPER);

  // 2. Two products from two stores, each with a chosen SKU and quantity 2.
  await page.goto(`${base}/`);
  await addSkuToCart(page, first.id, 2);
  await shot(page, 'product');
  await page.goto(`${base}/`);
  await addSkuToCart(page, second.id, 4);
  await shot(page, 'product-second-store');

  // 3. Cart grouped by store.
  await page.getByTestId('header-cart').click();
  await page.getByTestId('cart-store').nth(1).waitFor();
  assert.equal(await page.getByTestId('cart-store').count(), 2, 'two stores in the cart');
  await shot(page, 'cart');

  // 4. Checkout with an address.
  await page.getByTestId('go-checkout').click();
  await page.getByTestId('checkout-store').nth(1).waitFor();
  await fillAddress(page);
  await shot(page, 'checkout');
  await page.getByTestId('submit-order').click();

  // 5. Sandbox cashier.
  await page.waitForURL(/\/pay\/[^/]+$/, { timeout: STEP_TIMEOUT });
  await page.getByTestId('pay-confirm').waitFor();
  await shot(page, 'cashier');
  await page.getByTestId('pay-confirm').click();
  await page.getByTestId('pay-success').waitFor();
  await shot(page, 'paid');

  // 6. My orders: the two orders of this checkout are paid, waiting for shipment (待发货).
  //    (The demo shopper also has earlier demo orders, so look at this group's orders only.)
  const groupId = new URL(page.url()).pathname.split('/')[2];
  const shopperToken = await page.evaluate(() => localStorage.getItem('quanyu.token'));
  const group = await apiJson<{ orders: { id: string; merchantId: string }[] }>('GET', `/order-groups/${groupId}`, shopperToken ?? undefined);
  assert.equal(group.orders.length, 2, 'one order per store');
  await page.getByTestId('view-orders').click();
  for (const o of group.orders) {
    const status = page.locator(`[data-testid="order-card"][data-order-id="${o.id}"] [data-testid="order-status"]`);
    await status.waitFor();
    assert.equal(await status.getAttribute('data-status'), 'paid');
    assert.equal(await status.textContent(), '待发货');
  }
  await shot(page, 'orders-paid');
  const order = group.orders.find((o) => o.merchantId === second.merchantId);
  assert.ok(order, 'the marketplace store order exists');

  // 7. The marketplace store's owner ships it in the merchant console.
  const op = await apiJson<{ token: string }>('POST', '/auth/login', undefined, { email: OPERATOR, password: PASSWORD });
  const merchants = await apiJson<{ items: { id: string; ownerEmail: string }[] }>('GET', '/admin/merchants?pageSize=100', op.token);
  const owner = merchants.items.find((m) => m.id === second.merchantId)?.ownerEmail;
  assert.ok(owner, 'owner email of the store');
  await signOut(page);
  await signIn(page, owner);
  await page.goto(`${base}/merchant`);
  await page.getByTestId('stat-to-ship').waitFor();
  await shot(page, 'merchant-overview');
  await page.getByTestId('nav-ship').click();
  const card = page.locator(`[data-testid="order-card"][data-order-id="${order.id}"]`);
  await card.getByTestId('ship-button').click();
  const carrier = page.getByTestId('carrier-select');
  await page.waitForFunction(() => (document.querySelector('[data-testid="carrier-select"]') as HTMLSelectElement | null)?.options.length! > 1, undefined, { timeout: STEP_TIMEOUT });
  await carrier.selectOption('SF');
  await page.getByTestId('tracking-input').fill(TRACKING_NO);
  await shot(page, 'ship-dialog');
  await page.getByTestId('ship-submit').click();
  await card.waitFor({ state: 'detached' });
  await page.getByTestId('nav-orders').click();
  await page.locator(`[data-testid="order-card"][data-order-id="${order.id}"] [data-status="shipped"]`).waitFor();
  await shot(page, 'merchant-shipped');

  // 8. Back as the shopper: shipped with tracking, then confirm receipt -> completed.
  await signOut(page);
  await signIn(page, SHOPPER);
  await page.goto(`${base}/orders?status=shipped`);
  await page.locator(`[data-order-id="${order.id}"]`).getByTestId('order-detail-link').click();
  await page.getByTestId('tracking-no').waitFor();
  assert.equal(await page.getByTestId('tracking-no').textContent(), TRACKING_NO);
  assert.equal(await page.getByTestId('order-status').first().getAttribute('data-status'), 'shipped');
  await shot(page, 'order-shipped');
  await page.getByTestId('confirm-receipt').click();
  await page.locator('[data-testid="order-status"][data-status="completed"]').first().waitFor();
  assert.equal(await page.getByTestId('order-status').first().textContent(), '已完成');
  await shot(page, 'order-completed');
});

test('operator sees the merchants and a balanced ledger; the storefront switches to English', { timeout: 120_000 }, async () => {
  assert.ok(ctx);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await signOut(page);
  await signIn(page, OPERATOR);
  await page.goto(`${base}/admin`);
  await page.getByTestId('admin-merchant-row').first().waitFor();
  assert.ok((await page.getByTestId('admin-merchant-row').count()) >= 3, 'the demo stores are listed');
  await shot(page, 'admin-merchants');
  await page.goto(`${base}/admin/ledger`);
  await page.getByTestId('tb-balanced').waitFor();
  assert.match((await page.getByTestId('tb-total').textContent()) ?? '', /¥0\.00/);
  assert.match((await page.getByTestId('tb-balanced').textContent()) ?? '', /✔/);
  await shot(page, 'admin-trial-balance');

  await page.goto(`${base}/`);
  await page.getByTestId('lang-switch').getByText('EN').click();
  await page.getByTestId('product-tile').first().waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="search-input"]')?.getAttribute('placeholder')?.match(/[A-Za-z]/));
  await shot(page, 'home-english');
  await page.getByTestId('lang-switch').getByText('中文').click();
});
