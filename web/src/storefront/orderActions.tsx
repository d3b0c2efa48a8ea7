// Buyer actions on an order: pay, cancel (before shipping), confirm receipt (after shipping).
import { useState } from 'react';
import { api } from '../shared/api';
import { navigate } from '../shared/router';
import { ErrorBox } from '../shared/ui';
import type { Order } from '../shared/types';
import { useI18n } from '../i18n';

export function BuyerActions({ order, onChange }: { order: Order; onChange: (o: Order) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (path: string, question: string) => {
    if (!window.confirm(question)) return;
    setBusy(true);
    setError(undefined);
    try {
      onChange(await api.post<Order>(`/orders/${encodeURIComponent(order.id)}/${path}`));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const s = order.status;
  return (
    <>
      {s === 'pending_payment' && (
        <button className="btn btn-primary btn-sm" data-testid="order-pay" onClick={() => navigate(`/pay/${encodeURIComponent(order.orderGroupId)}`)}>{t('pay')}</button>
      )}
      {s === 'shipped' && (
        <button className="btn btn-primary btn-sm" data-testid="confirm-receipt" disabled={busy} onClick={() => run('confirm-receipt', t('confirmReceiptAsk'))}>{t('confirmReceipt')}</button>
      )}
      {(s === 'pending_payment' || s === 'paid') && (
        <button className="btn btn-ghost btn-sm" data-testid="order-cancel" disabled={busy} onClick={() => run('cancel', t('confirmCancel'))}>{t('cancelOrder')}</button>
      )}
      <ErrorBox error={error} />
    </>
  );
}
