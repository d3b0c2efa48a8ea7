import type { AppContext } from '../app.ts';
import { placeOrder } from '../modules/checkout/place-order.ts';
import { startPayment } from '../modules/payments/start-payment.ts';
import { shipOrder } from '../modules/fulfillment/ship-order.ts';
import { confirmReceipt } from '../modules/orders/confirm-receipt.ts';
import { cancelOrder } from '../modules/orders/cancel-order.ts';
import { carriers } from '../modules/fulfillment/carriers.ts';
import { demoShoppers } from './catalog-data.ts';

const ADDRESSES = [
  { name: '张小明', phone: '13800138000', region: '浙江省 杭州市 西湖区', line1: '文三路 100 号 3 幢 501 室' },
  { name: '李娜', phone: '13912345678', region: '上海市 浦东新区', line1: '世纪大道 88 号 1203 室' },
  { name: '王芳', phone: '13687654321', region: '广东省 深圳市 南山区', line1: '科技园南路 15 号 8 楼' },
  { name: '陈浩', phone: '13511112222', region: '北京市 朝阳区', line1: '建国路 77 号 2 单元 601' },
];

/**
 * Real demo orders, placed and paid through the same use cases and sandbox provider as a
 * shopper's, so the consoles, sales counts and ledger have something true to show:
 * most completed, some shipped, some waiting to ship, one cancelled and refunded.
 * Runs once the server listens, because the sandbox provider notifies over HTTP.
 */
export async function placeDemoOrders(context: AppContext, count = 40) {
  const { db, services, sandbox, config } = context;
  const products = await db.query<{ id: string; sku_id: string }>(
    `SELECT p.id, (SELECT s.id FROM skus s JOIN stock_levels l ON l.sku_id = s.id WHERE s.product_id = p.id AND l.available > 5 ORDER BY s.code LIMIT 1) AS sku_id
       FROM products p ORDER BY p.title`,
  );
  const sellable = products.filter((p) => p.sku_id);
  for (let i = 0; i < count; i++) {
    const shopper = await services.identity.findUserByEmail(db, demoShoppers[i % demoShoppers.length].email);
    if (!shopper) return;
    const items = [0, 1, 2].slice(0, 1 + (i % 3)).map((k) => ({ skuId: sellable[(i * 37 + k * 101) % sellable.length].sku_id, quantity: 1 + ((i + k) % 2) }));
    const group = await db.tx((sql) => placeOrder(sql, services, shopper.id, { items, address: ADDRESSES[i % ADDRESSES.length] }, config.paymentTimeoutMinutes));
    const payment = await db.tx((sql) => startPayment(sql, services, shopper.id, { orderGroupId: group.orderGroupId, provider: 'sandbox' }));
    await sandbox.pay({ id: payment.id, amount: payment.amount.amount });
    for (const [k, order] of group.orders.entries()) {
      const fate = (i + k) % 20;
      if (fate === 0) {
        await db.tx((sql) => cancelOrder(sql, services, order.id, 'buyer_cancelled'));
        continue;
      }
      if (fate >= 17) continue; // paid, waiting for the merchant to ship
      const carrier = carriers[(i + k) % carriers.length];
      await db.tx((sql) => shipOrder(sql, services, order.merchantId, order.id, { carrier: carrier.code, trackingNo: demoTrackingNo(carrier.example, i * 10 + k) }));
      if (fate < 13) await db.tx((sql) => confirmReceipt(sql, services, order.id));
    }
  }
  await services.outbox.dispatchPending();
}

/** The carrier's example number with its last digits replaced, so each order's number is its own. */
function demoTrackingNo(example: string, n: number): string {
  const suffix = String(n).padStart(4, '0');
  const digits = example.match(/\d+/g)!.pop()!;
  const at = example.lastIndexOf(digits);
  return example.slice(0, at) + digits.slice(0, digits.length - suffix.length) + suffix + example.slice(at + digits.length);
}
