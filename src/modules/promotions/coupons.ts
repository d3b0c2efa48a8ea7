import type { Row } from '../../db/database.ts';
import type { MoneyIn, Page } from '../../http/schemas.ts';
import { newId } from '../../shared/ids.ts';
import { money } from '../../shared/money.ts';
import { invalidField, Problem } from '../../shared/problems.ts';
import type { Coupon, CouponOffer, Scope } from '../pricing/engine/types.ts';
import { checkWindow, closeOffer, iso, issuerPage, isStore, stateOf, type Actor, type Issuer, type PromotionsDeps } from './checks.ts';
import { checkScope, describeScopes, type ScopeInput } from './scope.ts';
import { couponTitle, type CouponTerms } from './titles.ts';

/** Coupon definitions (券): a store's or the platform's offer that shoppers claim and hold. */

export type CouponKind = 'threshold' | 'no_threshold' | 'percent';

export interface CouponInput {
  code: string;
  kind: CouponKind;
  threshold?: MoneyIn;
  off?: MoneyIn;
  percentBps?: number;
  cap?: MoneyIn;
  startsAt: string;
  endsAt: string;
  perUserLimit?: number;
  totalQuantity?: number;
  scope?: ScopeInput;
  /** Platform coupons only: only members of this crowd may claim (an open offer with a stated condition). */
  crowdId?: string;
  /** What shoppers read as the condition, e.g. 新人专享; defaults to 指定人群. */
  audienceLabel?: string;
}

/** The amounts of a coupon, checked against its kind. */
function termsOf(input: CouponInput): CouponTerms {
  const absent = (field: 'threshold' | 'off' | 'percentBps' | 'cap', why: string) => {
    if (input[field] !== undefined) throw invalidField(field, why);
  };
  const need = <T>(value: T | undefined, field: string): T => {
    if (value === undefined) throw invalidField(field, `required for a ${input.kind} coupon`);
    return value;
  };
  if (input.kind === 'percent') {
    absent('off', 'a percent coupon takes percentBps off, not a fixed amount');
    const threshold = input.threshold?.amount ?? 0;
    return { kind: 'percent', threshold, percentBps: need(input.percentBps, 'percentBps'), cap: input.cap?.amount ?? null };
  }
  absent('percentBps', `a ${input.kind} coupon takes a fixed amount off`);
  absent('cap', `a ${input.kind} coupon takes a fixed amount off; cap is for percent coupons`);
  const off = need(input.off, 'off').amount;
  if (input.kind === 'no_threshold') {
    absent('threshold', 'a no-threshold coupon has no threshold; use kind threshold');
    return { kind: 'no_threshold', off };
  }
  const threshold = need(input.threshold, 'threshold').amount;
  if (threshold <= off) throw invalidField('threshold', 'must be above off (满300减40: threshold 300, off 40)');
  return { kind: 'threshold', threshold, off };
}

export function termsOfRow(r: Row): CouponTerms {
  if (r.kind === 'percent') return { kind: 'percent', threshold: Number(r.threshold), percentBps: r.percent_bps, cap: r.cap === null ? null : Number(r.cap) };
  if (r.kind === 'no_threshold') return { kind: 'no_threshold', off: Number(r.off) };
  return { kind: 'threshold', threshold: Number(r.threshold), off: Number(r.off) };
}

export function offerOf(terms: CouponTerms): CouponOffer {
  if (terms.kind === 'percent') return { type: 'percent_off', threshold: terms.threshold, percentBps: terms.percentBps, cap: terms.cap };
  return { type: 'amount_off', threshold: terms.kind === 'threshold' ? terms.threshold : 0, off: terms.off };
}

/** A definition as the price engine takes it, under the id of the claim that holds it. */
export function engineCoupon(r: Row, id: string, code: string): Coupon {
  const scope = r.scope as Scope;
  return {
    kind: r.merchant_id ? 'store_coupon' : 'platform_coupon',
    id, code,
    ...(r.merchant_id ? { merchantId: r.merchant_id as string } : {}),
    offer: offerOf(termsOfRow(r)),
    ...(Object.keys(scope).length ? { scope } : {}),
    title: couponTitle(termsOfRow(r)).zh,
    startsAt: (r.starts_at as Date).getTime(),
    endsAt: (r.ends_at as Date).getTime(),
  };
}

/** The terms every coupon view shows (definitions, offers, held coupons). */
export function couponTermsView(r: Row, describe: (scope: Scope) => object) {
  const terms = termsOfRow(r);
  const title = couponTitle(terms);
  return {
    code: r.code as string,
    kind: r.kind as CouponKind,
    fundedBy: r.funded_by as 'merchant' | 'platform',
    ...(r.merchant_id ? { merchantId: r.merchant_id as string } : {}),
    title: title.zh,
    titleEn: title.en,
    ...(terms.kind !== 'no_threshold' && terms.threshold ? { threshold: money(terms.threshold) } : {}),
    ...(terms.kind !== 'percent' ? { off: money(terms.off) } : { percentBps: terms.percentBps, ...(terms.cap ? { cap: money(terms.cap) } : {}) }),
    startsAt: iso(r.starts_at)!,
    endsAt: iso(r.ends_at)!,
    perUserLimit: r.per_user_limit as number,
    scope: describe(r.scope),
    ...(r.crowd_id ? { audience: { label: (r.audience_label as string | null) ?? null } } : {}),
  };
}

export function createCouponDefinitions(deps: PromotionsDeps) {
  const { db, audit, catalog } = deps;

  async function figures(ids: string[]) {
    if (!ids.length) return new Map<string, { used: number; discount: number }>();
    const rows = await db.query<{ coupon_id: string; used: number; discount: number }>(
      `SELECT cl.coupon_id, count(DISTINCT cl.id) FILTER (WHERE cl.status = 'used')::int AS used,
              coalesce(sum(r.amount) FILTER (WHERE r.released_at IS NULL), 0)::bigint AS discount
         FROM coupon_claims cl LEFT JOIN coupon_redemptions r ON r.claim_id = cl.id
        WHERE cl.coupon_id = ANY($1) GROUP BY cl.coupon_id`,
      [ids],
    );
    return new Map(rows.map((r) => [r.coupon_id, { used: r.used, discount: Number(r.discount) }]));
  }

  async function views(rows: Row[]) {
    const [describe, crowdNames, counts] = await Promise.all([
      describeScopes(db, catalog, rows.map((r) => r.scope)),
      Promise.all(rows.map((r) => (r.crowd_id ? deps.audience.crowdName(r.crowd_id) : undefined))),
      figures(rows.map((r) => r.id)),
    ]);
    return rows.map((r, i) => {
      const f = counts.get(r.id) ?? { used: 0, discount: 0 };
      return {
        id: r.id as string,
        ...couponTermsView(r, describe),
        totalQuantity: (r.total_quantity as number | null) ?? null,
        ...(r.crowd_id ? { crowdId: r.crowd_id as string, crowdName: crowdNames[i] ?? null } : {}),
        status: r.status as 'active' | 'stopped',
        state: stateOf(r),
        claimed: r.issued as number,
        used: f.used,
        discountTotal: money(f.discount),
        createdAt: iso(r.created_at)!,
        ...(r.stopped_at ? { stoppedAt: iso(r.stopped_at) } : {}),
      };
    });
  }

  async function checkAudience(issuer: Issuer, input: CouponInput) {
    if (input.crowdId === undefined) {
      if (input.audienceLabel !== undefined) throw invalidField('audienceLabel', 'only with a crowdId');
      return;
    }
    if (isStore(issuer)) throw invalidField('crowdId', 'crowd targeting is for platform coupons');
    if (!(await deps.audience.crowdName(input.crowdId))) throw invalidField('crowdId', 'no such crowd');
  }

  return {
    async create(issuer: Issuer, input: CouponInput, actor: Actor) {
      const terms = termsOf(input);
      const window = checkWindow(input.startsAt, input.endsAt);
      const scope = await checkScope(db, catalog, input.scope, isStore(issuer) ? ['productIds'] : ['categoryIds', 'merchantIds', 'brandIds'], issuer.merchantId);
      await checkAudience(issuer, input);
      const id = newId('cpn');
      const code = input.code.trim();
      await db.tx(async (sql) => {
        if (await sql.one('SELECT 1 FROM coupons WHERE coalesce(merchant_id, \'\') = $1 AND lower(code) = lower($2)', [issuer.merchantId ?? '', code]))
          throw new Problem(409, 'coupon_code_taken', `the code ${code} is already used by ${isStore(issuer) ? 'this store' : 'the platform'}`, [{ field: 'code', message: 'already used (codes ignore case)' }]);
        await sql.query(
          `INSERT INTO coupons (id, code, funded_by, merchant_id, kind, threshold, off, percent_bps, cap, starts_at, ends_at, per_user_limit, total_quantity, scope, crowd_id, audience_label, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $16, $17)`,
          [
            id, code, isStore(issuer) ? 'merchant' : 'platform', issuer.merchantId ?? null, terms.kind,
            terms.kind === 'no_threshold' ? 0 : terms.threshold, terms.kind === 'percent' ? null : terms.off,
            terms.kind === 'percent' ? terms.percentBps : null, terms.kind === 'percent' ? terms.cap : null,
            window.startsAt, window.endsAt, input.perUserLimit ?? 1, input.totalQuantity ?? null, JSON.stringify(scope),
            input.crowdId ?? null, input.audienceLabel?.trim() || null, actor.id,
          ],
        );
        if (actor.audited) await audit.record(sql, actor.id, 'promotions.coupon_created', id, { code, merchantId: issuer.merchantId ?? null, title: couponTitle(terms).zh, crowdId: input.crowdId ?? null });
      });
      return (await views([(await db.one('SELECT * FROM coupons WHERE id = $1', [id]))!]))[0];
    },

    async list(issuer: Issuer, page: Page) {
      const { rows, ...rest } = await issuerPage(db, 'coupons', issuer, page);
      return { items: await views(rows), ...rest };
    },

    /** No more claims; coupons already held stay usable until their window ends. */
    async stop(issuer: Issuer, couponId: string, actor: Actor) {
      await closeOffer(deps, 'coupons', issuer, couponId, actor, { status: 'stopped', action: 'promotions.coupon_stopped', details: (r) => ({ code: r.code, claimed: r.issued }) });
      return (await views([(await db.one('SELECT * FROM coupons WHERE id = $1', [couponId]))!]))[0];
    },
  };
}
