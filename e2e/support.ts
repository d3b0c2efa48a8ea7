/**
 * What the browser tests share: a real server on a free port with a fresh data dir and the
 * demo marketplace, Debian's Chromium with the flags this machine needs, the API, sign-in and
 * numbered screenshots. Every wait is bounded; stop() and close() are safe to call twice.
 */
import { spawn } from 'node:child_process';
import { after, before } from 'node:test';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHOTS = path.join(ROOT, 'e2e', 'screenshots');
export const PASSWORD = 'quanyu123';
export const STEP_TIMEOUT = 20_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Shop {
  base: string;
  stop(): void;
}

/** Starts `src/main.ts` with the demo marketplace and waits for /api/v1/health. */
export async function startShop(): Promise<Shop> {
  if (!fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))) throw new Error('web/dist is not built (npm run build)');
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanyu-e2e-data-'));
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), QUANYU_DATA_DIR: dataDir, QUANYU_DEMO: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  server.stdout?.on('data', (d) => (log += d));
  server.stderr?.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (server.exitCode === null && server.pid !== undefined) {
      const pid = server.pid;
      try { process.kill(-pid, 'SIGTERM'); } catch { /* already gone */ }
      setTimeout(() => { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }, 3000).unref();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) break;
    const up = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (up) return { base, stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  stop();
  throw new Error(`server did not answer /api/v1/health:\n${log}`);
}

/** Headless Chromium from Debian, in a fresh profile (CHROMIUM_PATH overrides the binary). */
export async function openChromium(): Promise<{ ctx: BrowserContext; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'quanyu-e2e-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timeout: 60_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  ctx.setDefaultTimeout(STEP_TIMEOUT);
  ctx.setDefaultNavigationTimeout(STEP_TIMEOUT);
  return {
    ctx,
    async close() {
      try { await ctx.close(); } catch { /* already closed */ }
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A JSON call to the API that throws on any non-2xx answer. */
export async function apiCall<T>(base: string, method: string, p: string, token?: string, body?: unknown): Promise<T> {
  const r = await fetch(`${base}/api/v1${p}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(STEP_TIMEOUT),
  });
  if (!r.ok) throw new Error(`${method} ${p} -> ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

export async function signInAs(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('hello').waitFor();
}

/** Numbered screenshots `<prefix>NN-name.png`; clears that prefix's old ones first. */
export function screenshots(prefix: string, matchesOld: (file: string) => boolean) {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png') && matchesOld(f)) fs.rmSync(path.join(SHOTS, f));
  let n = 0;
  return async (page: Page, name: string, what: 'page' | 'view' | Locator = 'page') => {
    n += 1;
    const file = path.join(SHOTS, `${prefix}${String(n).padStart(2, '0')}-${name}.png`);
    if (typeof what === 'object') await what.screenshot({ path: file, timeout: STEP_TIMEOUT });
    else await page.screenshot({ path: file, fullPage: what === 'page', timeout: STEP_TIMEOUT });
  };
}

/** Registers before/after hooks for a test file: one shop and one browser, torn down at the end. */
export function withShopAndBrowser(ready: (shop: Shop, ctx: BrowserContext) => void) {
  let shop: Shop | undefined;
  let browser: Awaited<ReturnType<typeof openChromium>> | undefined;
  before(async () => {
    shop = await startShop();
    browser = await openChromium();
    ready(shop, browser.ctx);
  }, { timeout: 180_000 });
  after(async () => {
    await browser?.close();
    shop?.stop();
  }, { timeout: 30_000 });
}

const acceptingDialogs = new WeakSet<Page>();

/** The context's page, which accepts confirm dialogs (the consoles confirm before acting). */
export async function openPage(context: BrowserContext | undefined): Promise<Page> {
  if (!context) throw new Error('the browser is not open');
  const page = context.pages()[0] ?? (await context.newPage());
  if (!acceptingDialogs.has(page)) {
    page.on('dialog', (d) => void d.accept());
    acceptingDialogs.add(page);
  }
  return page;
}

/** Fills the checkout's address form with the demo shopper's address. */
export async function fillAddress(page: Page): Promise<void> {
  await page.getByTestId('address-name').fill('张小明');
  await page.getByTestId('address-phone').fill('13800138000');
  await page.getByTestId('address-region').fill('浙江省 杭州市 西湖区');
  await page.getByTestId('address-line1').fill('文三路 100 号 3 幢 501 室');
}
