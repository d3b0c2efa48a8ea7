import type { AppContext } from './app.ts';
import { expireUnpaidOrders } from './modules/orders/cancel-order.ts';
import { autoConfirmOrders } from './modules/orders/confirm-receipt.ts';

/**
 * Background work in the same process: deliver outbox events, close unpaid orders,
 * confirm receipt for shipped orders left unconfirmed. Each tick runs once at a time.
 */
export function startJobs({ db, services, config }: AppContext): () => void {
  let running = false;
  async function tick() {
    if (running) return;
    running = true;
    try {
      await expireUnpaidOrders(db, services);
      await autoConfirmOrders(db, services, config.autoConfirmDays);
      await services.outbox.dispatchPending();
    } catch (error) {
      console.error('background job failed', error);
    } finally {
      running = false;
    }
  }
  const timer = setInterval(tick, config.jobIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
