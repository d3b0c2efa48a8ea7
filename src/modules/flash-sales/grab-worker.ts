import type { Database } from '../../db/database.ts';
import { Problem } from '../../shared/problems.ts';
import type { Services } from '../../app.ts';
import { placeOrder } from '../checkout/place-order.ts';
import type { GrabClaim } from './grabs.ts';

/**
 * Turns taken grabs into orders through the real checkout (place-order.ts). Each order is one
 * transaction that claims its grab with FOR UPDATE SKIP LOCKED, so any number of loops on any
 * number of nodes share the work, and a node that dies mid-order leaves the grab to the others.
 * A grab kicks this node's loops at once; the jobs loop drains as a safety net.
 * A refusal from the checkout fails the grab (its units go back to the sale); anything else is
 * tried again a few times.
 */
export function createGrabWorker(deps: {
  db: Database; services: Services; loops: number; paymentTimeoutMinutes: number;
  /** The checkout's placeOrder; a test passes one that breaks to exercise the retries. */
  placeOrder?: typeof placeOrder;
}) {
  const { db, services, loops, paymentTimeoutMinutes } = deps;
  const order = deps.placeOrder ?? placeOrder;
  const { flashSales } = services;
  const running = new Set<Promise<void>>();
  let kicks = 0;
  let stopped = false;

  /** Orders one grab; false when none was waiting. */
  async function orderOne(): Promise<boolean> {
    let claimed: GrabClaim | undefined;
    try {
      await db.tx(async (sql) => {
        const grab = (claimed = await flashSales.claimGrab(sql));
        if (grab) await order(sql, services, grab.buyerId, { items: [{ skuId: grab.skuId, quantity: grab.quantity }], address: grab.address, flashGrab: grab }, paymentTimeoutMinutes, grab.deviceId);
      });
    } catch (error) {
      if (!claimed) throw error;
      if (error instanceof Problem) await flashSales.failGrab(claimed.grabId, error.code);
      else {
        console.error(`flash-sale grab ${claimed.grabId}: placing its order broke`, error);
        await flashSales.grabAttemptBroke(claimed.grabId);
      }
    }
    return !!claimed;
  }

  async function loop() {
    for (;;) {
      if (stopped) return;
      const seen = kicks;
      const found = await orderOne().catch((error) => (console.error('flash-sale grab worker failed', error), false));
      // A grab may have arrived while this loop found none: look once more.
      if (!found && seen === kicks) return;
    }
  }

  function start() {
    const run: Promise<void> = loop().finally(() => running.delete(run));
    running.add(run);
  }

  return {
    /** New grabs are waiting: order them now, with up to `loops` transactions at once. */
    kick() {
      kicks++;
      while (!stopped && running.size < loops) start();
    },
    /** The jobs loop's safety net: order whatever is still waiting; resolves when none is. */
    async drain() {
      this.kick();
      while (running.size) await Promise.all(running);
    },
    async stop() {
      stopped = true;
      while (running.size) await Promise.all(running);
    },
  };
}

export type GrabWorker = ReturnType<typeof createGrabWorker>;
