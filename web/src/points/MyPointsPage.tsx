// 我的积分 (GET /me/points): the balance and what it is worth, how points are earned and spent, and
// every movement with the order it came from.
import { useState } from 'react';
import { api, qs } from '../shared/api';
import { Link } from '../shared/router';
import type { Money } from '../shared/types';
import { Empty, ErrorBox, formatTime, Loading, Pagination, Price } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';

type MovementKind = 'earned' | 'spent' | 'returned' | 'taken_back';
export interface MyPoints {
  balance: number; worth: Money; rule: { fenPerPointEarned: number; maxShareBps: number };
  items: { kind: MovementKind; points: number; orderId: string; refundId?: string; at: string }[];
  total: number; page: number; pageSize: number;
}

export function MyPointsPage() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const res = useAsync((signal) => api.get<MyPoints>(`/me/points${qs({ page, pageSize: 20 })}`, { signal }), [page]);
  const d = res.data;
  return (
    <div className="container" data-testid="my-points">
      <h2 className="page-title">{t('myPoints')}</h2>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {d && (
        <div className="stat-grid stat-grid-3">
          <div className="stat card stat-hot"><span>{t('pointsBalance')}</span><b data-testid="points-balance">{d.balance}</b></div>
          <div className="stat card"><span>{t('pointsWorth')}</span><b><Price value={d.worth} size="lg" /></b></div>
          <div className="stat card points-rule"><span>{t('pointsRuleTitle')}</span>
            <small>{t('pointsRule', { yuan: d.rule.fenPerPointEarned / 100, percent: d.rule.maxShareBps / 100 })}</small></div>
        </div>
      )}
      {res.loading && !d ? <Loading /> : d?.items.length === 0 ? <div className="card"><Empty>{t('pointsNone')}</Empty></div> : (
        <div className="card">
          <table className="table">
            <thead><tr><th>{t('pointsWhen')}</th><th>{t('pointsKind')}</th><th className="num">{t('pointsCol')}</th><th>{t('pointsOrder')}</th></tr></thead>
            <tbody>
              {d?.items.map((m) => (
                <tr key={`${m.kind}-${m.orderId}-${m.refundId ?? ''}`} data-testid="points-movement" data-kind={m.kind}>
                  <td className="small">{formatTime(m.at)}</td>
                  <td>{t(`points_${m.kind}`)}</td>
                  <td className={`num ${m.points > 0 ? 'points-plus' : 'points-minus'}`}>{m.points > 0 ? `+${m.points}` : m.points}</td>
                  <td className="small"><Link to={`/orders/${m.orderId}`}>{m.orderId}</Link></td>
                </tr>
              ))}
            </tbody>
          </table>
          {d && <Pagination page={d.page} pageSize={d.pageSize} total={d.total} onPage={setPage} />}
        </div>
      )}
    </div>
  );
}
