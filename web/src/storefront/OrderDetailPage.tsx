// Order detail: progress steps, address, tracking, lines, money, actions.
import { useState } from 'react';
import { api } from '../shared/api';
import { Link } from '../shared/router';
import { ErrorBox, formatTime, Loading, Price } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { Order } from '../shared/types';
import { OrderCard, StatusTag } from './OrderCard';
import { BuyerActions } from './orderActions';
import { useI18n, type MsgKey } from '../i18n';

export function OrderDetailPage({ id }: { id: string }) {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<Order>(`/orders/${encodeURIComponent(id)}`, { signal }), [id]);
  const o = res.data;
  if (res.error) return <div className="container"><ErrorBox error={res.error} onRetry={res.reload} /></div>;
  if (!o) return <Loading />;
  return (
    <div className="container order-detail">
      <div className="crumbs"><Link to="/orders">{t('myOrders')}</Link> › {t('orderDetail')}</div>
      <div className="card od-status">
        <div className="od-status-main">
          <StatusTag status={o.status} />
          <span className="muted">{t('orderNo')}：{o.id}</span>
        </div>
        <Steps o={o} />
      </div>
      <div className="od-grid">
        <section className="card od-box">
          <h3>{t('shippingAddress')}</h3>
          {o.address && <p>{o.address.name} {o.address.phone}<br />{o.address.region} {o.address.line1}</p>}
        </section>
        <section className="card od-box" data-testid="tracking">
          <h3>{t('tracking')}</h3>
          {o.shipment ? (
            <dl className="kv">
              <dt>{t('carrier')}</dt><dd data-testid="tracking-carrier">{o.shipment.carrierName || o.shipment.carrier}</dd>
              <dt>{t('trackingNo')}</dt><dd data-testid="tracking-no">{o.shipment.trackingNo}</dd>
              <dt>{t('shippedAt')}</dt><dd>{formatTime(o.shipment.shippedAt)}</dd>
            </dl>
          ) : <p className="muted">{o.status === 'cancelled' ? t('orderCancelledAt') : t('notShipped')}</p>}
        </section>
        <section className="card od-box">
          <h3>{t('payable')}</h3>
          <dl className="kv">
            <dt>{t('listTotal')}</dt><dd><Price value={o.listTotal} size="sm" /></dd>
            <dt>{t('discountTotal')}</dt><dd>{o.discountTotal.amount > 0 && '-'}<Price value={o.discountTotal} size="sm" /></dd>
            <dt>{t('payable')}</dt><dd><Price value={o.payable} size="lg" /></dd>
            {o.refunded && o.refunded.amount > 0 && <><dt>{t('refundedTotal')}</dt><dd data-testid="order-refunded"><Price value={o.refunded} size="sm" /></dd></>}
          </dl>
        </section>
      </div>
      <OrderCard order={o} breakdown actions={<BuyerActions order={o} onChange={res.setData} />}
        lineActions={(l) => (o.status === 'paid' && l.lineNo && (l.refundedQuantity ?? 0) < l.quantity
          ? <RefundLineButton orderId={o.id} lineNo={l.lineNo} quantity={l.quantity - (l.refundedQuantity ?? 0)} onDone={res.reload} /> : null)} />
    </div>
  );
}

function Steps({ o }: { o: Order }) {
  const { t } = useI18n();
  const steps: [MsgKey, string | null | undefined][] = [
    ['stepPlaced', o.createdAt], ['stepPaid', o.paidAt], ['stepShipped', o.shippedAt ?? o.shipment?.shippedAt], ['stepCompleted', o.completedAt],
  ];
  if (o.status === 'cancelled') steps.splice(1, 3, ['orderCancelledAt', o.cancelledAt]);
  return (
    <ol className="steps">
      {steps.map(([k, at], i) => (
        <li key={k} className={at ? 'done' : ''}>
          <span className="step-dot">{i + 1}</span>
          <span className="step-name">{t(k)}</span>
          <span className="step-time">{formatTime(at)}</span>
        </li>
      ))}
    </ol>
  );
}

/** Before shipping a buyer may refund the units of a line still owed; each returns its share of what the line paid. */
function RefundLineButton({ orderId, lineNo, quantity, onDone }: { orderId: string; lineNo: number; quantity: number; onDone: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const refund = async () => {
    if (!window.confirm(t('refundLineConfirm', { n: quantity }))) return;
    setBusy(true);
    try {
      await api.post(`/orders/${encodeURIComponent(orderId)}/refunds`, { lines: [{ lineNo, quantity }] }, { idempotencyKey: crypto.randomUUID() });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return <span><button className="btn btn-ghost btn-sm" disabled={busy} onClick={refund} data-testid="refund-line">{t('refundLine')}</button><ErrorBox error={error} /></span>;
}
