import type { Database } from '../../db/database.ts';
import type { OrdersService } from '../orders/service.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { accountKey } from '../people/identifiers.ts';
import type { PeopleService } from '../people/service.ts';
import type { ProfilesService } from '../profiles/service.ts';
import type { StoredEvent, TrackingService } from './service.ts';

interface Deps {
  db: Database;
  outbox: Outbox;
  orders: OrdersService;
  tracking: TrackingService;
  people: PeopleService;
  profiles: ProfilesService;
}

/**
 * Purchases and refunds enter behaviour from the platform's own records, never from a
 * client: a `buy` per order line when the order is paid, a `refund` when money goes back.
 */
export function recordPlatformEvents(deps: Deps) {
  const { db, outbox, orders, tracking, people, profiles } = deps;

  async function store(buyerId: string, events: StoredEvent[]) {
    const profileEvents = tracking.toProfileEvents(events, await tracking.categoryMedians());
    await db.tx(async (sql) => {
      const subject = accountKey(buyerId);
      const seen = await sql.one('SELECT 1 FROM behavior_events WHERE subject = $1 AND order_id = $2 AND type = $3 LIMIT 1', [subject, events[0].orderId, events[0].type]);
      if (seen && events[0].type === 'buy') return; // the same payment delivered twice
      await tracking.insert(sql, events);
      await profiles.apply(sql, await people.personOf(sql, subject, 'account'), profileEvents);
    });
  }

  outbox.subscribe('order.paid', async ({ orderId, buyerId }) => {
    const lines = await orders.linesOf(db, orderId);
    const facts = await tracking.productFacts(lines.map((l) => l.product_id));
    const at = new Date();
    await store(buyerId, lines.map((l) => {
      const product = facts.get(l.product_id);
      return {
        at, subject: accountKey(buyerId), type: 'buy', source: 'platform', productId: l.product_id, orderId,
        category: product?.category, brand: product?.brand, price: l.unit_price, quantity: l.quantity, amount: l.payable,
      };
    }));
  });

  outbox.subscribe('payment.refunded', async ({ orderId, amount }) => {
    if (!orderId) return;
    const order = await orders.find(db, orderId);
    if (!order) return;
    await store(order.buyer_id, [{ at: new Date(), subject: accountKey(order.buyer_id), type: 'refund', source: 'platform', orderId, amount }]);
  });
}
