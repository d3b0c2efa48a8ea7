// Sandbox cashier (/pay/:gid) and the success page (/pay/:gid/success).
import { useState, type ReactNode } from 'react';
import { api } from '../shared/api';
import { Link, navigate } from '../shared/router';
import { ErrorBox, formatTime, Loading, Price } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { Money, OrderGroup, Payment } from '../shared/types';
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
      await payInSandbox(g.payment, { orderGroupId: g.id });
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
    <CashierCard
      heading={closed ? t('groupExpired') : t('orderSubmitted')}
      notes={[g.expiresAt && !closed ? t('payBefore', { time: formatTime(g.expiresAt) }) : '', t('orderCount', { n: g.orders.length })]}
      amount={g.payable} closed={closed} busy={busy} error={error} onPay={pay} testIdPrefix="pay">
      <ul className="cashier-orders">
        {g.orders.map((o) => (
          <li key={o.id}>
            <span>{o.merchantName}</span>
            <span className="muted small">{o.lines.map((l) => `${localized(l.title, l.titleEn)} ×${l.quantity}`).join('，')}</span>
            <Price value={o.payable} size="sm" />
          </li>
        ))}
      </ul>
    </CashierCard>
  );
}

/** Pays in the sandbox: the pending payment when there is one, else a new one for `target` (an order group, or a purpose and payable). */
export async function payInSandbox(pending: { id: string; status: string } | null | undefined, target: Record<string, string>) {
  const payment = pending?.status === 'pending' ? pending : await api.post<Payment>('/payments', { ...target, provider: 'sandbox' }, { idempotencyKey: crypto.randomUUID() });
  await api.post<Payment>(`/payments/${encodeURIComponent(payment.id)}/sandbox/pay`);
}

/** The sandbox cashier: what is paid and until when, the amount, the sandbox method and the pay button. */
export function CashierCard({ heading, notes, amount, closed, busy, error, onPay, testIdPrefix, children }: {
  heading: string; notes: string[]; amount: Money; closed: boolean; busy: boolean; error: unknown; onPay: () => void; testIdPrefix: string; children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="container cashier">
      <div className="cashier-head">
        <span className="logo-mark small">全</span><b>{t('brand')} · {t('cashier')}</b>
      </div>
      <div className="card cashier-card">
        <div className="cashier-summary">
          <div>
            <div className="cashier-ok">{heading}</div>
            {notes.filter(Boolean).map((n) => <div key={n} className="muted small">{n}</div>)}
          </div>
          <div className="cashier-amount">
            <span>{t('amountDue')}</span>
            <span data-testid={`${testIdPrefix}-amount`}><Price value={amount} size="xl" /></span>
          </div>
        </div>
        {children}
        <div className="pay-method on cashier-method">
          <span className="pay-icon sandbox">沙</span>
          <span><b>{t('sandboxPay')}</b><small>{t('sandboxPayNote')}</small></span>
        </div>
        <ErrorBox error={error} />
        <button className="btn btn-primary btn-big" disabled={busy || closed} onClick={onPay} data-testid={`${testIdPrefix}-confirm`}>
          {busy ? t('paying') : t('confirmPay')}
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
    <SuccessCard testId="pay-success" title={t('paySuccess')} amount={g.payable} text={`${t('paySuccessText')} · ${t('orderCount', { n: g.orders.length })}`}
      next={{ to: '/orders?status=paid', label: t('viewOrders'), testId: 'view-orders' }} />
  );
}

/** Paid: the amount, what happens now, where to go next. */
export function SuccessCard({ testId, title, amount, text, next }: { testId: string; title: string; amount: Money; text: string; next: { to: string; label: string; testId: string } }) {
  const { t } = useI18n();
  return (
    <div className="container">
      <div className="card success-card" data-testid={testId}>
        <div className="success-icon">✓</div>
        <h2>{title}</h2>
        <div className="success-amount"><Price value={amount} size="lg" /></div>
        <p className="muted">{text}</p>
        <div className="success-actions">
          <Link to={next.to} className="btn btn-primary" data-testid={next.testId}>{next.label}</Link>
          <Link to="/" className="btn btn-ghost">{t('continueShopping')}</Link>
        </div>
      </div>
    </div>
  );
}
