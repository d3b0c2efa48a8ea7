// Ship dialog: carrier from GET /carriers + tracking number -> POST .../ship.
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../shared/api';
import { loadCarriers } from '../shared/catalog';
import { ErrorBox, Field, Modal, toast } from '../shared/ui';
import type { Carrier, Order } from '../shared/types';
import { useI18n } from '../i18n';

/** Sample numbers per carrier code, only as input hints (the server checks the real format). */
export function ShipDialog({ mid, order, onClose, onShipped }: { mid: string; order: Order; onClose: () => void; onShipped: (o: Order) => void }) {
  const { t, localized } = useI18n();
  const [carriers, setCarriers] = useState<Carrier[]>([]);
  const [carrier, setCarrier] = useState('');
  const [trackingNo, setTrackingNo] = useState('');
  const [error, setError] = useState<unknown>();
  const [local, setLocal] = useState<{ carrier?: string; trackingNo?: string }>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => { loadCarriers().then(setCarriers).catch(setError); }, []);
  const example = carriers.find((c) => c.code === carrier)?.example;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof local = {};
    if (!carrier) errs.carrier = t('chooseCarrier');
    if (!trackingNo.trim()) errs.trackingNo = t('required');
    setLocal(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    setError(undefined);
    try {
      const o = await api.post<Order>(`/merchants/${encodeURIComponent(mid)}/orders/${encodeURIComponent(order.id)}/ship`, { carrier, trackingNo: trackingNo.trim() });
      toast(t('shippedToast'));
      onShipped(o);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const fe = (f: string) => (error instanceof ApiError ? error.fieldMessage(f) : undefined);
  return (
    <Modal title={`${t('shipOrder')} · ${order.id}`} onClose={onClose} testId="ship-dialog">
      <form onSubmit={submit} className="ship-form">
        {order.address && <p className="muted small">{order.address.name} {order.address.phone} · {order.address.region} {order.address.line1}</p>}
        <Field label={t('carrier')} error={local.carrier ?? fe('carrier')}>
          <select value={carrier} onChange={(e) => setCarrier(e.target.value)} data-testid="carrier-select">
            <option value="">{t('chooseCarrier')}</option>
            {carriers.map((c) => <option key={c.code} value={c.code}>{localized(c.name, c.nameEn)}</option>)}
          </select>
        </Field>
        <Field label={t('trackingNo')} error={local.trackingNo ?? fe('trackingNo')}>
          <input value={trackingNo} onChange={(e) => setTrackingNo(e.target.value)} data-testid="tracking-input"
            placeholder={example ? `${t('example')}${example}` : ''} />
        </Field>
        <ErrorBox error={error} omitFields={['carrier', 'trackingNo']} />
        <div className="form-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('cancel')}</button>
          <button className="btn btn-primary" disabled={busy} data-testid="ship-submit">{t('confirmShip')}</button>
        </div>
      </form>
    </Modal>
  );
}
