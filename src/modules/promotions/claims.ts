import type { Row, Sql } from '../../db/database.ts';
import type { Page } from '../../http/schemas.ts';
import { newId } from '../../shared/ids.ts';
import { invalidField, notFound, Problem } from '../../shared/problems.ts';
import { iso, refused, refusalMessage, type PromotionsDeps, type Refusal } from './checks.ts';
import { couponTermsView } from './coupons.ts';
import { coversStore, describeScopes, scopeMatches, scopeNameMaps } from './scope.ts';

/**
 * Claims (领券): a shopper takes a coupon and holds it until an order uses it. The
 * per-person limit and the total budget (发行量) hold under concurrent claims: the
 * per-person count and the budget are counters changed by single conditional updates.
 */

export type HeldStatus = 'held' | 'used' | 'expired';

/** A definition is live for claims while active and before its end. */
const isLive = (r: Row, at: Date) => r.status === 'active' && at < r.ends_at;

export function createClaims(deps: PromotionsDeps) {
  const { db, catalog } = deps;

  /** Why the budget update found nothing: stopped, ended, or all claimed. */
  function exhausted(r: Row, at: Date): Refusal {
    return r.status !== 'active' ? { reason: 'stopped' } : at >= r.ends_at ? { reason: 'ended' } : { reason: 'sold_out' };
  }

  /** Takes one from the budget, or refuses; the row is locked until the transaction ends. */
  async function takeBudget(sql: Sql, coupon: Row, at: Date, field: string) {
    const taken = await sql.one(
      `UPDATE coupons SET issued = issued + 1
        WHERE id = $1 AND status = 'active' AND ends_at > $2 AND (total_quantity IS NULL OR issued < total_quantity) RETURNING id`,
      [coupon.id, at],
    );
    if (!taken) throw refused(exhausted((await sql.one('SELECT * FROM coupons WHERE id = $1', [coupon.id]))!, at), field);
  }

  /** A claim with every rule of POST /me/coupons: live, audience, per-person limit, budget. */
  async function claimIn(sql: Sql, coupon: Row, buyerId: string, at: Date, field = 'code'): Promise<string> {
    if (!isLive(coupon, at)) throw refused(exhausted(coupon, at), field);
    if (coupon.crowd_id && !(await deps.audience.inCrowd(sql, buyerId, coupon.crowd_id))) throw refused({ reason: 'not_in_audience', label: coupon.audience_label }, field);
    const counted = await sql.one(
      `INSERT INTO coupon_holders (coupon_id, buyer_id, claimed) VALUES ($1, $2, 1)
       ON CONFLICT (coupon_id, buyer_id) DO UPDATE SET claimed = coupon_holders.claimed + 1 WHERE coupon_holders.claimed < $3 RETURNING claimed`,
      [coupon.id, buyerId, coupon.per_user_limit],
    );
    if (!counted) throw refused({ reason: 'per_user_limit', limit: coupon.per_user_limit }, field);
    await takeBudget(sql, coupon, at, field);
    const id = newId('clm');
    await sql.query('INSERT INTO coupon_claims (id, coupon_id, buyer_id, claimed_at) VALUES ($1, $2, $3, $4)', [id, coupon.id, buyerId, at]);
    return id;
  }

  /**
   * The definition a typed code means. Codes are unique per issuer, so a code may name the
   * platform's coupon and several stores' ones: a store given picks its own; else a live
   * platform coupon, else the one live store coupon; several live store coupons need the store.
   */
  async function resolveCode(sql: Sql, code: string, merchantId: string | undefined, at: Date): Promise<Row> {
    const rows = await sql.query(
      `SELECT * FROM coupons WHERE lower(code) = lower($1) ${merchantId ? 'AND merchant_id = $2' : ''} ORDER BY merchant_id NULLS FIRST, created_at DESC`,
      merchantId ? [code.trim(), merchantId] : [code.trim()],
    );
    if (!rows.length) throw new Problem(404, 'not_found', `no coupon with the code ${code}`, [{ field: 'code', message: 'no such coupon' }]);
    const live = rows.filter((r) => isLive(r, at));
    const platform = live.find((r) => !r.merchant_id);
    if (platform) return platform;
    if (live.length > 1) throw invalidField('merchantId', 'several stores use this code; name the store');
    return live[0] ?? rows[0];
  }

  /** Live definitions a buyer could claim now, for each code (lower case) the buyer does not hold. */
  async function claimableByCode(sql: Sql, buyerId: string, codes: string[], at: Date): Promise<Row[]> {
    if (!codes.length) return [];
    const rows = await sql.query(
      `SELECT c.*, coalesce(h.claimed, 0) AS claimed_by_buyer FROM coupons c
         LEFT JOIN coupon_holders h ON h.coupon_id = c.id AND h.buyer_id = $2
        WHERE lower(c.code) = ANY($1) AND c.status = 'active' AND c.ends_at > $3
          AND (c.total_quantity IS NULL OR c.issued < c.total_quantity) AND coalesce(h.claimed, 0) < c.per_user_limit
        ORDER BY c.merchant_id NULLS FIRST, c.created_at, c.id`,
      [codes, buyerId, at],
    );
    const allowed = await Promise.all(rows.map((r) => (r.crowd_id ? deps.audience.inCrowd(sql, buyerId, r.crowd_id) : true)));
    return rows.filter((_, i) => allowed[i]);
  }

  async function heldView(rows: Row[]) {
    const describe = await describeScopes(db, catalog, rows.map((r) => r.scope));
    const stores = await scopeNameMaps(db, catalog, { merchantIds: [...new Set(rows.filter((r) => r.merchant_id).map((r) => r.merchant_id as string))] });
    const now = new Date();
    return rows.map((r) => ({
      id: r.claim_id as string,
      couponId: r.id as string,
      ...couponTermsView(r, describe),
      ...(r.merchant_id ? { merchantName: stores.merchants.get(r.merchant_id) ?? '' } : {}),
      status: (r.claim_status === 'used' ? 'used' : now >= r.ends_at ? 'expired' : 'held') as HeldStatus,
      source: r.source as string,
      claimedAt: iso(r.claimed_at)!,
      ...(r.order_id ? { orderId: r.order_id as string, usedAt: iso(r.used_at) } : {}),
    }));
  }

  const HELD_WHERE: Record<HeldStatus, string> = {
    held: `cl.status = 'held' AND c.ends_at > now()`,
    expired: `cl.status = 'held' AND c.ends_at <= now()`,
    used: `cl.status = 'used'`,
  };
  const HELD_ORDER: Record<HeldStatus | 'all', string> = {
    held: 'c.ends_at, cl.id',
    expired: 'c.ends_at DESC, cl.id',
    used: 'cl.used_at DESC, cl.id',
    all: 'cl.claimed_at DESC, cl.id',
  };

  /** The buyer's coupons, held (usable or not yet started), used, or expired, with a count of each. */
  async function mine(buyerId: string, status: HeldStatus | undefined, { page, pageSize }: Page, claimId?: string) {
    const where = [`cl.buyer_id = $1`, ...(status ? [HELD_WHERE[status]] : []), ...(claimId ? ['cl.id = $4'] : [])].join(' AND ');
    const rows = await db.query(
      `SELECT c.*, cl.id AS claim_id, cl.status AS claim_status, cl.source, cl.claimed_at, cl.order_id, cl.used_at, count(*) OVER () AS total
         FROM coupon_claims cl JOIN coupons c ON c.id = cl.coupon_id
        WHERE ${where} ORDER BY ${HELD_ORDER[status ?? 'all']} LIMIT $2 OFFSET $3`,
      [buyerId, pageSize, (page - 1) * pageSize, ...(claimId ? [claimId] : [])],
    );
    const counts = await db.one<Record<HeldStatus, number>>(
      `SELECT count(*) FILTER (WHERE ${HELD_WHERE.held})::int AS held, count(*) FILTER (WHERE ${HELD_WHERE.used})::int AS used,
              count(*) FILTER (WHERE ${HELD_WHERE.expired})::int AS expired
         FROM coupon_claims cl JOIN coupons c ON c.id = cl.coupon_id WHERE cl.buyer_id = $1`,
      [buyerId],
    );
    return { items: await heldView(rows), total: (rows[0]?.total as number) ?? 0, page, pageSize, counts: counts! };
  }

  return {
    claimIn,
    resolveCode,
    claimableByCode,

    /** POST /me/coupons: claim by code; 201 the held coupon. */
    async claim(buyerId: string, input: { code: string; merchantId?: string }) {
      const now = new Date();
      const claimId = await db.tx(async (sql) => claimIn(sql, await resolveCode(sql, input.code, input.merchantId, now), buyerId, now));
      return (await mine(buyerId, undefined, { page: 1, pageSize: 1 }, claimId)).items[0];
    },

    mine,

    /**
     * Coupons on offer for a product (its store's and the platform's whose scope covers it) or
     * for a store; for a signed-in shopper, how many they hold and whether they can claim.
     */
    async offers(query: { productId?: string; merchantId?: string }, buyerId?: string) {
      let merchantId = query.merchantId;
      let product: Parameters<typeof scopeMatches>[1] | undefined;
      if (query.productId) {
        const found = (await catalog.productScopes(db, [query.productId])).get(query.productId);
        if (!found) throw notFound('product');
        product = { productId: query.productId, ...found };
        merchantId = found.merchantId;
      }
      if (!merchantId) throw invalidField('productId', 'give a productId or a merchantId');
      const now = new Date();
      const rows = (await db.query(
        `SELECT * FROM coupons WHERE status = 'active' AND ends_at > $2 AND (merchant_id = $1 OR merchant_id IS NULL)
          ORDER BY merchant_id NULLS LAST, created_at, id`,
        [merchantId, now],
      )).filter((r) => {
        if (product) return scopeMatches(r.scope, product);
        return r.merchant_id || coversStore(r.scope, merchantId!);
      });
      const ids = rows.map((r) => r.id as string);
      const [describe, holders, held, audiences] = await Promise.all([
        describeScopes(db, catalog, rows.map((r) => r.scope)),
        buyerId && ids.length ? db.query('SELECT coupon_id, claimed FROM coupon_holders WHERE buyer_id = $1 AND coupon_id = ANY($2)', [buyerId, ids]) : [],
        buyerId && ids.length ? db.query(`SELECT coupon_id, count(*)::int AS n FROM coupon_claims WHERE buyer_id = $1 AND status = 'held' AND coupon_id = ANY($2) GROUP BY coupon_id`, [buyerId, ids]) : [],
        buyerId ? Promise.all(rows.map((r) => (r.crowd_id ? deps.audience.inCrowd(db, buyerId, r.crowd_id) : true))) : [],
      ]);
      const claimedBy = new Map(holders.map((h) => [h.coupon_id, h.claimed as number]));
      const heldBy = new Map(held.map((h) => [h.coupon_id, h.n as number]));
      const items = rows.map((r, i) => {
        const whyNot: Refusal | { reason: 'sign_in' } | undefined = !buyerId
          ? { reason: 'sign_in' }
          : !audiences[i] ? { reason: 'not_in_audience', label: r.audience_label }
          : (claimedBy.get(r.id) ?? 0) >= r.per_user_limit ? { reason: 'per_user_limit', limit: r.per_user_limit }
          : r.total_quantity !== null && r.issued >= r.total_quantity ? { reason: 'sold_out' }
          : undefined;
        return {
          id: r.id as string,
          ...couponTermsView(r, describe),
          remaining: r.total_quantity === null ? null : Math.max(0, r.total_quantity - r.issued),
          held: heldBy.get(r.id) ?? 0,
          canClaim: !whyNot,
          ...(whyNot ? { whyNot: whyNot.reason === 'sign_in' ? { reason: 'sign_in', message: 'sign in to claim', messageZh: '登录后领取' } : refusalMessage(whyNot) } : {}),
        };
      });
      return { items, merchantId };
    },
  };
}
