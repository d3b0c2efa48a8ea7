// 领券 on the product page: the coupons on offer for this product (the store's and the platform's) with
// their stated conditions and a claim button, and the running promotions (跨店满减, 立减) that cover it.
import { useState } from 'react';
import { api, ApiError, qs } from '../shared/api';
import { useAuth } from '../shared/auth';
import { navigate } from '../shared/router';
import { toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { getLang, useI18n } from '../i18n';
import { CouponTicket } from './parts';
import type { CouponOffer, Offers } from './types';

/** What a refusal says, in the shopper's language (422 coupon_not_applicable carries messageZh). */
export function refusalText(error: unknown): string {
  if (!(error instanceof ApiError)) return String((error as Error)?.message ?? error);
  const zh = (error.problem as { messageZh?: string }).messageZh;
  return getLang() === 'zh' && zh ? zh : error.message;
}

export function CouponStrip({ productId }: { productId: string }) {
  const { t, localized } = useI18n();
  const { user } = useAuth();
  const [open, setOpen] = useState(false);
  const offers = useAsync((signal) => api.get<Offers>(`/coupons/offers${qs({ productId })}`, { signal }), [productId, user?.id]);
  const d = offers.data;
  if (!d || (!d.items.length && !d.promotions.length)) return null;
  return (
    <div className="coupon-strip" data-testid="coupon-strip">
      {d.items.length > 0 && (
        <div className="pdp-price-row coupon-strip-row">
          <span className="pdp-label">{t('promoStrip')}</span>
          <span className="coupon-chips">
            {d.items.slice(0, 4).map((c) => <span key={c.id} className={`coupon-chip${c.held ? ' held' : ''}`}>{localized(c.title, c.titleEn)}</span>)}
          </span>
          <button className="link-btn coupon-strip-open" onClick={() => setOpen(!open)} data-testid="coupon-strip-open">{t('promoStrip')} {open ? '︿' : '›'}</button>
        </div>
      )}
      {d.promotions.length > 0 && (
        <div className="pdp-price-row coupon-strip-row">
          <span className="pdp-label">{t('promoRunning')}</span>
          <span className="coupon-chips">{d.promotions.map((p) => <span key={p.id} className="promo-chip" data-testid="promotion-chip">{p.title}</span>)}</span>
        </div>
      )}
      {open && (
        <div className="coupon-panel" data-testid="coupon-panel">
          {d.items.map((c) => <OfferTicket key={c.id} c={c} onClaimed={offers.reload} />)}
        </div>
      )}
    </div>
  );
}

function OfferTicket({ c, onClaimed }: { c: CouponOffer; onClaimed: () => void }) {
  const { t } = useI18n();
  const act = useAction();
  const claim = () => act.run(true, async () => {
    if (c.whyNot?.reason === 'sign_in') {
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    try {
      await api.post('/me/coupons', { code: c.code, ...(c.fundedBy === 'merchant' ? { merchantId: c.merchantId } : {}) });
      toast(t('promoClaimedToast'));
      onClaimed();
    } catch (e) {
      toast(refusalText(e));
      onClaimed();
    }
  });
  const why = c.whyNot && c.whyNot.reason !== 'sign_in' ? c.whyNot : undefined;
  const action = c.canClaim || c.whyNot?.reason === 'sign_in'
    ? <button className="btn btn-primary btn-sm" disabled={!!act.busy} onClick={claim} data-testid="claim-coupon">{c.held ? t('promoClaimAgain') : t('promoClaim')}</button>
    : c.held > 0
      ? <span className="coupon-stamp" data-testid="coupon-claimed">{t('promoClaimed')}</span>
      : <span className="coupon-why">{why?.reason === 'sold_out' ? t('promoSoldOut') : getLang() === 'zh' ? why?.messageZh : why?.message}</span>;
  const extra = <>
    {c.remaining !== null && <span>{t('promoRemaining', { n: c.remaining })}</span>}
    {c.held > 0 && <span className="accent">{t('promoYouHold', { n: c.held })}</span>}
  </>;
  return <CouponTicket c={c} extra={extra} action={action} testId="coupon-offer" />;
}
