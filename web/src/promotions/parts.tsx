// A coupon as shoppers see it (the ticket with its face value and stated conditions), and the little
// pieces the storefront and the consoles share.
import type { ReactNode } from 'react';
import { formatMoney } from '../shared/money';
import { formatTime } from '../shared/ui';
import { getLang, t, useI18n } from '../i18n';
import type { CouponTerms, OfferState, ScopeView } from './types';

const yuanText = (fen: number) => (fen / 100).toFixed(2).replace(/\.?0+$/, '');

/** The big figure on the ticket: ¥40, or 9折 / 10% off. */
export function faceOf(c: CouponTerms): { figure: string; unit?: string } {
  if (c.kind !== 'percent') return { figure: yuanText(c.off!.amount), unit: '¥' };
  const bps = c.percentBps!;
  if (getLang() === 'en') return { figure: `${bps / 100}%`, unit: 'off' };
  return bps % 100 === 0 ? { figure: `${(10000 - bps) / 1000}`, unit: '折' } : { figure: `-${bps / 100}%` };
}

/** 满300可用 / 无门槛. */
export function thresholdText(c: CouponTerms): string {
  return c.threshold ? t('promoOver', { amount: formatMoney(c.threshold) }) : t('promoNoThreshold');
}

export function scopeText(scope: ScopeView, fundedBy: 'merchant' | 'platform'): string {
  const names = (list?: { name: string }[]) => list?.map((x) => x.name).join('、');
  const parts = [
    scope.productIds?.length ? t('promoScopeProducts') : '',
    scope.categories ? t('promoScopeCategories', { names: names(scope.categories)! }) : '',
    scope.merchants && fundedBy === 'platform' ? t('promoScopeStores', { names: names(scope.merchants)! }) : '',
    scope.brands ? t('promoScopeBrands', { names: names(scope.brands)! }) : '',
  ].filter(Boolean);
  return parts.length ? parts.join('，') : fundedBy === 'merchant' ? t('promoScopeStore') : t('promoScopeSite');
}

export function audienceText(c: CouponTerms): string | undefined {
  return c.audience ? t('promoAudience', { label: c.audience.label || t('promoAudienceDefault') }) : undefined;
}

export function windowText(startsAt: string, endsAt: string): string {
  return t('promoValid', { from: formatTime(startsAt), to: formatTime(endsAt) });
}

/** A coupon ticket: face value on the left, title and stated conditions on the right, an action at the end. */
export function CouponTicket({ c, extra, action, muted, testId }: { c: CouponTerms; extra?: ReactNode; action?: ReactNode; muted?: boolean; testId?: string }) {
  const { localized } = useI18n();
  const face = faceOf(c);
  const audience = audienceText(c);
  return (
    <div className={`coupon-ticket${muted ? ' coupon-muted' : ''}${c.fundedBy === 'platform' ? ' coupon-platform' : ''}`} data-testid={testId} data-code={c.code}>
      <div className="coupon-face">
        <div className="coupon-figure">{face.unit === '¥' && <small>¥</small>}<b>{face.figure}</b>{face.unit && face.unit !== '¥' && <small>{face.unit}</small>}</div>
        <div className="coupon-threshold">{thresholdText(c)}</div>
      </div>
      <div className="coupon-body">
        <div className="coupon-title">
          <span className={`ticket-kind ticket-kind-${c.fundedBy}`}>{c.fundedBy === 'merchant' ? t('promoStoreCoupon') : t('promoPlatformCoupon')}</span>
          <b>{localized(c.title, c.titleEn)}</b>
          {c.cap && <span className="muted small"> {t('promoCapUpTo', { amount: formatMoney(c.cap) })}</span>}
        </div>
        <div className="coupon-conditions">
          {audience && <span className="coupon-audience">{audience}</span>}
          <span>{scopeText(c.scope, c.fundedBy)}</span>
          <span>{t('promoPerUser', { n: c.perUserLimit })}</span>
          {extra}
        </div>
        <div className="coupon-window muted small"><span className="nowrap">{formatTime(c.startsAt)}</span> – <span className="nowrap">{formatTime(c.endsAt)}</span></div>
      </div>
      {action && <div className="coupon-action">{action}</div>}
    </div>
  );
}

export function StateTag({ state }: { state: OfferState }) {
  return <span className={`promo-state promo-state-${state}`}>{t(`promoState_${state}`)}</span>;
}

/** A datetime-local value for a date. */
export const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** A datetime-local value as ISO 8601, or the text as typed so the server names the field. */
export function isoOf(local: string): string {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}
