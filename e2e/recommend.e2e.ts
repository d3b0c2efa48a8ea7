/**
 * Browser test of recommendations (货找人), run with:
 *   node --import tsx --test e2e/recommend.e2e.ts
 * Assumes web/dist is built (npm run build). Starts its own server with the demo marketplace (no model trained
 * yet). A fresh shopper views a few products of one category; the operator trains a model from the console and
 * waits for the new version to serve; the shopper's home feed 猜你喜欢 is personal, with reasons, and loads a second
 * page on scroll; opening a recommended product reports the click, which the operator's click-through table shows;
 * the product page shows 看了又看 with reasons; 不感兴趣 removes a card; the cart shows 你可能还喜欢; with
 * personalisation switched off in the privacy centre the feed says so; the operator adds and removes an editorial
 * pick. Screenshots: e2e/screenshots/reco-*.png.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { apiCall, openChromium, openPage, PASSWORD, screenshots, signInAs, STEP_TIMEOUT, withShopAndBrowser } from './support.ts';

const OPERATOR = 'admin@demo.quanyu';
const SHOPPER = `reco-${Date.now()}@e2e.quanyu`;
const FEED_PAGE = 20;

let base = '';
let ctx: BrowserContext | undefined;
let operator: Awaited<ReturnType<typeof openChromium>> | undefined;
const shot = screenshots('reco-', (f) => f.startsWith('reco-'));
const apiJson = <T>(method: string, p: string, token?: string, body?: unknown) => apiCall<T>(base, method, p, token, body);

withShopAndBrowser((shop, browserContext) => {
  base = shop.base;
  ctx = browserContext;
});
after(async () => { await operator?.close(); }, { timeout: 30_000 });


/** The operator works on another computer: one device signed in to two accounts would join them into one person. */
async function operatorPage(): Promise<Page> {
  if (!operator) {
    operator = await openChromium();
    const page = await openPage(operator.ctx);
    await signInAs(page, base, OPERATOR);
  }
  return openPage(operator.ctx);
}

const tiles = (page: Page) => page.getByTestId('home-feed').getByTestId('reco-tile');
const feedIds = (page: Page) => tiles(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-product-id')!));

/** Waits until `check` holds, asking every 200 ms (bounded). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, what);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Scrolls the feed's heading to the top of the window, for a screenshot. */
async function showFeedHead(page: Page): Promise<void> {
  await page.evaluate(() => {
    document.querySelector('[data-testid="home-feed"]')!.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -16);
  });
}

/** Screenshots without the toast that confirmed the last action (it covers the top of the page for 2 s). */
const toastGone = (page: Page) => page.getByTestId('toast').waitFor({ state: 'detached' });

async function openHome(page: Page): Promise<void> {
  await page.goto(`${base}/`);
  await page.locator('[data-testid="home-feed"]:not([data-personalized=""])').waitFor();
  await tiles(page).first().waitFor();
}

let viewed: string[] = [];
let clicked: { productId: string; recaller: string } | undefined;

test('shopper views a few products; the operator trains a model in the console and it serves', { timeout: 180_000 }, async () => {
  await apiJson('POST', '/auth/register', undefined, { email: SHOPPER, password: PASSWORD, name: '推荐小测' });
  const page = await openPage(ctx);
  await signInAs(page, base, SHOPPER);

  // 1. Before any behaviour the feed is the popular one, and says so.
  await openHome(page);
  assert.equal(await page.getByTestId('home-feed').getAttribute('data-personalized'), 'false');
  await page.locator('[data-testid="feed-note"][data-reason="popular"]').waitFor();
  assert.match((await page.getByTestId('feed-note').textContent()) ?? '', /热门推荐/);

  // 2. Three products of one category, each opened and viewed (the tracker sends views in batches every 2 s).
  const list = await apiJson<{ items: { id: string; category: string }[] }>('GET', '/products?sort=sales&pageSize=60');
  const byTop = new Map<string, string[]>();
  for (const p of list.items) byTop.set(p.category.split('/')[0], [...(byTop.get(p.category.split('/')[0]) ?? []), p.id]);
  viewed = [...byTop.values()].find((ids) => ids.length >= 3)!.slice(0, 3);
  assert.ok(viewed, 'a category with three products');
  for (const id of viewed) {
    await page.goto(`${base}/product/${id}`);
    await page.getByTestId('product-title').waitFor();
  }
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/v1/events') && r.request().method() === 'POST');
  await page.goto(`${base}/`); // leaving flushes the queue (pagehide) as well
  await sent.catch(() => undefined);
  const shopperToken = (await page.evaluate(() => localStorage.getItem('quanyu.token')))!;
  await until(async () => {
    const feed = await apiJson<{ personalized: boolean }>('GET', '/feed?limit=1', shopperToken);
    return feed.personalized;
  }, 'the views reached the server');

  // 3. The operator trains a model from the console: progress while training, then the new version serves.
  const op = await operatorPage();
  await op.goto(`${base}/admin/reco`);
  const models = op.getByTestId('reco-models');
  await models.waitFor();
  await op.getByTestId('reco-train').waitFor();
  const before = Number((await models.getAttribute('data-active-version')) || 0);
  await op.getByTestId('reco-train').click();
  await op.getByTestId('toast').waitFor();
  await until(async () => Number((await models.getAttribute('data-active-version')) || 0) > before && (await models.getAttribute('data-training')) === 'false',
    'a new model version serves');
  const active = op.locator('[data-testid="reco-model-row"][data-active="true"]');
  assert.equal(await active.count(), 1);
  assert.equal(await active.getAttribute('data-status'), 'ready');
  await active.getByTestId('reco-active-badge').waitFor();
  assert.ok(Number(await active.locator('td.num').first().textContent()) >= 1, 'the stats say what it learned from');
});

test('shopper: personal feed with reasons, a second page on scroll, a click, similar items, 不感兴趣, the cart row', { timeout: 240_000 }, async () => {
  const page = await openPage(ctx);

  // 1. The feed is personal now and every card says why.
  await openHome(page);
  assert.equal(await page.getByTestId('home-feed').getAttribute('data-personalized'), 'true');
  assert.equal(await page.getByTestId('feed-note').count(), 0, 'no non-personalised note');
  const firstPage = await feedIds(page);
  assert.equal(firstPage.length, FEED_PAGE);
  assert.ok(!viewed.some((id) => firstPage.includes(id)), 'not what was just viewed');
  const reasons = await page.getByTestId('home-feed').getByTestId('reco-reason').allTextContents();
  assert.ok(reasons.every((r) => r.trim().length > 0), 'every card has a reason');
  assert.ok(reasons.some((r) => /看过|本周热门|你常逛|兴趣相似/.test(r)), `a personal reason among: ${[...new Set(reasons)].join(' | ')}`);
  await showFeedHead(page);
  await shot(page, 'home-feed', 'view');

  // 2. Scrolling to the end of the grid loads the next page, continuing the positions.
  await page.getByTestId('feed-sentinel').scrollIntoViewIfNeeded();
  await until(async () => (await tiles(page).count()) > FEED_PAGE, 'a second page of the feed');
  const positions = await tiles(page).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-position'))));
  assert.ok(positions.includes(FEED_PAGE), `the second page starts at position ${FEED_PAGE}: ${positions.join(',')}`);
  const scrolled = await feedIds(page);
  assert.equal(new Set(scrolled).size, scrolled.length, 'no product twice');
  await shot(page, 'home-feed-second-page', 'view');

  // 3. Open a recommended product: the click goes to POST /reco/clicks with the request id and position.
  await page.evaluate(() => window.scrollTo(0, 0));
  const tile = tiles(page).nth(2);
  clicked = { productId: (await tile.getAttribute('data-product-id'))!, recaller: (await tile.getAttribute('data-recaller'))! };
  const position = Number(await tile.getAttribute('data-position'));
  const clickRequest = page.waitForRequest((r) => r.url().endsWith('/api/v1/reco/clicks') && r.method() === 'POST');
  await tile.getByTestId('reco-open').click();
  const report = await clickRequest;
  const body = JSON.parse(report.postData() ?? '{}');
  assert.match(body.requestId, /^rec_/);
  assert.equal(body.position, position);
  assert.equal((await report.response())?.status(), 204, 'the click is recorded');
  await page.waitForURL(`**/product/${clicked.productId}`);
  await page.getByTestId('product-title').waitFor();

  // 4. The product page: 看了又看 with a reason on every card (常一起购买 shows when there is something).
  const similar = page.getByTestId('reco-similar');
  await similar.waitFor();
  const similarIds = await similar.getByTestId('reco-tile').evaluateAll((els) => els.map((e) => e.getAttribute('data-product-id')));
  assert.ok(similarIds.length >= 1 && !similarIds.includes(clicked.productId), 'similar items, not the product itself');
  assert.ok((await similar.getByTestId('reco-reason').allTextContents()).every((r) => r.trim()), 'each with its reason');
  await similar.scrollIntoViewIfNeeded();
  await shot(page, 'product-rows', 'page');

  // 5. The operator's click-through table counts the click for the feed and that recaller.
  const op = await operatorPage();
  await op.goto(`${base}/admin/reco`);
  const row = op.locator(`[data-testid="reco-stat-row"][data-surface="feed"][data-recaller="${clicked.recaller}"]`);
  await row.waitFor();
  assert.ok(Number(await row.getAttribute('data-clicked')) >= 1, 'the click counts');
  assert.match((await row.getByTestId('reco-ctr').textContent()) ?? '', /^\d+\.\d\d%$/);
  assert.notEqual(await row.getByTestId('reco-ctr').textContent(), '0.00%');
  await shot(op, 'operator-tab');

  // 6. 不感兴趣: the card leaves the feed at once, and does not come back on the next visit.
  await openHome(page);
  const victim = tiles(page).nth(1);
  const victimId = (await victim.getAttribute('data-product-id'))!;
  await victim.hover();
  await victim.getByTestId('reco-not-interested').click();
  await page.locator(`[data-testid="home-feed"] [data-testid="reco-tile"][data-product-id="${victimId}"]`).waitFor({ state: 'detached' });
  assert.match((await page.getByTestId('toast').textContent()) ?? '', /不再推荐/);
  await openHome(page);
  assert.ok(!(await feedIds(page)).includes(victimId), 'gone after a reload too');

  // 7. Under the cart: 你可能还喜欢, never what is in the cart.
  await page.goto(`${base}/product/${viewed[0]}`);
  await page.getByTestId('add-to-cart').click();
  await page.getByTestId('cart-count').waitFor();
  await page.getByTestId('header-cart').click();
  const cartRow = page.getByTestId('reco-cart');
  await cartRow.waitFor();
  assert.ok(!(await cartRow.getByTestId('reco-tile').evaluateAll((els) => els.map((e) => e.getAttribute('data-product-id')))).includes(viewed[0]));
  await toastGone(page);
  await shot(page, 'cart-row');
});

test('personalisation off: the feed says so; English reasons; editorial picks in the console', { timeout: 180_000 }, async () => {
  const page = await openPage(ctx);

  // 1. Switch personalisation off in the privacy centre: the home feed is the popular one and says why.
  await page.getByTestId('nav-privacy').click();
  await page.getByTestId('consent-personalization').click();
  await page.locator('[data-testid="consent-personalization"][aria-checked="false"]').waitFor();
  await openHome(page);
  assert.equal(await page.getByTestId('home-feed').getAttribute('data-personalized'), 'false');
  const note = page.locator('[data-testid="feed-note"][data-reason="off"]');
  await note.waitFor();
  assert.match((await note.textContent()) ?? '', /为你推荐热门好物 · 个性化推荐已关闭/);
  assert.equal(await note.getByTestId('feed-privacy-link').getAttribute('href'), '/me/privacy');
  const reasons = await page.getByTestId('home-feed').getByTestId('reco-reason').allTextContents();
  assert.ok(!reasons.some((r) => /看过|你常逛|兴趣相似/.test(r)), `nothing personal: ${[...new Set(reasons)].join(' | ')}`);
  await showFeedHead(page);
  await shot(page, 'home-feed-personalization-off', 'view');

  // 2. In English the note and the reasons follow the language.
  await page.getByTestId('lang-switch').getByText('EN').click();
  await page.getByText('personalisation is off').waitFor();
  const english = await page.getByTestId('home-feed').getByTestId('reco-reason').allTextContents();
  assert.ok(english.every((r) => /[a-z]/i.test(r) && !/近期热销|新品上架|编辑精选/.test(r)), `English reasons: ${[...new Set(english)].join(' | ')}`);
  const titles = await page.getByTestId('home-feed').locator('.tile-title').allTextContents();
  assert.ok(titles.some((x) => /^[\x20-\x7e]+$/.test(x)), `English titles: ${titles.slice(0, 5).join(' | ')}`);
  await page.getByTestId('lang-switch').getByText('中文').click();

  // 3. The operator adds an editorial pick by product id (its title shows), and removes it.
  const op = await operatorPage();
  await op.goto(`${base}/admin/reco`);
  const pick = viewed[1];
  const title = (await apiJson<{ title: string }>('GET', `/products/${pick}`)).title;
  await op.getByTestId('reco-pick-id').fill(pick);
  await op.getByTestId('reco-pick-note').fill('双十一主推');
  await op.getByTestId('reco-pick-add').click();
  const pickRow = op.locator(`[data-testid="reco-pick-row"][data-product-id="${pick}"]`);
  await pickRow.waitFor();
  assert.equal(await pickRow.getByTestId('reco-pick-title').textContent(), title);
  await toastGone(op);
  await shot(op, 'operator-editorial', op.getByTestId('reco-editorial'));
  await pickRow.getByTestId('reco-pick-remove').click();
  await pickRow.waitFor({ state: 'detached' });
});
