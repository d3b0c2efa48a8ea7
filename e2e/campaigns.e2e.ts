/**
 * Browser test of campaigns (大促) and flash sales (秒杀), run with:
 *   node --import tsx --test e2e/campaigns.e2e.ts
 * Assumes web/dist is built (npm run build). Starts its own server with the demo marketplace. An operator
 * creates a 618-style campaign in the console (a warm-up that is over, a burst on now with a cross-store
 * reduction, an encore to come); a store enrols a product and sets a flash sale on it as its venue price; a
 * shopper finds it on 限时秒杀, sees the flash price and countdown on the product page, buys one at the
 * flash price, and opens the venue with its phase timeline and the countdown to the next phase.
 * Screenshots: e2e/screenshots/campaigns-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { apiCall, fillAddress, openPage, PASSWORD, screenshots, signInAs, STEP_TIMEOUT, withShopAndBrowser } from './support.ts';

const OPERATOR = 'admin@demo.quanyu';
const OWNER = 'owner@jixin.demo.quanyu';
const SHOPPER = `flash-${Date.now()}@e2e.quanyu`;
const CAMPAIGN = `618 年中大促 ${Date.now() % 10000}`;

let base = '';
let ctx: BrowserContext | undefined;
const shot = screenshots('campaigns-', (f) => f.startsWith('campaigns-'));
const apiJson = <T>(method: string, p: string, token?: string, body?: unknown) => apiCall<T>(base, method, p, token, body);
const fen = (text: string | null) => Math.round(Number((text ?? '').replace(/[^0-9.]/g, '')) * 100);
const HOUR = 3_600_000;

withShopAndBrowser((shop, browserContext) => {
  base = shop.base;
  ctx = browserContext;
});

interface Product { id: string; title: string; skus: { id: string; price: { amount: number }; stock: number }[] }

/** A time as a datetime-local input takes it, in local time (the browser runs in this machine's time zone). */
function localInput(ms: number) {
  const d = new Date(ms), p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

async function signOutAndIn(page: Page, email: string) {
  await page.evaluate(() => localStorage.clear());
  await signInAs(page, base, email);
}

let campaignId = '';
let product: Product;
let merchantId = '';

test('an operator creates a campaign with phases and rules', { timeout: 180_000 }, async () => {
  const page = await openPage(ctx);
  await signInAs(page, base, OPERATOR);
  await page.goto(`${base}/admin/campaigns`);
  const form = page.getByTestId('new-campaign');
  await form.waitFor();
  await page.getByTestId('cmp-name').fill(CAMPAIGN);
  await page.getByTestId('cmp-description').fill('跨店每满300减50，开门红限时秒杀');
  const now = Date.now();
  const phases = page.getByTestId('phase-edit');
  assert.equal(await phases.count(), 3);
  // The warm-up is over, the burst is on now, the encore comes later.
  await phases.nth(0).getByTestId('phase-starts').fill(localInput(now - 3 * HOUR));
  await phases.nth(0).getByTestId('phase-ends').fill(localInput(now - 2 * HOUR));
  await phases.nth(1).getByTestId('phase-starts').fill(localInput(now - 2 * HOUR));
  await phases.nth(1).getByTestId('phase-ends').fill(localInput(now + 3 * HOUR));
  await phases.nth(2).getByTestId('phase-starts').fill(localInput(now + 5 * HOUR));
  await phases.nth(2).getByTestId('phase-ends').fill(localInput(now + 29 * HOUR));
  await page.getByTestId('cmp-enrolment-ends').fill(localInput(now + 2 * HOUR));

  // Overlapping phases are refused, naming the phase.
  await phases.nth(2).getByTestId('phase-starts').fill(localInput(now + 2 * HOUR));
  await page.getByTestId('cmp-create').click();
  await form.locator('.field-invalid').first().waitFor();
  assert.match(await form.locator('.field-invalid').first().textContent() ?? '', /overlaps phase 1/);
  await shot(page, 'operator-overlap-refused', form);
  await phases.nth(2).getByTestId('phase-starts').fill(localInput(now + 5 * HOUR));
  await page.getByTestId('cmp-create').click();
  const row = page.getByTestId('campaign-list').locator('tr[data-campaign-id]', { hasText: CAMPAIGN });
  await row.waitFor();
  campaignId = (await row.getAttribute('data-campaign-id'))!;
  assert.match(await row.textContent() ?? '', /进行中/);
  await shot(page, 'operator-console');
});

test('a store enrols a product and sets a flash sale on it as its venue price', { timeout: 180_000 }, async () => {
  assert.ok(campaignId, 'the campaign exists');
  const owner = await apiJson<{ token: string; user: { roles: string[] } }>('POST', '/auth/login', undefined, { email: OWNER, password: PASSWORD });
  merchantId = owner.user.roles.find((r) => r.startsWith('merchant:'))!.slice('merchant:'.length);
  const products = await apiJson<{ items: Product[] }>('GET', `/merchants/${merchantId}/products?pageSize=50`, owner.token);
  product = products.items.find((p) => p.skus.length === 1 && p.skus[0].stock > 20 && p.skus[0].price.amount >= 20000)!;
  assert.ok(product, 'a demo product to put on sale');

  const page = await openPage(ctx);
  await signOutAndIn(page, OWNER);
  await page.goto(`${base}/merchant/campaigns?m=${merchantId}`);
  const card = page.locator(`[data-testid="enrol-campaign"][data-campaign-id="${campaignId}"]`);
  await card.waitFor();
  await card.getByTestId('enrol-product').selectOption(product.id);
  await card.getByTestId('enrol').click();
  await card.getByTestId('enrolled-product').first().waitFor();
  await shot(page, 'merchant-enrol');

  const flashPrice = Math.floor(product.skus[0].price.amount / 200); // about half price, whole yuan
  await page.goto(`${base}/merchant/flash-sales?m=${merchantId}`);
  await page.getByTestId('flash-sales-tab').waitFor();
  await page.getByTestId('fs-sku').selectOption(product.skus[0].id);
  await page.getByTestId('fs-price').fill(String(flashPrice));
  await page.getByTestId('fs-quantity').fill('5');
  await page.getByTestId('fs-limit').fill('1');
  await page.getByTestId('fs-starts').fill(localInput(Date.now() - 60_000));
  await page.getByTestId('fs-ends').fill(localInput(Date.now() + 2 * HOUR));
  await page.getByTestId('fs-campaign').selectOption(campaignId);
  await page.getByTestId('fs-create').click();
  const sale = page.getByTestId('flash-sale-list').locator('tr[data-state="live"]').first();
  await sale.waitFor();
  assert.equal(await sale.getByTestId('fs-left').textContent(), '5');
  // A second sale, coming up later, for the upcoming list.
  await apiJson('POST', `/merchants/${merchantId}/flash-sales`, owner.token, {
    skuId: product.skus[0].id, unitPrice: { amount: flashPrice * 100 + 100, currency: 'CNY' }, quantity: 3, perPersonLimit: 1,
    startsAt: new Date(Date.now() + 3 * HOUR).toISOString(), endsAt: new Date(Date.now() + 4 * HOUR).toISOString(),
  });
  await page.reload();
  await page.getByTestId('flash-sale-list').locator('tr[data-state="scheduled"]').first().waitFor();
  await shot(page, 'merchant-flash-sales');
});

test('a shopper grabs one at the flash price and visits the venue', { timeout: 240_000 }, async () => {
  assert.ok(product, 'the flash sale exists');
  const flashFen = Math.floor(product.skus[0].price.amount / 200) * 100;
  await apiJson('POST', '/auth/register', undefined, { email: SHOPPER, password: PASSWORD, name: '秒杀买家' });
  const page = await openPage(ctx);
  await signOutAndIn(page, SHOPPER);

  await page.goto(`${base}/flash-sales`);
  const card = page.getByTestId('fs-live').locator(`[data-testid="fs-card"]`, { hasText: product.title }).first();
  await card.waitFor();
  assert.match(await card.getByTestId('fs-countdown').textContent() ?? '', /距结束 \d\d:\d\d:\d\d/);
  assert.equal(await card.getByTestId('fs-remaining').getAttribute('data-remaining'), '5');
  await page.getByTestId('fs-scheduled').getByTestId('fs-card').first().waitFor();
  await shot(page, 'flash-sales-page');

  await card.getByTestId('fs-grab').click();
  const banner = page.getByTestId('product-flash-sale');
  await banner.waitFor();
  assert.equal(fen(await page.getByTestId('product-flash-price').textContent()), flashFen);
  assert.match(await banner.textContent() ?? '', /每人限购 1 件/);
  await shot(page, 'product-flash-price', 'view');

  await page.getByTestId('buy-now').click();
  await page.getByTestId('checkout-payable').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="line-discounts"]')?.textContent?.includes('秒杀'), undefined, { timeout: STEP_TIMEOUT });
  const payable = fen(await page.getByTestId('checkout-payable').textContent());
  assert.ok(payable <= flashFen, `pays the flash price (and any campaign discount): ${payable} <= ${flashFen}`);
  await fillAddress(page);
  await shot(page, 'checkout-flash');
  await page.getByTestId('submit-order').click();
  await page.waitForURL(/\/pay\/[^/]+$/, { timeout: STEP_TIMEOUT });

  await page.goto(`${base}/flash-sales`);
  const after = page.getByTestId('fs-live').locator(`[data-testid="fs-card"]`, { hasText: product.title }).first();
  await after.waitFor();
  await page.waitForFunction((title) => [...document.querySelectorAll('[data-testid="fs-live"] [data-testid="fs-card"]')]
    .some((c) => c.textContent?.includes(title) && c.querySelector('[data-testid="fs-remaining"]')?.getAttribute('data-remaining') === '4'), product.title, { timeout: STEP_TIMEOUT });

  await page.getByTestId('nav-campaigns').click();
  await page.getByTestId('campaign-card').filter({ hasText: CAMPAIGN }).click();
  await page.getByTestId('venue-page').waitFor();
  const states = await page.getByTestId('phase').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
  assert.deepEqual(states, ['ended', 'current', 'upcoming']);
  assert.match(await page.getByTestId('next-phase').textContent() ?? '', /返场.*距开始 \d\d:\d\d:\d\d/);
  assert.match(await page.getByTestId('venue-rules').textContent() ?? '', /跨店每满¥300减¥50/);
  const venueProduct = page.locator(`[data-testid="venue-product"][data-product-id="${product.id}"]`);
  await venueProduct.waitFor();
  assert.match(await venueProduct.textContent() ?? '', /会场价/);
  await shot(page, 'venue');
});

test('the operator stops the campaign early; the venue says when and why', { timeout: 180_000 }, async () => {
  assert.ok(campaignId, 'the campaign exists');
  const page = await openPage(ctx);
  await signOutAndIn(page, OPERATOR);
  await page.goto(`${base}/admin/campaigns`);
  const row = page.locator(`tr[data-campaign-id="${campaignId}"]`);
  await row.getByTestId('cmp-stop').click();
  const dialog = page.getByTestId('stop-dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: '优惠规则配置错误' }).click();
  assert.equal(await dialog.getByTestId('stop-reason').inputValue(), '优惠规则配置错误');
  await shot(page, 'operator-stop-dialog', 'view');
  await dialog.getByTestId('confirm-stop').click();
  await dialog.waitFor({ state: 'detached' });
  await page.waitForFunction((id) => document.querySelector(`tr[data-campaign-id="${id}"]`)?.textContent?.includes('已提前结束'), campaignId, { timeout: STEP_TIMEOUT });
  assert.equal(await row.getByTestId('cmp-stop').count(), 0, 'a stopped campaign cannot be stopped again');

  await page.goto(`${base}/campaigns/${campaignId}`);
  const stopped = page.getByTestId('venue-stopped');
  await stopped.waitFor();
  assert.match(await stopped.innerText(), /提前结束：优惠规则配置错误/);
  const states = await page.getByTestId('phase').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
  assert.deepEqual(states, ['ended', 'ended', 'cancelled']);
  await shot(page, 'venue-stopped', 'view');
});

test('an operator saves a campaign as a draft, then publishes it', { timeout: 180_000 }, async () => {
  const page = await openPage(ctx);
  await signOutAndIn(page, OPERATOR);
  await page.goto(`${base}/admin/campaigns`);
  await page.getByTestId('new-campaign').waitFor();
  const name = `双11 预备 ${Date.now() % 10000}`;
  await page.getByTestId('cmp-name').fill(name);
  await page.getByTestId('cmp-save-draft').click();
  const row = page.getByTestId('campaign-list').locator('tr[data-campaign-id]', { hasText: name });
  await row.waitFor();
  assert.match(await row.innerText(), /草稿/);
  const id = (await row.getAttribute('data-campaign-id'))!;
  const visible = await apiJson<{ items: { id: string }[] }>('GET', '/campaigns?pageSize=100');
  assert.ok(!visible.items.some((c) => c.id === id), 'shoppers do not see a draft');
  await shot(page, 'operator-draft', row);
  await row.getByTestId('cmp-publish').click();
  await page.waitForFunction((cid) => /即将开始|进行中/.test(document.querySelector(`tr[data-campaign-id="${cid}"]`)?.textContent ?? ''), id, { timeout: STEP_TIMEOUT });
  const after = await apiJson<{ items: { id: string }[] }>('GET', '/campaigns?pageSize=100');
  assert.ok(after.items.some((c) => c.id === id), 'published, the lists show it');
});
