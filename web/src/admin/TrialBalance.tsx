// Trial balance: accounts, a big total that must read ¥0.00, and recent postings.
import { useState } from 'react';
import { api, qs } from '../shared/api';
import { formatMoney } from '../shared/money';
import { Empty, ErrorBox, formatTime, Loading, Pagination } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { AdminMerchant, Page, Posting, TrialBalance } from '../shared/types';
import { useI18n } from '../i18n';

export function TrialBalancePage() {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<TrialBalance>('/admin/ledger/trial-balance', { signal }), []);
  const merchants = useAsync((signal) => api.get<Page<AdminMerchant>>('/admin/merchants?pageSize=100', { signal }), []);
  const storeName = new Map((merchants.data?.items ?? []).map((m) => [m.id, m.name]));
  const tb = res.data;
  const balanced = tb?.total.amount === 0;
  return (
    <>
      <div className="card panel">
        <ErrorBox error={res.error} onRetry={res.reload} />
        {!tb ? <Loading /> : (
          <div className="tb">
            <div className={`tb-total ${balanced ? 'ok' : 'bad'}`} data-testid="tb-total">
              <span className="muted">{t('ledgerTotal')}</span>
              <b>{formatMoney(tb.total)}</b>
              <span className="tb-mark" data-testid="tb-balanced">{balanced ? `✔ ${t('balanced')}` : `✘ ${t('unbalanced')}`}</span>
            </div>
            <table className="table tb-table">
              <thead><tr><th>{t('account')}</th><th className="num">{t('balance')}</th></tr></thead>
              <tbody>
                {tb.accounts.map((a) => (
                  <tr key={a.account}><td className="mono">{a.account}{storeName.has(a.account.split(':')[1]) && <span className="muted"> · {storeName.get(a.account.split(':')[1])}</span>}</td><td className={`num mono${a.balance.amount < 0 ? ' neg' : ''}`}>{formatMoney(a.balance)}</td></tr>
                ))}
              </tbody>
              <tfoot><tr><th>{t('total')}</th><th className="num mono">{formatMoney(tb.total)}</th></tr></tfoot>
            </table>
          </div>
        )}
      </div>
      <Postings />
    </>
  );
}

function Postings() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const res = useAsync((signal) => api.get<Page<Posting>>(`/admin/ledger/postings${qs({ page, pageSize: 20 })}`, { signal }), [page]);
  return (
    <div className="card panel">
      <h4>{t('recentPostings')}</h4>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {!res.data ? <Loading /> : res.data.items.length === 0 ? <Empty /> : (
        <table className="table postings">
          <thead><tr><th>{t('time')}</th><th>{t('postingKind')}</th><th>{t('reference')}</th><th>{t('entries')}</th></tr></thead>
          <tbody>
            {res.data.items.map((p) => (
              <tr key={p.id}>
                <td className="small nowrap">{formatTime(p.createdAt)}</td>
                <td><span className="pill pill-grey">{p.kind}</span></td>
                <td className="mono small">{p.ref}</td>
                <td>
                  {p.entries.map((e, i) => (
                    <div key={i} className="entry"><span className="mono small">{e.account}</span><span className={`mono small${e.amount.amount < 0 ? ' neg' : ''}`}>{formatMoney(e.amount)}</span></div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {res.data && <Pagination page={page} pageSize={20} total={res.data.total} onPage={setPage} />}
    </div>
  );
}
