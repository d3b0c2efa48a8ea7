// 零结果查询: what shoppers searched for and found nothing, most frequent first.
import { api, qs } from '../shared/api';
import { Link } from '../shared/router';
import { searchUrl, type ZeroResultQuery } from '../shared/search';
import { Empty, ErrorBox, formatTime, Loading } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';

export function ZeroResults() {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<{ items: ZeroResultQuery[] }>(`/admin/search/zero-results${qs({ pageSize: 100 })}`, { signal }), []);
  return (
    <div className="card panel" data-testid="zero-results-panel">
      <div className="panel-head">
        <div>
          <h4>{t('zeroTitle')}</h4>
          <p className="muted small">{t('zeroHint')}</p>
        </div>
        <button className="btn btn-ghost btn-sm" onClick={res.reload} disabled={res.loading}>{t('refresh')}</button>
      </div>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? <Empty>{t('noZeroResults')}</Empty> : (
        <table className="table">
          <thead><tr><th>{t('query')}</th><th className="num">{t('searchCount')}</th><th>{t('lastSearched')}</th><th>{t('action')}</th></tr></thead>
          <tbody>
            {res.data?.items.map((z) => (
              <tr key={z.q} data-testid="zero-row">
                <td><b>{z.q}</b></td>
                <td className="num">{z.count}</td>
                <td className="small nowrap">{formatTime(z.last_at)}</td>
                <td className="nowrap">
                  <Link to={`/admin/synonyms${qs({ terms: `${z.q}，` })}`} className="link-btn">{t('addAsSynonym')}</Link>
                  <Link to={searchUrl({ q: z.q })} className="link-btn" target="_blank" rel="noreferrer">{t('tryIt')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
