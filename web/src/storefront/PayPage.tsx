// Sandbox cashier (/pay/:gid) and the success page (/pay/:gid/success).
import { useState } from 'react';
import { api } from '../shared/api';
import { Link, navigate } from '../shared/router';
import { ErrorBox, formatTime, Loading, Price } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { OrderGroup, Payment } from '../shared/types';
import { useI18n } from '../i18n';

function isPaid(g: OrderGroup): boolean {
  return g.payment?.status === 'succeeded' || g.status === 'paid'
    || (g.orders.length > 0 && g.orders.every((o) => o.status !== 'pending_payment' && o.status !== 'cancelled'));
}

function isClosed(g: OrderGroup): boolean {
  return g.status === 'cancelled' || g.status === 'expired' || (g.orders.length > 0 && g.orders.every((o) => o.status === 'cancelled'));
}

export function PayPage({ groupId }: { groupId: string }) {
  const { t, localized } = useI18n();
  const group = useAsync((signal) => api.get<OrderGroup>(`/order-groups/${encodeURIComponent(groupId)}`, { signal }), [groupId]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const g = group.data;

  const pay = async () => {
    if (!g) return;
    setBusy(true);
    setError(undefined);
    try {
      let payment: Payment | null = g.payment && g.payment.status === 'pending' ? g.payment : null;
      payment ??= await api.post<Payment>('/payments', { orderGroupId: g.id, provider: 'sandbox' }, { idempotencyKey: crypto.randomUUID() });
      await api.post<Payment>(`/payments/${encodeURIComponent(payment.id)}/sandbox/pay`);
      navigate(`/pay/${encodeURIComponent(g.id)}/success`, { replace: true });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  if (group.error) return <div className="container"><ErrorBox error={group.error} onRetry={group.reload} /></div>;
  if (!g) return <Loading />;
  if (isPaid(g)) return <PaySuccessView g={g} />;
  const closed = isClosed(g);
  return (
    <div className="container cashier">
      <div className="cashier-head">
        <span className="logo-mark small">全</span><b>{t('brand')} · {t('cashier')}</b>
      </div>
      <div className="card cashier-card">
        <div className="cashier-summary">
          <div>
            <div className="cashier-ok">{closed ? t('groupExpired') : t('orderSubmitted')}</div>
            {g.expiresAt && !closed && <div className="muted small">{t('payBefore', { time: formatTime(g.expiresAt) })}</div>}
            <div className="muted small">{t('orderCount', { n: g.orders.length })}</div>
          </div>
          <div className="cashier-amount">
            <span>{t('amountDue')}</span>
            <span data-testid="pay-amount"><Price value={g.payable} size="xl" /></span>
          </div>
        </div>
        <ul className="cashier-orders">
          {g.orders.map((o) => (
            <li key={o.id}>
              <span>{o.merchantName}</span>
              <span className="muted small">{o.lines.map((l) => `${localized(l.title, l.titleEn)} ×${l.quantity}`).join('，')}</span>
              <Price value={o.payable} size="sm" />
            </li>
          ))}
        </ul>
        <div className="pay-method on cashier-method">
          <span className="pay-icon sandbox">沙</span>
          <span><b>{t('sandboxPay')}</b><small>{t('sandboxPayNote')}</small></span>
        </div>
        <ErrorBox error={error} />
        <button className="btn btn-primary btn-big" disabled={busy || closed} onClick={pay} data-testid="pay-confirm">
          {busy ? t('paying') : `${t('confirmPay')}`}
        </button>
      </div>
    </div>
  );
}

export function PaySuccessPage({ groupId }: { groupId: string }) {
  const group = useAsync((signal) => api.get<OrderGroup>(`/order-groups/${encodeURIComponent(groupId)}`, { signal }), [groupId]);
  if (group.error) return <div className="container"><ErrorBox error={group.error} onRetry={group.reload} /></div>;
  if (!group.data) return <Loading />;
  return <PaySuccessView g={group.data} />;
}

function PaySuccessView({ g }: { g: OrderGroup }) {
  const { t } = useI18n();
  return (
    <div className="container">
      <div className="card success-card" data-testid="pay-success">
        <div className="success-icon">✓</div>
        <h2>{t('paySuccess')}</h2>
        <div className="success-amount"><Price value={g.payable} size="lg" /></div>
        <p className="muted">{t('paySuccessText')} · {t('orderCount', { n: g.orders.length })}</p>
        <div className="success-actions">
          <Link to="/orders?status=paid" className="btn btn-primary" data-testid="view-orders">{t('viewOrders')}</Link>
          <Link to="/" className="btn btn-ghost">{t('continueShopping')}</Link>
        </div>
      </div>
    </div>
  );
}
