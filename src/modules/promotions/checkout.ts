import type { Sql } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import type { Coupon } from '../pricing/engine/types.ts';
import { refused } from './checks.ts';
import type { createClaims } from './claims.ts';
import { engineCoupon } from './coupons.ts';

/**
 * What checkout calls, inside the order's transaction: the coupons to price with, then
 * redeem what the engine applied, and release it when an order is cancelled.
 */

/** A coupon the buyer does not hold yet but can claim: claimed when the order is placed. */
export const CLAIM_PREFIX = 'claim:';

export interface CouponUse {
  /** A held coupon's id (a claim), or `claim:<couponDefinitionId>` from couponsFor. */
  couponId: string;
  orderId: string;
  /** What it took off that order's lines, in fen (for the figures). */
  amount: number;
}

export interface RuleUse {
  /** A cross-store reduction or instant discount id from activeRules; other ids are ignored. */
  ruleId: string;
  orderId: string;
  amount: number;
}

export interface Redemption {
  buyerId: string;
  orderGroupId: string;
  uses: CouponUse[];
  rules?: RuleUse[];
}

const FIELD = 'couponCodes';

export function createCheckoutSide(claims: ReturnType<typeof createClaims>) {
  /** Claims the `claim:` coupons of a redemption (or finds the claim an earlier call made for this group). */
  async function claimAtOrder(sql: Sql, buyerId: string, orderGroupId: string, ref: string, at: Date): Promise<string> {
    const couponId = ref.slice(CLAIM_PREFIX.length);
    const earlier = await sql.one<{ id: string }>('SELECT id FROM coupon_claims WHERE coupon_id = $1 AND buyer_id = $2 AND order_group_id = $3', [couponId, buyerId, orderGroupId]);
    if (earlier) return earlier.id;
    const coupon = await sql.one('SELECT * FROM coupons WHERE id = $1', [couponId]);
    if (!coupon) throw refused({ reason: 'not_held' }, FIELD);
    return claims.claimIn(sql, coupon, buyerId, at, FIELD);
  }

  /** Marks a claim used by the group; an earlier call for the same group is fine, any other use refuses. */
  async function markUsed(sql: Sql, claimId: string, buyerId: string, orderGroupId: string, orderId: string, at: Date) {
    const marked = await sql.one(
      `UPDATE coupon_claims SET status = 'used', order_group_id = $3, order_id = $4, used_at = $5
        WHERE id = $1 AND buyer_id = $2 AND status = 'held' RETURNING id`,
      [claimId, buyerId, orderGroupId, orderId, at],
    );
    if (marked) return;
    const row = await sql.one('SELECT buyer_id, order_group_id FROM coupon_claims WHERE id = $1', [claimId]);
    if (!row || row.buyer_id !== buyerId) throw refused({ reason: 'not_held' }, FIELD);
    if (row.order_group_id !== orderGroupId) throw refused({ reason: 'already_used' }, FIELD);
  }

  return {
    /**
     * Engine coupons for every unused coupon the buyer holds (whatever their window), and for
     * each listed code the buyer does not hold but could claim now, `claim:<definitionId>`
     * (one per claimable definition with that code). A coupon matching a listed code carries
     * the code as listed, so the engine's exact match ignores case as codes do.
     */
    async couponsFor(sql: Sql, buyerId: string, at: Date, codes: string[] = []): Promise<Coupon[]> {
      const listed = new Map(codes.map((c) => [c.trim().toLowerCase(), c]));
      // Expired coupons come along only when the shopper names them, to be told they expired.
      const held = await sql.query(
        `SELECT c.*, cl.id AS claim_id FROM coupon_claims cl JOIN coupons c ON c.id = cl.coupon_id
          WHERE cl.buyer_id = $1 AND cl.status = 'held' AND (c.ends_at > $2 OR lower(c.code) = ANY($3::text[]))
          ORDER BY cl.claimed_at, cl.id`,
        [buyerId, at, [...listed.keys()]],
      );
      const spelling = (code: string) => listed.get(code.toLowerCase()) ?? code;
      const heldCodes = new Set(held.map((r) => (r.code as string).toLowerCase()));
      const claimable = await claims.claimableByCode(sql, buyerId, [...listed.keys()].filter((c) => !heldCodes.has(c)), at);
      return [
        ...held.map((r) => engineCoupon(r, r.claim_id, spelling(r.code))),
        ...claimable.map((r) => engineCoupon(r, `${CLAIM_PREFIX}${r.id}`, spelling(r.code))),
      ];
    },

    /**
     * Inside the order's transaction: claims the `claim:` coupons (same rules as POST /me/coupons),
     * marks each claim used by the group (first order named), records each use's amount.
     * A claim another order group used refuses 422 coupon_not_applicable, which rolls the
     * caller's transaction back. Calling again for the same group changes nothing but amounts.
     */
    async redeem(sql: Sql, { buyerId, orderGroupId, uses, rules = [] }: Redemption) {
      for (const u of [...uses, ...rules]) if (!Number.isSafeInteger(u.amount) || u.amount < 0) throw new Error(`redeem: amount must be a non-negative integer, got ${u.amount}`);
      const at = new Date();
      const claimOf = new Map<string, string>();
      // `claim:` first, in a fixed order, so two orders of one buyer lock the same rows in the same order.
      for (const ref of [...new Set(uses.map((u) => u.couponId))].sort((a, b) => Number(b.startsWith(CLAIM_PREFIX)) - Number(a.startsWith(CLAIM_PREFIX)) || a.localeCompare(b)))
        claimOf.set(ref, ref.startsWith(CLAIM_PREFIX) ? await claimAtOrder(sql, buyerId, orderGroupId, ref, at) : ref);
      for (const [ref, claimId] of [...claimOf].sort((a, b) => a[1].localeCompare(b[1])))
        await markUsed(sql, claimId, buyerId, orderGroupId, uses.find((u) => u.couponId === ref)!.orderId, at);
      for (const u of uses)
        await sql.query(
          `INSERT INTO coupon_redemptions (claim_id, order_id, amount, redeemed_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (claim_id, order_id) DO UPDATE SET amount = EXCLUDED.amount`,
          [claimOf.get(u.couponId), u.orderId, u.amount, at],
        );
      for (const r of rules)
        await sql.query(
          `INSERT INTO promotion_redemptions (promotion_id, order_id, amount, redeemed_at) SELECT id, $2, $3, $4 FROM promotions WHERE id = $1
           ON CONFLICT (promotion_id, order_id) DO UPDATE SET amount = EXCLUDED.amount`,
          [r.ruleId, r.orderId, r.amount, at],
        );
      return { claims: [...claimOf].map(([couponId, claimId]) => ({ couponId, claimId })) };
    },

    /**
     * The order was cancelled: its uses stop counting, and each claim it used goes back to held
     * once no other order of its group still uses it (a platform coupon spans a group's stores).
     */
    async release(sql: Sql, orderId: string) {
      const released = await sql.query<{ claim_id: string }>('UPDATE coupon_redemptions SET released_at = now() WHERE order_id = $1 AND released_at IS NULL RETURNING claim_id', [orderId]);
      const returned = released.length
        ? await sql.query<{ id: string }>(
          `UPDATE coupon_claims cl SET status = 'held', order_group_id = NULL, order_id = NULL, used_at = NULL
            WHERE cl.id = ANY($1) AND cl.status = 'used'
              AND NOT EXISTS (SELECT 1 FROM coupon_redemptions r WHERE r.claim_id = cl.id AND r.released_at IS NULL) RETURNING cl.id`,
          [released.map((r) => r.claim_id)],
        )
        : [];
      await sql.query('UPDATE promotion_redemptions SET released_at = now() WHERE order_id = $1 AND released_at IS NULL', [orderId]);
      return { returned: returned.map((r) => r.id) };
    },

    /**
     * Gives a buyer a platform coupon without a claim (a membership's monthly allowance: one call
     * per coupon). It takes from the budget (totalQuantity) but not from the per-person claim limit,
     * and ignores the crowd: the caller chose the buyer, and keeps its own record so a retry gives
     * nothing twice. `source` says why (shown with the coupon). Null when there is no such platform
     * coupon, or it is stopped, ended or all given out.
     */
    async grant(sql: Sql, { buyerId, couponCode, source }: { buyerId: string; couponCode: string; source: string }): Promise<{ couponId: string } | null> {
      if (!source || source === 'claim') throw new Error('grant: a source other than "claim" names why the coupon was given');
      const taken = await sql.one<{ id: string }>(
        `UPDATE coupons SET issued = issued + 1
          WHERE merchant_id IS NULL AND lower(code) = lower($1) AND status = 'active' AND ends_at > now()
            AND (total_quantity IS NULL OR issued < total_quantity) RETURNING id`,
        [couponCode.trim()],
      );
      if (!taken) return null;
      const id = newId('clm');
      await sql.query('INSERT INTO coupon_claims (id, coupon_id, buyer_id, source) VALUES ($1, $2, $3, $4)', [id, taken.id, buyerId, source]);
      return { couponId: id };
    },
  };
}
