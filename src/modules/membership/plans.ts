import type { Sql } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import { money } from '../../shared/money.ts';
import { notFound, Problem } from '../../shared/problems.ts';
import type { Scope } from '../pricing/engine/types.ts';
import { SCORE_RULE } from './score.ts';

/**
 * The engine Scope a plan may use: eligible categories, brands and stores (the platform supermarket
 * is a store), and whether a line must match all of them or any one (88VIP: brands or the supermarket).
 */
export type PlanScope = Pick<Scope, 'categoryIds' | 'brandIds' | 'merchantIds' | 'match'>;
export const SCOPE_KEYS = ['categoryIds', 'brandIds', 'merchantIds'] as const;

export interface MonthlyCoupon {
  /** A platform coupon defined in the promotions module. */
  couponCode: string;
  count: number;
}

export interface PlanInput {
  name: string;
  /** Fen, for shoppers whose loyalty score reaches eligibilityScore. */
  fee: number;
  /** Fen, for everyone else. */
  fullFee: number;
  eligibilityScore: number;
  /** 500 = 5% off (95折). */
  discountBps: number;
  scope: PlanScope;
  monthlyCoupons: MonthlyCoupon[];
  durationDays: number;
  active: boolean;
}

export interface Plan extends PlanInput {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export type ScopeNames = Record<'brands' | 'categories' | 'merchants', { id: string; name: string }[]>;
export type ScopeNamesOf = (sql: Sql, scope: PlanScope) => Promise<ScopeNames>;

const NAME_OF_KEY = { categoryIds: 'categories', brandIds: 'brands', merchantIds: 'merchants' } as const;

/** Only the scope lists that say something: an empty list would read as "everything" anyway. */
export function cleanScope(scope: PlanScope): PlanScope {
  const clean: PlanScope = {};
  for (const key of SCOPE_KEYS) if (scope[key]?.length) clean[key] = [...new Set(scope[key])];
  // "Any of" says something only when there are lists to choose from.
  if (scope.match === 'any' && Object.keys(clean).length) clean.match = 'any';
  return clean;
}

/** Rules the request schema cannot say: fee order, the score cap, codes once, ids that exist. */
export async function checkPlan(sql: Sql, plan: PlanInput, scopeNamesOf: ScopeNamesOf) {
  const errors: { field: string; message: string }[] = [];
  if (plan.fullFee < plan.fee) errors.push({ field: 'fullFee', message: 'must be at least fee (the fee for eligible shoppers)' });
  if (plan.eligibilityScore > SCORE_RULE.cap) errors.push({ field: 'eligibilityScore', message: `at most ${SCORE_RULE.cap}, the highest loyalty score` });
  plan.monthlyCoupons.forEach((c, i) => {
    if (plan.monthlyCoupons.findIndex((o) => o.couponCode === c.couponCode) !== i) errors.push({ field: `monthlyCoupons.${i}.couponCode`, message: 'listed twice' });
  });
  const names = await scopeNamesOf(sql, plan.scope);
  for (const key of SCOPE_KEYS) {
    const known = new Set(names[NAME_OF_KEY[key]].map((n) => n.id));
    (plan.scope[key] ?? []).forEach((id, i) => {
      if (!known.has(id)) errors.push({ field: `scope.${key}.${i}`, message: `unknown id ${id}` });
    });
  }
  if (errors.length) throw new Problem(400, 'validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

const planOf = (r: any): Plan => ({
  id: r.id, name: r.name, fee: Number(r.fee), fullFee: Number(r.full_fee), eligibilityScore: r.eligibility_score, discountBps: r.discount_bps,
  scope: r.scope, monthlyCoupons: r.monthly_coupons, durationDays: r.duration_days, active: r.active, createdAt: r.created_at, updatedAt: r.updated_at,
});

export async function insertPlan(sql: Sql, plan: PlanInput): Promise<Plan> {
  return planOf(await sql.one(
    `INSERT INTO membership_plans (id, name, fee, full_fee, eligibility_score, discount_bps, scope, monthly_coupons, duration_days, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10) RETURNING *`,
    [newId('mpl'), plan.name, plan.fee, plan.fullFee, plan.eligibilityScore, plan.discountBps, JSON.stringify(plan.scope), JSON.stringify(plan.monthlyCoupons), plan.durationDays, plan.active],
  ));
}

export async function updatePlan(sql: Sql, id: string, plan: PlanInput): Promise<Plan> {
  return planOf(await sql.one(
    `UPDATE membership_plans SET name = $2, fee = $3, full_fee = $4, eligibility_score = $5, discount_bps = $6, scope = $7::jsonb, monthly_coupons = $8::jsonb,
            duration_days = $9, active = $10, updated_at = now() WHERE id = $1 RETURNING *`,
    [id, plan.name, plan.fee, plan.fullFee, plan.eligibilityScore, plan.discountBps, JSON.stringify(plan.scope), JSON.stringify(plan.monthlyCoupons), plan.durationDays, plan.active],
  ));
}

export async function findPlan(sql: Sql, id: string, lock = false): Promise<Plan> {
  const row = await sql.one(`SELECT * FROM membership_plans WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
  if (!row) throw notFound('membership plan');
  return planOf(row);
}

export async function listPlans(sql: Sql, options: { activeOnly: boolean }): Promise<Plan[]> {
  return (await sql.query(`SELECT * FROM membership_plans ${options.activeOnly ? 'WHERE active' : ''} ORDER BY created_at, id`)).map(planOf);
}

/** A plan as shoppers and operators read it: money as Money, the scope with its names. */
export function planView(plan: Plan, names: ScopeNames) {
  const has = (key: keyof ScopeNames, ids?: string[]) => names[key].filter((n) => ids?.includes(n.id));
  return {
    id: plan.id, name: plan.name, fee: money(plan.fee), fullFee: money(plan.fullFee), eligibilityScore: plan.eligibilityScore,
    discountBps: plan.discountBps, scope: plan.scope,
    scopeNames: { categories: has('categories', plan.scope.categoryIds), brands: has('brands', plan.scope.brandIds), merchants: has('merchants', plan.scope.merchantIds) },
    monthlyCoupons: plan.monthlyCoupons, durationDays: plan.durationDays, active: plan.active,
    createdAt: plan.createdAt.toISOString(), updatedAt: plan.updatedAt.toISOString(),
  };
}

/** Scope names for several plans in one look-up. */
export async function scopeNamesOfPlans(sql: Sql, plans: Plan[], scopeNamesOf: ScopeNamesOf): Promise<ScopeNames> {
  const all: PlanScope = {};
  for (const key of SCOPE_KEYS) all[key] = [...new Set(plans.flatMap((p) => p.scope[key] ?? []))];
  return scopeNamesOf(sql, all);
}
