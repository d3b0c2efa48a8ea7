/**
 * Browser test of paid membership (88VIP), run with:
 *   node --import tsx --test e2e/membership.e2e.ts
 * Assumes web/dist is built. The operator creates a plan for the official store in the console; a
 * demo shopper sees their loyalty score and the fee that applies, joins through the sandbox cashier,
 * sees the membership and this month's coupons, the member price beside prices and the member
 * discount at checkout; the console then counts the member and the fee. Screenshots go to e2e/screenshots/membership-NN-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { apiCall, openPage, screenshots, signInAs, withShopAndBrowser } from './support.ts';

const SHOPPER = 'lina@demo.quanyu';
const OPERATOR = 'admin@demo.quanyu';

let base = '';
let ctx: BrowserContext | undefined;
const shot = screenshots('membership-', (f) => f.startsWith('membership-'));

withShopAndBrowser((shop, browserContext) => {
  base = shop.base;
  ctx = browserContext;
});

async function signOut(page: Page) {
  await page.getByTestId('logout').click();
  await page.getByTestId('login-link').waitFor();
}

interface Card { id: string; merchantKind: string; price: { amount: number } }

test('operator sets up 88VIP, a shopper joins and sees member prices, the console counts the fee', { timeout: 300_000 }, async () => {
  const page = await openPage(ctx);

  // 1. The operator creates the plan: 88 / 888 yuan, score 1000, 95折 on the official store, a monthly coupon.
  await signInAs(page, base, OPERATOR);
  await page.goto(`${base}/admin/membership`);
  await page.getByTestId('vip-plan-new').click();
  const form = page.getByTestId('vip-plan-form');
  await form.waitFor();
  await page.getByTestId('vip-scope-stores').locator('select').selectOption({ label: '全域自营旗舰店' });
  // A product must match all the lists filled unless the operator chooses any one (brands or the supermarket).
  assert.match(await page.getByTestId('vip-scope-match').locator('.chip.on').innerText(), /同时满足/);
  await page.getByTestId('vip-form-add-coupon').click();
  await page.getByTestId('vip-form-coupon-code').fill('VIP-MONTHLY-20');
  await shot(page, 'plan-form', form);
  await page.getByTestId('vip-form-save').click();
  await page.getByTestId('vip-plan-row').first().waitFor();
  assert.match(await page.getByTestId('vip-plan-row').first().innerText(), /88VIP[\s\S]*¥88\.00 \/ ¥888\.00[\s\S]*95折[\s\S]*全域自营旗舰店/);
  await shot(page, 'console-plans', 'view');
  await signOut(page);

  // 2. The shopper's membership page: score, formula, the fee that applies.
  await signInAs(page, base, SHOPPER);
  await page.goto(`${base}/vip`);
  await page.getByTestId('vip-score').waitFor();
  const score = Number(await page.getByTestId('vip-score-value').innerText());
  assert.match(await page.getByTestId('vip-formula').innerText(), /每实付 ¥10 得 1 分/);
  const fee = score >= 1000 ? '88.00' : '888.00';
  assert.match(await page.getByTestId('vip-plan-fee').first().innerText(), new RegExp(fee.replace('.', '\\.')));
  await shot(page, 'vip-page', 'view');

  // 3. Join through the sandbox cashier.
  await page.getByTestId('vip-buy').first().click();
  await page.getByTestId('vip-pay-confirm').waitFor();
  assert.match(await page.getByTestId('vip-pay-amount').innerText(), new RegExp(fee.replace('.', '\\.')));
  await shot(page, 'cashier', 'view');
  await page.getByTestId('vip-pay-confirm').click();
  await page.getByTestId('vip-pay-success').waitFor();
  await shot(page, 'paid', 'view');
  await page.getByTestId('vip-back').click();
  await page.getByTestId('vip-membership').waitFor();
  assert.match(await page.getByTestId('vip-membership').innerText(), /88VIP[\s\S]*生效中/);
  assert.match(await page.getByTestId('vip-allowance').innerText(), /VIP-MONTHLY-20/);
  await shot(page, 'member');

  // 4. Member prices beside prices: an official-store product page and the listing tiles.
  const list = await apiCall<{ items: Card[] }>(base, 'GET', '/products?sort=sales&pageSize=40');
  const own = list.items.find((c) => c.merchantKind === 'self_operated');
  assert.ok(own, 'the demo has official-store products');
  await page.goto(`${base}/product/${own.id}`);
  const tag = page.getByTestId('member-price');
  await tag.waitFor();
  assert.match(await tag.innerText(), /88VIP\s*¥[\d,]+\.\d\d/);
  await shot(page, 'product', 'view');
  // ... and checkout takes it off (platform-funded).
  await page.getByTestId('buy-now').click();
  await page.getByTestId('line-discounts').first().waitFor();
  assert.match(await page.getByTestId('line-discounts').first().innerText(), /会员折扣/);
  await shot(page, 'checkout', 'view');
  await page.goto(`${base}/products?sort=sales`);
  await page.getByTestId('product-tile').first().waitFor();
  await page.getByTestId('member-price').first().waitFor();
  await shot(page, 'tiles', 'view');
  await signOut(page);

  // 5. The console counts the member and the fee, as the ledger does.
  await signInAs(page, base, OPERATOR);
  await page.goto(`${base}/admin/membership`);
  await page.waitForFunction(() => document.querySelector('[data-testid="vip-member-count"]')?.textContent === '1');
  assert.equal(await page.getByTestId('vip-fee-revenue').innerText(), `¥${fee === '88.00' ? '88.00' : '888.00'}`);
  await shot(page, 'console-after', 'view');
});
