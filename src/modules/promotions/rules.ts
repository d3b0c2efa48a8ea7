import type { Row, Sql } from '../../db/database.ts';
import type { MoneyIn, Page } from '../../http/schemas.ts';
import { newId } from '../../shared/ids.ts';
import { money } from '../../shared/money.ts';
import { invalidField } from '../../shared/problems.ts';
import type { CrossStoreReduction, InstantDiscount, Scope } from '../pricing/engine/types.ts';
import { checkWindow, closeOffer, iso, issuerPage, isStore, stateOf, type Actor, type Issuer, type PromotionsDeps } from './checks.ts';
import { checkScope, describeScopes, isEmptyScope, type ScopeInput } from './scope.ts';
import { crossStoreTitle, instantTitle } from './titles.ts';

/**
 * Price rules without a claim: cross-store reductions (跨店满减, the platform's) and instant
 * discounts (立减, the platform's or a store's on its own goods). The engine checks their
 * windows and scopes; activeRules serves them from memory on every quote.
 */

export type PromotionRule = CrossStoreReduction | InstantDiscount;

export interface PromotionInput {
  kind: 'cross_store_reduction' | 'instant_discount';
  every?: MoneyIn;
  off?: MoneyIn;
  maxOff?: MoneyIn;
  fundedBy?: 'platform';
  offer?: { type: 'per_unit' | 'percent_off'; off?: MoneyIn; percentBps?: number };
  scope?: ScopeInput;
  startsAt: string;
  endsAt: string;
  title?: string;
}

type Terms =
  | { kind: 'cross_store_reduction'; every: number; off: number; maxOff: number | null }
  | { kind: 'instant_discount'; offer: InstantDiscount['offer'] };

function termsOf(input: PromotionInput, issuer: Issuer): Terms {
  const need = <T>(value: T | undefined, field: string): T => {
    if (value === undefined) throw invalidField(field, `required for ${input.kind}`);
    return value;
  };
  if (input.kind === 'cross_store_reduction') {
    if (isStore(issuer)) throw invalidField('kind', 'cross-store reductions are the platform\'s; a store creates instant discounts');
    const every = need(input.every, 'every').amount;
    const off = need(input.off, 'off').amount;
    if (off >= every) throw invalidField('off', 'must be less than every (每满300减50: every 300, off 50)');
    const maxOff = input.maxOff?.amount ?? null;
    if (maxOff !== null && maxOff < off) throw invalidField('maxOff', 'must be at least off');
    return { kind: 'cross_store_reduction', every, off, maxOff };
  }
  const offer = need(input.offer, 'offer');
  if (offer.type === 'per_unit') {
    if (offer.percentBps !== undefined) throw invalidField('offer.percentBps', 'a per_unit offer takes a fixed amount off each unit');
    return { kind: 'instant_discount', offer: { type: 'per_unit', off: need(offer.off, 'offer.off').amount } };
  }
  if (offer.off !== undefined) throw invalidField('offer.off', 'a percent_off offer takes percentBps off');
  return { kind: 'instant_discount', offer: { type: 'percent_off', percentBps: need(offer.percentBps, 'offer.percentBps') } };
}

const titleOf = (t: Terms) => (t.kind === 'cross_store_reduction' ? crossStoreTitle(t.every, t.off, t.maxOff) : instantTitle(t.offer));

function termsOfRow(r: Row): Terms {
  if (r.kind === 'cross_store_reduction') return { kind: r.kind, every: Number(r.every), off: Number(r.off), maxOff: r.max_off === null ? null : Number(r.max_off) };
  return { kind: 'instant_discount', offer: r.offer_type === 'per_unit' ? { type: 'per_unit', off: Number(r.off) } : { type: 'percent_off', percentBps: r.percent_bps } };
}

/** A promotion row as the price engine takes it. */
function toRule(r: Row): PromotionRule {
  const window = { startsAt: (r.starts_at as Date).getTime(), endsAt: (r.ends_at as Date).getTime() };
  const terms = termsOfRow(r);
  const scope = r.scope as Scope;
  if (terms.kind === 'cross_store_reduction')
    return { kind: 'cross_store_reduction', id: r.id, every: terms.every, off: terms.off, maxOff: terms.maxOff, ...(isEmptyScope(scope) ? {} : { scope }), title: r.title, ...window };
  return { kind: 'instant_discount', id: r.id, fundedBy: r.funded_by, offer: terms.offer, scope, title: r.title, ...window };
}

/** Rules read at most this long ago are served from memory. */
const RULES_TTL_MS = 5_000;

export function createPromotionRules(deps: PromotionsDeps) {
  const { db, audit, catalog } = deps;
  const ttl = deps.rulesTtlMs ?? RULES_TTL_MS;
  let cached: { at: number; rules: Promise<PromotionRule[]> } | undefined;

  /** Active rules not past their end a day ago (a quote prices now; older windows stay out of memory). */
  function loadRules(sql: Sql): Promise<PromotionRule[]> {
    return sql.query(`SELECT * FROM promotions WHERE status = 'active' AND ends_at > now() - interval '1 day' ORDER BY id`).then((rows) => rows.map(toRule));
  }

  async function figures(ids: string[]) {
    if (!ids.length) return new Map<string, { used: number; discount: number }>();
    const rows = await db.query<{ promotion_id: string; used: number; discount: number }>(
      `SELECT promotion_id, count(*)::int AS used, coalesce(sum(amount), 0)::bigint AS discount FROM promotion_redemptions
        WHERE promotion_id = ANY($1) AND released_at IS NULL GROUP BY promotion_id`,
      [ids],
    );
    return new Map(rows.map((r) => [r.promotion_id, { used: r.used, discount: Number(r.discount) }]));
  }

  async function views(rows: Row[]) {
    const [describe, counts] = await Promise.all([describeScopes(db, catalog, rows.map((r) => r.scope)), figures(rows.map((r) => r.id))]);
    return rows.map((r) => {
      const terms = termsOfRow(r);
      const f = counts.get(r.id) ?? { used: 0, discount: 0 };
      return {
        id: r.id as string,
        kind: terms.kind,
        fundedBy: r.funded_by as 'merchant' | 'platform',
        ...(r.merchant_id ? { merchantId: r.merchant_id as string } : {}),
        title: r.title as string,
        titleEn: titleOf(terms).en,
        ...(terms.kind === 'cross_store_reduction'
          ? { every: money(terms.every), off: money(terms.off), ...(terms.maxOff ? { maxOff: money(terms.maxOff) } : {}) }
          : { offer: terms.offer.type === 'per_unit' ? { type: 'per_unit' as const, off: money(terms.offer.off) } : { type: 'percent_off' as const, percentBps: terms.offer.percentBps } }),
        scope: describe(r.scope),
        startsAt: iso(r.starts_at)!,
        endsAt: iso(r.ends_at)!,
        status: r.status as 'active' | 'ended',
        state: stateOf(r),
        used: f.used,
        discountTotal: money(f.discount),
        createdAt: iso(r.created_at)!,
        ...(r.ended_at ? { endedAt: iso(r.ended_at) } : {}),
      };
    });
  }

  const one = async (id: string) => (await views([(await db.one('SELECT * FROM promotions WHERE id = $1', [id]))!]))[0];

  return {
    async create(issuer: Issuer, input: PromotionInput, actor: Actor) {
      const terms = termsOf(input, issuer);
      const window = checkWindow(input.startsAt, input.endsAt);
      let scope = await checkScope(db, catalog, input.scope, isStore(issuer) ? ['productIds'] : ['productIds', 'categoryIds', 'merchantIds', 'brandIds'], issuer.merchantId);
      if (isStore(issuer)) scope = { merchantIds: [issuer.merchantId], ...scope };
      else if (terms.kind === 'instant_discount' && isEmptyScope(scope)) throw invalidField('scope', 'an instant discount names the goods it covers (products, categories, stores or brands)');
      const id = newId('prm');
      const title = input.title?.trim() || titleOf(terms).zh;
      await db.tx(async (sql) => {
        await sql.query(
          `INSERT INTO promotions (id, kind, funded_by, merchant_id, title, every, off, max_off, offer_type, percent_bps, scope, starts_at, ends_at, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14)`,
          [
            id, terms.kind, isStore(issuer) ? 'merchant' : 'platform', issuer.merchantId ?? null, title,
            terms.kind === 'cross_store_reduction' ? terms.every : null,
            terms.kind === 'cross_store_reduction' ? terms.off : terms.offer.type === 'per_unit' ? terms.offer.off : null,
            terms.kind === 'cross_store_reduction' ? terms.maxOff : null,
            terms.kind === 'instant_discount' ? terms.offer.type : null,
            terms.kind === 'instant_discount' && terms.offer.type === 'percent_off' ? terms.offer.percentBps : null,
            JSON.stringify(scope), window.startsAt, window.endsAt, actor.id,
          ],
        );
        if (actor.audited) await audit.record(sql, actor.id, 'promotions.promotion_created', id, { kind: terms.kind, title, merchantId: issuer.merchantId ?? null });
      });
      cached = undefined;
      return one(id);
    },

    async list(issuer: Issuer, page: Page) {
      const { rows, ...rest } = await issuerPage(db, 'promotions', issuer, page);
      return { items: await views(rows), ...rest };
    },

    /** Ends it now: quotes stop applying it (orders already placed keep their prices). */
    async end(issuer: Issuer, promotionId: string, actor: Actor) {
      await closeOffer(deps, 'promotions', issuer, promotionId, actor, { status: 'ended', action: 'promotions.promotion_ended', details: (r) => ({ kind: r.kind, title: r.title }) });
      cached = undefined;
      return one(promotionId);
    },

    /**
     * Engine rules whose window holds `at`. Read from memory, refreshed after `rulesTtlMs`
     * (other nodes' changes show within that) and cleared by this process's own writes.
     * Inside a transaction pass its `sql`: a refresh reads through it (PGlite has one connection).
     */
    async activeRules(at: Date, sql: Sql = db): Promise<PromotionRule[]> {
      const now = Date.now();
      let current = cached;
      if (!current || now - current.at > ttl) {
        const loading = (current = cached = { at: now, rules: loadRules(sql) });
        loading.rules.catch(() => { if (cached === loading) cached = undefined; });
      }
      const t = at.getTime();
      return (await current.rules).filter((r) => r.startsAt <= t && t < r.endsAt);
    },
  };
}
