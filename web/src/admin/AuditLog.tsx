// Audit log of operator and merchant actions.
import { useState } from 'react';
import { api, qs } from '../shared/api';
import { Empty, ErrorBox, formatTime, Loading, Pagination } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { AuditEntry, Page } from '../shared/types';
import { useI18n } from '../i18n';

export function AuditLog() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const res = useAsync((signal) => api.get<Page<AuditEntry>>(`/admin/audit${qs({ page, pageSize: 30 })}`, { signal }), [page]);
  return (
    <div className="card panel">
      <ErrorBox error={res.error} onRetry={res.reload} />
      {!res.data ? <Loading /> : res.data.items.length === 0 ? <Empty /> : (
        <table className="table">
          <thead><tr><th>{t('time')}</th><th>{t('actor')}</th><th>{t('auditAction')}</th><th>{t('target')}</th><th>{t('details')}</th></tr></thead>
          <tbody>
            {res.data.items.map((a) => (
              <tr key={a.id}>
                <td className="small nowrap">{formatTime(a.at)}</td>
                <td className="mono small">{a.actorId}</td>
                <td><span className="pill pill-grey">{a.action}</span></td>
                <td className="mono small">{a.target}</td>
                <td className="mono small details">{a.details == null ? '' : typeof a.details === 'string' ? a.details : JSON.stringify(a.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {res.data && <Pagination page={page} pageSize={30} total={res.data.total} onPage={setPage} />}
    </div>
  );
}
