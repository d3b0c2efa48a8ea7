/**
 * Browser test of grabbing in a flash sale (立即抢购), run with:
 *   node --import tsx --test e2e/flash-grab.e2e.ts
 * Assumes web/dist is built (npm run build). Starts its own server with the demo marketplace. A store puts
 * 2 units of a new product on a flash sale, 1 per person. A shopper with no saved address presses 立即抢购
 * on the product page's flash-sale offer, gives the address, sees 正在为你生成订单… and lands on the cashier
 * for the flash price; pressing again says the per-person limit (also in English). Another shopper, whose
 * page still shows a unit left, presses after the last one went and is told the sale is sold out.
 * Screenshots: e2e/screenshots/flash-grab-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { apiCall, fillAddress, openPage, PASSWORD, screenshots, signInAs, STEP_TIMEOUT, withShopAndBrowser } from './support.ts';

const OWNER = 'owner@jixin.demo.quanyu';
const stamp = Date.now();
const FIRST = `grab-a-${stamp}@e2e.quanyu`;
const SECOND = `grab-b-${stamp}@e2e.quanyu`;
const LATE = `grab-c-${stamp}@e2e.quanyu`;
const TITLE = `秒杀抢购测试 蓝牙耳机 ${stamp % 10000}`;
const ADDRESS = { name: '李四', phone: '13900139000', region: '上海市浦东新区', line1: '世纪大道 100 号' };

let base = '';
let ctx: BrowserContext | undefined;
const shot = screenshots('flash-grab-', (f) => f.startsWith('flash-grab-'));
const apiJson = <T>(method: string, p: string, token?: string, body?: unknown) => apiCall<T>(base, method, p, token, body);
const fen = (text: string | null) => Math.round(Number((text ?? '').replace(/[^0-9.]/g, '')) * 100);

withShopAndBrowser((shop, browserContext) => {
  base = shop.base;
  ctx = browserContext;
});

async function signOutAndIn(page: Page, email: string) {
  await page.goto(base);
  await page.evaluate(() => localStorage.clear());
  await signInAs(page, base, email);
}

let productId = '';
let skuId = '';
let saleId = '';

test('a store puts 2 units on a flash sale, 1 per person', { timeout: 60_000 }, async () => {
  const owner = await apiJson<{ token: string; user: { roles: string[] } }>('POST', '/auth/login', undefined, { email: OWNER, password: PASSWORD });
  const merchantId = owner.user.roles.find((r) => r.startsWith('merchant:'))!.slice('merchant:'.length);
  const product = await apiJson<{ id: string; skus: { id: string }[] }>('POST', `/merchants/${merchantId}/products`, owner.token, {
    title: TITLE, brand: '极芯', category: '数码/耳机', skus: [{ code: `GRAB-${stamp}`, price: { amount: 29900, currency: 'CNY' }, stock: 5 }],
  });
  [productId, skuId] = [product.id, product.skus[0].id];
  const sale = await apiJson<{ id: string }>('POST', `/merchants/${merchantId}/flash-sales`, owner.token, {
    skuId, unitPrice: { amount: 9900, currency: 'CNY' }, quantity: 2, perPersonLimit: 1,
    startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  saleId = sale.id;
  for (const email of [FIRST, SECOND, LATE]) await apiJson('POST', '/auth/register', undefined, { email, password: PASSWORD, name: '抢购买家' });
});

test('a shopper grabs: address, 正在为你生成订单…, then the cashier at the flash price; again: the limit', { timeout: 120_000 }, async () => {
  assert.ok(saleId, 'the flash sale exists');
  const page = await openPage(ctx);
  await signOutAndIn(page, FIRST);
  // Hold the first look at the grab a moment, so the page's in-between state can be seen and photographed.
  let held = false;
  await page.route('**/api/v1/flash-sales/grabs/*', async (route) => {
    if (!held) {
      held = true;
      await new Promise((r) => setTimeout(r, 1500));
    }
    await route.continue();
  });
  await page.goto(`${base}/product/${productId}`);
  const offer = page.getByTestId('product-flash-sale');
  await offer.waitFor();
  assert.equal(fen(await page.getByTestId('product-flash-price').textContent()), 9900);
  await shot(page, 'product-offer', offer);

  await page.getByTestId('flash-grab-button').click();
  await page.getByTestId('address-name').waitFor();
  await fillAddress(page);
  await shot(page, 'address', offer);
  await page.getByTestId('flash-grab-confirm').click();
  const progress = page.getByTestId('flash-grab-progress');
  await progress.waitFor();
  assert.match(await progress.textContent() ?? '', /正在为你生成订单/);
  await shot(page, 'creating-order', offer);

  await page.waitForURL(/\/pay\/[^/]+$/, { timeout: STEP_TIMEOUT });
  await page.unroute('**/api/v1/flash-sales/grabs/*');
  await page.getByTestId('pay-amount').waitFor();
  assert.equal(fen(await page.getByTestId('pay-amount').textContent()), 9900);
  await shot(page, 'cashier');

  // Pressing again: the per-person limit, in Chinese and in English.
  await page.goto(`${base}/product/${productId}`);
  await page.getByTestId('flash-grab-button').click();
  const refused = page.getByTestId('flash-grab-refused');
  await refused.waitFor();
  assert.match(await refused.textContent() ?? '', /每人限购 1 件/);
  await shot(page, 'limit', offer);
  await page.evaluate(() => localStorage.setItem('quanyu.lang', 'en'));
  await page.reload();
  await page.getByTestId('flash-grab-button').click();
  await refused.waitFor();
  assert.match(await refused.textContent() ?? '', /Max 1 per person/);
  await shot(page, 'limit-en', offer);
  await page.evaluate(() => localStorage.setItem('quanyu.lang', 'zh'));
});

test('a shopper who presses after the last unit went is told it is sold out', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx);
  await signOutAndIn(page, LATE);
  await page.evaluate((a) => localStorage.setItem('quanyu.address', JSON.stringify(a)), ADDRESS);
  await page.goto(`${base}/product/${productId}`);
  await page.getByTestId('flash-grab-button').waitFor();
  // Meanwhile someone else takes the last unit.
  const second = await apiJson<{ token: string }>('POST', '/auth/login', undefined, { email: SECOND, password: PASSWORD });
  const r = await fetch(`${base}/api/v1/flash-sales/${saleId}/grabs`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${second.token}`, 'idempotency-key': `e2e-${stamp}` },
    body: JSON.stringify({ skuId, quantity: 1, address: ADDRESS }),
  });
  assert.equal(r.status, 202);
  await page.getByTestId('flash-grab-button').click();
  const refused = page.getByTestId('flash-grab-refused');
  await refused.waitFor();
  assert.match(await refused.textContent() ?? '', /秒杀已抢光/);
  await shot(page, 'sold-out', page.getByTestId('product-flash-sale'));
});
