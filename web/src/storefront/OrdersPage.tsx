// My orders with status tabs.
import { api, qs } from '../shared/api';
import { Link, navigate, useQuery } from '../shared/router';
import { Empty, ErrorBox, Loading, Pagination } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { Order, OrderStatus, Page } from '../shared/types';
import { OrderCard, statusKey } from './OrderCard';
import { BuyerActions } from './orderActions';
import { useI18n } from '../i18n';

export const STATUS_TABS: ('' | OrderStatus)[] = ['', 'pending_payment', 'paid', 'shipped', 'completed', 'cancelled'];
const PAGE_SIZE = 10;

export function OrdersPage() {
  const { t } = useI18n();
  const q = useQuery();
  const status = q.get('status') ?? '';
  const page = Math.max(1, Number(q.get('page')) || 1);
  const res = useAsync((signal) => api.get<Page<Order>>(`/orders${qs({ status, page, pageSize: PAGE_SIZE })}`, { signal }), [status, page]);
  const replace = (o: Order) => {
    if (!res.data) return;
    res.setData({ ...res.data, items: res.data.items.map((x) => (x.id === o.id ? o : x)) });
  };
  return (
    <div className="container">
      <h2 className="page-title">{t('myOrders')}</h2>
      <div className="tabs card" data-testid="order-tabs">
        {STATUS_TABS.map((s) => (
          <Link key={s || 'all'} to={s ? `/orders?status=${s}` : '/orders'} className={`tab${s === status ? ' on' : ''}`} data-testid={`tab-${s || 'all'}`}>
            {s ? t(statusKey(s)) : t('statusAll')}
          </Link>
        ))}
      </div>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? <div className="card"><Empty>{t('noOrders')}</Empty></div> : (
        res.data?.items.map((o) => (
          <OrderCard key={o.id} order={o} detailHref={`/orders/${o.id}`} actions={<BuyerActions order={o} onChange={replace} />} />
        ))
      )}
      {res.data && <Pagination page={page} pageSize={PAGE_SIZE} total={res.data.total}
        onPage={(p) => navigate(`/orders${qs({ status, page: p })}`)} />}
    </div>
  );
}
