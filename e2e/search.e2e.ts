/**
 * Browser test of search, run with:
 *   node --import tsx --test e2e/search.e2e.ts
 * Assumes web/dist is built (npx vite build --config web/vite.config.ts). Starts its own server on a
 * free port with a fresh data dir and the demo marketplace, drives headless Chromium through the header
 * suggestions (Chinese and pinyin), the results page (facet, sort, highlight, click, zero results) and the
 * operator's search pages (policies, side-by-side preview, live switch, synonyms, zero-result queries),
 * saves screenshots as e2e/screenshots/search-*.png, and stops the server at the end.
 * CHROMIUM_PATH overrides the browser (default /usr/bin/chromium).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { apiCall, screenshots, signInAs, STEP_TIMEOUT, withShopAndBrowser } from './support.ts';

const OPERATOR = 'admin@demo.quanyu';
/** A demo brand (数码) and a demo product type, both in Chinese, and the same product type in pinyin. */
const BRAND = '星曜';
const PRODUCT_TYPE = '手机';
const PINYIN = 'shouji';
const NOTHING = 'qzxvkj';
/** A demo brand sold in several categories, so two policies order it differently. */
const PREVIEW_QUERY = '羚跑';
/** A term no demo product uses; after the synonym group is added it finds the phones. */
const SYNONYM = 'cellphone';

let base = '';
let ctx: BrowserContext | undefined;
const shot = screenshots('search-', (f) => f.startsWith('search-'));
const apiJson = <T>(method: string, p: string, token?: string, body?: unknown) => apiCall<T>(base, method, p, token, body);
const signIn = (page: Page, email: string) => signInAs(page, base, email);

async function waitForQuery(page: Page, check: (q: Record<string, string>) => boolean, what: string): Promise<void> {
  await page.waitForURL((u) => u.pathname === '/search' && check(Object.fromEntries(u.searchParams)), { timeout: STEP_TIMEOUT })
    .catch(() => { throw new Error(`URL never showed ${what}: ${page.url()}`); });
}

/** Waits until the results grid shows the answer for the current URL (not the previous one). */
async function waitForResults(page: Page): Promise<void> {
  await page.getByTestId('search-total').waitFor();
  await page.waitForFunction(() => !document.querySelector('.grid.reloading'), undefined, { timeout: STEP_TIMEOUT });
}

async function resultPrices(page: Page): Promise<number[]> {
  return page.getByTestId('search-result').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-price'))));
}

/** Types into the header search box and waits for the suggestion list. */
async function typeAndSuggest(page: Page, text: string, typed: boolean): Promise<string[]> {
  const input = page.getByTestId('search-input');
  await input.fill('');
  if (typed) await input.pressSequentially(text, { delay: 40 });
  else await input.fill(text);
  await page.getByTestId('search-suggestion').first().waitFor();
  return page.getByTestId('search-suggestion').allTextContents();
}

withShopAndBrowser((shop, browserContext) => {
  base = shop.base;
  ctx = browserContext;
});

test('shopper: suggestions in Chinese and pinyin, results with highlight, facet, sort, click, zero results', { timeout: 240_000 }, async () => {
  assert.ok(ctx);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(`${base}/`);
  await page.getByTestId('product-tile').first().waitFor();

  // 1. A brand typed in Chinese: suggestions, keyboard down + up, Escape closes.
  const brandSuggestions = await typeAndSuggest(page, BRAND, false);
  assert.ok(brandSuggestions.some((s) => s.includes(BRAND)), `a suggestion holds ${BRAND}: ${brandSuggestions.join(' | ')}`);
  const input = page.getByTestId('search-input');
  await input.press('ArrowDown');
  assert.equal(await page.getByTestId('search-suggestion').first().getAttribute('aria-selected'), 'true', 'ArrowDown selects the first suggestion');
  await shot(page, 'suggest-brand', 'view');
  await input.press('Escape');
  await page.getByTestId('search-suggestions').waitFor({ state: 'detached' });

  // 2. Pinyin: "shouji" suggests Chinese completions; Down + Enter opens the first one.
  const pinyinSuggestions = await typeAndSuggest(page, PINYIN, true);
  assert.ok(pinyinSuggestions.some((s) => /[\u4e00-\u9fff]/.test(s)), `pinyin gives Chinese suggestions: ${pinyinSuggestions.join(' | ')}`);
  await shot(page, 'suggest-pinyin', 'view');
  await input.press('ArrowDown');
  await input.press('Enter');
  await waitForQuery(page, (q) => q.q === pinyinSuggestions[0], `q=${pinyinSuggestions[0]}`);
  await page.getByTestId('search-result').first().waitFor();

  // 3. The product type typed and submitted: results with highlighted matches (accent colour, not italic).
  await typeAndSuggest(page, PRODUCT_TYPE, false);
  await input.press('Enter');
  await waitForQuery(page, (q) => q.q === PRODUCT_TYPE, `q=${PRODUCT_TYPE}`);
  await waitForResults(page);
  const total = Number((await page.getByTestId('search-total').textContent())?.replace(/\D/g, ''));
  assert.ok(total > 0, 'phones are found');
  const em = page.locator('[data-testid="search-highlight"] em').first();
  await em.waitFor();
  assert.equal(await em.textContent(), PRODUCT_TYPE, 'the matched word is highlighted');
  const style = await em.evaluate((e) => ({ fontStyle: getComputedStyle(e).fontStyle, color: getComputedStyle(e).color }));
  assert.equal(style.fontStyle, 'normal');
  assert.equal(style.color, 'rgb(255, 80, 0)', 'highlight in the accent colour');
  await page.getByTestId('facet-brand').waitFor();
  await shot(page, 'results');

  // 4. A brand facet: the URL holds it, a chip shows it, every result is of that brand.
  const brandFacet = page.getByTestId('facet-brand').getByTestId('facet-value').first();
  const brand = (await brandFacet.getAttribute('data-value'))!;
  const brandCount = Number(await brandFacet.locator('small').textContent());
  await brandFacet.click();
  await waitForQuery(page, (q) => q.brand === brand && q.q === PRODUCT_TYPE, `brand=${brand}`);
  await waitForResults(page);
  await page.getByTestId('active-filter').first().waitFor();
  assert.equal(Number((await page.getByTestId('search-total').textContent())?.replace(/\D/g, '')), brandCount, 'total equals the facet count');
  const brands = await page.getByTestId('search-result').evaluateAll((els) => els.map((e) => e.getAttribute('data-brand')));
  assert.ok(brands.length > 0 && brands.every((b) => b === brand), `all results are ${brand}: ${brands.join(',')}`);

  // 5. Sort by price, low to high, then high to low.
  await page.locator('[data-testid="search-sort"] [data-sort="price_asc"]').click();
  await waitForQuery(page, (q) => q.sort === 'price_asc' && q.brand === brand, 'sort=price_asc');
  await waitForResults(page);
  const asc = await resultPrices(page);
  assert.deepEqual(asc, [...asc].sort((a, b) => a - b), 'prices ascend');
  await shot(page, 'facet-sorted');
  await page.locator('[data-testid="search-sort"] [data-sort="price_desc"]').click();
  await waitForQuery(page, (q) => q.sort === 'price_desc', 'sort=price_desc');
  await waitForResults(page);
  const desc = await resultPrices(page);
  assert.deepEqual(desc, [...desc].sort((a, b) => b - a), 'prices descend');

  // 6. The back button returns to ascending; removing the chip drops the brand but keeps the sort.
  await page.goBack();
  await waitForQuery(page, (q) => q.sort === 'price_asc', 'back to sort=price_asc');
  await waitForResults(page);
  await page.locator('[data-testid="active-filter"][data-filter="brand"]').click();
  await waitForQuery(page, (q) => !q.brand && q.sort === 'price_asc', 'brand removed');
  await waitForResults(page);

  // 7. Opening a result posts the click with its position.
  const first = page.getByTestId('search-result').first();
  const productId = (await first.getAttribute('data-product-id'))!;
  const click = page.waitForRequest((r) => r.url().endsWith('/api/v1/search/clicks') && r.method() === 'POST', { timeout: STEP_TIMEOUT });
  await first.click();
  const body = JSON.parse((await click).postData() ?? '{}');
  assert.deepEqual(body, { q: PRODUCT_TYPE, productId, position: 0 });
  await page.waitForURL(`**/product/${productId}`);
  await page.getByTestId('product-title').waitFor();

  // 8. Nothing found: help with tips (and a did-you-mean link when the engine has one).
  await input.fill(NOTHING);
  await input.press('Enter');
  await waitForQuery(page, (q) => q.q === NOTHING, 'the zero-result query');
  await page.getByTestId('search-empty').waitFor();
  await shot(page, 'no-results');

  // 9. A misspelt brand gets "did you mean" when the engine offers it.
  await page.goto(`${base}/search?q=${encodeURIComponent('星耀手机')}`);
  await page.getByTestId('search-total').waitFor();
  if ((await page.getByTestId('did-you-mean').count()) || (await page.getByTestId('search-relaxed').count())) await shot(page, 'relaxed-did-you-mean');

  // 10. In English.
  await page.goto(`${base}/search?q=${encodeURIComponent(PRODUCT_TYPE)}&kind=self_operated`);
  await page.getByTestId('lang-switch').getByText('EN').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="search-title"]')?.textContent?.startsWith('Results'), undefined, { timeout: STEP_TIMEOUT });
  await waitForResults(page);
  await shot(page, 'results-english');
  await page.getByTestId('lang-switch').getByText('中文').click();
});

test('operator: policies, side-by-side preview, new version, live switch, synonyms, zero-result queries', { timeout: 240_000 }, async () => {
  assert.ok(ctx);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('dialog', (d) => { void d.accept(); });
  await signIn(page, OPERATOR);

  // 1. Policies with their weights; one is live.
  await page.goto(`${base}/admin/search`);
  await page.getByTestId('policy-row').first().waitFor();
  assert.ok((await page.getByTestId('policy-row').count()) >= 2, 'the default policies are listed');
  assert.equal(await page.locator('[data-testid="policy-row"][data-live="true"]').count(), 1, 'exactly one live version');
  const liveName = (await page.locator('[data-testid="policy-row"][data-live="true"]').getAttribute('data-policy-name'))!;
  // Compare with price_power (cheaper than the category median ranks higher) when it is there: it reorders the most.
  const priced = page.locator(`[data-testid="policy-row"].policy-latest[data-policy-name="price_power"]:not([data-policy-name="${liveName}"])`);
  const other = (await priced.count()) ? priced : page.locator(`[data-testid="policy-row"].policy-latest:not([data-policy-name="${liveName}"])`).first();
  const otherName = (await other.getAttribute('data-policy-name'))!;
  const otherId = (await other.getAttribute('data-policy-id'))!;
  await shot(page, 'admin-policies');

  // 2. Side by side: the live policy against another, with explain per item; items ranked differently are marked.
  await page.getByTestId('preview-q').fill(PREVIEW_QUERY);
  await page.getByTestId('preview-b').selectOption(otherId);
  await page.getByTestId('preview-run').click();
  await page.getByTestId('preview-col-a').getByTestId('preview-item').first().waitFor();
  await page.getByTestId('preview-col-b').getByTestId('preview-item').first().waitFor();
  assert.match((await page.getByTestId('preview-col-a').getByTestId('explain').first().textContent()) ?? '', /\d/, 'explain numbers are shown');
  const liveId = (await page.locator('[data-testid="policy-row"][data-live="true"]').getAttribute('data-policy-id'))!;
  const token = (await page.evaluate(() => localStorage.getItem('quanyu.token')))!;
  const preview = await apiJson<{ a: { items: { productId: string }[] }; b: { items: { productId: string }[] } }>(
    'GET', `/admin/search/preview?q=${encodeURIComponent(PREVIEW_QUERY)}&a=${liveId}&b=${otherId}&pageSize=20`, token);
  const moved = preview.a.items.filter((x, i) => preview.b.items[i]?.productId !== x.productId).length;
  assert.equal(await page.locator('[data-testid="preview-col-a"] [data-moved="true"]').count(), moved, 'the items ranked differently are marked');
  await shot(page, 'admin-preview', page.getByTestId('preview-panel'));

  // 3. A new version of the other policy with one weight changed.
  await other.getByTestId('policy-edit').click();
  await page.getByTestId('policy-editor').waitFor();
  assert.equal(await page.getByTestId('policy-name').inputValue(), otherName);
  await page.getByTestId('weight-newness').fill('0.5');
  await page.getByTestId('policy-note').fill('e2e: more weight on new products');
  await page.getByTestId('policy-save').click();
  await page.getByTestId('policy-editor').waitFor({ state: 'detached' });
  const newest = page.locator(`[data-testid="policy-row"].policy-latest[data-policy-name="${otherName}"]:not([data-policy-id="${otherId}"])`);
  await newest.waitFor();
  const newId = (await newest.getAttribute('data-policy-id'))!;
  assert.notEqual(newId, otherId, 'saving adds a version');

  // 4. Make the new version live; the public search answers under it.
  await newest.getByTestId('policy-make-live').click();
  await page.locator(`[data-testid="policy-row"][data-policy-id="${newId}"][data-live="true"]`).waitFor();
  assert.equal(await page.locator('[data-testid="policy-row"][data-live="true"]').count(), 1, 'still exactly one live version');
  const answer = await apiJson<{ policy: { id: string } }>('GET', `/search?q=${encodeURIComponent(PRODUCT_TYPE)}`);
  assert.equal(answer.policy.id, newId, 'shoppers get the new live policy without a restart');
  await shot(page, 'admin-live-switched');

  // 5. A synonym group: the new term finds the phones.
  const before = await apiJson<{ total: number }>('GET', `/search?q=${encodeURIComponent(SYNONYM)}`);
  await page.getByTestId('nav-synonyms').click();
  await page.getByTestId('synonym-form').waitFor();
  await page.getByTestId('synonym-terms').fill(`${SYNONYM}，${PRODUCT_TYPE}`);
  await page.getByTestId('synonym-add').click();
  await page.locator('[data-testid="synonym-row"]', { hasText: SYNONYM }).waitFor();
  const afterAdd = await apiJson<{ total: number }>('GET', `/search?q=${encodeURIComponent(SYNONYM)}`);
  assert.equal(before.total, 0, `${SYNONYM} finds nothing before the synonym`);
  assert.ok(afterAdd.total > 0, `${SYNONYM} finds the phones after the synonym`);
  // A group that applies only when the query also holds another word.
  await page.getByTestId('synonym-terms').fill('苹果, iPhone');
  await page.getByTestId('synonym-when').fill(PRODUCT_TYPE);
  await page.getByTestId('synonym-add').click();
  await page.locator('[data-testid="synonym-row"]', { hasText: 'iPhone' }).locator('.term-when', { hasText: PRODUCT_TYPE }).waitFor();
  await shot(page, 'admin-synonyms');

  // 6. Zero-result queries (the query log is flushed every few seconds).
  await page.getByTestId('nav-zero-results').click();
  const row = page.locator('[data-testid="zero-row"]', { hasText: NOTHING });
  const deadline = Date.now() + 30_000;
  while (!(await row.count())) {
    assert.ok(Date.now() < deadline, 'the zero-result query shows up within 30 s');
    await page.waitForTimeout(2000);
    await page.reload();
    await page.getByTestId('zero-results-panel').waitFor();
  }
  await shot(page, 'admin-zero-results');
});
