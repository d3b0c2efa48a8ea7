// Shapes of the Quanyu HTTP API v1 (docs/API-GUIDE.md).

export interface Money { amount: number; currency: string }

export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

export interface User { id: string; email: string; name?: string; roles: string[] }

export interface Category {
  id: string; name: string; nameEn?: string | null; path: string;
  parentId: string | null; productCount: number;
}

export type MerchantKind = 'self_operated' | 'marketplace';

export interface ProductCard {
  id: string; title: string; titleEn?: string | null; price: Money;
  merchantId: string; merchantName: string; merchantKind: MerchantKind;
  brand?: string | null; category?: string | null; categoryId?: string | null;
  sales: number; inStock: boolean;
}

export type Attrs = Record<string, string>;

export interface Sku { id: string; code?: string | null; attributes: Attrs | null; price: Money; stock: number }

export interface Product {
  id: string; merchantId: string; merchant: { id: string; name: string; kind: MerchantKind };
  title: string; titleEn?: string | null; description?: string | null; brand?: string | null;
  category?: string | null; categoryId?: string | null; attributes?: Attrs | null;
  status: string; sales: number; price: Money; skus: Sku[];
}

export interface CartItem {
  skuId: string; productId: string; title: string; titleEn?: string | null;
  skuAttributes: Attrs | null; merchantId: string; merchantName: string;
  unitPrice: Money; quantity: number; stock: number; lineTotal: Money;
  listPrice?: Money; liveSessionId?: string;
}

export interface Cart { items: CartItem[]; total: Money; count: number }

export interface Discount { kind: string; amount: Money; fundedBy: 'merchant' | 'platform'; sourceId?: string }

/** Why a coupon does or does not apply to this checkout (from the price engine). */
export interface CouponOutcome {
  couponId: string; code: string; kind: 'store_coupon' | 'platform_coupon'; merchantId?: string;
  applied: boolean; amount: Money; refusal?: { reason: string }; message: { zh: string; en: string };
}

export interface QuoteLine {
  skuId: string; merchantId: string; quantity: number; unitPrice: Money;
  /** The SKU's list price; unitPrice is lower while a live session's price applies (liveSessionId). */
  listPrice?: Money; liveSessionId?: string; priceSource?: 'list' | 'flash_sale' | 'presale' | 'live'; flashSaleId?: string;
  listTotal: Money; discounts: Discount[]; payable: Money;
  /** Presale: the deposit paid before (a balance line), or the balance still owed (a deposit line). */
  paidBefore?: Money; payLater?: Money; presaleOrderId?: string;
  presaleDeposit?: { presaleId: string; balanceStartsAt: string; balanceEndsAt: string };
  title?: string; titleEn?: string | null; skuAttributes?: Attrs | null; productId?: string;
}

export interface Quote {
  lines: QuoteLine[];
  stores: { merchantId: string; merchantName?: string; listTotal: Money; discountTotal: Money; payable: Money }[];
  coupons?: CouponOutcome[];
  listTotal: Money; discountTotal: Money; payable: Money; paidBefore?: Money; payLater?: Money;
  /** Points paid with (1 point = 1 fen), when the shopper chose to. */
  pointsUsed?: number;
}

export interface Address { name: string; phone: string; region: string; line1: string }

export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'completed' | 'cancelled';

export interface OrderLine {
  skuId: string; productId: string; title: string; titleEn?: string | null;
  skuAttributes: Attrs | null; quantity: number; unitPrice: Money; listPrice?: Money; priceSource?: string;
  listTotal: Money; discounts: Discount[]; payable: Money; paidBefore?: Money; payLater?: Money;
  lineNo?: number; refundedQuantity?: number; refunded?: Money;
}

export interface Shipment { carrier: string; carrierName: string; trackingNo: string; shippedAt: string }

export interface Order {
  id: string; orderGroupId: string; merchantId: string; merchantName: string; buyerId: string;
  status: OrderStatus; lines: OrderLine[]; listTotal: Money; discountTotal: Money; payable: Money; refunded?: Money;
  address: Address | null; createdAt: string; expiresAt?: string | null; paidAt?: string | null;
  shippedAt?: string | null; completedAt?: string | null; cancelledAt?: string | null;
  shipment: Shipment | null;
}

export interface Payment { id: string; orderGroupId?: string; provider: string; status: string; amount?: Money }

export interface OrderGroup {
  id: string; payable: Money; status: string; expiresAt?: string | null;
  orders: Order[]; payment: Payment | null;
}

export interface Carrier { code: string; name: string; nameEn?: string | null; pattern?: string; example?: string }

export interface MerchantSummary {
  merchant: { id: string; name: string; kind: MerchantKind; commissionRateBps: number };
  productCount: number; ordersToShip: number; paidOrderCount: number; gmv: Money;
}

export interface MerchantProduct {
  id: string; title: string; titleEn?: string | null; brand?: string | null;
  category?: string | null; status: string; sales: number; skus: Sku[];
}

export interface AdminMerchant {
  id: string; name: string; kind: MerchantKind; commissionRateBps: number;
  status: string; ownerEmail?: string | null; productCount: number; createdAt: string;
}

export interface TrialBalance { accounts: { account: string; balance: Money }[]; total: Money }

export interface Posting {
  id: string; kind: string; ref?: string | null; createdAt: string;
  entries: { account: string; amount: Money }[];
}

export interface AuditEntry {
  id: string; actorId?: string | null; action: string; target?: string | null;
  details?: unknown; at: string;
}
