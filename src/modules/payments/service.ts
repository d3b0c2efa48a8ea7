import type { Database, Sql } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import { money } from '../../shared/money.ts';
import { notFound, Problem } from '../../shared/problems.ts';
import type { LedgerService } from '../ledger/service.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { PaymentProvider } from './providers/provider.ts';

/** The purpose of a payment for an order group; other purposes are registered payables. */
export const ORDER_GROUP = 'order_group';

export interface PaymentRow {
  id: string;
  purpose: string;
  /** The order group, or the id of the payable the purpose names. */
  group_id: string;
  buyer_id: string;
  provider: string;
  amount: number;
  status: 'pending' | 'succeeded' | 'failed' | 'refunded';
  provider_txn_id: string | null;
  created_at: Date;
}

export const paymentView = (p: PaymentRow) => ({
  id: p.id,
  purpose: p.purpose,
  ...(p.purpose === ORDER_GROUP ? { orderGroupId: p.group_id } : {}),
  payableId: p.group_id,
  provider: p.provider,
  status: p.status,
  amount: money(p.amount),
  createdAt: p.created_at.toISOString(),
});

/**
 * Something other than an order group that a payment can be for (a membership purchase...),
 * answered by the module that owns it.
 */
export interface Payable {
  /** What the buyer owes for it now; throws a Problem when it is not theirs or no longer waits for payment. */
  amountDue(sql: Sql, buyerId: string, payableId: string): Promise<number>;
  /**
   * The provider confirmed the money, in the notification's transaction (once per payment):
   * true when the payable takes it, false when it must go straight back (closed, or paid by another payment).
   */
  settle(sql: Sql, payment: PaymentRow): Promise<boolean>;
}

export function createPaymentsService(db: Database, ledger: LedgerService, outbox: Outbox, providers: Map<string, PaymentProvider>) {
  const payables = new Map<string, Payable>();

  function provider(name: string): PaymentProvider {
    const p = providers.get(name);
    if (!p) throw new Problem(400, 'validation_failed', `unknown payment provider ${name}`, [{ field: 'provider', message: `one of ${[...providers.keys()].join(', ')}` }]);
    return p;
  }

  function payable(purpose: string): Payable {
    const p = payables.get(purpose);
    if (!p) throw new Problem(400, 'validation_failed', `unknown payment purpose ${purpose}`, [{ field: 'purpose', message: `one of ${[ORDER_GROUP, ...payables.keys()].join(', ')}` }]);
    return p;
  }

  return {
    provider,
    providerNames: () => [...providers.keys()],
    payable,
    /** A module makes its payables payable (a later registration of the same purpose replaces the earlier). */
    registerPayable(purpose: string, p: Payable) {
      if (purpose === ORDER_GROUP) throw new Error('order groups are paid by the payments module itself');
      payables.set(purpose, p);
    },

    async insert(sql: Sql, input: { groupId: string; buyerId: string; provider: string; amount: number; purpose?: string }): Promise<PaymentRow> {
      provider(input.provider);
      return (await sql.one<PaymentRow>(
        `INSERT INTO payments (id, purpose, group_id, buyer_id, provider, amount, status) VALUES ($1, $2, $3, $4, $5, $6, 'pending') RETURNING *`,
        [newId('pay'), input.purpose ?? ORDER_GROUP, input.groupId, input.buyerId, input.provider, input.amount],
      ))!;
    },

    async find(sql: Sql, paymentId: string, lock = false): Promise<PaymentRow> {
      const row = await sql.one<PaymentRow>(`SELECT * FROM payments WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [paymentId]);
      if (!row) throw notFound('payment');
      return row;
    },

    async latestOfGroup(sql: Sql, groupId: string): Promise<PaymentRow | undefined> {
      return sql.one<PaymentRow>(`SELECT * FROM payments WHERE group_id = $1 ORDER BY (status = 'succeeded') DESC, created_at DESC LIMIT 1`, [groupId]);
    },

    async succeededOfGroup(sql: Sql, groupId: string): Promise<PaymentRow | undefined> {
      return sql.one<PaymentRow>(`SELECT * FROM payments WHERE group_id = $1 AND status = 'succeeded'`, [groupId]);
    },

    /** Records a provider event once; false when this event was already handled. */
    async claimNotification(sql: Sql, providerName: string, eventId: string, paymentId: string): Promise<boolean> {
      const rows = await sql.query(
        'INSERT INTO payment_notifications (provider, event_id, payment_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1',
        [providerName, eventId, paymentId],
      );
      return rows.length > 0;
    },

    /** Money arrived at the provider: into the ledger. 'refunded' when it must go straight back. */
    async markReceived(sql: Sql, payment: PaymentRow, providerTxnId: string, status: 'succeeded' | 'refunded' = 'succeeded') {
      await sql.query(`UPDATE payments SET status = $3, provider_txn_id = $2, succeeded_at = now() WHERE id = $1`, [payment.id, providerTxnId, status]);
      await ledger.recordPayment(sql, payment.id, payment.provider, payment.amount);
      await outbox.emit(sql, 'payment.succeeded', { paymentId: payment.id, groupId: payment.group_id, amount: payment.amount });
    },

    async markFailed(sql: Sql, paymentId: string) {
      await sql.query(`UPDATE payments SET status = 'failed' WHERE id = $1 AND status = 'pending'`, [paymentId]);
    },

    /** Pays money back through the provider and the ledger; one refund per (order, reason, request). */
    async refund(sql: Sql, payment: PaymentRow, input: { orderId: string; amount: number; reason: string; requestId?: string }) {
      if (input.amount <= 0) return;
      const refundId = newId('rfd');
      const inserted = await sql.query(
        `INSERT INTO refunds (id, payment_id, order_id, amount, reason, status, request_id) VALUES ($1, $2, $3, $4, $5, 'succeeded', $6)
         ON CONFLICT (order_id, reason, request_id) DO NOTHING RETURNING 1`,
        [refundId, payment.id, input.orderId, input.amount, input.reason, input.requestId ?? ''],
      );
      if (!inserted.length) return;
      await provider(payment.provider).refund({ paymentId: payment.id, providerTxnId: payment.provider_txn_id, amount: input.amount, refundId });
      await ledger.recordRefund(sql, refundId, payment.provider, input.amount);
      await outbox.emit(sql, 'payment.refunded', { paymentId: payment.id, orderId: input.orderId, refundId, amount: input.amount, reason: input.reason });
    },

    async refundsOf(sql: Sql, orderId: string) {
      return sql.query('SELECT id, amount, reason, created_at FROM refunds WHERE order_id = $1', [orderId]);
    },
  };
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
