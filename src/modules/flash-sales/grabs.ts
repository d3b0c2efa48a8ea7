import { createHash } from 'node:crypto';
import type { Database, Row, Sql } from '../../db/database.ts';
import type { Page } from '../../http/schemas.ts';
import { newId } from '../../shared/ids.ts';
import { notFound, Problem } from '../../shared/problems.ts';
import type { InventoryService } from '../inventory/service.ts';
import type { FlashSale, PricedLine } from '../pricing/engine/types.ts';
import { soldOut } from './refusals.ts';

/**
 * Grabs (抢购): the shopper's answer in a flash sale comes from one SQL statement that takes the
 * units from the sale's counter, counts them against the person's limit and writes the grab, all or
 * nothing; the order is written behind it by the grab worker (grab-worker.ts) through the real
 * checkout. The sale's counter row is therefore locked for one statement per buyer, not for a
 * whole checkout transaction.
 *
 * Units. A taken grab's units are counted in `sold` and in the buyer's count but stay in the sale's
 * inventory hold until the order adopts them (the hold hands them over, as for any flash order);
 * a failed grab gives them back to the counter and the buyer's count. The settle job leaves a sale
 * with taken grabs alone until they are ordered or failed.
 */

export type GrabStatus = 'taken' | 'ordered' | 'failed';

export interface Address {
  name: string;
  phone: string;
  region: string;
  line1: string;
}

/** What a grab takes, and what its order needs. */
interface GrabOrder {
  saleId: string;
  buyerId: string;
  skuId: string;
  quantity: number;
  address: Address;
  deviceId?: string;
}

export interface GrabRequest extends GrabOrder {
  idempotencyKey: string;
}

/** A taken grab a worker holds (row-locked in its transaction) while it places the order. */
export interface GrabClaim extends GrabOrder {
  grabId: string;
  /** When the units were taken: the order is priced as of then. */
  at: Date;
  /** The sale's price, as a rule: it holds for this grab even once the sale is sold out. */
  rule: FlashSale;
}

export interface GrabFlags {
  flaggedSoldOut(saleId: string): boolean;
  /** False when the sale is flagged sold out and the buyer had taken none of its units by then (so has no grab to replay). */
  mayHoldUnits(saleId: string, buyerId: string): boolean;
  /** Units came back to the sale: forget that it looked sold out. */
  unflag(saleId: string, skuId: string): void;
  /** The sale's counter is at its quantity: flag it sold out on this node. */
  exhausted(sql: Sql, saleId: string, skuId: string): Promise<void>;
  /** Why the counter refused this grab (unknown sale, another SKU, over the limit with what the buyer holds, not on, sold out). */
  refusal(sql: Sql, r: { saleId: string; buyerId: string; skuId: string; quantity: number }, at: Date): Promise<Problem>;
  overLimit(sql: Sql, saleId: string): Promise<Problem>;
}

/** Why a grab failed, as the shopper reads it; the code is the checkout's refusal. */
const FAILURES: Record<string, { zh: string; en: string }> = {
  not_on_sale: { zh: '商品已下架，名额已退回', en: 'the product was taken off sale; your units went back to the sale' },
  not_found: { zh: '商品已不存在，名额已退回', en: 'the product no longer exists; your units went back to the sale' },
  flash_sale_price_changed: { zh: '商家调整了价格，秒杀价不再适用，名额已退回', en: 'the store changed the price so the flash price no longer applies; your units went back to the sale' },
};
const FAILED_OTHERWISE = { zh: '订单未能生成，名额已退回，请稍后再试', en: 'the order could not be placed; your units went back to the sale, please try again' };
export const failureMessage = (code: string) => FAILURES[code] ?? FAILED_OTHERWISE;

/** After this many attempts that broke for reasons other than a checkout refusal, a grab fails. */
const MAX_ATTEMPTS = 3;
const LIMIT_CONSTRAINT = 'flash_sale_buyers_within_limit';
const KEY_CONSTRAINT = 'flash_sale_grabs_key';

/**
 * The counter, the buyer's count and the grab in one statement. The counter's condition refuses
 * sold out, not on, another SKU and over-the-limit quantities (no row comes back); the buyer's row
 * carries the limit in a CHECK, so a count above it makes the statement fail and take nothing.
 */
const TAKE = `
  WITH taken AS (
    UPDATE flash_sales SET sold = sold + $3
     WHERE id = $1 AND sku_id = $2 AND $3 <= per_person_limit AND sold + $3 <= quantity
       AND starts_at <= $4 AND ends_at > $4 AND cancelled_at IS NULL AND settled_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM flash_sale_grabs WHERE buyer_id = $5 AND idempotency_key = $9)
    RETURNING id, per_person_limit),
  counted AS (
    INSERT INTO flash_sale_buyers (sale_id, buyer_id, bought, per_person_limit)
    SELECT id, $5, $3, per_person_limit FROM taken
    ON CONFLICT (sale_id, buyer_id) DO UPDATE SET bought = flash_sale_buyers.bought + EXCLUDED.bought, per_person_limit = EXCLUDED.per_person_limit
    RETURNING sale_id)
  INSERT INTO flash_sale_grabs (id, sale_id, buyer_id, sku_id, quantity, address, device_id, idempotency_key, request_hash, grabbed_at)
  SELECT $6, sale_id, $5, $2, $3, $7::jsonb, $8, $9, $10, $4 FROM counted
  RETURNING *`;

/** The most grabs one statement takes units for. */
const BATCH_MAX = 200;

interface Waiting {
  id: string;
  r: GrabRequest;
  hash: string;
  at: Date;
  settle: (row: Row | undefined | 'alone') => void;
}

/**
 * TAKE for a batch, given the units left on the sale's row (locked by the caller's transaction):
 * in arrival order, the grabs for this SKU, live at their time, within the limit with what each
 * buyer holds, with a key not used before, as long as the units last.
 */
const TAKE_BATCH = `
  WITH req AS (
    SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::timestamptz[], $8::jsonb[], $9::text[], $10::text[], $11::text[])
      WITH ORDINALITY AS r(id, buyer_id, sku_id, quantity, at, address, device_id, idempotency_key, request_hash, ord)),
  eligible AS (
    SELECT r.*, s.per_person_limit FROM req r JOIN flash_sales s ON s.id = $1 AND s.sku_id = r.sku_id
     WHERE r.quantity <= s.per_person_limit AND s.starts_at <= r.at AND s.ends_at > r.at AND s.cancelled_at IS NULL AND s.settled_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM flash_sale_grabs g WHERE g.buyer_id = r.buyer_id AND g.idempotency_key = r.idempotency_key)
       AND coalesce((SELECT b.bought FROM flash_sale_buyers b WHERE b.sale_id = $1 AND b.buyer_id = r.buyer_id), 0) + r.quantity <= s.per_person_limit),
  granted AS (
    SELECT * FROM (SELECT e.*, sum(e.quantity) OVER (ORDER BY e.ord) AS running FROM eligible e) e WHERE e.running <= $2),
  counted AS (
    UPDATE flash_sales SET sold = sold + (SELECT sum(quantity) FROM granted) WHERE id = $1 AND EXISTS (SELECT 1 FROM granted) RETURNING id),
  buyers AS (
    INSERT INTO flash_sale_buyers (sale_id, buyer_id, bought, per_person_limit)
    SELECT $1, buyer_id, quantity, per_person_limit FROM granted
    ON CONFLICT (sale_id, buyer_id) DO UPDATE SET bought = flash_sale_buyers.bought + EXCLUDED.bought, per_person_limit = EXCLUDED.per_person_limit
    RETURNING buyer_id)
  INSERT INTO flash_sale_grabs (id, sale_id, buyer_id, sku_id, quantity, address, device_id, idempotency_key, request_hash, grabbed_at)
  SELECT id, $1, buyer_id, sku_id, quantity, address, device_id, idempotency_key, request_hash, at FROM granted
  RETURNING *`;

export function createGrabs(deps: { db: Database; inventory: InventoryService; flags: GrabFlags }) {
  const { db, inventory, flags } = deps;

  const hashOf = (r: GrabRequest) =>
    createHash('sha256').update(JSON.stringify([r.saleId, r.skuId, r.quantity, r.address])).digest('hex');

  async function replay(buyerId: string, key: string, requestHash: string) {
    const row = await db.one('SELECT * FROM flash_sale_grabs WHERE buyer_id = $1 AND idempotency_key = $2', [buyerId, key]);
    if (row && row.request_hash !== requestHash)
      throw new Problem(409, 'idempotency_key_reused', 'this Idempotency-Key was used with a different request');
    return row;
  }

  /**
   * Merging grabs (请求合并): in a rush, every grab of a sale queues on its counter row, one commit
   * after another. So a node takes the units of the grabs waiting for one sale together, one
   * transaction for a batch: the row locked, then one statement grants them first come first
   * served within the units left and each buyer's limit, and writes their counts and grab rows.
   * A batch holds one grab per buyer (later ones wait for the next); a grab it did not grant is
   * told why by `flags.refusal`. Every grab of a batch that failed (racing another node for a
   * buyer's limit or key) goes through the one-grab statement (TAKE) instead.
   */
  const queues = new Map<string, { waiting: Waiting[]; running: boolean }>();

  function takeTogether(w: Omit<Waiting, 'settle'>): Promise<Row | undefined | 'alone'> {
    return new Promise((settle) => {
      let queue = queues.get(w.r.saleId);
      if (!queue) queues.set(w.r.saleId, (queue = { waiting: [], running: false }));
      queue.waiting.push({ ...w, settle });
      if (!queue.running) void drain(w.r.saleId, queue);
    });
  }

  async function drain(saleId: string, queue: { waiting: Waiting[]; running: boolean }) {
    queue.running = true;
    while (queue.waiting.length) {
      const buyers = new Set<string>();
      const batch: Waiting[] = [];
      queue.waiting = queue.waiting.filter((w) => (batch.length < BATCH_MAX && !buyers.has(w.r.buyerId) ? (buyers.add(w.r.buyerId), batch.push(w), false) : true));
      // A grab that waited while this node saw the sale sell out skips the statement.
      const live = batch.filter((w) => !flags.flaggedSoldOut(saleId) || (w.settle(undefined), false));
      if (!live.length) continue;
      try {
        const { rows, soldOut } = await takeBatch(saleId, live);
        // The batch took the last units: the sale is sold out here, and that is the answer to the rest of it.
        if (soldOut) await flags.exhausted(db, saleId, soldOut.skuId);
        for (const w of live) w.settle(rows.get(w.id));
      } catch (error: any) {
        // Racing another node for one buyer's limit or key is expected; anything else is worth a line in the log.
        if (!['23514', '23505', '40P01'].includes(error?.code)) console.error(`flash sale ${saleId}: a batch of grabs failed, taking them one by one`, error);
        for (const w of live) w.settle('alone');
      }
    }
    queue.running = false;
    queues.delete(saleId);
  }

  async function takeBatch(saleId: string, batch: Waiting[]): Promise<{ rows: Map<string, Row>; soldOut?: { skuId: string } }> {
    return db.tx(async (sql) => {
      const sale = await sql.one<{ left: number; sku_id: string }>('SELECT quantity - sold AS left, sku_id FROM flash_sales WHERE id = $1 FOR UPDATE', [saleId]);
      if (!sale) return { rows: new Map() };
      const column = <T>(f: (w: Waiting) => T) => batch.map(f);
      const rows = await sql.query(TAKE_BATCH, [
        saleId, sale.left, column((w) => w.id), column((w) => w.r.buyerId), column((w) => w.r.skuId), column((w) => w.r.quantity), column((w) => w.at),
        column((w) => JSON.stringify(w.r.address)), column((w) => w.r.deviceId?.slice(0, 64) ?? null), column((w) => w.r.idempotencyKey), column((w) => w.hash),
      ]);
      const taken = rows.reduce((n, row) => n + (row.quantity as number), 0);
      return { rows: new Map(rows.map((row) => [row.id as string, row])), ...(taken === sale.left ? { soldOut: { skuId: sale.sku_id } } : {}) };
    });
  }

  async function take(r: GrabRequest, requestHash: string, at: Date, retried = false): Promise<{ row?: Row; replayed: boolean }> {
    try {
      const id = newId('grb');
      const together = retried ? 'alone' : await takeTogether({ id, r, hash: requestHash, at });
      if (together !== 'alone') return { row: together, replayed: false };
      return { row: await db.one(TAKE, [r.saleId, r.skuId, r.quantity, at, r.buyerId, id, JSON.stringify(r.address), r.deviceId?.slice(0, 64) ?? null, r.idempotencyKey, requestHash]), replayed: false };
    } catch (error: any) {
      if (error?.code === '23514' && error.constraint === LIMIT_CONSTRAINT) throw await flags.overLimit(db, r.saleId);
      // The same key raced this request and won: its grab is the answer.
      if (error?.code === '23505' && error.constraint === KEY_CONSTRAINT) return { row: await replay(r.buyerId, r.idempotencyKey, requestHash), replayed: true };
      // One person grabbing while their own checkout of the sale runs can meet it in the other lock order.
      if (error?.code === '40P01' && !retried) return take(r, requestHash, at, true);
      throw error;
    }
  }

  /**
   * Takes the units and answers the grab, or refuses: 409 out_of_stock (sold out, from memory
   * when this node saw it so), 422 flash_sale_limit, 409 flash_sale_ended, 404 / 422 for a wrong sale or SKU.
   * The same Idempotency-Key answers the same grab.
   */
  async function grab(r: GrabRequest, at = new Date()): Promise<{ grab: GrabView; replayed: boolean }> {
    const requestHash = hashOf(r);
    // A key seen before answers its grab; the statement takes nothing for one (so its refusal is read here too).
    const earlier = async () => {
      const row = await replay(r.buyerId, r.idempotencyKey, requestHash);
      return row && { grab: grabView(row), replayed: true };
    };
    if (!flags.flaggedSoldOut(r.saleId)) {
      const { row, replayed } = await take(r, requestHash, at);
      if (row) return { grab: grabView(row), replayed };
    }
    // Most of a rush (flagged before this grab or while it ran): refused from memory, unless the buyer may be retrying a grab that took units.
    const soldOutHere = flags.flaggedSoldOut(r.saleId);
    const answered = (!soldOutHere || flags.mayHoldUnits(r.saleId, r.buyerId)) && (await earlier());
    if (answered) return answered;
    if (soldOutHere) throw soldOut('quantity');
    throw await flags.refusal(db, r, at);
  }

  /** The oldest taken grab nobody else is ordering, locked until the caller's transaction ends. */
  async function claim(sql: Sql): Promise<GrabClaim | undefined> {
    const g = await sql.one(
      `SELECT g.*, s.unit_price, s.per_person_limit, s.starts_at, s.ends_at FROM flash_sale_grabs g JOIN flash_sales s ON s.id = g.sale_id
        WHERE g.status = 'taken' ORDER BY g.grabbed_at LIMIT 1 FOR UPDATE OF g SKIP LOCKED`,
    );
    if (!g) return undefined;
    return {
      grabId: g.id, saleId: g.sale_id, buyerId: g.buyer_id, skuId: g.sku_id, quantity: g.quantity, address: g.address,
      ...(g.device_id ? { deviceId: g.device_id } : {}), at: g.grabbed_at,
      rule: { kind: 'flash_sale', id: g.sale_id, skuId: g.sku_id, unitPrice: Number(g.unit_price), perPersonLimit: g.per_person_limit, startsAt: g.starts_at.getTime(), endsAt: g.ends_at.getTime() },
    };
  }

  /**
   * In the order's transaction: the order takes the grab's units (the hold hands them over; the counter
   * and the buyer's count already hold them), and the grab becomes 'ordered'. Cancelling the order later
   * gives them back like any flash order's (release).
   */
  async function adopt(sql: Sql, grab: GrabClaim, lines: PricedLine[], orderOf: Map<string, string>) {
    const line = lines.find((l) => l.skuId === grab.skuId);
    if (!line || line.flashSaleId !== grab.saleId || line.quantity !== grab.quantity)
      throw new Problem(409, 'flash_sale_price_changed', 'the flash price no longer applies to this SKU');
    const orderId = orderOf.get(grab.skuId)!;
    await sql.query('INSERT INTO flash_sale_orders (order_id, sale_id, sku_id, buyer_id, quantity) VALUES ($1, $2, $3, $4, $5)', [orderId, grab.saleId, grab.skuId, grab.buyerId, grab.quantity]);
    if (!(await inventory.handOver(sql, grab.saleId, orderId, grab.skuId, grab.quantity)))
      throw new Error(`flash sale ${grab.saleId}: its inventory hold has fewer units than grab ${grab.grabId} took`);
    await sql.query(`UPDATE flash_sale_grabs SET status = 'ordered', order_id = $2, done_at = now() WHERE id = $1 AND status = 'taken'`, [grab.grabId, orderId]);
  }

  /** The checkout refused the grab's order: its units go back to the sale and the buyer's count. False when it was no longer taken. */
  function fail(grabId: string, code: string) {
    return db.tx(async (sql) => {
      const g = await sql.one<{ sale_id: string; sku_id: string; buyer_id: string; quantity: number }>(
        `UPDATE flash_sale_grabs SET status = 'failed', failure_code = $2, done_at = now() WHERE id = $1 AND status = 'taken' RETURNING sale_id, sku_id, buyer_id, quantity`,
        [grabId, code],
      );
      if (!g) return false;
      // The sale's row before the buyer's, the order a grab's statement locks them in. The sale cannot be
      // settled yet: the settle job waits while it has taken grabs.
      await sql.query('UPDATE flash_sales SET sold = sold - $2 WHERE id = $1', [g.sale_id, g.quantity]);
      await sql.query('UPDATE flash_sale_buyers SET bought = bought - $3 WHERE sale_id = $1 AND buyer_id = $2', [g.sale_id, g.buyer_id, g.quantity]);
      flags.unflag(g.sale_id, g.sku_id);
      return true;
    });
  }

  /** Placing the order broke (not a refusal): the grab stays taken for the next claim, and fails after a few attempts. */
  async function attemptBroke(grabId: string) {
    const row = await db.one<{ attempts: number }>(`UPDATE flash_sale_grabs SET attempts = attempts + 1 WHERE id = $1 AND status = 'taken' RETURNING attempts`, [grabId]);
    if (row && row.attempts >= MAX_ATTEMPTS) await fail(grabId, 'order_failed');
  }

  /** The owner's grab; anyone else's is not found. */
  async function grabOf(grabId: string, buyerId: string) {
    const row = await db.one('SELECT * FROM flash_sale_grabs WHERE id = $1 AND buyer_id = $2', [grabId, buyerId]);
    if (!row) throw notFound('grab');
    return grabView(row);
  }

  async function grabsOf(buyerId: string, { page, pageSize }: Page) {
    const rows = await db.query(
      'SELECT *, count(*) OVER () AS total FROM flash_sale_grabs WHERE buyer_id = $1 ORDER BY grabbed_at DESC, id LIMIT $2 OFFSET $3',
      [buyerId, pageSize, (page - 1) * pageSize],
    );
    return { items: rows.map(grabView), total: (rows[0]?.total as number) ?? 0, page, pageSize };
  }

  /** Whether the sale still has grabs waiting for their orders (the settle job waits for them). */
  const hasTakenGrabs = async (sql: Sql, saleId: string) => !!(await sql.one(`SELECT 1 FROM flash_sale_grabs WHERE sale_id = $1 AND status = 'taken' LIMIT 1`, [saleId]));

  return { grab, claim, adopt, fail, attemptBroke, grabOf, grabsOf, hasTakenGrabs };
}

export type GrabView = ReturnType<typeof grabView>;

function grabView(r: Row) {
  return {
    id: r.id as string, saleId: r.sale_id as string, skuId: r.sku_id as string, quantity: r.quantity as number,
    status: r.status as GrabStatus,
    ...(r.order_id ? { orderId: r.order_id as string } : {}),
    ...(r.status === 'failed' ? { failure: { code: r.failure_code as string, message: failureMessage(r.failure_code) } } : {}),
    grabbedAt: (r.grabbed_at as Date).toISOString(),
    ...(r.done_at ? { doneAt: (r.done_at as Date).toISOString() } : {}),
  };
}
