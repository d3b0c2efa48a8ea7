import type { Database, Sql } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import { money } from '../../shared/money.ts';
import { invalidState, notFound, Problem } from '../../shared/problems.ts';
import type { CatalogService } from '../catalog/service.ts';
import type { Presale, PresaleBalance, PriceResult } from '../pricing/engine/types.ts';

/** Civil Code Art. 586: a deposit may not exceed 20% of the price. */
export const MAX_DEPOSIT_SHARE_BPS = 2000;

export interface PresaleInput {
  skuId: string;
  unitPrice: number;
  unitDeposit: number;
  unitDepositValue: number;
  depositStartsAt: string;
  depositEndsAt: string;
  balanceStartsAt: string;
  balanceEndsAt: string;
}

export type PresaleOrderState = 'awaiting_deposit' | 'deposit_paid' | 'balance_ordered' | 'balance_paid' | 'closed' | 'forfeited' | 'refunded';

export interface PresaleOrderRow {
  id: string;
  presale_id: string;
  buyer_id: string;
  merchant_id: string;
  sku_id: string;
  quantity: number;
  deposit_order_id: string;
  balance_order_id: string | null;
  state: PresaleOrderState;
}

const invalid = (field: string, message: string) => new Problem(422, 'validation_failed', `${field}: ${message}`, [{ field, message }]);
const iso = (d: Date) => d.toISOString();

/** Presales (预售) and the shoppers' presale purchases: the tables behind MECHANISMS 4. */
export function createPresaleService(db: Database, catalog: CatalogService) {
  const view = (r: any) => ({
    id: r.id, merchantId: r.merchant_id, skuId: r.sku_id, productId: r.product_id,
    unitPrice: money(r.unit_price), unitDeposit: money(r.unit_deposit), unitDepositValue: money(r.unit_deposit_value),
    balance: money(r.unit_price - r.unit_deposit_value - r.unit_deposit),
    depositStartsAt: iso(r.deposit_starts_at), depositEndsAt: iso(r.deposit_ends_at), balanceStartsAt: iso(r.balance_starts_at), balanceEndsAt: iso(r.balance_ends_at),
    status: r.status, ...(r.title ? { title: r.title } : {}), ...(r.orders !== undefined ? { orders: r.orders, depositsPaid: r.deposits_paid, balancesPaid: r.balances_paid } : {}),
  });

  function rule(r: any): Presale {
    return {
      kind: 'presale', id: r.id, skuId: r.sku_id, unitPrice: Number(r.unit_price), unitDeposit: Number(r.unit_deposit), unitDepositValue: Number(r.unit_deposit_value),
      depositStartsAt: r.deposit_starts_at.getTime(), depositEndsAt: r.deposit_ends_at.getTime(), balanceStartsAt: r.balance_starts_at.getTime(), balanceEndsAt: r.balance_ends_at.getTime(),
    };
  }

  return {
    view,

    async create(merchantId: string, input: PresaleInput) {
      const sku = (await catalog.sellableSkus(db, [input.skuId])).get(input.skuId);
      if (!sku || sku.merchantId !== merchantId) throw invalid('skuId', 'not a SKU of this store');
      const times = validateTimes(input);
      if (input.unitPrice > sku.price) throw invalid('unitPrice', 'the presale price cannot be above the list price');
      if (input.unitDepositValue < input.unitDeposit) throw invalid('unitDepositValue', 'the deposit must take at least itself off the price');
      const finalPrice = input.unitPrice - input.unitDepositValue;
      if (finalPrice - input.unitDeposit <= 0) throw invalid('unitDepositValue', 'deposit and its value leave no balance to pay');
      if (input.unitDeposit * 10_000 > finalPrice * MAX_DEPOSIT_SHARE_BPS)
        throw invalid('unitDeposit', `a deposit may not exceed 20% of the price the shopper pays (${(finalPrice * MAX_DEPOSIT_SHARE_BPS) / 10_000 / 100} yuan), Civil Code Art. 586`);
      return db.tx(async (sql) => {
        const overlapping = await sql.one(
          `SELECT id FROM presales WHERE sku_id = $1 AND status = 'active' AND deposit_starts_at < $3 AND $2 < balance_ends_at FOR UPDATE`,
          [input.skuId, times.depositStartsAt, times.balanceEndsAt],
        );
        if (overlapping) throw invalid('skuId', 'this SKU already has a presale in those dates');
        const row = await sql.one(
          `INSERT INTO presales (id, merchant_id, sku_id, product_id, unit_price, unit_deposit, unit_deposit_value, deposit_starts_at, deposit_ends_at, balance_starts_at, balance_ends_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
          [newId('psl'), merchantId, input.skuId, sku.productId, input.unitPrice, input.unitDeposit, input.unitDepositValue,
            times.depositStartsAt, times.depositEndsAt, times.balanceStartsAt, times.balanceEndsAt],
        );
        return view({ ...row, title: sku.title });
      });
    },

    async listOfMerchant(merchantId: string) {
      const rows = await db.query(
        `SELECT p.*, count(o.id)::int AS orders,
                count(o.id) FILTER (WHERE o.state IN ('deposit_paid', 'balance_ordered', 'balance_paid', 'forfeited'))::int AS deposits_paid,
                count(o.id) FILTER (WHERE o.state = 'balance_paid')::int AS balances_paid
           FROM presales p LEFT JOIN presale_orders o ON o.presale_id = p.id
          WHERE p.merchant_id = $1 GROUP BY p.id ORDER BY p.created_at DESC LIMIT 200`,
        [merchantId],
      );
      return rows.map(view);
    },

    /** Presales open for deposits now, for the storefront (the same for everyone). */
    async openFor(productIds: string[], at = new Date()) {
      const rows = await db.query(
        `SELECT * FROM presales WHERE product_id = ANY($1) AND status = 'active' AND deposit_starts_at <= $2 AND $2 < deposit_ends_at ORDER BY id`,
        [productIds, at],
      );
      return rows.map(view);
    },

    async find(sql: Sql, presaleId: string, lock = false) {
      return sql.one(`SELECT * FROM presales WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [presaleId]);
    },

    async markCancelled(sql: Sql, presaleId: string) {
      await sql.query(`UPDATE presales SET status = 'cancelled' WHERE id = $1`, [presaleId]);
    },

    /** Price rules: presales whose deposit window is open now, for these SKUs. */
    async rules(sql: Sql, skuIds: string[], at: Date): Promise<Presale[]> {
      const rows = await sql.query(
        `SELECT * FROM presales WHERE sku_id = ANY($1) AND status = 'active' AND deposit_starts_at <= $2 AND $2 < deposit_ends_at`,
        [skuIds, at],
      );
      return rows.map(rule);
    },

    /** What a balance checkout line needs from the shopper's presale purchase; refuses when the balance cannot be paid now. */
    async balanceOf(sql: Sql, buyerId: string, presaleOrderId: string, at: Date, field: string): Promise<{ skuId: string; quantity: number; balance: PresaleBalance }> {
      const row = await sql.one(
        `SELECT o.*, p.unit_price, p.unit_deposit, p.unit_deposit_value, p.balance_starts_at, p.balance_ends_at
           FROM presale_orders o JOIN presales p ON p.id = o.presale_id WHERE o.id = $1 AND o.buyer_id = $2`,
        [presaleOrderId, buyerId],
      );
      if (!row) throw new Problem(404, 'not_found', 'presale purchase not found', [{ field, message: 'no such presale purchase of yours' }]);
      if (row.state !== 'deposit_paid') throw new Problem(409, 'invalid_state', `this presale purchase is ${row.state}; its balance cannot be paid`, [{ field, message: row.state }]);
      if (at < row.balance_starts_at) throw new Problem(422, 'validation_failed', `the balance can be paid from ${iso(row.balance_starts_at)}`, [{ field, message: 'balance window not open yet' }]);
      if (at >= row.balance_ends_at) throw new Problem(422, 'validation_failed', 'the balance window has closed; the deposit is forfeited', [{ field, message: 'balance window closed' }]);
      return {
        skuId: row.sku_id, quantity: row.quantity,
        balance: { presaleId: row.presale_id, presaleOrderId: row.id, unitPrice: Number(row.unit_price), unitDeposit: Number(row.unit_deposit), unitDepositValue: Number(row.unit_deposit_value) },
      };
    },

    /** In the checkout's transaction: deposit lines open a presale purchase; balance lines tie it to their order. */
    async recordCheckout(sql: Sql, checkout: { buyerId: string; result: PriceResult; orderOf: Map<string, string>; balances: Map<string, string> }) {
      const deposits = checkout.result.lines.filter((l) => l.presaleDeposit);
      if (deposits.length && checkout.result.lines.length > 1)
        throw new Problem(422, 'validation_failed', 'a presale deposit is paid in a checkout of its own', [{ field: 'items', message: '预售商品需单独下单支付定金 / check out the presale item on its own' }]);
      for (const line of deposits)
        await sql.query(
          `INSERT INTO presale_orders (id, presale_id, buyer_id, merchant_id, sku_id, quantity, deposit_order_id, state) VALUES ($1, $2, $3, $4, $5, $6, $7, 'awaiting_deposit')`,
          [newId('pso'), line.presaleDeposit!.presaleId, checkout.buyerId, line.merchantId, line.skuId, line.quantity, checkout.orderOf.get(line.skuId)],
        );
      for (const [skuId, presaleOrderId] of checkout.balances) {
        const moved = await sql.query(
          `UPDATE presale_orders SET state = 'balance_ordered', balance_order_id = $2, updated_at = now() WHERE id = $1 AND state = 'deposit_paid' RETURNING 1`,
          [presaleOrderId, checkout.orderOf.get(skuId)],
        );
        if (!moved.length) throw invalidState('this presale balance is already being paid');
      }
    },

    async byOrder(sql: Sql, orderId: string, lock = false): Promise<(PresaleOrderRow & { role: 'deposit' | 'balance' }) | undefined> {
      const row = await sql.one<PresaleOrderRow>(`SELECT * FROM presale_orders WHERE deposit_order_id = $1 OR balance_order_id = $1 ${lock ? 'FOR UPDATE' : ''}`, [orderId]);
      return row && { ...row, role: row.deposit_order_id === orderId ? 'deposit' : 'balance' };
    },

    async setState(sql: Sql, id: string, state: PresaleOrderState, extra: { clearBalanceOrder?: boolean } = {}) {
      await sql.query(`UPDATE presale_orders SET state = $2, updated_at = now() ${extra.clearBalanceOrder ? ', balance_order_id = NULL' : ''} WHERE id = $1`, [id, state]);
    },

    /** Purchases whose balance window closed unpaid, and so forfeit their deposit. */
    async dueToForfeit(at: Date, limit = 200) {
      return db.query<PresaleOrderRow>(
        `SELECT o.* FROM presale_orders o JOIN presales p ON p.id = o.presale_id WHERE o.state = 'deposit_paid' AND p.balance_ends_at <= $1 ORDER BY o.id LIMIT $2`,
        [at, limit],
      );
    },

    async openPurchasesOf(sql: Sql, presaleId: string) {
      return sql.query<PresaleOrderRow>(`SELECT * FROM presale_orders WHERE presale_id = $1 AND state IN ('awaiting_deposit', 'deposit_paid') ORDER BY id FOR UPDATE`, [presaleId]);
    },

    /** Presale purchases of a shopper or a store, with what is paid, what is owed and when. */
    async purchases(of: { buyerId: string } | { merchantId: string }) {
      const [column, id] = 'buyerId' in of ? ['buyer_id', of.buyerId] : ['merchant_id', of.merchantId];
      const rows = await db.query(
        `SELECT o.*, p.unit_price, p.unit_deposit, p.unit_deposit_value, p.balance_starts_at, p.balance_ends_at, p.product_id
           FROM presale_orders o JOIN presales p ON p.id = o.presale_id WHERE o.${column} = $1 ORDER BY o.created_at DESC LIMIT 200`,
        [id],
      );
      return rows.map(purchaseView);
    },
  };
}

function purchaseView(r: any) {
  const q = r.quantity;
  return {
    id: r.id, presaleId: r.presale_id, productId: r.product_id, skuId: r.sku_id, merchantId: r.merchant_id, quantity: q, state: r.state as PresaleOrderState,
    deposit: money(r.unit_deposit * q), depositValue: money(r.unit_deposit_value * q), balance: money((r.unit_price - r.unit_deposit_value - r.unit_deposit) * q),
    depositOrderId: r.deposit_order_id, balanceOrderId: r.balance_order_id,
    balanceStartsAt: iso(r.balance_starts_at), balanceEndsAt: iso(r.balance_ends_at), createdAt: iso(r.created_at),
  };
}

function validateTimes(input: PresaleInput) {
  const fields = ['depositStartsAt', 'depositEndsAt', 'balanceStartsAt', 'balanceEndsAt'] as const;
  const t = Object.fromEntries(fields.map((f) => [f, new Date(input[f])])) as Record<(typeof fields)[number], Date>;
  for (const f of fields) if (Number.isNaN(t[f].getTime())) throw invalid(f, 'not a date-time');
  if (t.depositEndsAt <= t.depositStartsAt) throw invalid('depositEndsAt', 'must be after depositStartsAt');
  if (t.balanceStartsAt < t.depositEndsAt) throw invalid('balanceStartsAt', 'the balance window opens after the deposit window closes');
  if (t.balanceEndsAt <= t.balanceStartsAt) throw invalid('balanceEndsAt', 'must be after balanceStartsAt');
  return t;
}

export type PresaleService = ReturnType<typeof createPresaleService>;
export const presaleNotFound = () => notFound('presale');
