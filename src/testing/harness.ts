import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createApp, type App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { connect } from '../db/database.ts';
import { freshPglite } from './pglite-template.ts';

/**
 * A real server for one test file: in-memory PGlite, or a fresh schema on the
 * PostgreSQL server in DATABASE_URL, so both databases run the same suite.
 */
export interface TestServer {
  app: App;
  url: string;
  http: Http;
  operator: Session;
  close(): Promise<void>;
}

export interface Session {
  token: string;
  user: { id: string; email: string; roles: string[] };
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export type Http = <T = any>(method: string, path: string, options?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> }) => Promise<Answer<T>>;

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const databaseUrl = process.env.DATABASE_URL;
  const schema = databaseUrl ? `test_${randomBytes(6).toString('hex')}` : undefined;
  const config = { ...loadConfig({ QUANYU_DEMO: '0', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', QUANYU_JOB_INTERVAL_MS: '3600000', ...env }), databaseUrl };
  const db = databaseUrl ? await connect({ databaseUrl, schema, poolSize: 8 }) : await freshPglite();
  const app = await createApp(config, { db, jobs: false });
  const url = await app.listen();
  const http: Http = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${url}/api/v1${path}`, { method, headers, body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
    const text = await response.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: response.status, body, headers: response.headers };
  };
  await app.context.services.identity.ensureOperator('operator@test.quanyu', 'operator-pass');
  const operator = (await http<Session>('POST', '/auth/login', { body: { email: 'operator@test.quanyu', password: 'operator-pass' } })).body;
  const server: TestServer = {
    app,
    url,
    http,
    operator,
    async close() {
      await app.close();
      if (databaseUrl && schema) {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
        await client.end();
      }
    },
  };
  return server;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${counter++}`;

export async function newShopper(http: Http, name = 'buyer'): Promise<Session> {
  const answer = await http<Session>('POST', '/auth/register', { body: { email: `${unique(name)}@test.quanyu`, password: 'password-123', name } });
  if (answer.status !== 201) throw new Error(`register failed: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export interface TestStore {
  id: string;
  owner: Session;
}

/** Opens a store through the operator API and signs its owner in. */
export async function newStore(server: TestServer, kind: 'self_operated' | 'marketplace' = 'marketplace', commissionRateBps = 500): Promise<TestStore> {
  const owner = await newShopper(server.http, 'owner');
  const created = await server.http('POST', '/admin/merchants', {
    token: server.operator.token,
    body: { name: unique('店铺'), kind, ownerEmail: owner.user.email, commissionRateBps },
  });
  if (created.status !== 201) throw new Error(`create merchant failed: ${JSON.stringify(created.body)}`);
  const session = (await server.http<Session>('POST', '/auth/login', { body: { email: owner.user.email, password: 'password-123' } })).body;
  return { id: created.body.id, owner: session };
}

/** A product with one SKU per given price/stock; answers its SKU ids in order. */
export async function newProduct(server: TestServer, store: TestStore, skus: { price: number; stock: number }[], title = unique('测试商品'), where: { category?: string; brand?: string } = {}) {
  const created = await server.http('POST', `/merchants/${store.id}/products`, {
    token: store.owner.token,
    body: { title, brand: where.brand ?? '测试品牌', category: where.category ?? '测试/分类', skus: skus.map((s, i) => ({ code: `${unique('C')}-${i}`, price: { amount: s.price, currency: 'CNY' }, stock: s.stock })) },
  });
  if (created.status !== 201) throw new Error(`create product failed: ${JSON.stringify(created.body)}`);
  return { productId: created.body.id as string, skuIds: (created.body.skus as { id: string }[]).map((s) => s.id) };
}

export const ADDRESS = { name: '张三', phone: '13800138000', region: '浙江省杭州市余杭区', line1: '文一西路 969 号' };

/** Places an order for the given items and pays it through the sandbox provider. */
export async function buyAndPay(http: Http, shopper: Session, items: { skuId: string; quantity: number }[]) {
  const order = await http('POST', '/orders', { token: shopper.token, body: { items, address: ADDRESS }, headers: { 'idempotency-key': unique('o') } });
  if (order.status !== 201) throw new Error(`order failed: ${JSON.stringify(order.body)}`);
  const payment = await http('POST', '/payments', { token: shopper.token, body: { orderGroupId: order.body.orderGroupId, provider: 'sandbox' }, headers: { 'idempotency-key': unique('p') } });
  if (payment.status !== 201) throw new Error(`payment failed: ${JSON.stringify(payment.body)}`);
  const paid = await http('POST', `/payments/${payment.body.id}/sandbox/pay`, { token: shopper.token });
  if (paid.body.status !== 'succeeded') throw new Error(`pay failed: ${JSON.stringify(paid.body)}`);
  return { group: order.body, payment: paid.body };
}

/** A problem+json answer with this status, and the code and the field named, when given. */
export function assertProblem(answer: Answer, status: number, expected: { code?: string; field?: string } = {}) {
  assert.equal(answer.status, status, JSON.stringify(answer.body).slice(0, 500));
  assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
  if (expected.code) assert.equal(answer.body.code, expected.code);
  if (expected.field) assert.ok(answer.body.errors?.some((e: any) => e.field === expected.field), `expected field ${expected.field} in ${JSON.stringify(answer.body.errors)}`);
}

export async function trialBalanceTotal(server: TestServer): Promise<number> {
  return (await server.http('GET', '/admin/ledger/trial-balance', { token: server.operator.token })).body.total.amount;
}

/** A device id as a browser would send it. */
export const newDeviceId = () => `dev-${unique('')}-${Math.random().toString(36).slice(2, 10)}`;

/** Delivers pending outbox events now (tests run without background jobs). */
export const deliverEvents = (server: TestServer) => server.app.context.services.outbox.dispatchPending();
