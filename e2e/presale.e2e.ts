/**
 * Browser test of presale (预售) and the checkout's price breakdown, run with:
 *   node --import tsx --test e2e/presale.e2e.ts
 * Assumes web/dist is built (npm run build). Starts its own server with the demo marketplace. A store owner opens
 * a presale in the merchant console (pay a deposit that takes twice itself off); a fresh shopper sees the offer on
 * the product page, pays the deposit alone at checkout (the checkout shows the deposit, the bonus and the balance
 * owed later), and finds the purchase in 我的预售 with its balance window. Screenshots: e2e/screenshots/presale-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { apiCall, fillAddress, openPage, PASSWORD, screenshots, signInAs, STEP_TIMEOUT, withShopAndBrowser } from './support.ts';

const OWNER = 'owner@jixin.demo.quanyu';
const SHOPPER = `presale-${Date.now()}@e2e.quanyu`;

let base = '';
let ctx: BrowserContext | undefined;
const shot = screenshots('presale-', (f) => f.startsWith('presale-'));
const apiJson = <T>(method: string, p: string, token?: string, body?: unknown) => apiCall<T>(base, method, p, token, body);
const fen = (text: string | null) => Math.round(Number((text ?? '').replace(/[^0-9.]/g, '')) * 100);

withShopAndBrowser((shop, browserContext) => {
  base = shop.base;
  ctx = browserContext;
});

interface Product { id: string; title: string; skus: { id: string; price: { amount: number }; stock: number }[] }

test('a store opens a presale; a shopper pays the deposit and sees the balance to come', { timeout: 240_000 }, async () => {
  const owner = await apiJson<{ token: string; user: { roles: string[] } }>('POST', '/auth/login', undefined, { email: OWNER, password: PASSWORD });
  const merchantId = owner.user.roles.find((r) => r.startsWith('merchant:'))!.slice('merchant:'.length);
  const products = await apiJson<{ items: Product[] }>('GET', `/merchants/${merchantId}/products?pageSize=50`, owner.token);
  const product = products.items.find((p) => p.skus.length === 1 && p.skus[0].stock > 5 && p.skus[0].price.amount >= 10000)!;
  const sku = product.skus[0];
  // Whole yuan: the presale price is the list price, the deposit takes twice itself off, and stays within 20%.
  const price = Math.floor(sku.price.amount / 100);
  const deposit = Math.max(1, Math.floor(price / 10));
  const value = 2 * deposit;

  const page = await openPage(ctx);
  await signInAs(page, base, OWNER);
  await page.goto(`${base}/merchant/presale?m=${merchantId}`);
  await page.getByTestId('presale-tab').waitFor();
  await page.getByTestId('presale-sku').selectOption(sku.id);
  await page.getByTestId('presale-price').fill(String(price));
  await page.getByTestId('presale-deposit').fill(String(deposit));
  await page.getByTestId('presale-deposit-value').fill(String(value));
  await page.getByTestId('presale-preview').waitFor();
  await page.getByTestId('presale-create').click();
  await page.getByTestId('presale-list').locator('tr[data-presale-id]').first().waitFor();
  await shot(page, 'merchant-console');

  // A fresh shopper on another account: sign out the owner, register.
  await apiJson('POST', '/auth/register', undefined, { email: SHOPPER, password: PASSWORD, name: '预售买家' });
  await page.evaluate(() => localStorage.clear());
  await signInAs(page, base, SHOPPER);
  await page.goto(`${base}/product/${product.id}`);
  await page.getByTestId('product-presale').waitFor();
  await shot(page, 'product-offer', 'view');
  await page.getByTestId('pay-deposit').click();

  await page.getByTestId('presale-deposit-note').waitFor();
  assert.equal(fen(await page.getByTestId('checkout-payable').textContent()), deposit * 100, 'only the deposit is paid now');
  const chips = await page.getByTestId('line-discounts').textContent();
  assert.match(chips ?? '', /定金膨胀/);
  await fillAddress(page);
  await shot(page, 'checkout-deposit');
  await page.getByTestId('submit-order').click();
  await page.waitForURL(/\/pay\/[^/]+$/, { timeout: STEP_TIMEOUT });
  await page.getByTestId('pay-confirm').click();
  await page.getByTestId('pay-success').waitFor();

  await page.goto(`${base}/me/presales`);
  const purchase = page.getByTestId('presale-purchase').first();
  await purchase.waitFor();
  assert.equal(await purchase.getAttribute('data-state'), 'deposit_paid');
  assert.equal(await page.getByTestId('pay-balance').count(), 0, 'the balance window has not opened');
  await shot(page, 'my-presales');
});
