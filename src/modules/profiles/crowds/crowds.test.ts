import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../../db/database.ts';
import { Problem } from '../../../shared/problems.ts';
import { newShopper, startTestServer, type Session, type TestServer } from '../../../testing/harness.ts';
import { emptyState, lifecycleOf } from '../fold.ts';
import { csvField, toCsv, yuan } from './csv.ts';
import { createCrowdsService } from './service.ts';
import { lifecycleSql, TODAY_SQL } from './lifecycle.ts';
import { compileRule, escapeLike, parseRule } from './rules.ts';

let server: TestServer;
let db: Database;

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

interface Seed {
  events?: number;
  firstAt?: Date | null;
  lastAt?: Date | null;
  orders?: number;
  monetary?: number;
  lastOrderAt?: Date | null;
  priceBand?: string | null;
  channels?: string[];
  tags?: string[];
}

/** A profile row as the profiles module would have folded it (same module, so seeded directly). */
async function seedProfile(personId: string, p: Seed) {
  await db.query(
    `INSERT INTO profiles (person_id, state, events, first_at, last_at, orders, monetary, last_order_at, price_band, channels, tags)
     VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (person_id) DO UPDATE SET events = $3, first_at = $4, last_at = $5, orders = $6, monetary = $7, last_order_at = $8, price_band = $9, channels = $10, tags = $11`,
    [personId, JSON.stringify(emptyState()), p.events ?? 1, p.firstAt ?? null, p.lastAt ?? null, p.orders ?? 0, p.monetary ?? 0, p.lastOrderAt ?? null, p.priceBand ?? null, p.channels ?? [], p.tags ?? []],
  );
}

/** One day of the rollup: `count` events of `type` in `category` / `brand`, `daysAgo` Beijing days ago. */
async function seedActivity(personId: string, type: string, category: string, brand: string, daysAgo: number, count = 1) {
  await db.query(
    `INSERT INTO profile_activity (person_id, day, type, category, brand, count) VALUES ($1, ${TODAY_SQL} - $2::int, $3, $4, $5, $6)`,
    [personId, daysAgo, type, category, brand, count],
  );
}

before(async () => {
  server = await startTestServer();
  db = server.app.context.db;
});
after(() => server?.close());

describe('the rule compiler, over seeded profiles', () => {
  const P = 'cx_';
  /** The seeded persons (without the prefix) that the rule selects, sorted. */
  async function match(rule: unknown): Promise<string[]> {
    const where = compileRule(parseRule(rule), [`${P}%`]);
    const rows = await db.query<{ person_id: string }>(`SELECT p.person_id FROM profiles p WHERE p.person_id LIKE $1 AND ${where.sql} ORDER BY 1`, where.params);
    return rows.map((r) => r.person_id.slice(P.length));
  }

  before(async () => {
    await seedProfile(`${P}new`, { events: 4, firstAt: ago(5), lastAt: ago(0.1), channels: ['douyin'], tags: ['category:美妆'] });
    await seedProfile(`${P}active`, { events: 30, firstAt: ago(100), lastAt: ago(10), orders: 3, monetary: 30000, lastOrderAt: ago(10), priceBand: 'mid', channels: ['wechat'], tags: ['brand:花颜'] });
    await seedProfile(`${P}lapsing`, { events: 8, firstAt: ago(200), lastAt: ago(60), orders: 1, monetary: 5000, lastOrderAt: ago(60), priceBand: 'low' });
    await seedProfile(`${P}lost`, { events: 50, firstAt: ago(400), lastAt: ago(120), orders: 10, monetary: 500000, lastOrderAt: ago(120), priceBand: 'high', channels: ['douyin', 'xhs'] });
    await seedProfile(`${P}none`, { events: 0 });

    await seedActivity(`${P}new`, 'view', '美妆/彩妆/口红', '花颜', 0, 3);
    await seedActivity(`${P}active`, 'buy', '美妆/护肤', '玉泽', 5);
    await seedActivity(`${P}active`, 'view', '美妆/彩妆', '花颜', 3, 2);
    await seedActivity(`${P}active`, 'view', '美妆/彩妆', '花颜', 4, 2);
    await seedActivity(`${P}lapsing`, 'buy', '美妆', '', 40, 2);
    await seedActivity(`${P}lapsing`, 'cart', '数码/手机', "x' OR '1'='1", 2);
    await seedActivity(`${P}lost`, 'view', '100%纯棉/T恤', '', 1);
    await seedActivity(`${P}lost`, 'view', 'axb/c', '', 1);
    await seedActivity(`${P}none`, 'view', '美妆品/香水', '', 1);
    await seedActivity(`${P}lost`, 'share', '服饰/美妆/配件', '', 3);
  });

  test('lifecycle is computed from first and last activity, the same in SQL and in the profile fold', async () => {
    assert.deepEqual(await match({ field: 'lifecycle', in: ['new'] }), ['new']);
    assert.deepEqual(await match({ field: 'lifecycle', in: ['active'] }), ['active']);
    assert.deepEqual(await match({ field: 'lifecycle', in: ['lapsing'] }), ['lapsing']);
    assert.deepEqual(await match({ field: 'lifecycle', in: ['lost'] }), ['lost', 'none']);
    assert.deepEqual(await match({ field: 'lifecycle', in: ['new', 'lapsing'] }), ['lapsing', 'new']);
    const rows = await db.query(`SELECT first_at, last_at, ${lifecycleSql('p')} AS lifecycle FROM profiles p WHERE person_id LIKE $1`, [`${P}%`]);
    assert.equal(rows.length, 5);
    for (const r of rows) assert.equal(r.lifecycle, lifecycleOf({ firstAt: r.first_at?.getTime() ?? 0, lastAt: r.last_at?.getTime() ?? 0 }, Date.now()));
  });

  test('lifecycle boundaries: 30 days for new and active, 90 for lapsing', async () => {
    const hour = 1 / 24;
    await seedProfile('cy_a', { firstAt: ago(30 - hour), lastAt: ago(30 - hour) });
    await seedProfile('cy_b', { firstAt: ago(30 + hour), lastAt: ago(30 - hour) });
    await seedProfile('cy_c', { firstAt: ago(300), lastAt: ago(30 + hour) });
    await seedProfile('cy_d', { firstAt: ago(300), lastAt: ago(90 - hour) });
    await seedProfile('cy_e', { firstAt: ago(300), lastAt: ago(90 + hour) });
    const rows = await db.query(`SELECT person_id, ${lifecycleSql()} AS lifecycle FROM profiles p WHERE person_id LIKE 'cy_%' ORDER BY 1`);
    assert.deepEqual(rows.map((r) => r.lifecycle), ['new', 'active', 'lapsing', 'lapsing', 'lost']);
    await db.query(`DELETE FROM profiles WHERE person_id LIKE 'cy_%'`);
  });

  test('priceBand, channel and tag conditions; a NULL price band is simply not that band', async () => {
    assert.deepEqual(await match({ field: 'priceBand', in: ['high'] }), ['lost']);
    assert.deepEqual(await match({ field: 'priceBand', in: ['low', 'mid'] }), ['active', 'lapsing']);
    assert.deepEqual(await match({ not: { field: 'priceBand', in: ['high'] } }), ['active', 'lapsing', 'new', 'none']);
    assert.deepEqual(await match({ field: 'channel', in: ['douyin'] }), ['lost', 'new']);
    assert.deepEqual(await match({ field: 'channel', in: ['xhs', 'wechat'] }), ['active', 'lost']);
    assert.deepEqual(await match({ field: 'tag', in: ['brand:花颜'] }), ['active']);
    assert.deepEqual(await match({ field: 'tag', in: ['category:美妆', 'brand:花颜'] }), ['active', 'new']);
    assert.deepEqual(await match({ field: 'tag', in: ['category:数码'] }), []);
  });

  test('orders, monetary and events ranges are inclusive', async () => {
    assert.deepEqual(await match({ field: 'orders', gte: 1, lte: 3 }), ['active', 'lapsing']);
    assert.deepEqual(await match({ field: 'orders', lte: 0 }), ['new', 'none']);
    assert.deepEqual(await match({ field: 'monetary', gte: 30000 }), ['active', 'lost']);
    assert.deepEqual(await match({ field: 'monetary', gte: 30001 }), ['lost']);
    assert.deepEqual(await match({ field: 'events', gte: 8, lte: 30 }), ['active', 'lapsing']);
  });

  test('days since the last order or visit; no order at all matches neither bound', async () => {
    assert.deepEqual(await match({ field: 'daysSinceLastOrder', lte: 30 }), ['active']);
    assert.deepEqual(await match({ field: 'daysSinceLastOrder', gte: 90 }), ['lost']);
    assert.deepEqual(await match({ field: 'daysSinceLastOrder', gte: 30, lte: 90 }), ['lapsing']);
    assert.deepEqual(await match({ not: { field: 'daysSinceLastOrder', gte: 90 } }), ['active', 'lapsing', 'new', 'none'], 'not is the exact complement');
    assert.deepEqual(await match({ field: 'daysSinceLastSeen', lte: 7 }), ['new']);
    assert.deepEqual(await match({ field: 'daysSinceLastSeen', gte: 90 }), ['lost']);
  });

  test('behaviour: a category matches its subtree, not a sibling that shares its prefix', async () => {
    assert.deepEqual(await match({ behavior: 'view', category: '美妆' }), ['active', 'new']);
    assert.deepEqual(await match({ behavior: 'view', category: '美妆/彩妆' }), ['active', 'new']);
    assert.deepEqual(await match({ behavior: 'view', category: '美妆/彩妆/口红' }), ['new']);
    assert.deepEqual(await match({ behavior: 'view', category: '/美妆/彩妆/' }), ['active', 'new'], 'slashes around a path are ignored');
    assert.deepEqual(await match({ behavior: 'view', category: '美妆品' }), ['none']);
    assert.deepEqual(await match({ behavior: 'buy', category: '美妆' }), ['active', 'lapsing']);
    assert.deepEqual(await match({ behavior: 'view' }), ['active', 'lost', 'new', 'none']);
    assert.deepEqual(await match({ behavior: 'refund' }), []);
    assert.deepEqual(await match({ behavior: 'share', category: '美妆' }), [], 'a path matches from its root');
    assert.deepEqual(await match({ behavior: 'share', category: '服饰' }), ['lost']);
  });

  test('LIKE wildcards in a category are plain characters', async () => {
    assert.equal(escapeLike('100%_a\\b'), '100\\%\\_a\\\\b');
    assert.deepEqual(await match({ behavior: 'view', category: '100%纯棉' }), ['lost']);
    assert.deepEqual(await match({ behavior: 'view', category: '100%' }), [], '% is not a wildcard');
    assert.deepEqual(await match({ behavior: 'view', category: 'a_b' }), [], '_ is not a wildcard');
    assert.deepEqual(await match({ behavior: 'view', category: 'axb' }), ['lost']);
  });

  test('behaviour windows, brands and minimum counts', async () => {
    assert.deepEqual(await match({ behavior: 'buy', category: '美妆', withinDays: 30 }), ['active']);
    assert.deepEqual(await match({ behavior: 'buy', category: '美妆', withinDays: 41 }), ['active', 'lapsing']);
    assert.deepEqual(await match({ behavior: 'buy', category: '美妆', withinDays: 40 }), ['active'], '40 days ago is outside the last 40 days (today counts)');
    assert.deepEqual(await match({ behavior: 'view', withinDays: 1 }), ['new'], 'withinDays 1 is today');
    assert.deepEqual(await match({ behavior: 'view', withinDays: 2 }), ['lost', 'new', 'none']);
    assert.deepEqual(await match({ behavior: 'view', brand: '花颜' }), ['active', 'new']);
    assert.deepEqual(await match({ behavior: 'view', category: '美妆/彩妆', minCount: 3 }), ['active', 'new']);
    assert.deepEqual(await match({ behavior: 'view', category: '美妆/彩妆', minCount: 4 }), ['active'], 'counts add up over days');
    assert.deepEqual(await match({ behavior: 'view', category: '美妆/彩妆', minCount: 4, withinDays: 4 }), [], 'only one 2-count day of active is within 4 days');
    assert.deepEqual(await match({ behavior: 'view', category: '美妆/彩妆', minCount: 2, withinDays: 4 }), ['active', 'new']);
  });

  test('all, any and not combine; empty all is everyone and empty any no one', async () => {
    assert.deepEqual(await match({ all: [{ field: 'lifecycle', in: ['active'] }, { field: 'priceBand', in: ['mid'] }] }), ['active']);
    assert.deepEqual(await match({ all: [{ field: 'lifecycle', in: ['active'] }, { field: 'priceBand', in: ['high'] }] }), []);
    assert.deepEqual(await match({ any: [{ field: 'lifecycle', in: ['new'] }, { field: 'priceBand', in: ['high'] }] }), ['lost', 'new']);
    assert.deepEqual(await match({ not: { any: [{ field: 'lifecycle', in: ['new'] }, { field: 'priceBand', in: ['high'] }] } }), ['active', 'lapsing', 'none']);
    assert.deepEqual(await match({ all: [{ behavior: 'view', category: '美妆' }, { not: { behavior: 'buy' } }] }), ['new'], 'viewed beauty, never bought');
    assert.deepEqual(await match({ all: [] }), ['active', 'lapsing', 'lost', 'new', 'none']);
    assert.deepEqual(await match({ any: [] }), []);
    assert.deepEqual(await match({ not: { not: { field: 'channel', in: ['douyin'] } } }), ['lost', 'new']);
    assert.deepEqual(
      await match({ all: [{ any: [{ field: 'orders', gte: 1 }, { field: 'channel', in: ['douyin'] }] }, { not: { field: 'lifecycle', in: ['lost'] } }, { behavior: 'view', withinDays: 30 }] }),
      ['active', 'new'],
    );
  });

  test('values that look like SQL are plain values, bound as parameters', async () => {
    const evil = "x' OR '1'='1";
    const compiled = compileRule(parseRule({ all: [{ behavior: 'cart', brand: evil }, { field: 'tag', in: ["'); DROP TABLE profiles; --"] }] }));
    assert.ok(!compiled.sql.includes(evil) && !compiled.sql.includes('DROP'), compiled.sql);
    assert.deepEqual(await match({ behavior: 'cart', brand: evil }), ['lapsing'], 'only the exact brand');
    assert.deepEqual(await match({ behavior: 'view', category: "美妆' OR 1=1 --" }), []);
    assert.deepEqual(await match({ field: 'tag', in: ["'); DROP TABLE profiles; --"] }), []);
    assert.equal((await db.query(`SELECT count(*)::int AS n FROM profiles WHERE person_id LIKE $1`, [`${P}%`]))[0].n, 5);
  });

  test('parameters are numbered after the statement’s own', () => {
    const compiled = compileRule(parseRule({ all: [{ field: 'orders', gte: 2 }, { behavior: 'buy', category: '美妆' }] }), ['a', 'b']);
    assert.deepEqual(compiled.params, ['a', 'b', 2, 'buy', '美妆', '美妆/%', 1]);
    assert.match(compiled.sql, /\$3::bigint/);
    assert.match(compiled.sql, /\$7::bigint/);
    assert.doesNotMatch(compiled.sql, /\$[12]\b/);
  });
});

describe('rule validation names the field', () => {
  const fieldOf = (rule: unknown) => {
    try {
      parseRule(rule);
    } catch (error) {
      assert.ok(error instanceof Problem && error.status === 400, String(error));
      return error.errors![0].field;
    }
    assert.fail(`accepted ${JSON.stringify(rule)}`);
  };
  const nest = (depth: number): unknown => (depth === 1 ? { field: 'orders', gte: 1 } : { not: nest(depth - 1) });

  test('unknown fields, properties and values', () => {
    assert.equal(fieldOf({ all: [{ field: 'orders', gte: 1 }, { behavior: 'view' }, { field: 'age', in: ['18'] }] }), 'rule.all.2.field');
    assert.equal(fieldOf({ field: 'orders', gt: 5 }), 'rule.gt');
    assert.equal(fieldOf({ any: [{ behavior: 'view', sku: 'x' }] }), 'rule.any.0.sku');
    assert.equal(fieldOf({ behavior: 'teleport' }), 'rule.behavior');
    assert.equal(fieldOf({ field: 'lifecycle', in: ['new', 'old'] }), 'rule.in.1');
    assert.equal(fieldOf({ field: 'priceBand', in: ['luxury'] }), 'rule.in.0');
    assert.equal(fieldOf({ field: 'channel', in: ['Douyin!'] }), 'rule.in.0');
    assert.equal(fieldOf({ field: 'lifecycle', gte: 1 }), 'rule.gte');
    assert.equal(fieldOf({ all: [], any: [] }), 'rule');
    assert.equal(fieldOf({ field: 'orders', gte: 1, behavior: 'view' }), 'rule');
    assert.equal(fieldOf({}), 'rule');
    assert.equal(fieldOf({ all: [{ not: { all: [{}] } }] }), 'rule.all.0.not.all.0');
  });

  test('wrong types, missing and out-of-range values', () => {
    assert.equal(fieldOf(null), 'rule');
    assert.equal(fieldOf([]), 'rule');
    assert.equal(fieldOf({ all: {} }), 'rule.all');
    assert.equal(fieldOf({ field: 'orders', gte: '5' }), 'rule.gte');
    assert.equal(fieldOf({ field: 'orders', gte: Number.NaN }), 'rule.gte');
    assert.equal(fieldOf({ field: 'orders', lte: Number.POSITIVE_INFINITY }), 'rule.lte');
    assert.equal(fieldOf({ field: 'orders', gte: -1 }), 'rule.gte');
    assert.equal(fieldOf({ field: 'orders', gte: 1.5 }), 'rule.gte');
    assert.equal(fieldOf({ field: 'orders' }), 'rule.gte');
    assert.equal(fieldOf({ field: 'orders', gte: 5, lte: 4 }), 'rule.lte');
    assert.equal(fieldOf({ field: 'daysSinceLastSeen', gte: 100_000 }), 'rule.gte');
    assert.equal(fieldOf({ field: 'lifecycle', in: 'new' }), 'rule.in');
    assert.equal(fieldOf({ field: 'lifecycle', in: [] }), 'rule.in');
    assert.equal(fieldOf({ field: 'tag', in: [42] }), 'rule.in.0');
    assert.equal(fieldOf({ field: 'tag', in: ['x'.repeat(101)] }), 'rule.in.0');
    assert.equal(fieldOf({ behavior: 'view', category: '///' }), 'rule.category');
    assert.equal(fieldOf({ behavior: 'view', category: 'x'.repeat(201) }), 'rule.category');
    assert.equal(fieldOf({ behavior: 'view', brand: '' }), 'rule.brand');
    assert.equal(fieldOf({ behavior: 'view', withinDays: 0 }), 'rule.withinDays');
    assert.equal(fieldOf({ behavior: 'view', withinDays: 1.5 }), 'rule.withinDays');
    assert.equal(fieldOf({ behavior: 'view', minCount: 0 }), 'rule.minCount');
  });

  test('at most 5 levels deep and 30 conditions', () => {
    assert.deepEqual(parseRule(nest(5)), nest(5));
    assert.equal(fieldOf(nest(6)), 'rule.not.not.not.not.not');
    const conditions = (n: number) => Array.from({ length: n }, (_, i) => ({ field: 'orders', gte: i }));
    assert.ok(parseRule({ all: [{ any: conditions(15) }, { any: conditions(15) }] }));
    assert.equal(fieldOf({ all: [{ any: conditions(15) }, { any: conditions(16) }] }), 'rule.all.1.any.15');
  });
});

test('CSV fields: commas, quotes, line breaks, Chinese and formulas', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('美妆,彩妆'), '"美妆,彩妆"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  assert.equal(csvField('-12.5'), '-12.5');
  assert.equal(csvField(null), '');
  assert.equal(csvField(0), '0');
  assert.equal(toCsv(['a', 'b'], [['张三, 李四', 1]]), '\uFEFFa,b\r\n"张三, 李四",1\r\n');
  assert.equal(yuan(12345), '123.45');
  assert.equal(yuan(5), '0.05');
  assert.equal(yuan(-250), '-2.50');
});

describe('crowds over HTTP', () => {
  const RULE = { behavior: 'view', category: '人群测试' };
  const NAME = '人群测试, "高价值" 用户';
  let alice: Session;
  let bob: Session;
  let carol: Session;
  const person: Record<string, string> = {};
  let n = 0;

  const op = <T = any>(method: string, path: string, body?: unknown) => server.http<T>(method, path, { token: server.operator.token, body });

  async function register(name: string, email: string, consents?: { marketing: boolean }) {
    const answer = await server.http<Session>('POST', '/auth/register', { body: { email, password: 'password-123', name, consents } });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    person[name] = await server.app.context.services.people.personOfAccount(db, answer.body.user.id);
    return answer.body;
  }

  before(async () => {
    const tag = `${Date.now().toString(36)}`;
    // An email a spreadsheet would run as a formula: the export must defuse it.
    alice = await register('alice', `=alice${tag}@test.quanyu`, { marketing: true });
    bob = await register('bob', `bob${tag}@test.quanyu`);
    carol = await register('carol', `carol${tag}@test.quanyu`, { marketing: true });
    person.anon = 'crh_anonymous';
    await seedProfile(person.alice, { events: 20, firstAt: ago(200), lastAt: ago(2), orders: 2, monetary: 12345, lastOrderAt: ago(2), priceBand: 'mid' });
    await seedProfile(person.bob, { events: 9, firstAt: ago(300), lastAt: ago(45), orders: 1, monetary: 9900, lastOrderAt: ago(45), priceBand: 'low' });
    await seedProfile(person.carol, { events: 5, firstAt: ago(3), lastAt: ago(1), orders: 1, monetary: 500, lastOrderAt: ago(1), priceBand: 'high' });
    await seedProfile(person.anon, { events: 2, firstAt: ago(400), lastAt: ago(200) });
    for (const who of ['alice', 'bob', 'carol', 'anon']) await seedActivity(person[who], 'view', `人群测试/子类${n++}`, '', 1);
  });

  test('estimate: size counts profiles, reachable only accounts whose marketing consent is in force', async () => {
    assert.deepEqual((await op('POST', '/admin/crowds/estimate', { rule: RULE })).body, { size: 4, reachable: 2 });
    await server.http('PUT', '/me/privacy', { token: carol.token, body: { marketing: false } });
    assert.deepEqual((await op('POST', '/admin/crowds/estimate', { rule: RULE })).body, { size: 4, reachable: 1 }, 'a withdrawal counts at once');
    await server.http('PUT', '/me/privacy', { token: bob.token, body: { marketing: true } });
    assert.deepEqual((await op('POST', '/admin/crowds/estimate', { rule: RULE })).body, { size: 4, reachable: 2 });
    await server.http('PUT', '/me/privacy', { token: bob.token, body: { marketing: false } });
    assert.deepEqual((await op('POST', '/admin/crowds/estimate', { rule: { all: [RULE, { field: 'priceBand', in: ['mid', 'low'] }] } })).body, { size: 2, reachable: 1 });
    assert.deepEqual((await op('POST', '/admin/crowds/estimate', { rule: { all: [RULE, { field: 'lifecycle', in: ['new'] }] } })).body, { size: 1, reachable: 0 });
    assert.deepEqual((await op('POST', '/admin/crowds/estimate', { rule: { behavior: 'view', brand: "x' OR '1'='1" } })).body, { size: 0, reachable: 0 });
  });

  test('malformed rules are 400 naming the field; nothing reaches the database', async () => {
    const nest = (depth: number): unknown => (depth === 1 ? RULE : { not: nest(depth - 1) });
    const conditions = (k: number) => Array.from({ length: k }, () => RULE);
    const cases: [unknown, string][] = [
      [{ all: [RULE, { field: 'orders', gte: 1 }, { field: 'age', in: ['18'] }] }, 'rule.all.2.field'],
      [{ field: 'orders', gt: 5 }, 'rule.gt'],
      [{ any: [{ behavior: 'view', sku: 'x' }] }, 'rule.any.0.sku'],
      [{ field: 'orders', gte: '5' }, 'rule.gte'],
      [{ field: 'orders', gte: 1e300 }, 'rule.gte'],
      [{ behavior: 'view', withinDays: 1.5 }, 'rule.withinDays'],
      [{ behavior: 'hack' }, 'rule.behavior'],
      [{ field: 'lifecycle', in: 'new' }, 'rule.in'],
      [{ field: 'lifecycle', in: ['old'] }, 'rule.in.0'],
      [nest(6), 'rule.not.not.not.not.not'],
      [{ all: [{ any: conditions(15) }, { any: conditions(16) }] }, 'rule.all.1.any.15'],
      [{ any: conditions(31) }, 'rule.any'],
      [{ all: [], any: [] }, 'rule'],
      ['everyone', 'rule'],
    ];
    for (const [rule, field] of cases) {
      const answer = await op('POST', '/admin/crowds/estimate', { rule });
      assert.equal(answer.status, 400, JSON.stringify(rule));
      assert.equal(answer.body.code, 'validation_failed');
      assert.equal(answer.body.errors[0].field, field, JSON.stringify(answer.body));
    }
    assert.equal((await op('POST', '/admin/crowds/estimate', {})).body.errors[0].field, 'rule');
    assert.equal((await op('POST', '/admin/crowds', { name: '   ', rule: RULE })).body.errors[0].field, 'name');
    assert.equal((await op('POST', '/admin/crowds', { name: 'x', rule: RULE, tagLabel: '' })).status, 400);
    assert.equal((await op('POST', '/admin/crowds', { name: 'x', rule: { field: 'orders', gt: 1 } })).status, 400);
    assert.equal((await op('GET', '/admin/crowds')).body.total, 0, 'no crowd was saved');
  });

  test('a crowd: saved and materialised, members, CSV export, tags, re-materialise, update, delete', async () => {
    const created = await op('POST', '/admin/crowds', { name: NAME, rule: RULE, tagLabel: '人群测试达人' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const crowd = created.body;
    assert.match(crowd.id, /^crd_/);
    assert.deepEqual([crowd.name, crowd.rule, crowd.tagLabel, crowd.size, crowd.reachable], [NAME, RULE, '人群测试达人', 4, 1]);
    assert.ok(Date.parse(crowd.materializedAt) && Date.parse(crowd.createdAt));
    assert.deepEqual((await op('GET', `/admin/crowds/${crowd.id}`)).body, crowd);
    assert.ok((await op('GET', '/admin/crowds')).body.items.some((c: any) => c.id === crowd.id));

    const members = (await op('GET', `/admin/crowds/${crowd.id}/members?pageSize=3`)).body;
    assert.equal(members.total, 4);
    assert.deepEqual(members.items.map((m: any) => m.personId), [person.alice, person.bob, person.carol], 'highest spend first');
    assert.deepEqual(members.items[0], {
      personId: person.alice, userId: alice.user.id, email: alice.user.email, lifecycle: 'active', priceBand: 'mid', orders: 2,
      monetary: { amount: 12345, currency: 'CNY' }, lastAt: members.items[0].lastAt,
    });
    assert.equal(members.items[2].lifecycle, 'new');
    const page2 = (await op('GET', `/admin/crowds/${crowd.id}/members?page=2&pageSize=3`)).body;
    assert.deepEqual(page2.items.map((m: any) => [m.personId, m.userId, m.lifecycle, m.priceBand]), [[person.anon, undefined, 'lost', null]]);

    // CSV: reachable members only (alice), UTF-8 with a BOM, the crowd's Chinese name in the file name.
    const response = await fetch(`${server.url}/api/v1/admin/crowds/${crowd.id}/export.csv`, { headers: { authorization: `Bearer ${server.operator.token}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/csv; charset=utf-8/);
    const disposition = response.headers.get('content-disposition')!;
    assert.match(disposition, new RegExp(`^attachment; filename="crowd-${crowd.id}\\.csv"; filename\\*=UTF-8''`));
    assert.equal(decodeURIComponent(disposition.split("''")[1]), `${NAME}.csv`);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    assert.deepEqual(lines.slice(0, 1), ['person_id,user_id,email,lifecycle,price_band,orders,monetary_yuan,last_seen']);
    const [personId, userId, email, lifecycle, band, orders, yuanText, lastSeen] = lines[1].split(',');
    assert.deepEqual([personId, userId, email, lifecycle, band, orders, yuanText], [person.alice, alice.user.id, `'${alice.user.email}`, 'active', 'mid', '2', '123.45']);
    assert.equal(lastSeen, members.items[0].lastAt);
    assert.deepEqual(lines.slice(2), [''], 'one reachable member, then the final line break');

    // Members see the crowd as an operator tag; a rule can select a crowd's tag.
    const { crowds } = server.app.context.services;
    assert.deepEqual(await crowds.tagsOf(person.bob), [{ id: `crowd:${crowd.id}`, label: '人群测试达人', crowdName: NAME }]);
    assert.deepEqual(await crowds.tagsOf('crh_nobody'), []);
    assert.deepEqual((await op('POST', '/admin/crowds/estimate', { rule: { field: 'tag', in: [`crowd:${crowd.id}`] } })).body, { size: 4, reachable: 1 });
    assert.deepEqual(await crowds.marketingAudience(crowd.id), [alice.user.id]);

    // Materialise again: a newcomer joins, a leaver goes, those who stay keep their `since`.
    const since = async (who: string) => (await db.one('SELECT since FROM crowd_members WHERE crowd_id = $1 AND person_id = $2', [crowd.id, who]))?.since?.getTime();
    const aliceSince = await since(person.alice);
    await seedProfile('crh_newcomer', { events: 1, firstAt: ago(1), lastAt: ago(1) });
    await seedActivity('crh_newcomer', 'view', '人群测试', '', 0);
    await db.query('DELETE FROM profile_activity WHERE person_id = $1', [person.anon]);
    assert.equal((await op('GET', `/admin/crowds/${crowd.id}`)).body.size, 4, 'a snapshot until materialised');
    const again = (await op('POST', `/admin/crowds/${crowd.id}/materialize`)).body;
    assert.deepEqual([again.size, again.reachable], [4, 1]);
    assert.ok(Date.parse(again.materializedAt) >= Date.parse(crowd.materializedAt));
    const after = (await op('GET', `/admin/crowds/${crowd.id}/members`)).body.items.map((m: any) => m.personId);
    assert.deepEqual(after.sort(), [person.alice, person.bob, person.carol, 'crh_newcomer'].sort());
    assert.equal(await since(person.alice), aliceSince);
    assert.deepEqual(await crowds.tagsOf(person.anon), []);

    // Update: a new rule re-materialises; a null tag label removes the tag.
    const updated = await op('PUT', `/admin/crowds/${crowd.id}`, { rule: { all: [RULE, { field: 'priceBand', in: ['mid', 'high'] }] }, tagLabel: null });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.deepEqual([updated.body.name, updated.body.tagLabel, updated.body.size, updated.body.reachable], [NAME, null, 2, 1]);
    assert.deepEqual(await crowds.tagsOf(person.alice), []);
    const renamed = (await op('PUT', `/admin/crowds/${crowd.id}`, { name: '改名', tagLabel: '新标签' })).body;
    assert.deepEqual([renamed.name, renamed.tagLabel, renamed.size, renamed.materializedAt], ['改名', '新标签', 2, updated.body.materializedAt], 'no new rule, no new snapshot');
    assert.equal((await op('PUT', `/admin/crowds/${crowd.id}`, { rule: { field: 'orders', gt: 1 } })).status, 400);
    assert.deepEqual((await op('GET', `/admin/crowds/${crowd.id}`)).body.rule, updated.body.rule, 'a refused rule changes nothing');

    assert.equal((await op('DELETE', `/admin/crowds/${crowd.id}`)).status, 204);
    for (const path of ['', '/members', '/export.csv']) assert.equal((await op('GET', `/admin/crowds/${crowd.id}${path}`)).status, 404, path);
    assert.equal((await op('POST', `/admin/crowds/${crowd.id}/materialize`)).status, 404);
    assert.equal((await op('PUT', `/admin/crowds/${crowd.id}`, { name: 'x' })).status, 404);
    assert.equal((await op('DELETE', `/admin/crowds/${crowd.id}`)).status, 404);
    assert.equal((await db.one('SELECT count(*)::int AS n FROM crowd_members WHERE crowd_id = $1', [crowd.id]))!.n, 0);

    const actions = (await op('GET', '/admin/audit?pageSize=100')).body.items.filter((e: any) => e.target === crowd.id).map((e: any) => e.action);
    assert.deepEqual(actions.sort(), ['crowd.create', 'crowd.delete', 'crowd.export', 'crowd.materialize', 'crowd.update', 'crowd.update']);
  });

  test('the periodic job re-materialises tagged crowds only', async () => {
    const tagged = (await op('POST', '/admin/crowds', { name: 'tagged', rule: RULE, tagLabel: '标签' })).body;
    const plain = (await op('POST', '/admin/crowds', { name: 'plain', rule: RULE })).body;
    assert.equal(tagged.size, plain.size);
    await seedProfile('crh_late', { events: 1, firstAt: ago(0), lastAt: ago(0) });
    await seedActivity('crh_late', 'view', '人群测试/迟到', '', 0);
    const result = await server.app.context.services.crowds.materializeTagCrowds();
    assert.deepEqual(result, { materialized: 1, failed: [] });
    assert.equal((await op('GET', `/admin/crowds/${tagged.id}`)).body.size, tagged.size + 1);
    assert.equal((await op('GET', `/admin/crowds/${plain.id}`)).body.size, plain.size);
    assert.deepEqual(await server.app.context.services.crowds.tagsOf('crh_late'), [{ id: `crowd:${tagged.id}`, label: '标签', crowdName: 'tagged' }]);
  });

  test('a materialisation racing a rule change writes the members of the new rule', async () => {
    const { services } = server.app.context;
    const crowd = (await op('POST', '/admin/crowds', { name: 'race', rule: RULE })).body;
    assert.ok(crowd.size > 1);
    const narrow = { all: [RULE, { field: 'priceBand', in: ['mid'] }] };
    let changed = false;
    const racing = createCrowdsService({
      db, audit: services.audit, accountsOf: services.people.accountsOf, emailsOf: (ids) => services.identity.emailsOf(db, ids),
      // Another operator saves a new rule while this materialisation asks about consents.
      consentedUsers: async (purpose, ids) => {
        if (!changed) await db.query('UPDATE crowds SET rule = $2::jsonb WHERE id = $1', [crowd.id, JSON.stringify(narrow)]);
        changed = true;
        return services.privacy.consentedUsers(purpose, ids);
      },
    });
    assert.deepEqual(await racing.materialize(crowd.id).then((r) => [r.size, r.reachable]), [1, 1]);
    assert.deepEqual((await op('GET', `/admin/crowds/${crowd.id}/members`)).body.items.map((m: any) => m.personId), [person.alice]);
    await op('DELETE', `/admin/crowds/${crowd.id}`);
  });

  test('operators only', async () => {
    const shopper = await newShopper(server.http);
    const routes: [string, string, unknown?][] = [
      ['POST', '/admin/crowds/estimate', { rule: RULE }], ['POST', '/admin/crowds', { name: 'x', rule: RULE }], ['GET', '/admin/crowds'],
      ['GET', '/admin/crowds/crd_x'], ['PUT', '/admin/crowds/crd_x', { name: 'y' }], ['DELETE', '/admin/crowds/crd_x'],
      ['POST', '/admin/crowds/crd_x/materialize'], ['GET', '/admin/crowds/crd_x/members'], ['GET', '/admin/crowds/crd_x/export.csv'],
    ];
    for (const [method, path, body] of routes) {
      assert.equal((await server.http(method, path, { token: shopper.token, body })).status, 403, `${method} ${path}`);
      assert.equal((await server.http(method, path, { body })).status, 401, `${method} ${path}`);
    }
  });

  test('the OpenAPI document describes the rule language', async () => {
    const doc = (await fetch(`${server.url}/api/openapi.json`).then((r) => r.json())) as any;
    assert.ok(doc.paths['/api/v1/admin/crowds/estimate'].post);
    assert.ok(doc.paths['/api/v1/admin/crowds/{crowdId}/export.csv'].get);
    const text = JSON.stringify(doc.components?.schemas ?? {});
    for (const word of ['daysSinceLastOrder', 'withinDays', 'minCount', 'content_view']) assert.ok(text.includes(word), word);
  });
});
