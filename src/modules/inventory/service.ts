import type { Sql } from '../../db/database.ts';
import { Problem } from '../../shared/problems.ts';

export interface StockLine {
  skuId: string;
  quantity: number;
}

/**
 * Stock per SKU. Reserving is one conditional UPDATE per SKU (available >= quantity),
 * so two buyers can never take the same unit: the row lock orders them and the
 * condition fails for the one who comes second.
 */
export function createInventoryService() {
  /** Units of an order, merged per SKU and sorted so concurrent orders lock rows in one order. */
  function mergeLines(lines: StockLine[]): StockLine[] {
    const bySku = new Map<string, number>();
    for (const l of lines) bySku.set(l.skuId, (bySku.get(l.skuId) ?? 0) + l.quantity);
    return [...bySku].sort(([a], [b]) => (a < b ? -1 : 1)).map(([skuId, quantity]) => ({ skuId, quantity }));
  }

  async function moveReservations(sql: Sql, orderId: string, from: string, to: string) {
    return sql.query<{ sku_id: string; quantity: number }>(
      `UPDATE stock_reservations SET status = $3 WHERE order_id = $1 AND status = $2 RETURNING sku_id, quantity`,
      [orderId, from, to],
    );
  }

  return {
    /** Sets the sellable count (what a merchant types as stock). */
    async setStock(sql: Sql, skuId: string, available: number) {
      await sql.query(
        `INSERT INTO stock_levels (sku_id, available) VALUES ($1, $2)
         ON CONFLICT (sku_id) DO UPDATE SET available = $2, updated_at = now()`,
        [skuId, available],
      );
    },

    async levels(sql: Sql, skuIds: string[]): Promise<Map<string, number>> {
      if (!skuIds.length) return new Map();
      const rows = await sql.query<{ sku_id: string; available: number }>('SELECT sku_id, available FROM stock_levels WHERE sku_id = ANY($1)', [skuIds]);
      return new Map(rows.map((r) => [r.sku_id, r.available]));
    },

    /** Holds stock for an unpaid order; throws 409 out_of_stock (rolling back the caller) if any SKU is short. */
    async reserve(sql: Sql, orderId: string, lines: StockLine[]) {
      for (const line of mergeLines(lines)) {
        const taken = await sql.query(
          `WITH taken AS (
             UPDATE stock_levels SET available = available - $2, reserved = reserved + $2, updated_at = now()
              WHERE sku_id = $1 AND available >= $2 RETURNING sku_id)
           INSERT INTO stock_reservations (order_id, sku_id, quantity) SELECT $3, sku_id, $2 FROM taken RETURNING 1`,
          [line.skuId, line.quantity, orderId],
        );
        if (!taken.length)
          throw new Problem(409, 'out_of_stock', `not enough stock for SKU ${line.skuId}`, [{ field: 'items', message: `SKU ${line.skuId} is out of stock` }], {
            skuId: line.skuId,
          });
      }
    },

    /** Payment arrived: reserved units become sold. */
    async commit(sql: Sql, orderId: string) {
      for (const r of await moveReservations(sql, orderId, 'reserved', 'committed'))
        await sql.query('UPDATE stock_levels SET reserved = reserved - $2, sold = sold + $2, updated_at = now() WHERE sku_id = $1', [r.sku_id, r.quantity]);
    },

    /** Unpaid order cancelled or expired: reserved units go back on sale. */
    async release(sql: Sql, orderId: string) {
      for (const r of await moveReservations(sql, orderId, 'reserved', 'released'))
        await sql.query('UPDATE stock_levels SET reserved = reserved - $2, available = available + $2, updated_at = now() WHERE sku_id = $1', [r.sku_id, r.quantity]);
    },

    /** Paid order cancelled before shipping: sold units (less those already returned) go back on sale. */
    async restock(sql: Sql, orderId: string) {
      const rows = await sql.query<{ sku_id: string; quantity: number }>(
        `UPDATE stock_reservations SET status = 'returned' WHERE order_id = $1 AND status = 'committed' RETURNING sku_id, quantity - returned AS quantity`,
        [orderId],
      );
      for (const r of rows)
        await sql.query('UPDATE stock_levels SET sold = sold - $2, available = available + $2, updated_at = now() WHERE sku_id = $1', [r.sku_id, r.quantity]);
    },

    /** Some units of a paid order's SKU refunded before shipping: they go back on sale. */
    async returnUnits(sql: Sql, orderId: string, lines: StockLine[]) {
      for (const line of mergeLines(lines)) {
        const moved = await sql.query(
          `UPDATE stock_reservations SET returned = returned + $3 WHERE order_id = $1 AND sku_id = $2 AND status = 'committed' AND returned + $3 <= quantity RETURNING 1`,
          [orderId, line.skuId, line.quantity],
        );
        if (moved.length)
          await sql.query('UPDATE stock_levels SET sold = sold - $2, available = available + $2, updated_at = now() WHERE sku_id = $1', [line.skuId, line.quantity]);
      }
    },

    /**
     * Hands units held under `holdId` (a flash sale's dedicated stock, reserved with `reserve(sql, holdId, ...)`)
     * to an order. The units stay reserved, so the SKU's stock levels do not move; the order then pays
     * (commit), is released or restocked like any other. False when the hold has fewer units.
     */
    async handOver(sql: Sql, holdId: string, orderId: string, skuId: string, quantity: number): Promise<boolean> {
      const moved = await sql.query(
        `WITH taken AS (
           UPDATE stock_reservations SET quantity = quantity - $4 WHERE order_id = $1 AND sku_id = $3 AND status = 'reserved' AND quantity >= $4 RETURNING sku_id)
         INSERT INTO stock_reservations (order_id, sku_id, quantity) SELECT $2, sku_id, $4 FROM taken RETURNING 1`,
        [holdId, orderId, skuId, quantity],
      );
      return moved.length > 0;
    },

    /**
     * Gives an order's units of a SKU back to the hold they came from (an open hold only): reserved
     * (unpaid) units stay reserved, sold (paid) units not refunded yet become reserved again. Answers the units moved.
     */
    async handBack(sql: Sql, orderId: string, holdId: string, skuId: string): Promise<number> {
      const back = async (from: string, to: string) =>
        (await sql.one<{ quantity: number }>(
          `WITH back AS (
             UPDATE stock_reservations SET status = $5 WHERE order_id = $1 AND sku_id = $3 AND status = $4
                AND EXISTS (SELECT 1 FROM stock_reservations WHERE order_id = $2 AND sku_id = $3 AND status = 'reserved') RETURNING quantity - returned AS quantity)
           UPDATE stock_reservations h SET quantity = h.quantity + back.quantity FROM back
            WHERE h.order_id = $2 AND h.sku_id = $3 AND h.status = 'reserved' RETURNING back.quantity`,
          [orderId, holdId, skuId, from, to],
        ))?.quantity ?? 0;
      const unpaid = await back('reserved', 'released');
      if (unpaid) return unpaid;
      const paid = await back('committed', 'returned');
      if (paid) await sql.query('UPDATE stock_levels SET sold = sold - $2, reserved = reserved + $2, updated_at = now() WHERE sku_id = $1', [skuId, paid]);
      return paid;
    },

    /** Units sold per SKU (paid and not returned), for the oversell check. */
    async soldUnits(sql: Sql, skuIds: string[]) {
      const rows = await sql.query<{ sku_id: string; available: number; reserved: number; sold: number }>(
        'SELECT sku_id, available, reserved, sold FROM stock_levels WHERE sku_id = ANY($1)',
        [skuIds],
      );
      return rows;
    },
  };
}

export type InventoryService = ReturnType<typeof createInventoryService>;
