import type { Database, Row, Sql } from '../../db/database.ts';
import type { Page } from '../../http/schemas.ts';
import { newId } from '../../shared/ids.ts';
import { formatYuan, money } from '../../shared/money.ts';
import { forbidden, invalidField, invalidState, notFound, Problem } from '../../shared/problems.ts';
import type { Audit } from '../audit/audit.ts';
import type { CatalogService } from '../catalog/service.ts';
import type { InventoryService } from '../inventory/service.ts';
import type { FlashSale, PricedLine } from '../pricing/engine/types.ts';
import { createGrabs, type GrabClaim } from './grabs.ts';
import { notOn, overLimit, soldOut } from './refusals.ts';

/**
 * Flash sales (秒杀, MECHANISMS.md 5): a store sells `quantity` units of one SKU at a price
 * below its list price during a window, at most `perPersonLimit` units per person.
 *
 * Stock. Creating a sale reserves its units in inventory under the sale's id (a hold), so
 * they leave the SKU's sellable stock at once. An order for a flash-priced line takes its
 * units from the sale's counter (`sold`), then inventory hands the same units from the hold
 * to the order: the order's reservation comes from the dedicated units, never from the SKU's
 * remaining stock, and the SKU's stock row is not touched on the hot path. Cancelling an
 * unpaid (or paid) order hands them back to the hold while the sale is open; when the sale
 * ends, the hold's unsold units go back to the SKU (settle), once.
 *
 * Fairness without a queue: the counter is one conditional UPDATE (sold + q <= quantity),
 * so the database orders buyers by who reaches the row first and nobody gets a unit twice.
 */

export type FlashSaleState = 'scheduled' | 'live' | 'sold_out' | 'ended' | 'cancelled';

export interface NewFlashSale {
  skuId: string;
  unitPrice: number;
  quantity: number;
  startsAt: Date;
  endsAt: Date;
  perPersonLimit: number;
  /** A campaign price (会场价): the sale belongs to this campaign's venue. */
  campaignId?: string;
}

export interface FlashReservation {
  orderId: string;
  buyerId: string;
  lines: { flashSaleId: string; skuId: string; quantity: number }[];
  at?: Date;
}

interface ReservedLine {
  orderId: string;
  flashSaleId: string;
  skuId: string;
  quantity: number;
}

export interface Viewer {
  id: string;
  roles: string[];
}

/** Lets a campaign refuse a flash sale that names it (unknown campaign, product not enrolled, outside its phases). */
export type CampaignCheck = (sql: Sql, campaignId: string, sale: { merchantId: string; productId: string; startsAt: Date; endsAt: Date }) => Promise<void>;

/**
 * How long this node refuses, without asking the database, a sale it saw sold out and a SKU with nothing
 * left besides (units may come back from cancellations or a restock, so the flags are short-lived).
 */
const SOLD_OUT_FLAG_MS = 1000;


export function stateOf(row: Row, at: Date): FlashSaleState {
  if (row.cancelled_at) return 'cancelled';
  if (at < row.starts_at) return 'scheduled';
  if (at >= row.ends_at || row.settled_at) return 'ended';
  return row.sold >= row.quantity ? 'sold_out' : 'live';
}

export function createFlashSalesService(deps: { db: Database; catalog: CatalogService; inventory: InventoryService; audit: Audit }) {
  const { db, catalog, inventory, audit } = deps;
  let campaignCheck: CampaignCheck | undefined;
  const soldOutUntil = new Map<string, number>();
  const skuGoneUntil = new Map<string, number>();

  /** Of a sale flagged sold out, the buyers who had taken its units by then: only they can be retrying a grab. */
  const holdersWhenSoldOut = new Map<string, Set<string>>();

  const flaggedSoldOut = (saleId: string) => (soldOutUntil.get(saleId) ?? 0) > Date.now();
  /** False only when the sale is flagged sold out and this buyer had taken none of its units by then. */
  const mayHoldUnits = (saleId: string, buyerId: string) => !flaggedSoldOut(saleId) || !!holdersWhenSoldOut.get(saleId)?.has(buyerId);
  /** Units came back to the sale: it no longer looks sold out here. */
  function unflag(saleId: string, skuId: string) {
    soldOutUntil.delete(saleId);
    holdersWhenSoldOut.delete(saleId);
    skuGoneUntil.delete(skuId);
  }

  /**
   * A sale seen exhausted: flag it, and its SKU too when the SKU has no stock of its own left, so
   * checkouts for it are refused before they write anything (in the rush after a sale sells out,
   * nearly every request is one of those).
   */
  const flagging = new Map<string, Promise<void>>();
  /** In a rush, hundreds of requests find the counter exhausted at once: one of them reads what the flags need. */
  function flagExhausted(sql: Sql, saleId: string, skuId: string): Promise<void> {
    if (flaggedSoldOut(saleId)) return Promise.resolve();
    let pending = flagging.get(saleId);
    if (!pending) {
      // The flags only spare the database work: a failed read leaves the sale unflagged, it fails nobody's request.
      pending = readExhausted(sql, saleId, skuId)
        .catch((e) => console.error(`flash sale ${saleId}: reading its sold-out flags failed`, e))
        .finally(() => flagging.delete(saleId));
      flagging.set(saleId, pending);
    }
    return pending;
  }

  async function readExhausted(sql: Sql, saleId: string, skuId: string) {
    // Read after the counter was seen exhausted, so every buyer who ever took units is in it, also those whose
    // grab failed or order was cancelled since (their key answers that grab); no more can while it stays so.
    const holders = await sql.query<{ buyer_id: string }>('SELECT buyer_id FROM flash_sale_buyers WHERE sale_id = $1', [saleId]);
    const skuLeft = (await inventory.levels(sql, [skuId])).get(skuId) ?? 0;
    const until = Date.now() + SOLD_OUT_FLAG_MS;
    holdersWhenSoldOut.set(saleId, new Set(holders.map((h) => h.buyer_id)));
    soldOutUntil.set(saleId, until);
    if (!skuLeft) skuGoneUntil.set(skuId, until);
  }

  async function views(rows: Row[], at = new Date(), sql: Sql = db) {
    const skus = rows.length ? await catalog.sellableSkus(sql, [...new Set(rows.map((r) => r.sku_id as string))]) : new Map();
    return rows.map((r) => {
      const sku = skus.get(r.sku_id);
      return {
        id: r.id as string, merchantId: r.merchant_id as string, productId: r.product_id as string, skuId: r.sku_id as string,
        title: sku?.title ?? '', titleEn: sku?.titleEn ?? '', skuAttributes: (sku?.attributes ?? {}) as Record<string, string>,
        ...(r.campaign_id ? { campaignId: r.campaign_id as string } : {}),
        listPrice: money(Number(sku?.price ?? r.list_price)), unitPrice: money(Number(r.unit_price)),
        quantity: r.quantity as number, sold: r.sold as number, remaining: r.settled_at ? 0 : (r.quantity - r.sold) as number,
        perPersonLimit: r.per_person_limit as number,
        startsAt: (r.starts_at as Date).toISOString(), endsAt: (r.ends_at as Date).toISOString(),
        state: stateOf(r, at),
        ...(r.returned !== null ? { returnedToStock: r.returned as number } : {}),
      };
    });
  }

  async function page(where: string, params: unknown[], order: string, { page, pageSize }: Page, at = new Date()) {
    const rows = await db.query(
      `SELECT *, count(*) OVER () AS total FROM flash_sales WHERE ${where} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { items: await views(rows, at), total: (rows[0]?.total as number) ?? 0, page, pageSize };
  }

  async function saleRow(sql: Sql, id: string, lock = false) {
    return sql.one(`SELECT * FROM flash_sales WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
  }

  /** Moves the sale's units from the SKU's sellable stock into its hold; 409 out_of_stock naming `quantity` when short. */
  async function holdUnits(sql: Sql, saleId: string, skuId: string, quantity: number) {
    try {
      await inventory.reserve(sql, saleId, [{ skuId, quantity }]);
    } catch (error) {
      if (!(error instanceof Problem) || error.code !== 'out_of_stock') throw error;
      const available = (await inventory.levels(sql, [skuId])).get(skuId) ?? 0;
      throw new Problem(409, 'out_of_stock', `the SKU has ${available} units in stock, fewer than ${quantity}`, [{ field: 'quantity', message: `at most ${available} (the SKU's stock)` }], { available });
    }
  }

  async function create(merchantId: string, actor: Viewer, input: NewFlashSale, asOperator: boolean) {
    if (input.endsAt <= input.startsAt) throw invalidField('endsAt', 'must be after startsAt');
    if (input.endsAt.getTime() <= Date.now()) throw invalidField('endsAt', 'already past');
    return db.tx(async (sql) => {
      const sku = (await catalog.sellableSkus(sql, [input.skuId])).get(input.skuId);
      if (!sku) throw new Problem(404, 'not_found', 'SKU not found', [{ field: 'skuId', message: 'no such SKU' }]);
      if (sku.merchantId !== merchantId) throw forbidden('this SKU belongs to another store');
      if (input.unitPrice >= sku.price) throw invalidField('unitPrice', `must be below the list price ${formatYuan(sku.price)}`);
      // One sale per SKU at a time: the engine prices a SKU from at most one flash sale.
      await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`flash_sale:${input.skuId}`]);
      const overlap = await sql.one(
        'SELECT id FROM flash_sales WHERE sku_id = $1 AND cancelled_at IS NULL AND starts_at < $3 AND ends_at > $2 LIMIT 1',
        [input.skuId, input.startsAt, input.endsAt],
      );
      if (overlap) throw new Problem(409, 'flash_sale_overlaps', `flash sale ${overlap.id} of this SKU overlaps this window`, [{ field: 'startsAt', message: `overlaps flash sale ${overlap.id}` }]);
      if (input.campaignId) {
        if (!campaignCheck) throw invalidField('campaignId', 'campaigns are not available');
        await campaignCheck(sql, input.campaignId, { merchantId, productId: sku.productId, startsAt: input.startsAt, endsAt: input.endsAt });
      }
      const id = newId('fls');
      await sql.query(
        `INSERT INTO flash_sales (id, merchant_id, product_id, sku_id, campaign_id, list_price, unit_price, quantity, per_person_limit, starts_at, ends_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [id, merchantId, sku.productId, input.skuId, input.campaignId ?? null, sku.price, input.unitPrice, input.quantity, input.perPersonLimit, input.startsAt, input.endsAt, actor.id],
      );
      await holdUnits(sql, id, input.skuId, input.quantity);
      if (asOperator) await audit.record(sql, actor.id, 'flash_sale.create', `flash_sale:${id}`, { merchantId, skuId: input.skuId, quantity: input.quantity, unitPrice: input.unitPrice });
      return (await views([(await saleRow(sql, id))!], new Date(), sql))[0];
    });
  }

  /** Ends a sale's hold: its unsold units go back to the SKU's sellable stock. Idempotent: undefined when already settled. */
  async function settle(sql: Sql, saleId: string, at: Date, cancel = false) {
    // Locked first, so a grab committed just before is seen: its units wait in the hold for its order.
    if (!(await saleRow(sql, saleId, true)) || (await grabs.hasTakenGrabs(sql, saleId))) return undefined;
    const row = await sql.one(
      `UPDATE flash_sales SET settled_at = $2, returned = quantity - sold, cancelled_at = CASE WHEN $3 THEN $2 ELSE cancelled_at END
        WHERE id = $1 AND settled_at IS NULL RETURNING returned`,
      [saleId, at, cancel],
    );
    if (!row) return undefined;
    await inventory.release(sql, saleId);
    return row.returned as number;
  }

  /**
   * Takes flash-sale units for orders, in the checkout's transaction; throws (rolling the caller back)
   * when any line cannot be had. Lines are taken in sale-id order, so concurrent checkouts lock sale rows
   * in one order whatever their stores.
   */
  async function reserveLines(sql: Sql, buyerId: string, requested: ReservedLine[], at: Date) {
    const lines = mergeLines(requested);
    if (lines.some((l) => flaggedSoldOut(l.flashSaleId))) throw soldOut();
    // The buyer's own rows first (the per-person count and which order took what): only that buyer's
    // concurrent orders contend for them.
    for (const line of lines) {
      const counted = await sql.one(
        `WITH counted AS (
           INSERT INTO flash_sale_buyers (sale_id, buyer_id, bought, per_person_limit)
           SELECT id, $2, $3, per_person_limit FROM flash_sales WHERE id = $1 AND sku_id = $4 AND $3 <= per_person_limit
           ON CONFLICT (sale_id, buyer_id) DO UPDATE SET bought = flash_sale_buyers.bought + EXCLUDED.bought
            WHERE flash_sale_buyers.bought + EXCLUDED.bought <= (SELECT per_person_limit FROM flash_sales WHERE id = EXCLUDED.sale_id)
           RETURNING sale_id)
         INSERT INTO flash_sale_orders (order_id, sale_id, sku_id, buyer_id, quantity) SELECT $5, sale_id, $4, $2, $3 FROM counted RETURNING 1`,
        [line.flashSaleId, buyerId, line.quantity, line.skuId, line.orderId],
      );
      if (!counted) {
        const sale = await saleRow(sql, line.flashSaleId);
        if (!sale || sale.sku_id !== line.skuId) throw new Error(`flash sale ${line.flashSaleId} does not sell SKU ${line.skuId}`);
        throw overLimit(sale.per_person_limit);
      }
    }
    // The hot rows last, so their locks are held for the shortest part of the order's transaction.
    for (const line of lines) {
      const taken = await sql.one(
        `UPDATE flash_sales SET sold = sold + $2
          WHERE id = $1 AND sold + $2 <= quantity AND starts_at <= $3 AND ends_at > $3 AND cancelled_at IS NULL AND settled_at IS NULL
          RETURNING sold`,
        [line.flashSaleId, line.quantity, at],
      );
      if (!taken) throw await refusal(sql, line.flashSaleId, at);
      if (!(await inventory.handOver(sql, line.flashSaleId, line.orderId, line.skuId, line.quantity)))
        throw new Error(`flash sale ${line.flashSaleId}: its inventory hold has fewer units than its counter says`);
    }
  }

  /** One order's flash-sale lines; see reserveLines. */
  function reserve(sql: Sql, request: FlashReservation) {
    return reserveLines(sql, request.buyerId, request.lines.map((l) => ({ ...l, orderId: request.orderId })), request.at ?? new Date());
  }

  /** Why the counter refused: not live (409 flash_sale_ended) or not enough units left (409 out_of_stock). */
  async function refusal(sql: Sql, saleId: string, at: Date, field = 'items') {
    const sale = await saleRow(sql, saleId);
    const state = sale ? stateOf(sale, at) : 'ended';
    if (state !== 'live' && state !== 'sold_out') return notOn(field);
    if (sale!.sold >= sale!.quantity) await flagExhausted(sql, saleId, sale!.sku_id);
    return soldOut(field);
  }

  /** Why a grab was refused: the sale or SKU is wrong, the quantity above the limit with what the buyer holds, or as for any order (refusal). */
  async function grabRefusal(sql: Sql, r: { saleId: string; buyerId: string; skuId: string; quantity: number }, at: Date) {
    const sale = await saleRow(sql, r.saleId);
    if (!sale) return notFound('flash sale');
    if (sale.sku_id !== r.skuId) return new Problem(422, 'validation_failed', '这个秒杀不卖这个规格 (this flash sale sells another SKU)', [{ field: 'skuId', message: `this flash sale sells SKU ${sale.sku_id}` }]);
    const held = (await sql.one<{ bought: number }>('SELECT bought FROM flash_sale_buyers WHERE sale_id = $1 AND buyer_id = $2', [r.saleId, r.buyerId]))?.bought ?? 0;
    if (held + r.quantity > sale.per_person_limit) return overLimit(sale.per_person_limit, 'quantity');
    return refusal(sql, r.saleId, at, 'quantity');
  }

  const grabs = createGrabs({
    db, inventory,
    flags: {
      flaggedSoldOut,
      mayHoldUnits,
      exhausted: flagExhausted,
      unflag,
      refusal: grabRefusal,
      overLimit: async (sql, saleId) => overLimit((await saleRow(sql, saleId))!.per_person_limit, 'quantity'),
    },
  });

  /** An unpaid order expired or an order was cancelled: its units go back to the sale while it is open, else (through inventory) to the SKU. */
  async function release(sql: Sql, orderId: string) {
    const taken = await sql.query<{ sale_id: string; sku_id: string; buyer_id: string; quantity: number }>(
      `UPDATE flash_sale_orders SET status = 'released' WHERE order_id = $1 AND status = 'reserved' RETURNING sale_id, sku_id, buyer_id, quantity`,
      [orderId],
    );
    taken.sort((a, b) => (a.sale_id < b.sale_id ? -1 : 1));
    for (const t of taken) {
      await sql.query('UPDATE flash_sale_buyers SET bought = bought - $3 WHERE sale_id = $1 AND buyer_id = $2', [t.sale_id, t.buyer_id, t.quantity]);
      // Locking the sale first orders this against the settle job: units go back to a hold that is still open.
      const open = await sql.one('SELECT id FROM flash_sales WHERE id = $1 AND settled_at IS NULL FOR UPDATE', [t.sale_id]);
      if (!open) continue; // settled: the order's own reservation goes back to the SKU when inventory releases or restocks it
      // A paid order may have had units refunded (and put on general sale) already; the rest come back.
      const moved = await inventory.handBack(sql, orderId, t.sale_id, t.sku_id);
      await sql.query('UPDATE flash_sales SET sold = sold - $2 WHERE id = $1', [t.sale_id, moved]);
      unflag(t.sale_id, t.sku_id);
    }
    return taken.length;
  }

  return {
    create,
    reserve,
    release,

    /**
     * Checkout's first step, in memory: 409 秒杀已抢光 for a SKU whose live sale this node saw sold out
     * within the last second while the SKU had no stock of its own. Only ever refuses; whatever gets
     * through is decided by the database.
     */
    refuseSoldOut(skuIds: string[]) {
      const now = Date.now();
      if (skuIds.some((id) => (skuGoneUntil.get(id) ?? 0) > now)) throw soldOut();
    },

    /**
     * Checkout's step: the lines the engine priced from a flash sale take their units from it, for the orders
     * they went into; a grab's line adopts the units the grab already took (the counter is not taken twice).
     */
    async reserveForCheckout(sql: Sql, checkout: { buyerId: string; lines: PricedLine[]; orderOf: Map<string, string>; grab?: GrabClaim }) {
      const { grab } = checkout;
      if (grab) await grabs.adopt(sql, grab, checkout.lines, checkout.orderOf);
      const lines = checkout.lines.flatMap((l) => (l.flashSaleId && l.skuId !== grab?.skuId ? [{ orderId: checkout.orderOf.get(l.skuId)!, flashSaleId: l.flashSaleId, skuId: l.skuId, quantity: l.quantity }] : []));
      if (lines.length) await reserveLines(sql, checkout.buyerId, lines, new Date());
    },

    grab: grabs.grab,
    grabOf: grabs.grabOf,
    grabsOf: grabs.grabsOf,
    claimGrab: grabs.claim,
    failGrab: grabs.fail,
    grabAttemptBroke: grabs.attemptBroke,

    setCampaignCheck(check: CampaignCheck) {
      campaignCheck = check;
    },

    /** Live sales with units left for these SKUs, as price-engine rules. */
    async activeRules(sql: Sql, skuIds: string[], at: Date): Promise<FlashSale[]> {
      if (!skuIds.length) return [];
      const rows = await sql.query(
        `SELECT id, sku_id, unit_price, per_person_limit, starts_at, ends_at, sold >= quantity AS exhausted FROM flash_sales
          WHERE sku_id = ANY($1) AND starts_at <= $2 AND ends_at > $2 AND cancelled_at IS NULL AND settled_at IS NULL`,
        [skuIds, at],
      );
      for (const r of rows) if (r.exhausted && !flaggedSoldOut(r.id)) await flagExhausted(sql, r.id, r.sku_id);
      return rows.filter((r) => !r.exhausted && !flaggedSoldOut(r.id)).map((r) => ({
        kind: 'flash_sale', id: r.id, skuId: r.sku_id, unitPrice: Number(r.unit_price), perPersonLimit: r.per_person_limit,
        startsAt: (r.starts_at as Date).getTime(), endsAt: (r.ends_at as Date).getTime(),
      }));
    },

    /** Before it starts only: the sale is cancelled and its units go back to the SKU. */
    async cancel(merchantId: string, saleId: string, actor: Viewer, asOperator: boolean) {
      return db.tx(async (sql) => {
        const sale = await saleRow(sql, saleId, true);
        if (!sale || sale.merchant_id !== merchantId) throw notFound('flash sale');
        const at = new Date();
        if (stateOf(sale, at) !== 'scheduled') throw invalidState(`only a scheduled flash sale can be cancelled; this one is ${stateOf(sale, at)}`);
        await settle(sql, saleId, at, true);
        if (asOperator) await audit.record(sql, actor.id, 'flash_sale.cancel', `flash_sale:${saleId}`, { merchantId });
        return (await views([(await saleRow(sql, saleId))!], at, sql))[0];
      });
    },

    /** The job: sales past their end give their unsold units back to the SKU. Safe to run any number of times. */
    async settleEnded(at = new Date(), limit = 200) {
      const due = await db.query<{ id: string }>('SELECT id FROM flash_sales WHERE settled_at IS NULL AND ends_at <= $1 ORDER BY ends_at LIMIT $2', [at, limit]);
      let settled = 0;
      for (const { id } of due) if ((await db.tx((sql) => settle(sql, id, at))) !== undefined) settled++;
      return settled;
    },

    async get(saleId: string) {
      const row = await saleRow(db, saleId);
      if (!row) throw notFound('flash sale');
      return (await views([row]))[0];
    },

    ofMerchant: (merchantId: string, p: Page) => page('merchant_id = $1', [merchantId], 'starts_at DESC, id', p),

    /** The storefront's list: `live` (in their window, sold out too), `scheduled`, or both; optionally of one product. */
    list(filter: { state?: 'live' | 'scheduled'; productId?: string }, p: Page) {
      const at = new Date();
      const where = ['cancelled_at IS NULL', filter.state === 'scheduled' ? 'starts_at > $1' : filter.state === 'live' ? 'starts_at <= $1 AND ends_at > $1' : 'ends_at > $1'];
      const params: unknown[] = [at];
      if (filter.productId) where.push(`product_id = $${params.push(filter.productId)}`);
      return page(where.join(' AND '), params, filter.state === 'scheduled' ? 'starts_at, id' : 'ends_at, id', p, at);
    },

    /** Sales of a campaign's venue (not cancelled), for the venue page. */
    async ofCampaign(campaignId: string) {
      return views(await db.query('SELECT * FROM flash_sales WHERE campaign_id = $1 AND cancelled_at IS NULL ORDER BY starts_at, id', [campaignId]));
    },
  };
}

/** One line per order and sale, in sale-id order so concurrent checkouts lock sale rows in one order. */
function mergeLines(lines: ReservedLine[]) {
  const merged = new Map<string, ReservedLine>();
  for (const l of lines) {
    const key = `${l.flashSaleId}|${l.orderId}`;
    merged.set(key, { ...l, quantity: (merged.get(key)?.quantity ?? 0) + l.quantity });
  }
  return [...merged.values()].sort((a, b) => (a.flashSaleId < b.flashSaleId ? -1 : a.flashSaleId > b.flashSaleId ? 1 : a.orderId < b.orderId ? -1 : 1));
}

export type FlashSalesService = ReturnType<typeof createFlashSalesService>;
