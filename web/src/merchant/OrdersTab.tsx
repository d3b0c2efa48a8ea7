// Merchant orders: "to ship" (status=paid) with the ship dialog, or all orders.
import { useState } from 'react';
import { api, qs } from '../shared/api';
import { Empty, ErrorBox, Loading, Pagination } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { Order, Page } from '../shared/types';
import { OrderCard } from '../storefront/OrderCard';
import { ShipDialog } from './ShipDialog';
import { useI18n } from '../i18n';

const PAGE_SIZE = 10;

export function OrdersTab({ mid, status }: { mid: string; status?: 'paid' }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [shipping, setShipping] = useState<Order | null>(null);
  const res = useAsync(
    (signal) => api.get<Page<Order>>(`/merchants/${encodeURIComponent(mid)}/orders${qs({ status, page, pageSize: PAGE_SIZE })}`, { signal }),
    [mid, status, page],
  );
  const shipped = (o: Order) => {
    setShipping(null);
    if (!res.data) return;
    const items = status === 'paid' ? res.data.items.filter((x) => x.id !== o.id) : res.data.items.map((x) => (x.id === o.id ? o : x));
    res.setData({ ...res.data, items, total: status === 'paid' ? res.data.total - 1 : res.data.total });
  };
  return (
    <div>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? (
        <div className="card"><Empty>{status === 'paid' ? t('noOrdersToShip') : t('noOrders')}</Empty></div>
      ) : res.data?.items.map((o) => (
        <OrderCard key={o.id} order={o}
          extra={o.address && <div className="muted small ship-to">{o.address.name} {o.address.phone}<br />{o.address.region} {o.address.line1}</div>}
          actions={o.status === 'paid'
            ? <button className="btn btn-primary btn-sm" data-testid="ship-button" onClick={() => setShipping(o)}>{t('ship')}</button>
            : o.shipment ? <span className="muted small">{o.shipment.carrierName} {o.shipment.trackingNo}</span> : null} />
      ))}
      {res.data && <Pagination page={page} pageSize={PAGE_SIZE} total={res.data.total} onPage={setPage} />}
      {shipping && <ShipDialog mid={mid} order={shipping} onClose={() => setShipping(null)} onShipped={shipped} />}
    </div>
  );
}
