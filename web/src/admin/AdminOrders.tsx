// All orders with a status filter (GET /admin/orders).
import { useState } from 'react';
import { api, qs } from '../shared/api';
import { Empty, ErrorBox, formatTime, Loading, Pagination, Price } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { Order, Page } from '../shared/types';
import { StatusTag, statusKey } from '../storefront/OrderCard';
import { STATUS_TABS } from '../storefront/OrdersPage';
import { useI18n } from '../i18n';

const PAGE_SIZE = 20;

export function AdminOrders() {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const res = useAsync((signal) => api.get<Page<Order>>(`/admin/orders${qs({ status, page, pageSize: PAGE_SIZE })}`, { signal }), [status, page]);
  return (
    <div className="card panel">
      <div className="tabs inline">
        {STATUS_TABS.map((s) => (
          <button key={s || 'all'} className={`tab${s === status ? ' on' : ''}`} onClick={() => { setStatus(s); setPage(1); }}>
            {s ? t(statusKey(s)) : t('statusAll')}
          </button>
        ))}
        {res.data && <span className="muted">{res.data.total}</span>}
      </div>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? <Empty /> : (
        <table className="table">
          <thead><tr><th>{t('orderNo')}</th><th>{t('merchant')}</th><th>{t('buyer')}</th><th>{t('product')}</th><th>{t('amount')}</th><th>{t('status')}</th><th>{t('orderTime')}</th></tr></thead>
          <tbody>
            {res.data?.items.map((o) => (
              <tr key={o.id}>
                <td className="mono small">{o.id}</td>
                <td>{o.merchantName}</td>
                <td className="small">{o.address?.name ?? o.buyerId}</td>
                <td className="small">{o.lines.map((l) => `${l.title} ×${l.quantity}`).join('；')}</td>
                <td><Price value={o.payable} size="sm" /></td>
                <td><StatusTag status={o.status} /></td>
                <td className="small nowrap">{formatTime(o.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {res.data && <Pagination page={page} pageSize={PAGE_SIZE} total={res.data.total} onPage={setPage} />}
    </div>
  );
}
