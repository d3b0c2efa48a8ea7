/**
 * Browser test of behaviour tracking, the privacy centre, the operator's people views and crowds, run with:
 *   node --import tsx --test e2e/privacy.e2e.ts
 * Assumes web/dist is built (npm run build). Starts its own server with the demo marketplace, registers a fresh
 * shopper who lands from a tracked link (?ch=douyin&cmp=test), searches, views, adds to cart, favourites and
 * shares; checks the batches sent to POST /events, the privacy centre (tags with sources, delete a tag, switches,
 * data download); then the operator finds the shopper, reads identifiers and timeline, builds a crowd with a live
 * estimate, saves, materialises and exports it, and records a partner consent; finally the shopper sees the crowd's
 * tag and deletes the account. Screenshots: e2e/screenshots/privacy-*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { apiCall, openChromium, openPage, PASSWORD, screenshots, signInAs, STEP_TIMEOUT, withShopAndBrowser } from './support.ts';

const OPERATOR = 'admin@demo.quanyu';
const SHOPPER = `privacy-${Date.now()}@e2e.quanyu`;
const QUERY = '手机';
const CROWD = '抖音加购人群';
const CROWD_TAG = '高意向';

let base = '';
let ctx: BrowserContext | undefined;
const shot = screenshots('privacy-', (f) => f.startsWith('privacy-'));
const apiJson = <T>(method: string, p: string, token?: string, body?: unknown) => apiCall<T>(base, method, p, token, body);

interface SentEvent { type: string; productId?: string; query?: string; results?: number; position?: number; page?: string; channel?: string; campaign?: string }
const sent: SentEvent[] = [];

withShopAndBrowser((shop, browserContext) => {
  base = shop.base;
  ctx = browserContext;
});


/** Waits until the batches sent to POST /events satisfy `check` (they leave every 2 s). */
async function waitForSent(check: (events: SentEvent[]) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT;
  while (!check(sent)) {
    assert.ok(Date.now() < deadline, `the tracker sent ${what}; sent: ${JSON.stringify(sent.map((e) => e.type))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function openResult(page: Page, n: number): Promise<string> {
  const tile = page.getByTestId('search-result').nth(n);
  const productId = (await tile.getAttribute('data-product-id'))!;
  await tile.click();
  await page.waitForURL(`**/product/${productId}`);
  await page.getByTestId('product-title').waitFor();
  return productId;
}

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('logout').click();
  await page.getByTestId('login-link').waitFor();
}

const token = (page: Page) => page.evaluate(() => localStorage.getItem('quanyu.token')) as Promise<string>;

test('shopper: tracked landing, search, views, cart, favourite, share; privacy centre', { timeout: 240_000 }, async () => {
  await apiJson('POST', '/auth/register', undefined, { email: SHOPPER, password: PASSWORD, name: '隐私小测' });
  const page = await openPage(ctx);
  await ctx!.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/events')) sent.push(...(JSON.parse(r.postData() ?? '{}').events ?? []));
  });

  // 1. Landing from a tracked link keeps the arrival for the session; signing in keeps it too.
  await page.goto(`${base}/?ch=douyin&cmp=test`);
  await page.getByTestId('product-tile').first().waitFor();
  assert.deepEqual(JSON.parse((await page.evaluate(() => sessionStorage.getItem('quanyu.arrival')))!), { channel: 'douyin', campaign: 'test' });
  await signInAs(page, base, SHOPPER);

  // 2. Search, open three results (one added to cart, favourited and shared).
  await page.getByTestId('search-input').fill(QUERY);
  await page.getByTestId('search-input').press('Enter');
  await page.getByTestId('search-total').waitFor();
  const first = await openResult(page, 0);
  await page.getByTestId('add-to-cart').click();
  await page.getByTestId('cart-count').waitFor();
  await page.getByTestId('favorite-toggle').click();
  await page.locator('[data-testid="favorite-toggle"][aria-pressed="true"]').waitFor();
  await page.getByTestId('share').click();
  await page.getByTestId('toast').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${base}/product/${first}?ch=share`, 'the tracked link is on the clipboard');
  await shot(page, 'product-favourite-share', 'view');
  for (const n of [1, 2]) {
    await page.goBack();
    await page.getByTestId('search-result').nth(n).waitFor();
    await openResult(page, n);
  }

  // 3. The batches: every event carries the arrival; search, click, product views, cart and share are there.
  await waitForSent((es) => es.some((e) => e.type === 'share') && es.filter((e) => e.type === 'view' && e.productId).length >= 3, 'views and a share');
  assert.ok(sent.every((e) => e.channel === 'douyin' && e.campaign === 'test'), 'every event carries channel and campaign');
  assert.ok(sent.some((e) => e.type === 'view' && e.page === '/' && !e.productId), 'the home page view');
  const searches = sent.filter((e) => e.type === 'search');
  assert.equal(searches.length, 1, 'coming back to the results is not a new search');
  assert.equal(searches[0].query, QUERY);
  assert.ok((searches[0].results ?? 0) > 0, 'the search event holds the result count');
  assert.deepEqual(sent.find((e) => e.type === 'click'), { type: 'click', productId: first, position: 1, query: QUERY, channel: 'douyin', campaign: 'test' });
  assert.ok(sent.some((e) => e.type === 'cart' && e.productId === first), 'the add to cart');
  assert.ok(!sent.some((e) => e.type === 'favorite'), 'the server records favourites itself');

  // 4. Favourites page from the header.
  await page.getByTestId('nav-favorites').click();
  await page.locator(`[data-testid="favorite-row"][data-product-id="${first}"]`).waitFor();
  await shot(page, 'favourites');

  // 5. The privacy centre: tags with where they came from.
  await page.getByTestId('nav-privacy').click();
  await page.getByTestId('tag-list').waitFor();
  const channelTag = page.locator('[data-testid="tag"][data-tag-id="channel:douyin"]');
  assert.match((await channelTag.getByTestId('tag-source').textContent()) ?? '', /抖音/, 'the channel tag says where it came from');
  const categoryTag = page.locator('[data-testid="tag"][data-tag-id^="category:"]').first();
  await categoryTag.waitFor();
  const categoryId = (await categoryTag.getAttribute('data-tag-id'))!;
  assert.match((await categoryTag.getByTestId('tag-source').textContent()) ?? '', /\d+ 次/, 'the category tag counts the behaviour behind it');
  await page.getByTestId('hours-chart').waitFor();
  await shot(page, 'privacy-centre');

  // 6. Delete the category tag: gone, and still gone after a reload (no new behaviour supports it).
  await categoryTag.getByTestId('tag-delete').click();
  await page.locator(`[data-testid="tag"][data-tag-id="${categoryId}"]`).waitFor({ state: 'detached' });
  await page.reload();
  await channelTag.waitFor();
  assert.equal(await page.locator(`[data-testid="tag"][data-tag-id="${categoryId}"]`).count(), 0, 'the deleted tag stays deleted');

  // 7. Personalisation off and on again; marketing on (so the crowd below can reach this shopper).
  const personal = page.getByTestId('consent-personalization');
  await personal.click();
  await page.locator('[data-testid="consent-personalization"][aria-checked="false"]').waitFor();
  assert.equal((await apiJson<{ consents: { personalization: boolean } }>('GET', '/me/privacy', await token(page))).consents.personalization, false);
  await personal.click();
  await page.locator('[data-testid="consent-personalization"][aria-checked="true"]').waitFor();
  await page.getByTestId('consent-marketing').click();
  await page.locator('[data-testid="consent-marketing"][aria-checked="true"]').waitFor();
  assert.ok((await page.getByTestId('consent-history-row').count()) >= 3, 'each change is in the history');

  // 8. Download my data: a JSON file holding my events.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('data-export').click()]);
  assert.match(download.suggestedFilename(), /\.json$/);
  const data = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
  assert.equal(data.account.email, SHOPPER);
  assert.ok(data.events.some((e: SentEvent) => e.type === 'cart'), 'the export holds my events');
  assert.ok(data.favorites.some((f: { productId: string }) => f.productId === first), 'and my favourites');
  await shot(page, 'privacy-switched');
  await signOut(page);
});

test('operator: people search, identifiers, timeline; crowd with live estimate, save, materialise, export; partner consent', { timeout: 240_000 }, async (t) => {
  // The operator works on another computer: a device signed in to two accounts would join them into one person.
  const operatorBrowser = await openChromium();
  t.after(() => operatorBrowser.close());
  const page = await openPage(operatorBrowser.ctx);
  await signInAs(page, base, OPERATOR);

  // 1. People: find the shopper by email, open the person.
  await page.goto(`${base}/admin/people`);
  await page.getByTestId('people-q').fill(SHOPPER);
  await page.getByTestId('people-search').click();
  await page.waitForURL((u) => u.searchParams.get('q') === SHOPPER);
  const row = page.getByTestId('person-row');
  // The list of recent people shows first; wait for the search's answer to replace it.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="person-row"]').length === 1, undefined, { timeout: STEP_TIMEOUT });
  await row.getByTestId('person-open').click();
  await page.getByTestId('person-detail').waitFor();
  await page.getByTestId('identifier-row').first().waitFor();
  const kinds = await page.getByTestId('identifier-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  assert.ok(kinds.includes('account') && kinds.includes('device'), `account and device identifiers: ${kinds.join(',')}`);
  await page.getByTestId('timeline-row').first().waitFor();
  const types = await page.getByTestId('timeline-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
  assert.ok(['search', 'click', 'cart', 'share'].every((x) => types.includes(x)), `the timeline holds the behaviour: ${types.join(',')}`);
  await shot(page, 'admin-person');

  // 2. Crowd: lifecycle new or active AND added to cart in the last day; the estimate follows the rule.
  await page.getByTestId('nav-crowds').click();
  await page.getByTestId('crowd-builder').waitFor();
  await page.getByTestId('rule-value-new').click();
  await page.getByTestId('rule-value-active').click();
  await page.getByTestId('rule-add').click();
  const second = page.getByTestId('rule-row').nth(1);
  await second.getByTestId('rule-kind').selectOption('behavior');
  await second.getByTestId('rule-behavior').selectOption('cart');
  await second.getByTestId('rule-days').fill('1');
  const estimate = page.locator('[data-testid="crowd-estimate"][data-stale="false"]');
  await estimate.waitFor();
  assert.ok(Number(await estimate.getAttribute('data-size')) >= 1, 'the estimate finds the shopper');
  assert.ok(Number(await page.getByTestId('estimate-reachable').textContent()) >= 1, 'who agreed to marketing');
  await page.getByTestId('crowd-name').fill(CROWD);
  await page.getByTestId('crowd-tag-label').fill(CROWD_TAG);
  await shot(page, 'admin-crowd-builder');
  await page.getByTestId('crowd-save').click();

  // 3. The saved crowd: materialise, members, CSV export of the reachable ones.
  await page.getByTestId('crowd-detail').waitFor();
  await page.getByTestId('crowd-materialize').click();
  await page.getByTestId('toast').waitFor();
  await page.locator('[data-testid="member-row"]', { hasText: SHOPPER }).waitFor();
  assert.notEqual(await page.getByTestId('crowd-materialized-at').textContent(), '未生成');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('crowd-export').click()]);
  const text = fs.readFileSync((await csv.path())!, 'utf8');
  assert.ok(text.startsWith('\uFEFF') && text.includes(SHOPPER), 'a CSV with a BOM, holding the reachable shopper');
  await shot(page, 'admin-crowd');
  await page.getByTestId('nav-crowds').click();
  await page.locator('[data-testid="crowd-row"]', { hasText: CROWD }).waitFor();

  // 4. Partner consents: record one and revoke it.
  await page.getByTestId('nav-source-consents').click();
  await page.getByTestId('sc-source').fill('partner_demo');
  await page.getByTestId('sc-notice').fill('2026-11');
  await page.getByTestId('sc-basis').fill('用户在合作方 App 内单独同意向全域共享购物数据');
  await page.getByTestId('sc-submit').click();
  const consent = page.locator('[data-testid="source-consent-row"]', { hasText: 'partner_demo' });
  await consent.waitFor();
  await consent.getByTestId('source-consent-revoke').click();
  await consent.locator('.pill-red').waitFor();
  await shot(page, 'admin-source-consents');
});

test('shopper: sees the operator tag, deletes the account, cannot sign in again', { timeout: 120_000 }, async () => {
  const page = await openPage(ctx);
  await signInAs(page, base, SHOPPER);
  await page.getByTestId('nav-privacy').click();
  const crowdTag = page.locator('[data-testid="tag"][data-tag-id^="crowd:"]');
  await crowdTag.waitFor();
  assert.match((await crowdTag.textContent()) ?? '', new RegExp(`${CROWD_TAG}.*${CROWD}`), 'the crowd tag and the rule it came from');

  await page.getByTestId('lang-switch').getByText('EN').click();
  await page.getByText('Privacy settings').waitFor();
  await shot(page, 'privacy-centre-english');
  await page.getByTestId('lang-switch').getByText('中文').click();

  // A wrong password is refused; the right one erases the account and signs out.
  await page.getByTestId('erase-open').click();
  await page.getByTestId('erase-password').fill('not-my-password');
  await page.getByTestId('erase-submit').click();
  await page.getByTestId('erase-dialog').locator('.field-error').waitFor();
  await shot(page, 'erase-dialog', 'view');
  await page.getByTestId('erase-password').fill(PASSWORD);
  await page.getByTestId('erase-submit').click();
  await page.getByTestId('login-link').waitFor();
  assert.match((await page.getByTestId('toast').textContent()) ?? '', /账号已注销/);
  assert.equal(new URL(page.url()).pathname, '/');
  await shot(page, 'erased', 'view');

  await page.goto(`${base}/login`);
  await page.getByTestId('login-email').fill(SHOPPER);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('error-box').waitFor();
  assert.equal(await page.getByTestId('hello').count(), 0, 'the erased account cannot sign in');
  await shot(page, 'login-refused', 'view');
});
