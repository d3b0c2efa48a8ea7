// Each discount on a line, named and with who pays for it, and why each coupon does or does not apply.
import { hasKey, useI18n } from '../i18n';
import type { CouponOutcome, Discount } from './types';
import { Price } from './ui';

export function DiscountChips({ discounts }: { discounts: Discount[] }) {
  const { t } = useI18n();
  if (!discounts.length) return null;
  return (
    <div className="discount-chips" data-testid="line-discounts">
      {discounts.map((d, i) => {
        const key = `discount_${d.kind}`;
        return (
          <span key={i} className={`discount-chip funded-${d.fundedBy}`} title={t(d.fundedBy === 'merchant' ? 'fundedByMerchant' : 'fundedByPlatform')}>
            {hasKey(key) ? t(key) : d.kind} -<Price value={d.amount} size="sm" />
          </span>
        );
      })}
    </div>
  );
}

/** Discounts of several lines, one per rule or coupon with their amounts added up. */
export function mergeDiscounts(discounts: Discount[]): Discount[] {
  const bySource = new Map<string, Discount>();
  for (const d of discounts) {
    const k = `${d.kind}|${d.sourceId ?? ''}`;
    const seen = bySource.get(k);
    bySource.set(k, seen ? { ...seen, amount: { ...seen.amount, amount: seen.amount.amount + d.amount.amount } } : d);
  }
  return [...bySource.values()];
}

export function CouponOutcomes({ coupons, chosen, onUseBest }: { coupons: CouponOutcome[]; chosen: boolean; onUseBest: () => void }) {
  const { t, lang } = useI18n();
  if (!coupons.length && !chosen) return null;
  return (
    <div className="coupon-outcomes" data-testid="coupon-outcomes">
      <div className="muted small">
        {chosen ? t('couponsChosen') : t('couponsBest')}
        {chosen && <button className="btn btn-link" onClick={onUseBest}>{t('couponsUseBest')}</button>}
      </div>
      {coupons.map((c) => (
        <div key={`${c.couponId}-${c.code}`} className={`coupon-outcome ${c.applied ? 'applied' : 'refused'}`} data-testid="coupon-outcome">
          <span className="coupon-code">{c.code}</span>
          <span className="coupon-kind">{t(c.kind === 'store_coupon' ? 'discount_store_coupon' : 'discount_platform_coupon')}</span>
          {c.applied
            ? <span className="discount">{t('couponApplied')} -<Price value={c.amount} size="sm" /></span>
            : <span className="muted">{t('couponNotApplied')}：{lang === 'zh' ? c.message.zh : c.message.en}</span>}
        </div>
      ))}
    </div>
  );
}
