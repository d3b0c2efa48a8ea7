import type { Database, Row, Sql } from '../../db/database.ts';
import type { Page } from '../../http/schemas.ts';
import { invalidField, notFound, Problem } from '../../shared/problems.ts';
import type { Audit } from '../audit/audit.ts';
import type { ScopeCatalog } from './scope.ts';

export interface PromotionsDeps {
  db: Database;
  audit: Audit;
  catalog: ScopeCatalog;
  /** Crowd targeting (the crowds module): membership of a buyer, and whether a crowd exists (its name). */
  audience: {
    /** Reads through `sql`, so it works inside the caller's transaction (PGlite has one connection). */
    inCrowd(sql: Sql, buyerId: string, crowdId: string): Promise<boolean>;
    crowdName(crowdId: string): Promise<string | undefined>;
  };
  /** How long activeRules keeps what it read (writes in this process clear it at once). */
  rulesTtlMs?: number;
}

/** Who issues and funds an offer: a store (merchant-funded) or the platform. */
export type Issuer = { merchantId: string } | { merchantId?: undefined };
export const isStore = (issuer: Issuer): issuer is { merchantId: string } => !!issuer.merchantId;

export interface Actor {
  id: string;
  /** An operator's change: it goes to the audit log. */
  audited: boolean;
}

/** startsAt < endsAt, and the window not already over. */
export function checkWindow(startsAt: string, endsAt: string, now = new Date()): { startsAt: Date; endsAt: Date } {
  const starts = new Date(startsAt);
  const ends = new Date(endsAt);
  if (Number.isNaN(starts.getTime())) throw invalidField('startsAt', 'a date-time');
  if (Number.isNaN(ends.getTime())) throw invalidField('endsAt', 'a date-time');
  if (ends <= starts) throw invalidField('endsAt', 'must be after startsAt');
  if (ends <= now) throw invalidField('endsAt', 'is already past');
  return { startsAt: starts, endsAt: ends };
}

export type Refusal =
  | { reason: 'per_user_limit'; limit: number }
  | { reason: 'sold_out' | 'ended' | 'stopped' | 'already_used' | 'not_held' }
  | { reason: 'not_in_audience'; label?: string | null };

const MESSAGES: { [R in Refusal['reason']]: (r: Extract<Refusal, { reason: R }>) => [en: string, zh: string] } = {
  per_user_limit: (r) => [`limit reached: ${r.limit} per person`, `每人限领${r.limit}张`],
  sold_out: () => ['all of this coupon have been claimed', '券已领完'],
  ended: () => ['this coupon has ended', '活动已结束'],
  stopped: () => ['this coupon is no longer issued', '已停止发放'],
  already_used: () => ['this coupon was already used on another order', '优惠券已被使用'],
  not_held: () => ['you do not hold this coupon', '你没有这张优惠券'],
  not_in_audience: (r) => [`only for ${r.label || 'selected shoppers'}`, `仅限${r.label || '指定人群'}领取`],
};

export function refusalMessage(refusal: Refusal): { reason: Refusal['reason']; message: string; messageZh: string } {
  const [message, messageZh] = (MESSAGES[refusal.reason] as (r: Refusal) => [string, string])(refusal);
  return { reason: refusal.reason, message, messageZh };
}

/** 422 coupon_not_applicable, in words a shopper understands (English detail, Chinese messageZh). */
export function refused(refusal: Refusal, field = 'code'): Problem {
  const { reason, message, messageZh } = refusalMessage(refusal);
  return new Problem(422, 'coupon_not_applicable', message, [{ field, message }], { reason, messageZh });
}

export const iso = (at: Date | null | undefined) => (at ? at.toISOString() : undefined);

/** Where an offer stands in its window: stopped/ended by hand, or scheduled, running, finished by time. */
export function stateOf(row: Row, now = new Date()): 'scheduled' | 'running' | 'finished' | 'stopped' | 'ended' {
  if (row.status !== 'active') return row.status as 'stopped' | 'ended';
  return now < row.starts_at ? 'scheduled' : now >= row.ends_at ? 'finished' : 'running';
}

type OfferTable = 'coupons' | 'promotions';

/** One page of an issuer's coupons or promotions, newest first. */
export async function issuerPage(db: Database, table: OfferTable, issuer: Issuer, { page, pageSize }: Page) {
  const rows = await db.query(
    `SELECT *, count(*) OVER () AS total FROM ${table} WHERE coalesce(merchant_id, '') = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
    [issuer.merchantId ?? '', pageSize, (page - 1) * pageSize],
  );
  return { rows, total: (rows[0]?.total as number) ?? 0, page, pageSize };
}

/**
 * Stops a coupon or ends a promotion of this issuer (another issuer's is 404); doing it
 * twice changes nothing. An operator's change is audited with the details given.
 */
export async function closeOffer(
  deps: Pick<PromotionsDeps, 'db' | 'audit'>, table: OfferTable, issuer: Issuer, id: string, actor: Actor,
  close: { status: 'stopped' | 'ended'; action: string; details: (row: Row) => Record<string, unknown> },
) {
  await deps.db.tx(async (sql) => {
    const row = await sql.one(`SELECT * FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
    if (!row || (row.merchant_id ?? undefined) !== issuer.merchantId) throw notFound(table === 'coupons' ? 'coupon' : 'promotion');
    if (row.status === close.status) return;
    await sql.query(`UPDATE ${table} SET status = $2, ${close.status}_at = now() WHERE id = $1`, [id, close.status]);
    if (actor.audited) await deps.audit.record(sql, actor.id, close.action, id, { merchantId: row.merchant_id ?? null, ...close.details(row) });
  });
}
