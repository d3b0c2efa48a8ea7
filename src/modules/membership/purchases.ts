import type { Sql } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import { money } from '../../shared/money.ts';
import { forbidden, invalidState, notFound } from '../../shared/problems.ts';
import type { Plan } from './plans.ts';

export type PurchaseStatus = 'pending_payment' | 'paid' | 'closed';

export interface PurchaseRow {
  id: string;
  buyer_id: string;
  plan_id: string;
  amount: number;
  score: number;
  status: PurchaseStatus;
  created_at: Date;
  expires_at: Date;
  paid_at: Date | null;
  closed_at: Date | null;
  period_start: Date | null;
  period_end: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const purchaseView = (p: PurchaseRow, planName: string, payment?: { id: string; status: string }) => ({
  id: p.id, planId: p.plan_id, planName, amount: money(Number(p.amount)), score: p.score, status: p.status,
  createdAt: p.created_at.toISOString(), expiresAt: p.expires_at.toISOString(), paidAt: iso(p.paid_at), closedAt: iso(p.closed_at),
  periodStart: iso(p.period_start), periodEnd: iso(p.period_end),
  payment: payment ? { id: payment.id, status: payment.status } : null,
});

export async function insertPurchase(sql: Sql, input: { buyerId: string; plan: Plan; amount: number; score: number; createdAt: Date; expiresAt: Date }): Promise<PurchaseRow> {
  return (await sql.one<PurchaseRow>(
    `INSERT INTO membership_purchases (id, buyer_id, plan_id, amount, score, status, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, 'pending_payment', $6, $7) RETURNING *`,
    [newId('mbp'), input.buyerId, input.plan.id, input.amount, input.score, input.createdAt, input.expiresAt],
  ))!;
}

export async function findPurchase(sql: Sql, id: string, lock = false): Promise<PurchaseRow | undefined> {
  return sql.one<PurchaseRow>(`SELECT * FROM membership_purchases WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
}

/** The buyer's own purchase, still waiting for payment and within its payment window. */
export async function payablePurchase(sql: Sql, buyerId: string, id: string, at: Date): Promise<PurchaseRow> {
  const purchase = await findPurchase(sql, id);
  if (!purchase) throw notFound('membership purchase');
  if (purchase.buyer_id !== buyerId) throw forbidden();
  if (purchase.status !== 'pending_payment' || purchase.expires_at <= at) throw invalidState(`this membership purchase is ${purchase.status === 'pending_payment' ? 'past its payment deadline' : purchase.status}`);
  return purchase;
}

/**
 * Adds the plan's term to the buyer's membership: from its current end while it runs (a
 * renewal), else from `at`. One statement, so two purchases landing together both count.
 */
export async function extendMembership(sql: Sql, purchase: PurchaseRow, plan: Plan, at: Date) {
  const term = await sql.one<{ since: Date; until: Date }>(
    `INSERT INTO memberships AS m (buyer_id, plan_id, since, until) VALUES ($1, $2, $3::timestamptz, $3::timestamptz + make_interval(hours => $4::int * 24))
     ON CONFLICT (buyer_id, plan_id) DO UPDATE SET
       since = CASE WHEN m.until > $3::timestamptz THEN m.since ELSE $3::timestamptz END,
       until = greatest(m.until, $3::timestamptz) + make_interval(hours => $4::int * 24)
     RETURNING since, until`,
    [purchase.buyer_id, plan.id, at, plan.durationDays],
  );
  const periodEnd = term!.until;
  const periodStart = new Date(periodEnd.getTime() - plan.durationDays * 86_400_000);
  await sql.query(
    `UPDATE membership_purchases SET status = 'paid', paid_at = $2, period_start = $3, period_end = $4 WHERE id = $1`,
    [purchase.id, at, periodStart, periodEnd],
  );
  return { periodStart, periodEnd };
}

/** Closes purchases whose payment window ended unpaid; a payment landing later is refunded. */
export async function closeExpiredPurchases(sql: Sql, at: Date, limit: number): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `UPDATE membership_purchases SET status = 'closed', closed_at = $1
      WHERE id IN (SELECT id FROM membership_purchases WHERE status = 'pending_payment' AND expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING id`,
    [at, limit],
  );
  return rows.map((r) => r.id);
}
