/**
 * Browser test of content (种草 and 直播), run with:
 *   node --import tsx --test e2e/content.e2e.ts
 * Assumes web/dist is built (npm run build). Starts its own server with the demo marketplace. A store owner
 * schedules a livestream in the merchant console, links a SKU at a live price and goes live; a fresh shopper writes
 * a note about that product, likes and comments it, finds the live room from the feed (live first, with the badge)
 * and buys at the live price through checkout and the sandbox cashier; the order line carries the live price; the
 * store sees the order attributed to its session; an operator hides the note with a reason; a scheduled session's
 * room counts down. Screenshots: e2e/screenshots/content-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { apiCall, fillAddress, PASSWORD, screenshots, signInAs, STEP_TIMEOUT, withShopAndBrowser } from './support.ts';

const OWNER = 'owner@jixin.demo.quanyu';
const OPERATOR = 'admin@demo.quanyu';
const SHOPPER = `content-${Date.now()}@e2e.quanyu`;
const LIVE_TITLE = 'E2E 直播专场';
const NOTE_TITLE = '通勤必备，直播间买更划算';

let base = '';
let ctx: BrowserContext | undefined;
const shot = screenshots('content-', (f) => f.startsWith('content-'));
const apiJson = <T>(method: string, p: string, token?: string, body?: unknown) => apiCall<T>(base, method, p, token, body);

withShopAndBrowser((shop, browserContext) => {
  base = shop.base;
  ctx = browserContext;
});

async function openPage(): Promise<Page> {
  const page = ctx!.pages()[0] ?? (await ctx!.newPage());
  return page;
}

async function signOut(page: Page) {
  await page.getByTestId('logout').click();
  await page.getByTestId('login-link').waitFor();
}

const fen = (text: string | null) => Math.round(Number((text ?? '').replace(/[^\d.]/g, '')) * 100);

interface Product { id: string; title: string; skus: { id: string; price: { amount: number }; stock: number }[] }
let product: Product;
let sessionId = '';
let livePrice = 0;
let merchantId = '';

test('merchant: schedule a livestream, link a SKU at a live price, go live', { timeout: 180_000 }, async () => {
  const owner = await apiJson<{ token: string; user: { roles: string[] } }>('POST', '/auth/login', undefined, { email: OWNER, password: PASSWORD });
  merchantId = owner.user.roles.find((r) => r.startsWith('merchant:'))!.slice('merchant:'.length);
  const products = await apiJson<{ items: Product[] }>('GET', `/merchants/${merchantId}/products?pageSize=50`, owner.token);
  product = products.items.find((p) => p.skus.some((s) => s.stock > 5 && s.price.amount >= 1000))!;
  assert.ok(product, 'a demo product with stock');
  const sku = product.skus.find((s) => s.stock > 5 && s.price.amount >= 1000)!;
  livePrice = Math.floor((sku.price.amount * 8) / 1000) * 10; // 80% of the list price, whole jiao

  const page = await openPage();
  await signInAs(page, base, OWNER);
  await page.goto(`${base}/merchant/live?m=${merchantId}`);
  await page.getByTestId('live-tab').waitFor();
  await page.getByTestId('live-title-input').fill(LIVE_TITLE);
  await page.getByTestId('live-create').click();
  const editor = page.getByTestId('live-products-editor');
  await editor.waitFor();
  // a price at or above the list price is refused, naming the SKU's field
  const input = editor.locator(`[data-testid="live-price-input"][data-sku-id="${sku.id}"]`);
  await input.fill(String(sku.price.amount / 100));
  await page.getByTestId('save-live-products').click();
  await editor.locator('.field-error').first().waitFor();
  await shot(page, 'merchant-live-price-refused', 'view');
  await input.fill((livePrice / 100).toFixed(2));
  await page.getByTestId('save-live-products').click();
  await editor.waitFor({ state: 'detached' });
  const row = page.getByTestId('live-session-row').filter({ hasText: LIVE_TITLE });
  sessionId = (await row.getAttribute('data-session-id'))!;
  assert.equal(await row.getAttribute('data-status'), 'scheduled');
  await row.getByTestId('live-start').click();
  await page.locator(`[data-testid="live-session-row"][data-session-id="${sessionId}"][data-status="live"]`).waitFor();
  await shot(page, 'merchant-live-tab');
  await signOut(page);
});

test('shopper: write a note, like and comment it; find the live room in the feed and buy at the live price', { timeout: 240_000 }, async () => {
  await apiJson('POST', '/auth/register', undefined, { email: SHOPPER, password: PASSWORD, name: '种草小达人' });
  const page = await openPage();
  await signInAs(page, base, SHOPPER);

  // write a note from the product page's "写笔记种草" link: the product comes preselected
  await page.goto(`${base}/product/${product.id}`);
  await page.getByTestId('product-live-banner').waitFor();
  await shot(page, 'product-live-banner', 'view');
  await page.getByTestId('write-about-product').click();
  await page.getByTestId('write-note-page').waitFor();
  await page.getByTestId('picked-product').first().waitFor();
  await page.getByTestId('note-title-input').fill(NOTE_TITLE);
  await page.getByTestId('note-body-input').fill('容量大又轻便，每天背着上班。看到店铺在直播，直播价比平时便宜不少，赶紧下单了！');
  await shot(page, 'write-note', 'view');
  await page.getByTestId('publish-note').click();
  await page.getByTestId('note-page').waitFor();
  assert.equal(await page.getByTestId('note-title').textContent(), NOTE_TITLE);
  const noteId = page.url().split('/').pop()!;

  // like (idempotent server-side), and the linked product shows its live price with a way to the room
  assert.equal(await page.getByTestId('like-count').textContent(), '0');
  await page.getByTestId('like-button').click();
  await page.locator('[data-testid="like-button"][aria-pressed="true"]').waitFor();
  assert.equal(await page.getByTestId('like-count').textContent(), '1');
  await page.getByTestId('linked-product').first().getByTestId('to-live-room').waitFor();
  await page.getByTestId('comment-input').fill('直播价真的香，已下单');
  await page.getByTestId('comment-send').click();
  await page.getByTestId('comment').filter({ hasText: '直播价真的香' }).waitFor();
  await shot(page, 'note-page');

  // the feed: live sessions first, with the badge; my note among the notes
  await page.goto(`${base}/content`);
  await page.getByTestId('note-card').first().waitFor();
  const firstKind = await page.locator('[data-testid="live-card"], [data-testid="note-card"]').first().getAttribute('data-testid');
  assert.equal(firstKind, 'live-card', 'live sessions come first');
  await page.locator(`[data-testid="note-card"][data-note-id="${noteId}"]`).waitFor();
  await shot(page, 'feed');
  await page.locator(`[data-testid="live-card"][data-session-id="${sessionId}"]`).click();

  // the live room: badge, live price, buy
  const room = page.getByTestId('live-room');
  await room.waitFor();
  assert.equal(await room.getAttribute('data-status'), 'live');
  await room.getByTestId('live-badge').first().waitFor();
  const item = page.locator(`[data-testid="live-product"][data-product-id="${product.id}"]`);
  assert.equal(fen(await item.getByTestId('live-price').textContent()), livePrice);
  await shot(page, 'live-room');
  await item.getByTestId('live-buy').click();

  await page.getByTestId('line-live-price').waitFor();
  assert.equal(fen(await page.getByTestId('checkout-payable').textContent()), livePrice);
  await fillAddress(page);
  await shot(page, 'checkout-live-price');
  await page.getByTestId('submit-order').click();
  await page.waitForURL(/\/pay\/[^/]+$/, { timeout: STEP_TIMEOUT });
  await page.getByTestId('pay-confirm').click();
  await page.getByTestId('pay-success').waitFor();
  const groupId = new URL(page.url()).pathname.split('/')[2];
  const token = (await page.evaluate(() => localStorage.getItem('quanyu.token')))!;
  const group = await apiJson<{ orders: { id: string; lines: { unitPrice: { amount: number } }[]; payable: { amount: number } }[] }>('GET', `/order-groups/${groupId}`, token);
  assert.equal(group.orders[0].lines[0].unitPrice.amount, livePrice, 'the order line keeps the live price');
  assert.equal(group.orders[0].payable.amount, livePrice);

  // my notes
  await page.goto(`${base}/me/notes`);
  const myRow = page.locator(`[data-testid="my-note-row"][data-note-id="${noteId}"]`);
  await myRow.waitFor();
  assert.match(await myRow.getByTestId('my-note-views').innerText(), /^[1-9]\d*$/, 'opening the note after publishing counted as a view');
  await shot(page, 'my-notes', 'view');
  await signOut(page);
});

test('merchant sees the order attributed to its livestream; operator hides the note; a scheduled room counts down', { timeout: 180_000 }, async () => {
  const page = await openPage();
  await signInAs(page, base, OWNER);
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) { // the outbox delivers order.paid within a second
    await page.goto(`${base}/merchant/live?m=${merchantId}`);
    await page.getByTestId('live-attributed-orders').waitFor();
    if ((await page.getByTestId('live-attributed-orders').textContent()) !== '0') break;
    assert.ok(Date.now() < deadline, 'the order was attributed to the session');
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal(fen(await page.getByTestId('live-attributed-gmv').textContent()), livePrice);
  const stats = page.locator(`[data-testid="live-session-row"][data-session-id="${sessionId}"]`).getByTestId('live-session-stats');
  assert.match(await stats.innerText(), /观看人数 [1-9]/, 'the shopper who bought watched the room');
  await page.locator(`[data-testid="live-session-row"][data-session-id="${sessionId}"]`).getByTestId('live-end').click();
  await page.locator(`[data-testid="live-session-row"][data-session-id="${sessionId}"][data-status="ended"]`).waitFor();
  await shot(page, 'merchant-attributed');
  await page.goto(`${base}/live/${sessionId}`);
  assert.match(await page.getByTestId('live-viewers').innerText(), /^[1-9]\d*人看过$/);
  await shot(page, 'live-room-ended', 'view');
  const owner = await apiJson<{ token: string }>('POST', '/auth/login', undefined, { email: OWNER, password: PASSWORD });
  const later = await apiJson<{ id: string }>('POST', `/merchants/${merchantId}/live-sessions`, owner.token, {
    title: '周末上新预告', scheduledStart: new Date(Date.now() + 2 * 3_600_000).toISOString(),
    items: [{ skuId: product.skus[0].id, livePrice: { amount: product.skus[0].price.amount - 100, currency: 'CNY' } }],
  });
  await signOut(page);

  await signInAs(page, base, OPERATOR);
  await page.goto(`${base}/admin/notes`);
  const row = page.getByTestId('moderation-row').filter({ hasText: NOTE_TITLE });
  // The author writes well: the operator certifies them as a creator (达人) before handling the note.
  await row.getByTestId('certify-creator').click();
  const certify = page.getByTestId('certify-dialog');
  await certify.getByRole('button', { name: '美妆达人' }).click();
  await certify.getByTestId('confirm-certify').click();
  await row.getByTestId('creator-badge').waitFor();
  assert.equal(await row.getByTestId('creator-badge').innerText(), '达人·美妆达人');
  await shot(page, 'admin-creator', row);
  await row.getByTestId('hide-note').click();
  await page.getByTestId('hide-reason').fill('含站外引流信息');
  await shot(page, 'admin-hide-dialog', 'view');
  await page.getByTestId('confirm-hide').click();
  await row.getByTestId('restore-note').waitFor();
  await shot(page, 'admin-moderation');
  await signOut(page);

  await page.goto(`${base}/live/${later.id}`);
  await page.getByTestId('live-countdown').waitFor();
  assert.equal(await page.getByTestId('live-room').getAttribute('data-status'), 'scheduled');
  assert.match((await page.getByTestId('live-countdown').textContent()) ?? '', /\d\d:\d\d:\d\d/);
  await shot(page, 'live-room-scheduled');
  await page.goto(`${base}/content`);
  await page.getByTestId('note-card').first().waitFor();
  await shot(page, 'feed-signed-out', 'view');
});
