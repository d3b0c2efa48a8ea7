import type { AppContext } from './app.ts';
import { expireUnpaidOrders } from './modules/orders/cancel-order.ts';
import { autoConfirmOrders } from './modules/orders/confirm-receipt.ts';
import { shanghaiDate } from './modules/membership/allowance.ts';
import { forfeitUnpaidBalances } from './modules/presale/lifecycle.ts';

const HOUR_MS = 3_600_000;

/**
 * Background work in the same process: close unpaid orders and membership purchases, confirm
 * receipt for shipped orders left unconfirmed, forfeit presale deposits whose balance window
 * closed unpaid (each tick runs once at a time), deliver outbox events, and
 * hourly keep behaviour partitions ahead of time and drop those past retention.
 */
export function startJobs({ db, services, config }: AppContext): () => void {
  let running = false;
  async function tick() {
    if (running) return;
    running = true;
    try {
      await expireUnpaidOrders(db, services);
      await autoConfirmOrders(db, services, config.autoConfirmDays);
      await forfeitUnpaidBalances(db, services);
      await services.membership.closeExpiredPurchases();
      services.flashGrabs.kick(); // grabs whose node died before ordering them
      await services.flashSales.settleEnded();
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
  const hourlyTimer = setInterval(async () => {
    try {
      await services.tracking.ensureCurrentPartitions();
      const dropped = await services.tracking.dropExpired(config.eventRetentionDays);
      if (dropped.length) console.info(`dropped behaviour partitions past retention: ${dropped.join(', ')}`);
    } catch (error) {
      console.error('behaviour partition job failed', error);
    }
  }, HOUR_MS);
  hourlyTimer.unref();
  // Members' monthly coupons, once a day within the hour after midnight in Asia/Shanghai (so on the 1st for a new month).
  let allowanceDay = '';
  const allowanceTimer = setInterval(async () => {
    const day = shanghaiDate(new Date());
    if (day === allowanceDay) return;
    try {
      await services.membership.grantMonthlyAllowances();
      allowanceDay = day;
    } catch (error) {
      console.error('membership coupon job failed', error);
    }
  }, HOUR_MS);
  allowanceTimer.unref();
  // Operator tags follow behaviour: tagged crowds are materialised again every few minutes.
  const crowdTimer = setInterval(() => services.crowds.materializeTagCrowds().catch((e) => console.error('crowd tag job failed', e)), 5 * 60_000);
  crowdTimer.unref();
  return () => {
    clearInterval(timer);
    clearInterval(outboxTimer);
    clearInterval(hourlyTimer);
    clearInterval(crowdTimer);
    clearInterval(allowanceTimer);
  };
}
