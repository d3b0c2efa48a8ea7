import type { AppContext } from './app.ts';
import { expireUnpaidOrders } from './modules/orders/cancel-order.ts';
import { autoConfirmOrders } from './modules/orders/confirm-receipt.ts';

/**
 * Background work in the same process: close unpaid orders, confirm receipt for shipped
 * orders left unconfirmed (each tick runs once at a time), and deliver outbox events.
 */
export function startJobs({ db, services, config }: AppContext): () => void {
  let running = false;
  async function tick() {
    if (running) return;
    running = true;
    try {
      await expireUnpaidOrders(db, services);
      await autoConfirmOrders(db, services, config.autoConfirmDays);
    } catch (error) {
      console.error('background job failed', error);
    } finally {
      running = false;
    }
  }
  const timer = setInterval(tick, config.jobIntervalMs);
  timer.unref();
  // Events are delivered often: the search index must show a catalogue change within a second.
  const outboxTimer = setInterval(() => services.outbox.dispatchPending().catch((e) => console.error('outbox dispatch failed', e)), config.outboxIntervalMs);
  outboxTimer.unref();
  return () => {
    clearInterval(timer);
    clearInterval(outboxTimer);
  };
}
