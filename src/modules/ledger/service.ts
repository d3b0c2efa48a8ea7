import type { Database, Sql } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import { applyBps, money } from '../../shared/money.ts';
import type { Page } from '../../http/schemas.ts';

export interface Entry {
  account: string;
  amount: number; // debit positive, credit negative
}

/**
 * Accounts (debit-positive):
 *   cash:<provider>            money held at a payment provider for the platform
 *   clearing:orders            shoppers' money held until they confirm receipt (担保交易)
 *   merchant:<id>:payable      owed to a merchant, settled out later
 *   platform:commission        the platform's revenue
 *   platform:marketing         what the platform pays for the discounts it funds (coupons, reductions, member discount, points)
 */
export const accounts = {
  cash: (provider: string) => `cash:${provider}`,
  clearing: 'clearing:orders',
  merchantPayable: (merchantId: string) => `merchant:${merchantId}:payable`,
  commission: 'platform:commission',
  marketing: 'platform:marketing',
};

/** An order's money at settlement: what the shopper paid for it and the discounts the platform funded, net of refunds. */
export interface SettledOrder {
  id: string;
  merchantId: string;
  paid: number;
  platformFunded: number;
  commissionRateBps: number;
}

function settlementEntries(order: SettledOrder): Entry[] {
  const commission = applyBps(order.paid + order.platformFunded, order.commissionRateBps);
  return [
    { account: accounts.clearing, amount: order.paid },
    { account: accounts.marketing, amount: order.platformFunded },
    { account: accounts.merchantPayable(order.merchantId), amount: -(order.paid + order.platformFunded - commission) },
    { account: accounts.commission, amount: -commission },
  ];
}

export function createLedgerService(db: Database) {
  /** Writes one balanced posting; (kind, ref) is unique so a replayed posting is refused by the database. */
  async function post(sql: Sql, kind: string, ref: string, entries: Entry[]) {
    const nonZero = entries.filter((e) => e.amount !== 0);
    const sum = nonZero.reduce((a, e) => a + e.amount, 0);
    if (sum !== 0 || nonZero.some((e) => !Number.isSafeInteger(e.amount))) throw new Error(`unbalanced posting ${kind} ${ref}: ${JSON.stringify(entries)}`);
    const id = newId('pst');
    await sql.query(
      `WITH posting AS (INSERT INTO ledger_postings (id, kind, ref) VALUES ($1, $4, $5) RETURNING id)
       INSERT INTO ledger_entries (posting_id, line_no, account, amount)
       SELECT posting.id, n, a, x FROM posting, unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS e(a, x, n)`,
      [id, nonZero.map((e) => e.account), nonZero.map((e) => e.amount), kind, ref],
    );
    return id;
  }

  return {
    post,

    /** A shopper's payment lands at the provider and is held in clearing. */
    recordPayment: (sql: Sql, paymentId: string, provider: string, amount: number) =>
      post(sql, 'payment', paymentId, [
        { account: accounts.cash(provider), amount },
        { account: accounts.clearing, amount: -amount },
      ]),

    /** Money leaves the provider back to the shopper. */
    recordRefund: (sql: Sql, refundId: string, provider: string, amount: number) =>
      post(sql, 'refund', refundId, [
        { account: accounts.clearing, amount },
        { account: accounts.cash(provider), amount: -amount },
      ]),

    /**
     * Receipt confirmed: the shopper's money leaves clearing and the platform pays the
     * discounts it funded; the merchant is owed both, less commission on both (the
     * merchant sold at that price; its own discounts are simply less revenue).
     */
    settleOrder: (sql: Sql, order: SettledOrder) => post(sql, 'order_settlement', order.id, settlementEntries(order)),

    /**
     * A refund after settlement takes back what settlement gave for those units: the same
     * entries reversed. The money itself goes back to the shopper through recordRefund,
     * which this balances in clearing.
     */
    clawBack: (sql: Sql, refundId: string, part: SettledOrder) =>
      post(sql, 'refund_clawback', refundId, settlementEntries(part).map((e) => ({ account: e.account, amount: -e.amount }))),

    async trialBalance() {
      const rows = await db.query<{ account: string; balance: number }>(
        'SELECT account, sum(amount)::bigint AS balance FROM ledger_entries GROUP BY account ORDER BY account',
      );
      const total = rows.reduce((a, r) => a + r.balance, 0);
      return { accounts: rows.map((r) => ({ account: r.account, balance: money(r.balance) })), total: money(total) };
    },

    async balanceOf(sql: Sql, account: string): Promise<number> {
      const row = await sql.one<{ balance: number }>('SELECT coalesce(sum(amount), 0)::bigint AS balance FROM ledger_entries WHERE account = $1', [account]);
      return row?.balance ?? 0;
    },

    async postings({ page, pageSize }: Page) {
      const postings = await db.query(
        'SELECT id, kind, ref, created_at, count(*) OVER () AS total FROM ledger_postings ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2',
        [pageSize, (page - 1) * pageSize],
      );
      const entries = await db.query('SELECT posting_id, account, amount FROM ledger_entries WHERE posting_id = ANY($1) ORDER BY line_no', [postings.map((p) => p.id)]);
      return {
        items: postings.map((p) => ({
          id: p.id, kind: p.kind, ref: p.ref, createdAt: p.created_at.toISOString(),
          entries: entries.filter((e) => e.posting_id === p.id).map((e) => ({ account: e.account, amount: money(e.amount) })),
        })),
        total: postings[0]?.total ?? 0,
        page,
        pageSize,
      };
    },
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
