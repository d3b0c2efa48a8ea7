// Merchants table: commission edit (bps shown as %), suspend/reactivate, create form.
import { useState } from 'react';
import { api, qs } from '../shared/api';
import { bpsToPercent, parsePercent } from '../shared/money';
import { ErrorBox, FieldError, formatTime, Loading, Pagination, SelfBadge, toast } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { AdminMerchant, Page } from '../shared/types';
import { CreateMerchantForm } from './CreateMerchantForm';
import { useI18n } from '../i18n';

const PAGE_SIZE = 20;

export function MerchantsTab() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const res = useAsync((signal) => api.get<Page<AdminMerchant>>(`/admin/merchants${qs({ page, pageSize: PAGE_SIZE })}`, { signal }), [page]);
  const replace = (m: Partial<AdminMerchant> & { id: string }) => {
    if (res.data) res.setData({ ...res.data, items: res.data.items.map((x) => (x.id === m.id ? { ...x, ...m } : x)) });
  };
  return (
    <>
      <CreateMerchantForm onCreated={res.reload} />
      <div className="card panel">
        <ErrorBox error={res.error} onRetry={res.reload} />
        {res.loading && !res.data ? <Loading /> : (
          <table className="table">
            <thead><tr>
              <th>{t('merchantName')}</th><th>{t('kind')}</th><th>{t('ownerEmail')}</th><th>{t('productCount')}</th>
              <th>{t('commissionRate')}</th><th>{t('status')}</th><th>{t('createdAt')}</th><th>{t('action')}</th>
            </tr></thead>
            <tbody>{res.data?.items.map((m) => <MerchantRow key={m.id} m={m} onChange={replace} />)}</tbody>
          </table>
        )}
        {res.data && <Pagination page={page} pageSize={PAGE_SIZE} total={res.data.total} onPage={setPage} />}
      </div>
    </>
  );
}

function MerchantRow({ m, onChange }: { m: AdminMerchant; onChange: (m: Partial<AdminMerchant> & { id: string }) => void }) {
  const { t } = useI18n();
  const [rate, setRate] = useState(bpsToPercent(m.commissionRateBps).replace('%', ''));
  const [rateError, setRateError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const patch = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      const updated = await api.patch<AdminMerchant>(`/admin/merchants/${encodeURIComponent(m.id)}`, body);
      onChange({ ...body, ...updated, id: m.id });
      toast(t('saved'));
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const saveRate = () => {
    const bps = parsePercent(rate);
    setRateError(bps === null ? t('invalidPercent') : undefined);
    if (bps !== null && bps !== m.commissionRateBps) patch({ commissionRateBps: bps });
  };
  const active = m.status !== 'suspended';
  return (
    <tr data-testid="admin-merchant-row">
      <td><b>{m.name}</b> <SelfBadge kind={m.kind} /><div className="muted small mono">{m.id}</div></td>
      <td>{m.kind === 'self_operated' ? t('selfOperated') : t('marketplace')}</td>
      <td className="small">{m.ownerEmail}</td>
      <td>{m.productCount}</td>
      <td className="nowrap">
        <span className="pct-input"><input value={rate} onChange={(e) => setRate(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') saveRate(); }} />%</span>
        <button className="link-btn" disabled={busy} onClick={saveRate}>{t('save')}</button>
        <FieldError message={rateError} />
      </td>
      <td><span className={`pill ${active ? 'pill-green' : 'pill-red'}`}>{active ? t('active') : t('suspended')}</span></td>
      <td className="small">{formatTime(m.createdAt)}</td>
      <td>
        <button className="link-btn" disabled={busy} onClick={() => patch({ status: active ? 'suspended' : 'active' })}>{active ? t('suspend') : t('activate')}</button>
        <ErrorBox error={error} />
      </td>
    </tr>
  );
}
