// Summary cards from GET /merchants/{mid}/summary.
import { api } from '../shared/api';
import { bpsToPercent } from '../shared/money';
import { Link } from '../shared/router';
import { ErrorBox, Loading, Price } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { MerchantSummary } from '../shared/types';
import { useI18n } from '../i18n';

export function Overview({ mid }: { mid: string }) {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<MerchantSummary>(`/merchants/${encodeURIComponent(mid)}/summary`, { signal }), [mid]);
  if (res.error) return <ErrorBox error={res.error} onRetry={res.reload} />;
  const s = res.data;
  if (!s) return <Loading />;
  const m = `?m=${encodeURIComponent(mid)}`;
  return (
    <div className="stat-grid">
      <div className="stat card"><span>{t('gmv')}</span><b><Price value={s.gmv} size="lg" /></b></div>
      <Link to={`/merchant/ship${m}`} className="stat card stat-hot" data-testid="stat-to-ship"><span>{t('ordersToShip')}</span><b>{s.ordersToShip}</b></Link>
      <Link to={`/merchant/orders${m}`} className="stat card"><span>{t('paidOrderCount')}</span><b>{s.paidOrderCount}</b></Link>
      <Link to={`/merchant/products${m}`} className="stat card"><span>{t('productCount')}</span><b>{s.productCount}</b></Link>
      <div className="stat card"><span>{t('commissionRate')}</span><b>{bpsToPercent(s.merchant.commissionRateBps)}</b></div>
    </div>
  );
}
