import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { request } from 'undici';
import { Problem } from '../../../shared/problems.ts';
import type { PaymentNotification, PaymentProvider } from './provider.ts';

const MAX_CLOCK_SKEW_SECONDS = 300;

/**
 * A provider that behaves like WeChat Pay v3 without the real network: it signs
 * `timestamp\nnonce\nbody\n` (HMAC-SHA256 with a shared key) and posts the
 * notification to the server's notify endpoint over HTTP, like a real provider.
 */
export function createSandboxProvider(options: { key: string; notifyUrl: () => string }) {
  const sign = (timestamp: string, nonce: string, body: string) =>
    createHmac('sha256', options.key).update(`${timestamp}\n${nonce}\n${body}\n`).digest('base64');

  /** The notification a real provider would send for a successful payment, signed. */
  function signedNotification(payment: { id: string; amount: number }) {
    const body = JSON.stringify({
      event_id: `sbx_evt_${randomUUID()}`,
      payment_id: payment.id,
      trade_state: 'SUCCESS',
      amount: payment.amount,
      transaction_id: `sbx_txn_${randomUUID()}`,
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomUUID();
    const headers = { 'content-type': 'application/json', 'sandbox-timestamp': timestamp, 'sandbox-nonce': nonce, 'sandbox-signature': sign(timestamp, nonce, body) };
    return { body, headers };
  }

  const provider = {
    name: 'sandbox',
    signedNotification,

    /** The shopper approved the payment in the sandbox cashier: notify the platform over HTTP. */
    async pay(payment: { id: string; amount: number }) {
      const { body, headers } = signedNotification(payment);
      const response = await request(options.notifyUrl(), { method: 'POST', headers, body });
      await response.body.dump();
      if (response.statusCode !== 200) throw new Problem(502, 'provider_notify_failed', `the platform answered the sandbox notification with ${response.statusCode}`);
    },

    verifyNotification(headers: Record<string, string | string[] | undefined>, rawBody: string): PaymentNotification {
      const timestamp = String(headers['sandbox-timestamp'] ?? '');
      const nonce = String(headers['sandbox-nonce'] ?? '');
      const signature = Buffer.from(String(headers['sandbox-signature'] ?? ''), 'base64');
      const expected = Buffer.from(sign(timestamp, nonce, rawBody), 'base64');
      if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) throw new Problem(401, 'bad_signature', 'notification signature does not verify');
      if (Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) throw new Problem(401, 'stale_notification', 'notification timestamp is too old');
      const body = JSON.parse(rawBody);
      return {
        eventId: String(body.event_id),
        paymentId: String(body.payment_id),
        status: body.trade_state === 'SUCCESS' ? 'succeeded' : 'failed',
        amount: Number(body.amount),
        providerTxnId: String(body.transaction_id),
      };
    },

    async refund({ refundId }: { refundId: string }) {
      return { providerRefundId: `sbx_rfd_${refundId}` };
    },

    acknowledgement: () => ({ status: 200, body: { code: 'SUCCESS' } }),
  } satisfies PaymentProvider & Record<string, unknown>;
  return provider;
}

export type SandboxProvider = ReturnType<typeof createSandboxProvider>;
