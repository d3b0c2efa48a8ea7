import type { Database, Sql } from '../../db/database.ts';
import { money } from '../../shared/money.ts';
import { Problem } from '../../shared/problems.ts';
import type { Audit } from '../audit/audit.ts';
import type { scopeOptions } from '../catalog/scope-names.ts';
import type { CatalogService } from '../catalog/service.ts';
import { accounts, type LedgerService } from '../ledger/service.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { Payable, PaymentRow, PaymentsService } from '../payments/service.ts';
import type { Membership } from '../pricing/engine/types.ts';
import { allowanceOf, grantAllowance, membersOwedAllowance, shanghaiMonth, withSavepoint, type GrantCoupon } from './allowance.ts';
import { bestMemberPrice } from './member-prices.ts';
import { checkPlan, cleanScope, findPlan, insertPlan, listPlans, planView, scopeNamesOfPlans, updatePlan, type Plan, type PlanInput, type ScopeNamesOf } from './plans.ts';
import { closeExpiredPurchases, extendMembership, findPurchase, insertPurchase, payablePurchase, purchaseView, type PurchaseRow } from './purchases.ts';
import { loyaltyScore, SCORE_FORMULA, SCORE_RULE, scoreWindowStart, type Spend } from './score.ts';

/**
 * Paid membership (88VIP style, MECHANISMS.md 6). Operators configure plans; a shopper buys one
 * at the fee their loyalty score earns, through the payments module (purpose 'membership');
 * members get the plan's discount at checkout (membershipOf, the same for every member) and its
 * coupons once a month. Fees are platform revenue (platform:membership_fees). No refunds.
 */

export const MEMBERSHIP_PURPOSE = 'membership';
export const MEMBERSHIP_FEES = 'platform:membership_fees';

export interface MembershipDeps {
  db: Database;
  audit: Audit;
  ledger: LedgerService;
  outbox: Outbox;
  payments: Pick<PaymentsService, 'latestOfGroup'>;
  /** orders.buyerSpend: paid, not refunded orders since a time. */
  buyerSpend(sql: Sql, buyerId: string, since: Date): Promise<Spend>;
  catalog: Pick<CatalogService, 'skusOfProducts' | 'sellableSkus'> & {
    scopeNames: ScopeNamesOf;
    scopeOptions: typeof scopeOptions;
  };
  paymentTimeoutMinutes: number;
  /** The promotions module's coupon grant; without it no monthly coupons are given. */
  grantCoupon?: GrantCoupon;
}

export type PlanPatch = Partial<PlanInput>;

const feeFor = (plan: Plan, score: number) => (score >= plan.eligibilityScore ? plan.fee : plan.fullFee);

export function createMembershipService(deps: MembershipDeps) {
  const { db, audit, ledger, outbox, grantCoupon } = deps;

  async function scoreOf(sql: Sql, buyerId: string, at: Date) {
    const since = scoreWindowStart(at);
    const spend = await deps.buyerSpend(sql, buyerId, since);
    return { value: loyaltyScore(spend), cap: SCORE_RULE.cap, orders: spend.orders, gmv: money(spend.gmv), since: since.toISOString() };
  }

  async function viewsOf(sql: Sql, plans: Plan[]) {
    const names = await scopeNamesOfPlans(sql, plans, deps.catalog.scopeNames);
    return plans.map((p) => planView(p, names));
  }

  async function checkedPlan(sql: Sql, input: PlanInput): Promise<PlanInput> {
    const plan = { ...input, name: input.name.trim(), scope: cleanScope(input.scope) };
    await checkPlan(sql, plan, deps.catalog.scopeNames);
    return plan;
  }

  /** The term's fee goes from the provider's cash (via clearing, where the payment landed) to the platform's revenue. */
  async function activate(sql: Sql, purchase: PurchaseRow, at: Date) {
    const plan = await findPlan(sql, purchase.plan_id);
    const period = await extendMembership(sql, purchase, plan, at);
    const amount = Number(purchase.amount);
    if (amount > 0) await ledger.post(sql, 'membership_fee', purchase.id, [{ account: accounts.clearing, amount }, { account: MEMBERSHIP_FEES, amount: -amount }]);
    await outbox.emit(sql, 'membership.paid', { purchaseId: purchase.id, buyerId: purchase.buyer_id, planId: plan.id, amount, until: period.periodEnd.toISOString() });
    if (grantCoupon && plan.monthlyCoupons.length)
      await withSavepoint(sql, 'membership_allowance', () => grantAllowance(sql, grantCoupon, purchase.buyer_id, plan, shanghaiMonth(at)));
  }

  /** Membership purchases as the payments module pays them. */
  const payable: Payable = {
    async amountDue(sql, buyerId, purchaseId) {
      return Number((await payablePurchase(sql, buyerId, purchaseId, new Date())).amount);
    },
    async settle(sql, payment: PaymentRow) {
      const purchase = await findPurchase(sql, payment.group_id, true);
      if (!purchase || purchase.status !== 'pending_payment' || purchase.buyer_id !== payment.buyer_id) return false;
      await activate(sql, purchase, new Date());
      return true;
    },
  };

  async function membershipRows(sql: Sql, buyerId: string) {
    return sql.query<{ plan_id: string; since: Date; until: Date }>('SELECT plan_id, since, until FROM memberships WHERE buyer_id = $1 ORDER BY until DESC', [buyerId]);
  }

  return {
    payable,

    // ---- operators

    async createPlan(operatorId: string, input: PlanInput) {
      return db.tx(async (sql) => {
        const plan = await insertPlan(sql, await checkedPlan(sql, input));
        await audit.record(sql, operatorId, 'membership.plan.create', plan.id, { name: plan.name, fee: plan.fee, fullFee: plan.fullFee, discountBps: plan.discountBps });
        return (await viewsOf(sql, [plan]))[0];
      });
    },

    /** Changes a plan; `active: false` stops selling it while its members keep their term. */
    async updatePlan(operatorId: string, planId: string, patch: PlanPatch) {
      return db.tx(async (sql) => {
        const current = await findPlan(sql, planId, true);
        const plan = await updatePlan(sql, planId, await checkedPlan(sql, { ...current, ...patch }));
        await audit.record(sql, operatorId, 'membership.plan.update', planId, { patch });
        return (await viewsOf(sql, [plan]))[0];
      });
    },

    /** Every plan with its members now, paid purchases and fee revenue; the total revenue is the ledger's. */
    async adminPlans(at = new Date()) {
      const plans = await listPlans(db, { activeOnly: false });
      const stats = await db.query<{ plan_id: string; members: number; purchases: number; revenue: number }>(
        `SELECT p.id AS plan_id,
                (SELECT count(*)::int FROM memberships m WHERE m.plan_id = p.id AND m.since <= $1 AND m.until > $1) AS members,
                (SELECT count(*)::int FROM membership_purchases x WHERE x.plan_id = p.id AND x.status = 'paid') AS purchases,
                (SELECT coalesce(sum(amount), 0)::bigint FROM membership_purchases x WHERE x.plan_id = p.id AND x.status = 'paid') AS revenue
           FROM membership_plans p`,
        [at],
      );
      const of = (id: string) => stats.find((s) => s.plan_id === id) ?? { members: 0, purchases: 0, revenue: 0 };
      const views = await viewsOf(db, plans);
      return {
        items: views.map((v) => ({ ...v, memberCount: of(v.id).members, paidPurchases: of(v.id).purchases, feeRevenue: money(Number(of(v.id).revenue)) })),
        memberCount: (await db.one<{ n: number }>('SELECT count(DISTINCT buyer_id)::int AS n FROM memberships WHERE since <= $1 AND until > $1', [at]))!.n,
        feeRevenue: money(-(await ledger.balanceOf(db, MEMBERSHIP_FEES))),
      };
    },

    scopeOptions: () => deps.catalog.scopeOptions(db),

    // ---- shoppers

    /** Plans on sale, the same for everyone. */
    async plansForSale() {
      return viewsOf(db, await listPlans(db, { activeOnly: true }));
    },

    /** My score and its formula, the plans with the fee that applies to me, my memberships and this month's coupons. */
    async myMembership(buyerId: string, at = new Date()) {
      const [score, onSale, rows] = await Promise.all([scoreOf(db, buyerId, at), listPlans(db, { activeOnly: true }), membershipRows(db, buyerId)]);
      const memberPlans = await Promise.all(rows.map((r) => findPlan(db, r.plan_id)));
      const running = memberPlans.filter((_, i) => rows[i].since <= at && rows[i].until > at);
      const month = shanghaiMonth(at);
      const recent = await db.query<PurchaseRow & { plan_name: string }>(
        `SELECT x.*, p.name AS plan_name FROM membership_purchases x JOIN membership_plans p ON p.id = x.plan_id WHERE x.buyer_id = $1 ORDER BY x.created_at DESC LIMIT 10`,
        [buyerId],
      );
      return {
        score, formula: SCORE_FORMULA,
        plans: (await viewsOf(db, onSale)).map((v, i) => ({ ...v, eligible: score.value >= onSale[i].eligibilityScore, feeForMe: money(feeFor(onSale[i], score.value)) })),
        memberships: rows.map((r, i) => ({
          planId: r.plan_id, planName: memberPlans[i].name, discountBps: memberPlans[i].discountBps,
          since: r.since.toISOString(), until: r.until.toISOString(), status: r.since <= at && r.until > at ? 'active' as const : 'expired' as const,
        })),
        allowance: { month, items: await allowanceOf(db, buyerId, running, month) },
        purchases: recent.map((p) => purchaseView(p, p.plan_name)),
      };
    },

    /**
     * Opens a purchase of the plan at the fee my score earns now, to be paid within the payment
     * window (a renewal too: it extends from the current end). A zero fee activates at once.
     */
    async purchase(sql: Sql, buyerId: string, planId: string) {
      const plan = await findPlan(sql, planId);
      if (!plan.active) throw new Problem(422, 'plan_not_on_sale', 'this membership plan is no longer sold');
      const at = new Date();
      const score = (await scoreOf(sql, buyerId, at)).value;
      const purchase = await insertPurchase(sql, { buyerId, plan, amount: feeFor(plan, score), score, createdAt: at, expiresAt: new Date(at.getTime() + deps.paymentTimeoutMinutes * 60_000) });
      if (Number(purchase.amount) === 0) await activate(sql, purchase, at);
      return purchaseView((await findPurchase(sql, purchase.id))!, plan.name);
    },

    /** One of my purchases with its latest payment (the cashier page). */
    async purchaseOf(buyerId: string, purchaseId: string) {
      const purchase = await findPurchase(db, purchaseId);
      if (!purchase || purchase.buyer_id !== buyerId) throw new Problem(404, 'not_found', 'membership purchase not found');
      const [plan, payment] = await Promise.all([findPlan(db, purchase.plan_id), deps.payments.latestOfGroup(db, purchase.id)]);
      return purchaseView(purchase, plan.name, payment);
    },

    /** Closes purchases left unpaid past their window (the background job). */
    async closeExpiredPurchases(at = new Date(), limit = 500) {
      return db.tx((sql) => closeExpiredPurchases(sql, at, limit));
    },

    /**
     * Gives every member their plans' coupons for the month of `at` that they have not had yet
     * (the daily job; a new month starts at 00:00 Asia/Shanghai). One transaction per member,
     * so a failure holds up only that member, who is tried again on the next run.
     */
    async grantMonthlyAllowances(at = new Date(), batch = 200) {
      if (!grantCoupon) return { members: 0, coupons: 0 };
      const month = shanghaiMonth(at);
      const plans = new Map<string, Plan>();
      let after = { buyerId: '', planId: '' };
      let members = 0;
      let coupons = 0;
      for (let owed = await membersOwedAllowance(db, at, after, batch); owed.length; owed = await membersOwedAllowance(db, at, after, batch)) {
        for (const { buyer_id: buyerId, plan_id: planId } of owed) {
          after = { buyerId, planId };
          if (!plans.has(planId)) plans.set(planId, await findPlan(db, planId));
          try {
            coupons += await db.tx((sql) => grantAllowance(sql, grantCoupon, buyerId, plans.get(planId)!, month));
            members++;
          } catch (error) {
            console.error(`monthly membership coupons for ${buyerId} (${planId}) failed; tried again next run`, error);
          }
        }
      }
      return { members, coupons };
    },

    // ---- what checkout and the storefront ask

    /**
     * The member discount for the price engine when the buyer is a member at `at`: the plan's rate
     * and scope, the same for every member of the plan. With several plans, the one with the highest rate.
     */
    async membershipOf(sql: Sql, buyerId: string, at: Date): Promise<Membership | undefined> {
      const row = await sql.one<{ id: string; discount_bps: number; scope: Membership['scope'] }>(
        `SELECT p.id, p.discount_bps, p.scope FROM memberships m JOIN membership_plans p ON p.id = m.plan_id
          WHERE m.buyer_id = $1 AND m.since <= $2 AND m.until > $2 ORDER BY p.discount_bps DESC, p.created_at, p.id LIMIT 1`,
        [buyerId, at],
      );
      if (!row) return undefined;
      return { planId: row.id, discountBps: row.discount_bps, ...(Object.keys(row.scope ?? {}).length ? { scope: row.scope } : {}) };
    },

    /** Member prices to show beside list prices, for products in a plan's scope; public, the same for everyone. */
    async memberPrices(productIds: string[]) {
      const plans = await listPlans(db, { activeOnly: true });
      const prices = new Map<string, NonNullable<ReturnType<typeof bestMemberPrice>>>();
      if (!plans.length) return prices;
      const skuIds = [...(await deps.catalog.skusOfProducts(productIds)).values()].flat().map((s) => (s as { id: string }).id);
      const skus = [...(await deps.catalog.sellableSkus(db, skuIds)).values()];
      for (const id of productIds) {
        const price = bestMemberPrice(id, skus.filter((s) => s.productId === id), plans);
        if (price) prices.set(id, price);
      }
      return prices;
    },
  };
}

export type MembershipService = ReturnType<typeof createMembershipService>;
