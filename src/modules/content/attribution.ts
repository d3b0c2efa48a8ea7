import type { Database } from '../../db/database.ts';
import type { OrdersService } from '../orders/service.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { accountKey } from '../people/identifiers.ts';
import type { PeopleService } from '../people/service.ts';
import type { TrackingService } from '../tracking/service.ts';
import type { ContentService } from './service.ts';

/** A view counts for an order placed within this many days after it (种草 -> 拔草). */
export const CONTENT_ATTRIBUTION_DAYS = 7;
/** Views carry the browser's clock, which tracking lets run up to 2 minutes ahead of ours. */
const CLOCK_SKEW_MS = 2 * 60_000;

interface Deps {
  db: Database;
  outbox: Outbox;
  orders: OrdersService;
  tracking: TrackingService;
  people: PeopleService;
  content: ContentService;
}

/**
 * Content attribution: when an order is paid, each of its products counts for the last note
 * or live session the buyer (any identifier of their person: account, devices) viewed in the
 * 7 days before placing the order that links that product. One row per order and content,
 * with the lines' payable amount; a replayed event writes nothing twice, and a cancelled
 * order stops counting.
 */
export function attributeContent({ db, outbox, orders, tracking, people, content }: Deps) {
  outbox.subscribe('order.paid', async ({ orderId, groupId, buyerId, merchantId }) => {
    const group = await orders.group(db, groupId);
    if (!group) return;
    const account = accountKey(buyerId);
    const personId = (await people.personsOf(db, [account])).get(account);
    const subjects = personId ? await people.keysOf(db, personId) : [account];
    const placedAt = group.created_at;
    const views = await tracking.contentViewsOf(db, subjects, new Date(placedAt.getTime() - CONTENT_ATTRIBUTION_DAYS * 86_400_000), new Date(placedAt.getTime() + CLOCK_SKEW_MS));
    if (!views.length) return;
    const links = await content.linksOf(db, views.map((v) => v.contentId));
    const byContent = new Map<string, { productIds: string[]; amount: number; viewedAt: Date }>();
    for (const line of await orders.linesOf(db, orderId)) {
      const view = views.find((v) => links.get(v.contentId)?.productIds.has(line.product_id)); // newest first: last touch
      if (!view) continue;
      const entry = byContent.get(view.contentId) ?? { productIds: [], amount: 0, viewedAt: view.at };
      if (!entry.productIds.includes(line.product_id)) entry.productIds.push(line.product_id);
      entry.amount += line.payable;
      byContent.set(view.contentId, entry);
    }
    for (const [contentId, entry] of byContent) {
      const link = links.get(contentId)!;
      await db.query(
        `INSERT INTO content_attributions (order_id, content_id, content_kind, author_kind, author_id, buyer_id, merchant_id, product_ids, amount, viewed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
        [orderId, contentId, link.kind, link.authorKind, link.authorId, buyerId, merchantId, entry.productIds, entry.amount, entry.viewedAt],
      );
    }
  });

  outbox.subscribe('order.cancelled', async ({ orderId }) => {
    await db.query('UPDATE content_attributions SET cancelled = true WHERE order_id = $1', [orderId]);
  });
}
