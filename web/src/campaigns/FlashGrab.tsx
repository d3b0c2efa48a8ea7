// 立即抢购 on the product page while the chosen SKU's flash sale is on: the grab answers at once, then the
// page shows 正在为你生成订单… until the order behind it exists, and goes on to pay for it.
import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../shared/api';
import { navigate } from '../shared/router';
import type { Address } from '../shared/types';
import { AddressForm, rememberAddress, savedAddress, validateAddress, type AddressErrors } from '../storefront/AddressForm';
import { useI18n } from '../i18n';
import type { FlashSale } from './types';

interface Grab {
  id: string;
  status: 'taken' | 'ordered' | 'failed';
  orderId?: string;
  failure?: { code: string; message: { zh: string; en: string } };
}

type Phase = { kind: 'idle' } | { kind: 'address' } | { kind: 'working' } | { kind: 'refused'; message: string };

const POLL_MS = 400;

export function FlashGrab({ sale, skuId, quantity, requireLogin }: { sale: FlashSale; skuId: string; quantity: number; requireLogin: () => boolean }) {
  const { t, lang } = useI18n();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [address, setAddress] = useState<Address>(savedAddress);
  const [errors, setErrors] = useState<AddressErrors>({});
  // One key per grab the shopper means: a retry after a lost answer gets the same grab back.
  const key = useRef<string>(crypto.randomUUID());
  const alive = useRef(true);
  useEffect(() => () => { alive.current = false; }, []);

  const refusal = (e: unknown) => {
    const code = e instanceof ApiError ? e.code : undefined;
    if (code === 'out_of_stock') return t('fsGrabSoldOut');
    if (code === 'flash_sale_limit') return t('fsGrabLimit', { n: sale.perPersonLimit });
    if (code === 'flash_sale_ended') return t('fsGrabNotOn');
    return (e as Error).message;
  };

  /** Waits for the order behind the grab, then opens the cashier for it. */
  async function follow(grab: Grab) {
    while (grab.status === 'taken' && alive.current) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      grab = await api.get<Grab>(`/flash-sales/grabs/${encodeURIComponent(grab.id)}`);
    }
    if (!alive.current) return;
    if (grab.status === 'failed') return setPhase({ kind: 'refused', message: grab.failure?.message[lang] ?? t('fsGrabFailed') });
    const order = await api.get<{ orderGroupId: string }>(`/orders/${encodeURIComponent(grab.orderId!)}`);
    await api.post('/payments', { orderGroupId: order.orderGroupId, provider: 'sandbox' }, { idempotencyKey: crypto.randomUUID() })
      .catch(() => undefined); // the cashier creates it if this failed
    navigate(`/pay/${encodeURIComponent(order.orderGroupId)}`);
  }

  async function grab(to: Address) {
    setPhase({ kind: 'working' });
    let taken: Grab;
    try {
      taken = await api.post<Grab>(`/flash-sales/${encodeURIComponent(sale.id)}/grabs`, { skuId, quantity, address: to }, { idempotencyKey: key.current });
    } catch (e) {
      // Refused, so nothing was taken: the next press is a new grab (a lost answer keeps its key).
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) key.current = crypto.randomUUID();
      if (alive.current) setPhase({ kind: 'refused', message: refusal(e) });
      return;
    }
    rememberAddress(to);
    // The units are the shopper's: if following the order breaks, pressing again answers the same grab.
    await follow(taken).catch((e) => alive.current && setPhase({ kind: 'refused', message: (e as Error).message }));
  }

  const start = () => {
    if (requireLogin()) return;
    if (Object.keys(validateAddress(address)).length) return setPhase({ kind: 'address' });
    void grab(address);
  };
  const confirmAddress = () => {
    const errs = validateAddress(address);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    void grab({ name: address.name.trim(), phone: address.phone.trim(), region: address.region.trim(), line1: address.line1.trim() });
  };

  return (
    <div className="pdp-grab" data-testid="flash-grab">
      {phase.kind === 'working' ? (
        <div className="pdp-grab-progress" data-testid="flash-grab-progress" role="status"><span className="spinner" /> {t('fsGrabWorking')}</div>
      ) : (
        <button className="btn btn-buy pdp-grab-btn" onClick={start} data-testid="flash-grab-button">⚡ {t('fsGrabNow')}</button>
      )}
      {phase.kind === 'refused' && <div className="pdp-grab-refused" data-testid="flash-grab-refused">{phase.message}</div>}
      {phase.kind === 'address' && (
        <div className="pdp-grab-address">
          <div className="muted small">{t('fsGrabAddress')}</div>
          <AddressForm value={address} onChange={setAddress} errors={errors} />
          <button className="btn btn-primary" onClick={confirmAddress} data-testid="flash-grab-confirm">{t('fsGrabConfirm')}</button>
        </div>
      )}
    </div>
  );
}
