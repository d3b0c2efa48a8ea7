// One order as a card: store, status, lines, total, and action buttons.
import type { ReactNode } from 'react';
import { Icon } from '../shared/Icon';
import { ProductThumb } from '../shared/ProductThumb';
import { Link } from '../shared/router';
import { attrText, formatTime, Price } from '../shared/ui';
import type { Order, OrderStatus } from '../shared/types';
import { useI18n, type MsgKey } from '../i18n';
import { DiscountChips } from '../shared/PriceBreakdown';

export function statusKey(s: OrderStatus | string): MsgKey {
  return `status_${s}` as MsgKey;
}

export function StatusTag({ status }: { status: OrderStatus }) {
  const { t } = useI18n();
  return <span className={`status status-${status}`} data-testid="order-status" data-status={status}>{t(statusKey(status))}</span>;
}

export function OrderCard({ order, actions, detailHref, extra, lineActions, breakdown }: {
  order: Order; actions?: ReactNode; detailHref?: string; extra?: ReactNode;
  /** Per-line buttons (a refund on the detail page). */
  lineActions?: (line: Order['lines'][number]) => ReactNode;
  /** Show each line's discounts and refunds. */
  breakdown?: boolean;
}) {
  const { t, localized } = useI18n();
  return (
    <article className="order-card card" data-testid="order-card" data-order-id={order.id}>
      <header className="order-card-head">
        <span className="muted">{formatTime(order.createdAt)}</span>
        <span className="muted">{t('orderNo')}：{order.id}</span>
        <b className="order-store"><Icon name="store" className="store-icon" /> {order.merchantName}</b>
        <StatusTag status={order.status} />
      </header>
      <div className="order-card-body">
        <div className="order-lines">
          {order.lines.map((l) => (
            <div key={l.skuId} className="order-line">
              <ProductThumb productId={l.productId} title={l.title} />
              <div className="order-line-title">
                <Link to={`/product/${l.productId}`}>{localized(l.title, l.titleEn)}</Link>
                <div className="muted small">{attrText(l.skuAttributes)}</div>
                {breakdown && <DiscountChips discounts={l.discounts} />}
                {breakdown && !!l.refundedQuantity && l.refunded && (
                  <div className="muted small" data-testid="line-refunded">{t('refundedUnits', { n: l.refundedQuantity })} <Price value={l.refunded} size="sm" /></div>
                )}
              </div>
              <Price value={l.unitPrice} size="sm" />
              <span className="muted">× {l.quantity}</span>
              {breakdown && <Price value={l.payable} size="sm" />}
              {lineActions?.(l)}
            </div>
          ))}
        </div>
        <div className="order-total">
          <div className="muted small">{t('payable')}</div>
          <Price value={order.payable} size="lg" />
          {extra}
        </div>
        <div className="order-actions">
          {detailHref && <Link to={detailHref} className="link-btn" data-testid="order-detail-link">{t('orderDetail')}</Link>}
          {actions}
        </div>
      </div>
    </article>
  );
}
