import type { Sql } from '../../db/database.ts';
import type { Plan } from './plans.ts';

/** The promotions module's grant: gives the shopper one platform coupon of that code, or null when it cannot (ended, out of stock...). */
export type GrantCoupon = (sql: Sql, input: { buyerId: string; couponCode: string; source: string }) => Promise<{ couponId: string } | null>;

const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // China keeps UTC+8 all year

/** The calendar date (YYYY-MM-DD) in Asia/Shanghai that a moment falls in. */
export const shanghaiDate = (at: Date) => new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
/** The calendar month (YYYY-MM) in Asia/Shanghai that a moment falls in. */
export const shanghaiMonth = (at: Date) => shanghaiDate(at).slice(0, 7);

/**
 * Gives a member the plan's monthly coupons for one month, once: each (member, plan, month, code)
 * is claimed by inserting its row before the coupons are granted, in the caller's transaction,
 * so a second run (the daily job, a renewal, a retry) finds the row and grants nothing.
 * Answers how many coupons were granted now.
 */
export async function grantAllowance(sql: Sql, grantCoupon: GrantCoupon, buyerId: string, plan: Plan, month: string): Promise<number> {
  let granted = 0;
  for (const { couponCode, count } of plan.monthlyCoupons) {
    const claimed = await sql.query(
      `INSERT INTO membership_coupon_grants (buyer_id, plan_id, month, coupon_code, allowance) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [buyerId, plan.id, month, couponCode, count],
    );
    if (!claimed.length) continue;
    const couponIds: string[] = [];
    while (couponIds.length < count) {
      const coupon = await grantCoupon(sql, { buyerId, couponCode, source: `membership:${plan.id}:${month}` });
      if (!coupon) break;
      couponIds.push(coupon.couponId);
    }
    await sql.query(
      'UPDATE membership_coupon_grants SET coupon_ids = $5 WHERE buyer_id = $1 AND plan_id = $2 AND month = $3 AND coupon_code = $4',
      [buyerId, plan.id, month, couponCode, couponIds],
    );
    granted += couponIds.length;
  }
  return granted;
}

/**
 * Runs fn inside a savepoint so that its failure undoes only its own writes: a membership is
 * activated even when the coupons cannot be granted now (the daily job tries again).
 */
export async function withSavepoint(sql: Sql, name: string, fn: () => Promise<unknown>): Promise<boolean> {
  await sql.query(`SAVEPOINT ${name}`);
  try {
    await fn();
    await sql.query(`RELEASE SAVEPOINT ${name}`);
    return true;
  } catch (error) {
    await sql.query(`ROLLBACK TO SAVEPOINT ${name}`);
    console.error(`${name} failed; undone`, error);
    return false;
  }
}

/** Active members (at `at`) of plans with a coupon not yet given for that month, after a key, in key order. */
export async function membersOwedAllowance(sql: Sql, at: Date, after: { buyerId: string; planId: string }, limit: number) {
  return sql.query<{ buyer_id: string; plan_id: string }>(
    `SELECT m.buyer_id, m.plan_id FROM memberships m JOIN membership_plans p ON p.id = m.plan_id
      WHERE m.since <= $1 AND m.until > $1 AND (m.buyer_id, m.plan_id) > ($3, $4)
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(p.monthly_coupons) c
                     WHERE NOT EXISTS (SELECT 1 FROM membership_coupon_grants g
                                        WHERE g.buyer_id = m.buyer_id AND g.plan_id = m.plan_id AND g.month = $2 AND g.coupon_code = c->>'couponCode'))
      ORDER BY m.buyer_id, m.plan_id LIMIT $5`,
    [at, shanghaiMonth(at), after.buyerId, after.planId, limit],
  );
}

/** This month's allowance of a member's plans: what each plan gives, and what was granted (null: not yet). */
export async function allowanceOf(sql: Sql, buyerId: string, plans: Plan[], month: string) {
  const rows = await sql.query<{ plan_id: string; coupon_code: string; coupon_ids: string[] }>(
    'SELECT plan_id, coupon_code, coupon_ids FROM membership_coupon_grants WHERE buyer_id = $1 AND month = $2',
    [buyerId, month],
  );
  return plans.flatMap((plan) => plan.monthlyCoupons.map(({ couponCode, count }) => {
    const row = rows.find((r) => r.plan_id === plan.id && r.coupon_code === couponCode);
    return { planId: plan.id, planName: plan.name, couponCode, count, granted: row ? row.coupon_ids.length : null, couponIds: row?.coupon_ids ?? [] };
  }));
}
