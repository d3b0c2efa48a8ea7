import type { Database, Row, Sql } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import { money } from '../../shared/money.ts';
import { invalidState, notFound } from '../../shared/problems.ts';
import type { Page } from '../../http/schemas.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { discountView } from '../pricing/service.ts';
import type { LineDiscount } from '../pricing/engine/types.ts';

export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'completed' | 'cancelled';

/** The only moves an order can make (状态机). */
const TRANSITIONS: Record<OrderStatus, OrderStatus[]> = {
  pending_payment: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled'],
  shipped: ['completed'],
  completed: [],
  cancelled: [],
};
const TIMESTAMP_OF: Partial<Record<OrderStatus, string>> = {
  paid: 'paid_at',
  shipped: 'shipped_at',
  completed: 'completed_at',
  cancelled: 'cancelled_at',
};

export interface NewOrderLine {
  skuId: string;
  productId: string;
  title: string;
  skuAttributes: Record<string, string>;
  quantity: number;
  listPrice: number;
  /** The price per unit after a campaign price (flash sale, presale, live room). */
  unitPrice: number;
  priceSource: string;
  listTotal: number;
  discounts: OrderDiscount[];
  payable: number;
  merchantFunded: number;
  platformFunded: number;
  paidBefore: number;
  payLater: number;
}

/** One discount on a line, as the price engine apportioned it; `sourceId` is the rule, coupon or plan. */
export interface OrderDiscount {
  kind: string;
  amount: number;
  fundedBy: 'merchant' | 'platform';
  sourceId?: string;
}
export interface NewStoreOrder {
  merchantId: string;
  merchantName: string;
  commissionRateBps: number;
  lines: NewOrderLine[];
}

export interface OrderRow {
  id: string;
  group_id: string;
  merchant_id: string;
  buyer_id: string;
  status: OrderStatus;
  payable: number;
  commission_rate_bps: number;
  platform_funded: number;
  refunded: number;
  refunded_platform_funded: number;
}

const ORDER_COLUMNS = 'id, group_id, merchant_id, buyer_id, status, payable, commission_rate_bps, platform_funded, refunded, refunded_platform_funded';

export interface OrderFilter {
  buyerId?: string;
  merchantId?: string;
  status?: OrderStatus;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What an order view needs from other modules (catalog, fulfillment), wired in app.ts. */
export interface OrderLookups {
  merchantNames(sql: Sql, merchantIds: string[]): Promise<Map<string, string>>;
  shipments(sql: Sql, orderIds: string[]): Promise<Map<string, { carrier: string; carrierName: string; trackingNo: string; shippedAt: string }>>;
}

export function createOrdersService(db: Database, outbox: Outbox, lookups: OrderLookups) {
  /** Orders with lines and shipment, in the API's Order shape. */
  async function views(sql: Sql, orders: Row[]) {
    if (!orders.length) return [];
    const ids = orders.map((o) => o.id);
    const lines = await sql.query('SELECT * FROM order_lines WHERE order_id = ANY($1) ORDER BY order_id, line_no', [ids]);
    const merchantName = await lookups.merchantNames(sql, [...new Set(orders.map((o) => o.merchant_id as string))]);
    const shipments = await lookups.shipments(sql, ids);
    return orders.map((o) => {
      return {
        id: o.id,
        orderGroupId: o.group_id,
        merchantId: o.merchant_id,
        merchantName: merchantName.get(o.merchant_id) ?? '',
        buyerId: o.buyer_id,
        status: o.status as OrderStatus,
        lines: lines
          .filter((l) => l.order_id === o.id)
          .map((l) => lineView({
            lineNo: l.line_no, skuId: l.sku_id, productId: l.product_id, title: l.title, skuAttributes: l.sku_attributes, quantity: l.quantity,
            listPrice: l.list_price, unitPrice: l.unit_price, priceSource: l.price_source, listTotal: l.list_total, discounts: l.discounts, payable: l.payable,
            merchantFunded: l.merchant_funded, platformFunded: l.platform_funded, paidBefore: l.paid_before, payLater: l.pay_later,
          }, { quantity: l.refunded_quantity, amount: l.refunded_amount })),
        listTotal: money(o.list_total),
        discountTotal: money(o.discount_total),
        payable: money(o.payable),
        merchantFunded: money(o.merchant_funded),
        platformFunded: money(o.platform_funded),
        refunded: money(o.refunded),
        address: o.address,
        ...(o.arrival_channel ? { arrival: { channel: o.arrival_channel, ...(o.arrival_campaign ? { campaign: o.arrival_campaign } : {}) } } : {}),
        createdAt: o.created_at.toISOString(),
        expiresAt: iso(o.expires_at),
        paidAt: iso(o.paid_at),
        shippedAt: iso(o.shipped_at),
        completedAt: iso(o.completed_at),
        cancelledAt: iso(o.cancelled_at),
        cancelReason: o.cancel_reason ?? null,
        shipment: shipments.get(o.id) ?? null,
      };
    });
  }

  async function list(filter: OrderFilter, { page, pageSize }: Page) {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [['buyer_id', filter.buyerId], ['merchant_id', filter.merchantId], ['status', filter.status]] as const) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    params.push(pageSize, (page - 1) * pageSize);
    const rows = await db.query(
      `SELECT *, count(*) OVER () AS total FROM orders ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return { items: await views(db, rows), total: rows[0]?.total ?? 0, page, pageSize };
  }

  return {
    list,

    /** Writes the group and its orders; answers them in the API's Order shape without reading back. */
    async createGroup(sql: Sql, input: { buyerId: string; address: object; stores: NewStoreOrder[]; expiresAt: Date; arrival?: { channel: string; campaign?: string } }) {
      const groupId = newId('grp');
      const createdAt = new Date();
      const total = (lines: NewOrderLine[], f: (l: NewOrderLine) => number) => lines.reduce((a, l) => a + f(l), 0);
      const payable = total(input.stores.flatMap((s) => s.lines), (l) => l.payable);
      await sql.query('INSERT INTO order_groups (id, buyer_id, payable, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
        groupId, input.buyerId, payable, createdAt, input.expiresAt,
      ]);
      const orders = [];
      for (const store of input.stores) {
        const orderId = newId('ord');
        const listTotal = total(store.lines, (l) => l.listTotal);
        const storePayable = total(store.lines, (l) => l.payable);
        const merchantFunded = total(store.lines, (l) => l.merchantFunded);
        const platformFunded = total(store.lines, (l) => l.platformFunded);
        await sql.query(
          `INSERT INTO orders (id, group_id, merchant_id, buyer_id, status, list_total, discount_total, payable, commission_rate_bps, address, created_at, expires_at,
                               arrival_channel, arrival_campaign, merchant_funded, platform_funded)
           VALUES ($1, $2, $3, $4, 'pending_payment', $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15)`,
          [orderId, groupId, store.merchantId, input.buyerId, listTotal, merchantFunded + platformFunded, storePayable, store.commissionRateBps,
            JSON.stringify(input.address), createdAt, input.expiresAt, input.arrival?.channel ?? null, input.arrival?.campaign ?? null, merchantFunded, platformFunded],
        );
        await sql.query(
          `INSERT INTO order_lines (order_id, line_no, sku_id, product_id, title, sku_attributes, quantity, list_price, unit_price, price_source, list_total, discounts, payable,
                                    merchant_funded, platform_funded, paid_before, pay_later)
           SELECT $1, n, sku, prd, title, attrs::jsonb, qty, listp, unit, src, list, disc::jsonb, pay, mf, pf, pb, pl
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::bigint[], $9::text[], $10::bigint[], $11::text[], $12::bigint[],
                         $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[])
                  WITH ORDINALITY AS l(sku, prd, title, attrs, qty, listp, unit, src, list, disc, pay, mf, pf, pb, pl, n)`,
          [orderId, ...columnsOf(store.lines)],
        );
        await outbox.emit(sql, 'order.created', { orderId, groupId, merchantId: store.merchantId, buyerId: input.buyerId });
        orders.push({
          id: orderId, orderGroupId: groupId, merchantId: store.merchantId, merchantName: store.merchantName, buyerId: input.buyerId,
          status: 'pending_payment' as OrderStatus,
          lines: store.lines.map((l, i) => lineView({ ...l, lineNo: i + 1 }, { quantity: 0, amount: 0 })),
          listTotal: money(listTotal), discountTotal: money(merchantFunded + platformFunded), payable: money(storePayable),
          merchantFunded: money(merchantFunded), platformFunded: money(platformFunded), refunded: money(0), address: input.address,
          createdAt: createdAt.toISOString(), expiresAt: input.expiresAt.toISOString(),
          paidAt: null, shippedAt: null, completedAt: null, cancelledAt: null, cancelReason: null, shipment: null,
        });
      }
      return { groupId, orders, payable };
    },

    /** Moves an order along the state machine, or answers 409 invalid_state. Locks the row. */
    async transition(sql: Sql, orderId: string, to: OrderStatus, extra: { cancelReason?: string; presaleDepositDone?: boolean } = {}): Promise<OrderRow> {
      // A presale's deposit order is done without shipping: its goods ship on the balance order.
      const from = extra.presaleDepositDone && to === 'completed' ? ['paid'] : (Object.keys(TRANSITIONS) as OrderStatus[]).filter((s) => TRANSITIONS[s].includes(to));
      const stamp = TIMESTAMP_OF[to];
      const row = await sql.one<OrderRow>(
        `UPDATE orders SET status = $2 ${stamp ? `, ${stamp} = now()` : ''}, cancel_reason = coalesce($4, cancel_reason)
          WHERE id = $1 AND status = ANY($3) RETURNING ${ORDER_COLUMNS}`,
        [orderId, to, from, extra.cancelReason ?? null],
      );
      if (!row) {
        const current = await sql.one<{ status: string }>('SELECT status FROM orders WHERE id = $1', [orderId]);
        if (!current) throw notFound('order');
        throw invalidState(`order is ${current.status}; it cannot become ${to}`);
      }
      await outbox.emit(sql, `order.${to}`, { orderId, groupId: row.group_id, merchantId: row.merchant_id, buyerId: row.buyer_id, payable: row.payable });
      return row;
    },

    async find(sql: Sql, orderId: string, lock = false): Promise<OrderRow | undefined> {
      return sql.one<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [orderId]);
    },

    async ordersOfGroup(sql: Sql, groupId: string, lock = false): Promise<OrderRow[]> {
      return sql.query<OrderRow>(
        `SELECT ${ORDER_COLUMNS} FROM orders WHERE group_id = $1 ORDER BY id ${lock ? 'FOR UPDATE' : ''}`,
        [groupId],
      );
    },

    async group(sql: Sql, groupId: string) {
      return sql.one<{ id: string; buyer_id: string; payable: number; created_at: Date; expires_at: Date }>('SELECT * FROM order_groups WHERE id = $1', [groupId]);
    },

    /** Erasure: the buyer's name, phone and street on their orders are blanked; region, lines and money stay for the books. */
    async erasePersonalData(sql: Sql, buyerId: string, pseudonym: string): Promise<number> {
      const rows = await sql.query(
        `UPDATE orders SET address = jsonb_build_object('name', $2::text, 'phone', '', 'region', address->>'region', 'line1', '') WHERE buyer_id = $1 RETURNING id`,
        [buyerId, pseudonym],
      );
      return rows.length;
    },

    /** Everything a buyer ordered, for a data export. */
    async allOfBuyer(buyerId: string) {
      return views(db, await db.query('SELECT * FROM orders WHERE buyer_id = $1 ORDER BY created_at', [buyerId]));
    },

    async productIdsOfOrders(orderIds: string[]): Promise<string[]> {
      return (await db.query<{ product_id: string }>('SELECT DISTINCT product_id FROM order_lines WHERE order_id = ANY($1)', [orderIds])).map((r) => r.product_id);
    },

    /** A paid order's lines with what is left to refund, locked: a refund reads them and writes them back. */
    async refundableLines(sql: Sql, orderId: string) {
      return sql.query<{ line_no: number; sku_id: string; quantity: number; payable: number; platform_funded: number; refunded_quantity: number; refunded_amount: number; refunded_platform_funded: number; discounts: LineDiscount[] }>(
        `SELECT line_no, sku_id, quantity, payable, platform_funded, refunded_quantity, refunded_amount, refunded_platform_funded, discounts
           FROM order_lines WHERE order_id = $1 ORDER BY line_no FOR UPDATE`,
        [orderId],
      );
    },

    /** Writes a partial refund: per line units and money back, the order's totals, and the refund's record. */
    async recordRefund(sql: Sql, input: { id: string; orderId: string; reason: string; requestedBy: string; afterSettlement: boolean; lines: { lineNo: number; quantity: number; amount: number; platformFunded: number }[] }) {
      const amount = input.lines.reduce((a, l) => a + l.amount, 0);
      const platformFunded = input.lines.reduce((a, l) => a + l.platformFunded, 0);
      await sql.query(
        `UPDATE order_lines l SET refunded_quantity = refunded_quantity + r.q, refunded_amount = refunded_amount + r.a, refunded_platform_funded = refunded_platform_funded + r.p
           FROM unnest($2::int[], $3::int[], $4::bigint[], $5::bigint[]) AS r(n, q, a, p) WHERE l.order_id = $1 AND l.line_no = r.n`,
        [input.orderId, input.lines.map((l) => l.lineNo), input.lines.map((l) => l.quantity), input.lines.map((l) => l.amount), input.lines.map((l) => l.platformFunded)],
      );
      await sql.query('UPDATE orders SET refunded = refunded + $2, refunded_platform_funded = refunded_platform_funded + $3 WHERE id = $1', [input.orderId, amount, platformFunded]);
      await sql.query(
        'INSERT INTO order_refunds (id, order_id, lines, amount, platform_funded, reason, requested_by, after_settlement) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)',
        [input.id, input.orderId, JSON.stringify(input.lines), amount, platformFunded, input.reason, input.requestedBy, input.afterSettlement],
      );
      await outbox.emit(sql, 'order.refunded', { orderId: input.orderId, refundId: input.id, amount, lines: input.lines });
      return { amount, platformFunded };
    },

    async refundsOf(sql: Sql, orderId: string) {
      const rows = await sql.query('SELECT * FROM order_refunds WHERE order_id = $1 ORDER BY created_at, id', [orderId]);
      return rows.map((r) => ({
        id: r.id, amount: money(r.amount), platformFunded: money(r.platform_funded), reason: r.reason, afterSettlement: r.after_settlement, createdAt: r.created_at.toISOString(),
        lines: (r.lines as { lineNo: number; quantity: number; amount: number }[]).map((l) => ({ lineNo: l.lineNo, quantity: l.quantity, amount: money(l.amount) })),
      }));
    },

    async linesOf(sql: Sql, orderId: string) {
      return sql.query<{ product_id: string; quantity: number; unit_price: number; payable: number }>(
        'SELECT product_id, quantity, unit_price, payable FROM order_lines WHERE order_id = $1 ORDER BY line_no',
        [orderId],
      );
    },

    async view(sql: Sql, orderId: string) {
      const row = await sql.one('SELECT * FROM orders WHERE id = $1', [orderId]);
      if (!row) throw notFound('order');
      return (await views(sql, [row]))[0];
    },

    async groupViews(sql: Sql, groupId: string) {
      return views(sql, await sql.query('SELECT * FROM orders WHERE group_id = $1 ORDER BY id', [groupId]));
    },

    /** Unpaid orders past their payment deadline. */
    async expiredUnpaid(limit: number) {
      return db.query<{ id: string }>(`SELECT id FROM orders WHERE status = 'pending_payment' AND expires_at < now() ORDER BY expires_at LIMIT $1`, [limit]);
    },

    /** Shipped orders the shopper has not confirmed within the allowed days. */
    async dueForAutoConfirm(days: number, limit: number) {
      return db.query<{ id: string }>(
        `SELECT id FROM orders WHERE status = 'shipped' AND shipped_at < now() - make_interval(days => $1) ORDER BY shipped_at LIMIT $2`,
        [days, limit],
      );
    },

    /** What a buyer paid since a time, net of refunds, on orders not cancelled nor wholly refunded: for the loyalty score. */
    async buyerSpend(sql: Sql, buyerId: string, since: Date): Promise<{ orders: number; gmv: number }> {
      const row = await sql.one<{ orders: number; gmv: number }>(
        `SELECT count(*)::int AS orders, coalesce(sum(payable - refunded), 0)::bigint AS gmv FROM orders
          WHERE buyer_id = $1 AND paid_at >= $2 AND status IN ('paid', 'shipped', 'completed') AND payable > refunded`,
        [buyerId, since],
      );
      return row ?? { orders: 0, gmv: 0 };
    },

    /** Per product over the last `days`: paid GMV (fen), units and distinct buyers. Refunded orders do not count. */
    async productSales(days: number) {
      return db.query<{ product_id: string; gmv: number; units: number; buyers: number }>(
        `SELECT l.product_id, sum(l.payable)::bigint AS gmv, sum(l.quantity)::bigint AS units, count(DISTINCT o.buyer_id) AS buyers
           FROM orders o JOIN order_lines l ON l.order_id = o.id
          WHERE o.paid_at > now() - make_interval(days => $1) AND o.status IN ('paid', 'shipped', 'completed')
          GROUP BY l.product_id`,
        [days],
      );
    },

    /** Per merchant over the last `days`: average hours from payment to shipping, and the share of paid orders cancelled. */
    async merchantService(days: number) {
      return db.query<{ merchant_id: string; ship_hours: number | null; paid: number; cancelled_after_paid: number }>(
        `SELECT merchant_id,
                avg(extract(epoch FROM shipped_at - paid_at) / 3600) FILTER (WHERE shipped_at IS NOT NULL)::float8 AS ship_hours,
                count(*) AS paid,
                count(*) FILTER (WHERE status = 'cancelled') AS cancelled_after_paid
           FROM orders WHERE paid_at > now() - make_interval(days => $1)
          GROUP BY merchant_id`,
        [days],
      );
    },

    async merchantSummary(merchantId: string) {
      return db.one<{ to_ship: number; paid_count: number; gmv: number }>(
        `SELECT count(*) FILTER (WHERE status = 'paid') AS to_ship,
                count(*) FILTER (WHERE status IN ('paid', 'shipped', 'completed')) AS paid_count,
                coalesce(sum(payable) FILTER (WHERE status IN ('paid', 'shipped', 'completed')), 0)::bigint AS gmv
           FROM orders WHERE merchant_id = $1`,
        [merchantId],
      );
    },
  };
}

function columnsOf(lines: NewOrderLine[]) {
  return [
    lines.map((l) => l.skuId),
    lines.map((l) => l.productId),
    lines.map((l) => l.title),
    lines.map((l) => JSON.stringify(l.skuAttributes)),
    lines.map((l) => l.quantity),
    lines.map((l) => l.listPrice),
    lines.map((l) => l.unitPrice),
    lines.map((l) => l.priceSource),
    lines.map((l) => l.listTotal),
    lines.map((l) => JSON.stringify(l.discounts)),
    lines.map((l) => l.payable),
    lines.map((l) => l.merchantFunded),
    lines.map((l) => l.platformFunded),
    lines.map((l) => l.paidBefore),
    lines.map((l) => l.payLater),
  ];
}

/** An order line in the API's shape: the price engine's breakdown as stored, and what was refunded. */
function lineView(l: NewOrderLine & { lineNo: number }, refunded: { quantity: number; amount: number }) {
  return {
    lineNo: l.lineNo, skuId: l.skuId, productId: l.productId, title: l.title, skuAttributes: l.skuAttributes, quantity: l.quantity,
    listPrice: money(l.listPrice), unitPrice: money(l.unitPrice), priceSource: l.priceSource, listTotal: money(l.listTotal),
    discounts: l.discounts.map(discountView),
    payable: money(l.payable), merchantFunded: money(l.merchantFunded), platformFunded: money(l.platformFunded),
    ...(l.paidBefore ? { paidBefore: money(l.paidBefore) } : {}), ...(l.payLater ? { payLater: money(l.payLater) } : {}),
    refundedQuantity: refunded.quantity, refunded: money(refunded.amount),
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
