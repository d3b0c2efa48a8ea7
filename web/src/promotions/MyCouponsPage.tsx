// 我的优惠券: the coupons I hold (usable or not yet started), used ones with their order, expired ones;
// and claiming a coupon by its code.
import { useState, type FormEvent } from 'react';
import { api } from '../shared/api';
import { Link } from '../shared/router';
import { Empty, ErrorBox, formatTime, Loading, Pagination, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';
import { refusalText } from './CouponStrip';
import { CouponTicket } from './parts';
import type { HeldCoupon, HeldStatus } from './types';

type Mine = { items: HeldCoupon[]; total: number; page: number; pageSize: number; counts: Record<HeldStatus, number> };
const TABS: HeldStatus[] = ['held', 'used', 'expired'];
const PAGE_SIZE = 20;

export function MyCouponsPage() {
  const { t } = useI18n();
  const [status, setStatus] = useState<HeldStatus>('held');
  const [page, setPage] = useState(1);
  const res = useAsync((signal) => api.get<Mine>(`/me/coupons?status=${status}&page=${page}&pageSize=${PAGE_SIZE}`, { signal }), [status, page]);
  const d = res.data;
  return (
    <div className="container my-coupons" data-testid="my-coupons">
      <h2 className="page-title">{t('promoMyCoupons')}</h2>
      <ClaimByCode onClaimed={() => { setStatus('held'); setPage(1); res.reload(); }} />
      <div className="card">
        <div className="coupon-tabs" role="tablist">
          {TABS.map((s) => (
            <button key={s} role="tab" aria-selected={s === status} className={s === status ? 'on' : ''} data-testid={`coupon-tab-${s}`} onClick={() => { setStatus(s); setPage(1); }}>
              {t(`promoTab_${s}`)}{d ? ` (${d.counts[s]})` : ''}
            </button>
          ))}
        </div>
        <ErrorBox error={res.error} onRetry={res.reload} />
        {res.loading && !d ? <Loading /> : d && d.items.length === 0 ? <Empty>{t(`promoNone_${status}`)}</Empty> : (
          <div className="coupon-list">
            {d?.items.map((c) => <HeldTicket key={c.id} c={c} />)}
          </div>
        )}
        {d && <Pagination page={d.page} pageSize={d.pageSize} total={d.total} onPage={setPage} />}
      </div>
    </div>
  );
}

function HeldTicket({ c }: { c: HeldCoupon }) {
  const { t } = useI18n();
  const notStarted = c.status === 'held' && Date.parse(c.startsAt) > Date.now();
  const where = c.fundedBy === 'merchant' ? `/products?merchantId=${encodeURIComponent(c.merchantId!)}` : '/';
  const action = c.status === 'used'
    ? <span className="coupon-stamp">{t('promoTab_used')}</span>
    : c.status === 'expired'
      ? <span className="coupon-stamp">{t('promoTab_expired')}</span>
      : notStarted ? <span className="coupon-why">{t('promoNotStarted', { at: formatTime(c.startsAt) })}</span>
      : <Link to={where} className="btn btn-primary btn-sm">{t('promoUse')}</Link>;
  const extra = <>
    {c.merchantName && <span>{c.merchantName}</span>}
    {c.source !== 'claim' && <span>{t('promoGranted')}</span>}
    {c.orderId && <span>{t('promoUsedOn')} <Link to={`/orders/${encodeURIComponent(c.orderId)}`} className="accent">{c.orderId}</Link></span>}
  </>;
  return <CouponTicket c={c} extra={extra} action={action} muted={c.status !== 'held'} testId="held-coupon" />;
}

function ClaimByCode({ onClaimed }: { onClaimed: () => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const act = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    act.run(true, async () => {
      await api.post('/me/coupons', { code: code.trim() });
      setCode('');
      toast(t('promoClaimedToast'));
      onClaimed();
    });
  };
  return (
    <form className="card panel claim-by-code" onSubmit={submit}>
      <b>{t('promoClaimByCode')}</b>
      <input value={code} onChange={(e) => setCode(e.target.value)} placeholder={t('promoCodePlaceholder')} maxLength={32} data-testid="claim-code-input" />
      <button className="btn btn-primary" disabled={!!act.busy || !code.trim()} data-testid="claim-code-submit">{t('promoClaim')}</button>
      {!!act.error && <span className="field-error" role="alert">{refusalText(act.error)}</span>}
    </form>
  );
}
