import type { PricingSource } from '../pricing/service.ts';
import type { FlashSalesService } from './service.ts';

/**
 * Flash sales in the checkout: their prices go to the engine as rules; a cancelled or expired
 * order gives its units back (before inventory releases the order's own reservations). Taking
 * the units is a step of its own in place-order, after the stock reservation, because the
 * sale's counter is the hottest row of the transaction.
 */
export function flashSaleCheckoutPart(flashSales: FlashSalesService): PricingSource {
  return {
    name: 'flash-sales',
    rules: flashSales.activeRules,
    async cancelled(sql, order) {
      await flashSales.release(sql, order.orderId);
    },
  };
}
