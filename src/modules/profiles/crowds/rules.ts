import { Type } from 'typebox';
import { invalidField } from '../../../shared/problems.ts';
import { CHANNEL } from '../../tracking/events.ts';
import { BEHAVIOR_TYPES } from '../fold.ts';
import { LIFECYCLES, lifecycleSql, TODAY_SQL } from './lifecycle.ts';

/**
 * The crowd rule language (人群规则): JSON that an operator writes, validated here and
 * compiled to one parameterised WHERE fragment over `profiles p`. No value from a rule is
 * ever written into the SQL text: every value is a bind parameter.
 *
 *   Rule = {all: Rule[]} | {any: Rule[]} | {not: Rule} | Condition
 *   {field: "lifecycle"|"priceBand"|"channel"|"tag", in: [...]}
 *   {field: "orders"|"monetary"|"events"|"daysSinceLastOrder"|"daysSinceLastSeen", gte?, lte?}
 *   {behavior: "view"|..., category?, brand?, withinDays?, minCount?}
 *
 * A category matches its subtree (美妆 matches 美妆/彩妆/口红); withinDays n is the last n
 * Beijing days, today included; minCount sums the daily counts. A tag `crowd:<id>` is
 * held by that crowd's materialised members. daysSince* and priceBand never match a
 * profile without that value, and `not` is the exact complement (no SQL NULLs leak).
 */

export const PRICE_BANDS = ['low', 'mid', 'high'] as const;
export const SET_FIELDS = ['lifecycle', 'priceBand', 'channel', 'tag'] as const;
export const RANGE_FIELDS = ['orders', 'monetary', 'events', 'daysSinceLastOrder', 'daysSinceLastSeen'] as const;
export const BEHAVIORS = BEHAVIOR_TYPES;

export const RULE_LIMITS = {
  depth: 5,
  conditions: 30,
  values: 50,
  value: 100,
  category: 200,
  brand: 100,
  range: 10_000_000_000, // fen: 100 million yuan, the largest price the platform takes
  days: 36_500,
  withinDays: 3650,
  minCount: 1_000_000,
} as const;

export type SetField = (typeof SET_FIELDS)[number];
export type RangeField = (typeof RANGE_FIELDS)[number];
export type Behavior = (typeof BEHAVIORS)[number];
export type SetCondition = { field: SetField; in: string[] };
export type RangeCondition = { field: RangeField; gte?: number; lte?: number };
export type BehaviorCondition = { behavior: Behavior; category?: string; brand?: string; withinDays?: number; minCount?: number };
export type Condition = SetCondition | RangeCondition | BehaviorCondition;
export type Rule = { all: Rule[] } | { any: Rule[] } | { not: Rule } | Condition;

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Bound = Type.Integer({ minimum: 0, maximum: RULE_LIMITS.range });

/**
 * One node of a rule, for request validation and the OpenAPI document. JSON Schema cannot
 * count nesting or conditions, and the node is one flat object so that errors name the
 * field; parseRule checks the rest (one kind per node, keys per kind, depth <= 5,
 * <= 30 conditions, allowed values).
 */
const RuleNode = Type.Object(
  {
    all: Type.Optional(Type.Array(Type.Ref('CrowdRule'), { maxItems: RULE_LIMITS.conditions, description: 'every rule holds' })),
    any: Type.Optional(Type.Array(Type.Ref('CrowdRule'), { maxItems: RULE_LIMITS.conditions, description: 'at least one rule holds' })),
    not: Type.Optional(Type.Ref('CrowdRule', { description: 'the rule does not hold' })),
    field: Type.Optional(Type.Enum([...SET_FIELDS, ...RANGE_FIELDS])),
    in: Type.Optional(Type.Array(Text(RULE_LIMITS.value), { minItems: 1, maxItems: RULE_LIMITS.values, description: 'lifecycle, priceBand, channel, tag: any of these' })),
    gte: Type.Optional(Type.Integer({ ...Bound, description: 'orders, monetary (fen), events, daysSince*: at least' })),
    lte: Type.Optional(Type.Integer({ ...Bound, description: 'at most' })),
    behavior: Type.Optional(Type.Enum(BEHAVIORS)),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: RULE_LIMITS.category, description: 'a category path; matches its subtree' })),
    brand: Type.Optional(Text(RULE_LIMITS.brand)),
    withinDays: Type.Optional(Type.Integer({ minimum: 1, maximum: RULE_LIMITS.withinDays, description: 'the last n days, today (Beijing time) included' })),
    minCount: Type.Optional(Type.Integer({ minimum: 1, maximum: RULE_LIMITS.minCount, description: 'default 1' })),
  },
  { description: 'Exactly one of all, any, not, a field condition or a behavior condition; at most 5 levels deep and 30 conditions.' },
);
export const RuleSchema = Type.Cyclic({ CrowdRule: RuleNode }, 'CrowdRule');

// ---------------------------------------------------------------- validation

const KINDS = ['all', 'any', 'not', 'field', 'behavior'] as const;
type Walk = { conditions: number };
type Node = Record<string, unknown>;

const isObject = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The rule, checked and normalised; a 400 naming the field path (`rule.all.2.field`) otherwise. */
export function parseRule(value: unknown, path = 'rule'): Rule {
  return parseNode(value, path, 1, { conditions: 0 });
}

function parseNode(value: unknown, path: string, depth: number, walk: Walk): Rule {
  if (!isObject(value)) throw invalidField(path, 'must be an object');
  if (depth > RULE_LIMITS.depth) throw invalidField(path, `rules nest at most ${RULE_LIMITS.depth} levels deep`);
  const kinds = KINDS.filter((k) => k in value);
  if (kinds.length !== 1) throw invalidField(path, 'must be exactly one of all, any, not, a field condition or a behavior condition');
  const kind = kinds[0];
  if (kind === 'all' || kind === 'any') {
    onlyKeys(value, [kind], path);
    return { [kind]: parseList(value[kind], `${path}.${kind}`, depth, walk) } as Rule;
  }
  if (kind === 'not') {
    onlyKeys(value, ['not'], path);
    return { not: parseNode(value.not, `${path}.not`, depth + 1, walk) };
  }
  if (++walk.conditions > RULE_LIMITS.conditions) throw invalidField(path, `a rule holds at most ${RULE_LIMITS.conditions} conditions`);
  return kind === 'field' ? parseField(value, path) : parseBehavior(value, path);
}

function parseList(value: unknown, path: string, depth: number, walk: Walk): Rule[] {
  if (!Array.isArray(value)) throw invalidField(path, 'must be an array');
  return value.map((item, i) => parseNode(item, `${path}.${i}`, depth + 1, walk));
}

function onlyKeys(value: Node, allowed: string[], path: string) {
  const extra = Object.keys(value).find((k) => !allowed.includes(k));
  if (extra) throw invalidField(`${path}.${extra}`, `unknown property here; allowed: ${allowed.join(', ')}`);
}

function parseField(value: Node, path: string): Condition {
  const field = value.field as string;
  if ((SET_FIELDS as readonly string[]).includes(field)) return parseSet(value, field as SetField, path);
  if ((RANGE_FIELDS as readonly string[]).includes(field)) return parseRange(value, field as RangeField, path);
  throw invalidField(`${path}.field`, `unknown field; one of ${[...SET_FIELDS, ...RANGE_FIELDS].join(', ')}`);
}

const ALLOWED_VALUES: Partial<Record<SetField, readonly string[]>> = { lifecycle: LIFECYCLES, priceBand: PRICE_BANDS };

function parseSet(value: Node, field: SetField, path: string): SetCondition {
  onlyKeys(value, ['field', 'in'], path);
  const values = value.in;
  if (!Array.isArray(values) || !values.length || values.length > RULE_LIMITS.values)
    throw invalidField(`${path}.in`, `${field} takes in: a list of 1 to ${RULE_LIMITS.values} values`);
  values.forEach((v, i) => checkSetValue(field, v, `${path}.in.${i}`));
  return { field, in: values as string[] };
}

function checkSetValue(field: SetField, value: unknown, path: string) {
  text(value, path, RULE_LIMITS.value);
  const allowed = ALLOWED_VALUES[field];
  if (allowed && !allowed.includes(value as string)) throw invalidField(path, `unknown ${field}; one of ${allowed.join(', ')}`);
  if (field === 'channel' && !CHANNEL.test(value as string)) throw invalidField(path, 'a channel is 1 to 32 of a-z 0-9 _ -');
}

function parseRange(value: Node, field: RangeField, path: string): RangeCondition {
  onlyKeys(value, ['field', 'gte', 'lte'], path);
  if (value.gte === undefined && value.lte === undefined) throw invalidField(`${path}.gte`, `${field} takes gte and/or lte`);
  const max = field.startsWith('daysSince') ? RULE_LIMITS.days : RULE_LIMITS.range;
  const gte = value.gte === undefined ? undefined : integer(value.gte, `${path}.gte`, 0, max);
  const lte = value.lte === undefined ? undefined : integer(value.lte, `${path}.lte`, 0, max);
  if (gte !== undefined && lte !== undefined && gte > lte) throw invalidField(`${path}.lte`, 'must not be below gte');
  return { field, ...(gte === undefined ? {} : { gte }), ...(lte === undefined ? {} : { lte }) };
}

function parseBehavior(value: Node, path: string): BehaviorCondition {
  onlyKeys(value, ['behavior', 'category', 'brand', 'withinDays', 'minCount'], path);
  if (!(BEHAVIORS as readonly unknown[]).includes(value.behavior)) throw invalidField(`${path}.behavior`, `unknown behavior; one of ${BEHAVIORS.join(', ')}`);
  const condition: BehaviorCondition = { behavior: value.behavior as Behavior };
  if (value.category !== undefined) condition.category = categoryPath(value.category, `${path}.category`);
  if (value.brand !== undefined) condition.brand = text(value.brand, `${path}.brand`, RULE_LIMITS.brand);
  if (value.withinDays !== undefined) condition.withinDays = integer(value.withinDays, `${path}.withinDays`, 1, RULE_LIMITS.withinDays);
  if (value.minCount !== undefined) condition.minCount = integer(value.minCount, `${path}.minCount`, 1, RULE_LIMITS.minCount);
  return condition;
}

/** '美妆/彩妆/' and ' 美妆/彩妆' both mean 美妆/彩妆. */
function categoryPath(value: unknown, path: string): string {
  const trimmed = text(value, path, RULE_LIMITS.category).trim().replace(/^\/+|\/+$/g, '');
  if (!trimmed) throw invalidField(path, 'must name a category');
  return trimmed;
}

function text(value: unknown, path: string, max: number): string {
  if (typeof value !== 'string' || !value.length || value.length > max) throw invalidField(path, `must be a string of 1 to ${max} characters`);
  return value;
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) throw invalidField(path, `must be an integer from ${min} to ${max}`);
  return value as number;
}

// ---------------------------------------------------------------- compilation

export interface Compiled {
  /** A boolean SQL expression over `profiles p`, never NULL. */
  sql: string;
  params: unknown[];
}

type Bind = (value: unknown) => string;

/**
 * The rule as a WHERE fragment over `profiles p`. Pass the statement's earlier parameters
 * to number these after them. Every condition is strictly true or false (NULL columns
 * count as not matching), so `not` is the exact complement.
 */
export function compileRule(rule: Rule, params: unknown[] = []): Compiled {
  const bind: Bind = (value) => `$${params.push(value)}`;
  return { sql: compileNode(rule, bind), params };
}

function compileNode(rule: Rule, bind: Bind): string {
  if ('all' in rule) return rule.all.length ? `(${rule.all.map((r) => compileNode(r, bind)).join(' AND ')})` : 'TRUE';
  if ('any' in rule) return rule.any.length ? `(${rule.any.map((r) => compileNode(r, bind)).join(' OR ')})` : 'FALSE';
  if ('not' in rule) return `(NOT ${compileNode(rule.not, bind)})`;
  if ('behavior' in rule) return behaviorSql(rule, bind);
  return 'in' in rule ? setSql(rule, bind) : rangeSql(rule, bind);
}

function setSql({ field, in: values }: SetCondition, bind: Bind): string {
  if (field === 'lifecycle') return `(${lifecycleSql('p')} = ANY(${bind(values)}::text[]))`;
  if (field === 'priceBand') return `COALESCE(p.price_band = ANY(${bind(values)}::text[]), FALSE)`;
  if (field === 'channel') return `(p.channels && ${bind(values)}::text[])`;
  return tagSql(values, bind);
}

/** A crowd's tag (`crowd:<id>`) is held by its materialised members. */
function tagSql(values: string[], bind: Bind): string {
  const own = `p.tags && ${bind(values)}::text[]`;
  const crowdIds = values.filter((v) => v.startsWith('crowd:')).map((v) => v.slice('crowd:'.length));
  if (!crowdIds.length) return `(${own})`;
  return `(${own} OR EXISTS (SELECT 1 FROM crowd_members m WHERE m.person_id = p.person_id AND m.crowd_id = ANY(${bind(crowdIds)}::text[])))`;
}

const COUNT_COLUMNS = { orders: 'p.orders', monetary: 'p.monetary', events: 'p.events' } as const;
const TIME_COLUMNS = { daysSinceLastOrder: 'p.last_order_at', daysSinceLastSeen: 'p.last_at' } as const;

function rangeSql({ field, gte, lte }: RangeCondition, bind: Bind): string {
  const parts: string[] = [];
  if (field in COUNT_COLUMNS) {
    const column = COUNT_COLUMNS[field as keyof typeof COUNT_COLUMNS];
    if (gte !== undefined) parts.push(`${column} >= ${bind(gte)}::bigint`);
    if (lte !== undefined) parts.push(`${column} <= ${bind(lte)}::bigint`);
    return `(${parts.join(' AND ')})`;
  }
  // n days since t  <=>  t = now() - n days: more days is an earlier time.
  const column = TIME_COLUMNS[field as keyof typeof TIME_COLUMNS];
  if (gte !== undefined) parts.push(`${column} <= now() - ${bind(gte)}::int * interval '1 day'`);
  if (lte !== undefined) parts.push(`${column} >= now() - ${bind(lte)}::int * interval '1 day'`);
  return `COALESCE(${parts.join(' AND ')}, FALSE)`;
}

/** LIKE treats % and _ as wildcards and \ as the escape: a category path means itself. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function behaviorSql(c: BehaviorCondition, bind: Bind): string {
  const where = ['a.person_id = p.person_id', `a.type = ${bind(c.behavior)}`];
  if (c.category !== undefined) where.push(`(a.category = ${bind(c.category)} OR a.category LIKE ${bind(`${escapeLike(c.category)}/%`)} ESCAPE '\\')`);
  if (c.brand !== undefined) where.push(`a.brand = ${bind(c.brand)}`);
  if (c.withinDays !== undefined) where.push(`a.day > ${TODAY_SQL} - ${bind(c.withinDays)}::int`);
  return `EXISTS (SELECT 1 FROM profile_activity a WHERE ${where.join(' AND ')} HAVING sum(a.count) >= ${bind(c.minCount ?? 1)}::bigint)`;
}
