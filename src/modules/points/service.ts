import type { Database, Sql } from '../../db/database.ts';
import type { Page } from '../../http/schemas.ts';
import { money } from '../../shared/money.ts';
import { Problem } from '../../shared/problems.ts';
import type { LineDiscount, PointsUse } from '../pricing/engine/types.ts';
import type { CancelledOrder, CompletedOrder, PlacedCheckout, PricingSource, RefundedOrder } from '../pricing/service.ts';

/**
 * Shopper points (积分), MECHANISMS 5's last step. The rules, as the shopper reads them on 我的积分:
 * - earned when an order completes (确认收货): 1 point per whole yuan it paid, less refunds;
 * - spent at checkout when the shopper chooses: 1 point takes 1 fen off, at most 10% of what the
 *   goods still cost after every other discount; platform-funded, so the store is paid in full;
 * - given back when the order is cancelled, and for the refunded units when some are refunded;
 * - taken back, as far as the balance allows, for money refunded after the order completed.
 * Points do not expire.
 */
export const POINTS_RULE = { fenPerPointEarned: 100, maxShareBps: 1000 } as const;

type MovementKind = 'earned' | 'spent' | 'returned' | 'taken_back';

/** Points spent on a line's first `units` units: in proportion, rounded down, the last unit taking what is left. */
const pointsOfUnits = (points: number, units: number, quantity: number) => (units >= quantity ? points : Math.floor((points * units) / quantity));
const pointsOf = (discounts: LineDiscount[]) => discounts.filter((d) => d.kind === 'points').reduce((a, d) => a + d.amount, 0);

export function createPointsService(db: Database) {
  /** Adds a movement once, and moves the balance with it; false when it was recorded before. */
  async function move(sql: Sql, userId: string, kind: MovementKind, points: number, orderId: string, refundId = ''): Promise<boolean> {
    if (points === 0) return false;
    const recorded = await sql.one(
      `INSERT INTO point_movements (user_id, kind, points, order_id, refund_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (kind, order_id, refund_id) DO NOTHING RETURNING id`,
      [userId, kind, points, orderId, refundId],
    );
    if (!recorded) return false;
    const moved = await sql.one(
      points > 0
        ? `INSERT INTO point_balances (user_id, balance) VALUES ($1, $2)
           ON CONFLICT (user_id) DO UPDATE SET balance = point_balances.balance + excluded.balance, updated_at = now() RETURNING balance`
        : 'UPDATE point_balances SET balance = balance + $2, updated_at = now() WHERE user_id = $1 AND balance + $2 >= 0 RETURNING balance',
      [userId, points],
    );
    // Points were spent elsewhere since this checkout was priced: refuse it, nothing is placed.
    if (!moved) throw new Problem(409, 'points_changed', '积分余额已变化，请重新下单 (your points balance changed; check out again)', [{ field: 'usePoints', message: '积分余额已变化' }]);
    return true;
  }

  async function balanceOf(sql: Sql, userId: string): Promise<number> {
    const row = await sql.one<{ balance: string }>('SELECT balance FROM point_balances WHERE user_id = $1', [userId]);
    return Number(row?.balance ?? 0);
  }

  async function sumOf(sql: Sql, orderId: string, kinds: MovementKind[]): Promise<number> {
    const row = await sql.one<{ n: string }>('SELECT coalesce(sum(points), 0) AS n FROM point_movements WHERE order_id = $1 AND kind = ANY($2)', [orderId, kinds]);
    return Number(row!.n);
  }

  /** Spends, per order of the group, the points the engine applied to its lines. */
  async function spend(sql: Sql, { buyerId, result, orderOf }: PlacedCheckout) {
    const perOrder = new Map<string, number>();
    for (const line of result.lines) {
      const points = pointsOf(line.discounts);
      if (points) perOrder.set(orderOf.get(line.skuId)!, (perOrder.get(orderOf.get(line.skuId)!) ?? 0) + points);
    }
    for (const [orderId, points] of [...perOrder].sort()) await move(sql, buyerId, 'spent', -points, orderId);
  }

  /** A cancelled order gives back what it spent, less what its refunds already gave back. */
  async function giveBackCancelled(sql: Sql, order: CancelledOrder) {
    const spent = -(await sumOf(sql, order.orderId, ['spent']));
    const returned = await sumOf(sql, order.orderId, ['returned']);
    await move(sql, order.buyerId, 'returned', spent - returned, order.orderId, 'cancel');
  }

  /** An order completed: 1 point per whole yuan it paid, less refunds. */
  async function earn(sql: Sql, order: CompletedOrder) {
    await move(sql, order.buyerId, 'earned', Math.floor(order.paid / POINTS_RULE.fenPerPointEarned), order.orderId);
  }

  /** Inside the refund's transaction: the refunded units' points come back; after completion, points earned on the money go. */
  async function refunded(sql: Sql, refund: RefundedOrder) {
    const back = refund.lines.reduce((a, l) => {
      const points = pointsOf(l.discounts);
      return a + pointsOfUnits(points, l.refundedBefore + l.quantity, l.lineQuantity) - pointsOfUnits(points, l.refundedBefore, l.lineQuantity);
    }, 0);
    await move(sql, refund.buyerId, 'returned', back, refund.orderId, refund.refundId);
    if (!refund.afterCompletion) return;
    const earned = await sumOf(sql, refund.orderId, ['earned']);
    const takenBack = -(await sumOf(sql, refund.orderId, ['taken_back']));
    const due = Math.min(Math.floor(refund.amount / POINTS_RULE.fenPerPointEarned), earned - takenBack, await balanceOf(sql, refund.buyerId));
    if (due > 0) await move(sql, refund.buyerId, 'taken_back', -due, refund.orderId, refund.refundId);
  }

  return {
    balanceOf,

    /** 我的积分: the balance, the rule, and every movement, newest first. */
    async mine(userId: string, { page, pageSize }: Page) {
      const rows = await db.query(
        'SELECT *, count(*) OVER () AS total FROM point_movements WHERE user_id = $1 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3',
        [userId, pageSize, (page - 1) * pageSize],
      );
      const balance = await balanceOf(db, userId);
      return {
        balance,
        worth: money(balance),
        rule: { fenPerPointEarned: POINTS_RULE.fenPerPointEarned, maxShareBps: POINTS_RULE.maxShareBps },
        items: rows.map((r) => ({ kind: r.kind as MovementKind, points: Number(r.points), orderId: r.order_id as string, ...(r.refund_id ? { refundId: r.refund_id as string } : {}), at: (r.at as Date).toISOString() })),
        total: (rows[0]?.total as number) ?? 0, page, pageSize,
      };
    },

    /** Erasure: the balance and its history go with the account. */
    async erase(sql: Sql, userId: string) {
      await sql.query('DELETE FROM point_movements WHERE user_id = $1', [userId]);
      await sql.query('DELETE FROM point_balances WHERE user_id = $1', [userId]);
    },

    /** The checkout's side: the engine's points step, spend on placing, give back on cancel and refund, earn on completion. */
    checkoutPart(): PricingSource {
      return {
        name: 'points',
        points: async (sql, buyerId): Promise<PointsUse> => ({ available: await balanceOf(sql, buyerId), maxShareBps: POINTS_RULE.maxShareBps }),
        placed: spend, cancelled: giveBackCancelled, refunded, completed: earn,
      };
    },
  };
}

export type PointsService = ReturnType<typeof createPointsService>;
