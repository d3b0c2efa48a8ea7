// Products & SKUs table: inline price/stock edit, on/off shelf toggle, search, pages.
import { useState, type FormEvent } from 'react';
import { api, qs } from '../shared/api';
import { ProductArt } from '../shared/ProductArt';
import { Empty, ErrorBox, Loading, Pagination, toast } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { MerchantProduct, Page } from '../shared/types';
import { SkuEditor } from './SkuEditor';
import { useI18n } from '../i18n';

const PAGE_SIZE = 20;

export function ProductsTab({ mid }: { mid: string }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const res = useAsync(
    (signal) => api.get<Page<MerchantProduct>>(`/merchants/${encodeURIComponent(mid)}/products${qs({ q: query, page, pageSize: PAGE_SIZE })}`, { signal }),
    [mid, query, page],
  );
  const submit = (e: FormEvent) => { e.preventDefault(); setPage(1); setQuery(q.trim()); };
  const replace = (p: MerchantProduct) => {
    if (res.data) res.setData({ ...res.data, items: res.data.items.map((x) => (x.id === p.id ? { ...x, ...p, skus: p.skus ?? x.skus } : x)) });
  };
  return (
    <div className="card panel">
      <form className="panel-tools" onSubmit={submit}>
        <input value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('searchPlaceholder')} />
        <button className="btn btn-ghost">{t('search')}</button>
        {res.data && <span className="muted">{t('totalItems', { n: res.data.total })}</span>}
      </form>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? <Empty /> : (
        <table className="table products-table">
          <thead><tr>
            <th>{t('product')}</th><th>{t('skuCode')}</th><th>{t('attributes')}</th><th>{t('priceYuan')}</th>
            <th>{t('stockLabel')}</th><th /><th>{t('sales')}</th><th>{t('status')}</th>
          </tr></thead>
          {res.data?.items.map((p) => <ProductRows key={p.id} mid={mid} p={p} onChange={replace} />)}
        </table>
      )}
      {res.data && <Pagination page={page} pageSize={PAGE_SIZE} total={res.data.total} onPage={setPage} />}
    </div>
  );
}

function ProductRows({ mid, p, onChange }: { mid: string; p: MerchantProduct; onChange: (p: MerchantProduct) => void }) {
  const { t, localized } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const active = p.status === 'active';
  const toggle = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const updated = await api.patch<MerchantProduct>(`/merchants/${encodeURIComponent(mid)}/products/${encodeURIComponent(p.id)}`, { status: active ? 'inactive' : 'active' });
      onChange({ ...p, ...updated, skus: updated.skus ?? p.skus });
      toast(t('saved'));
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const n = Math.max(1, p.skus.length);
  return (
    <tbody className="product-group" data-testid="merchant-product" data-product-id={p.id}>
      {p.skus.map((s, i) => (
        <tr key={s.id}>
          {i === 0 && (
            <td rowSpan={n}>
              <div className="product-cell">
                <span className="thumb"><ProductArt id={p.id} category={p.category} title={p.title} /></span>
                <div>
                  <div className="product-cell-title">{localized(p.title, p.titleEn)}</div>
                  <div className="muted small">{[p.brand, p.category].filter(Boolean).join(' · ')}</div>
                  <ErrorBox error={error} />
                </div>
              </div>
            </td>
          )}
          <SkuEditor mid={mid} sku={s} onSaved={(sku) => onChange({ ...p, skus: p.skus.map((x) => (x.id === sku.id ? { ...x, ...sku } : x)) })} />
          {i === 0 && (
            <>
              <td rowSpan={n}>{p.sales}</td>
              <td rowSpan={n} className="nowrap">
                <span className={`pill ${active ? 'pill-green' : 'pill-grey'}`}>{active ? t('onShelf') : t('offShelf')}</span>
                <button className="link-btn" disabled={busy} onClick={toggle} data-testid="shelf-toggle">{active ? t('takeOff') : t('putOn')}</button>
              </td>
            </>
          )}
        </tr>
      ))}
    </tbody>
  );
}
