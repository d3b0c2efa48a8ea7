/** A verified notification from a payment provider. */
export interface PaymentNotification {
  eventId: string;
  paymentId: string;
  status: 'succeeded' | 'failed';
  amount: number;
  providerTxnId: string;
}

/**
 * A payment provider adapter (WeChat Pay, Alipay, the sandbox...). Each one verifies its
 * own signatures and speaks its own reply format; the payments module does the rest.
 */
export interface PaymentProvider {
  readonly name: string;
  /** Checks the signature over the raw body; throws when it does not hold. */
  verifyNotification(headers: Record<string, string | string[] | undefined>, rawBody: string): PaymentNotification;
  /** Gives money back to the shopper; returns the provider's refund reference. */
  refund(input: { paymentId: string; providerTxnId: string | null; amount: number; refundId: string }): Promise<{ providerRefundId: string }>;
  /** The body the provider expects as acknowledgement (Alipay wants "success"). */
  acknowledgement(): { status: number; body: unknown };
}
