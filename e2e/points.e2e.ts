/**
 * Browser test of points (积分), run with:
 *   node --import tsx --test e2e/points.e2e.ts
 * Assumes web/dist is built (npm run build). Starts its own server with the demo marketplace. A shopper
 * whose first order completed (so holds points) checks out again, ticks 积分抵扣, pays less by the points
 * used, and finds both movements on 我的积分.
 * Screenshots: e2e/screenshots/points-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { apiCall, fillAddress, openPage, PASSWORD, screenshots, signInAs, STEP_TIMEOUT, withShopAndBrowser } from './support.ts';

const OWNER = 'owner@jixin.demo.quanyu';
const SHOPPER = `points-${Date.now()}@e2e.quanyu`;

let base = '';
let ctx: BrowserContext | undefined;
const shot = screenshots('points-', (f) => f.startsWith('points-'));
const apiJson = <T>(method: string, p: string, token?: string, body?: unknown) => apiCall<T>(base, method, p, token, body);
const fen = (text: string | null) => Math.round(Number((text ?? '').replace(/[^0-9.]/g, '')) * 100);

withShopAndBrowser((shop, browserContext) => {
  base = shop.base;
  ctx = browserContext;
});

/** A call that needs an Idempotency-Key (orders, payments). */
async function once<T>(p: string, token: string, body: unknown): Promise<T> {
  const r = await fetch(`${base}/api/v1${p}`, {
    method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(STEP_TIMEOUT),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': crypto.randomUUID() },
  });
  if (!r.ok) throw new Error(`POST ${p} -> ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

interface Product { id: string; skus: { id: string; price: { amount: number }; stock: number }[] }

test('a shopper earns points on a completed order and pays part of the next one with them', { timeout: 240_000 }, async () => {
  await apiJson('POST', '/auth/register', undefined, { email: SHOPPER, password: PASSWORD, name: '积分买家' });
  const shopper = await apiJson<{ token: string }>('POST', '/auth/login', undefined, { email: SHOPPER, password: PASSWORD });
  const owner = await apiJson<{ token: string; user: { roles: string[] } }>('POST', '/auth/login', undefined, { email: OWNER, password: PASSWORD });
  const merchantId = owner.user.roles.find((r) => r.startsWith('merchant:'))!.slice('merchant:'.length);
  const products = await apiJson<{ items: Product[] }>('GET', `/merchants/${merchantId}/products?pageSize=50`, owner.token);
  const product = products.items.find((p) => p.skus[0].stock > 10 && p.skus[0].price.amount >= 30000)!;
  assert.ok(product, 'a demo product of at least 300 yuan');
  const price = product.skus[0].price.amount;

  // The first order, through the API: placed, paid, shipped, received.
  const address = { name: '李积分', phone: '13800138000', region: '浙江省杭州市西湖区', line1: '文三路 1 号' };
  const first = await once<{ orderGroupId: string; orders: { id: string }[] }>('/orders', shopper.token, { items: [{ skuId: product.skus[0].id, quantity: 1 }], address });
  const payment = await once<{ id: string }>('/payments', shopper.token, { orderGroupId: first.orderGroupId, provider: 'sandbox' });
  await apiJson('POST', `/payments/${payment.id}/sandbox/pay`, shopper.token, {});
  await apiJson('POST', `/merchants/${merchantId}/orders/${first.orders[0].id}/ship`, owner.token, { carrier: 'SF', trackingNo: `SF${String(Date.now()).slice(-13)}` });
  await apiJson('POST', `/orders/${first.orders[0].id}/confirm-receipt`, shopper.token, {});
  const earned = Math.floor(price / 100);
  assert.equal((await apiJson<{ balance: number }>('GET', '/me/points', shopper.token)).balance, earned);

  const page = await openPage(ctx);
  await signInAs(page, base, SHOPPER);
  await page.goto(`${base}/checkout?sku=${product.skus[0].id}&qty=1&product=${product.id}`);
  const row = page.getByTestId('points-row');
  await row.waitFor();
  await page.waitForFunction(() => !(document.querySelector('[data-testid="use-points"]') as HTMLInputElement | null)?.disabled, undefined, { timeout: STEP_TIMEOUT });
  assert.match(await row.innerText(), new RegExp(`共 ${earned} 积分`));
  const before = fen(await page.getByTestId('checkout-payable').textContent());
  await page.getByTestId('use-points').check();
  const used = page.getByTestId('points-used');
  await used.waitFor();
  const spent = Math.min(earned, Math.floor(before / 10));
  assert.match(await used.innerText(), new RegExp(`用 ${spent} 积分`));
  await page.waitForFunction((expected) => {
    const text = document.querySelector('[data-testid="checkout-payable"]')?.textContent ?? '';
    return Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100) === expected;
  }, before - spent, { timeout: STEP_TIMEOUT });
  await fillAddress(page);
  await shot(page, 'checkout-points');
  await page.getByTestId('submit-order').click();
  await page.waitForURL(/\/pay\/[^/]+$/, { timeout: STEP_TIMEOUT });
  await page.getByTestId('pay-confirm').click();
  await page.getByTestId('pay-success').waitFor();

  await page.getByTestId('nav-my-points').click();
  await page.getByTestId('my-points').waitFor();
  assert.equal(await page.getByTestId('points-balance').innerText(), String(earned - spent));
  const kinds = await page.getByTestId('points-movement').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
  assert.deepEqual(kinds, ['spent', 'earned']);
  await shot(page, 'my-points');
});
