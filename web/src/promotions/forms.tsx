// The consoles' coupon and instant-discount forms and their lists with figures; the merchant console
// and the operator console give them their own scope pickers.
import { useState, type ReactNode } from 'react';
import { api, ApiError, qs } from '../shared/api';
import { bpsToPercent, parsePercent, parseYuan } from '../shared/money';
import type { Page } from '../shared/types';
import { Empty, ErrorBox, Field, Loading, Price, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { t, useI18n } from '../i18n';
import { isoOf, localInput, scopeText, StateTag, audienceText, windowText } from './parts';
import type { CouponDef, CouponKind, Promotion } from './types';

const DAY = 86_400_000;
export const money = (yuan: string) => ({ amount: parseYuan(yuan) ?? -1, currency: 'CNY' });
/** The message for a field or its amount (money fields are refused as off.amount). */
export const fieldError = (error: unknown) => (field: string) =>
  error instanceof ApiError ? error.fieldMessage(field) ?? error.fieldMessage(`${field}.amount`) : undefined;

/** Start now, end in a week: what most coupons and promotions are. */
function useWindow() {
  const [startsAt, setStartsAt] = useState(() => localInput(new Date()));
  const [endsAt, setEndsAt] = useState(() => localInput(new Date(Date.now() + 7 * DAY)));
  return { startsAt, setStartsAt, endsAt, setEndsAt, body: () => ({ startsAt: isoOf(startsAt), endsAt: isoOf(endsAt) }) };
}

function WindowFields({ w, fe }: { w: ReturnType<typeof useWindow>; fe: (f: string) => string | undefined }) {
  const { t } = useI18n();
  return <>
    <Field label={t('promoStartsAt')} error={fe('startsAt')}><input type="datetime-local" value={w.startsAt} onChange={(e) => w.setStartsAt(e.target.value)} data-testid="promo-starts" /></Field>
    <Field label={t('promoEndsAt')} error={fe('endsAt')}><input type="datetime-local" value={w.endsAt} onChange={(e) => w.setEndsAt(e.target.value)} data-testid="promo-ends" /></Field>
  </>;
}

/**
 * A coupon of any kind: 满减 (threshold + off), 无门槛 (off), 折扣 (percent, optional cap and threshold);
 * `extra` adds the caller's fields (scope, audience) to the body, `children` shows them.
 */
export function CouponForm({ path, extra, children, onCreated }: { path: string; extra: () => Record<string, unknown>; children?: (fe: (f: string) => string | undefined) => ReactNode; onCreated: (c: CouponDef) => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [kind, setKind] = useState<CouponKind>('threshold');
  const [threshold, setThreshold] = useState('');
  const [off, setOff] = useState('');
  const [percent, setPercent] = useState('');
  const [cap, setCap] = useState('');
  const [perUser, setPerUser] = useState('1');
  const [total, setTotal] = useState('');
  const w = useWindow();
  const act = useAction();
  const fe = fieldError(act.error);
  const create = () => act.run(true, async () => {
    const amounts = kind === 'percent'
      ? { percentBps: parsePercent(percent) ?? 0, ...(cap.trim() ? { cap: money(cap) } : {}), ...(threshold.trim() ? { threshold: money(threshold) } : {}) }
      : { off: money(off), ...(kind === 'threshold' ? { threshold: money(threshold) } : {}) };
    const created = await api.post<CouponDef>(path, {
      code: code.trim(), kind, ...amounts, ...w.body(), perUserLimit: Number(perUser), ...(total.trim() ? { totalQuantity: Number(total) } : {}), ...extra(),
    });
    setCode('');
    toast(t('promoCreated'));
    onCreated(created);
  });
  return (
    <div className="card panel promo-form" data-testid="coupon-form">
      <h4>{t('promoNewCoupon')}</h4>
      <div className="form-grid promo-grid">
        <Field label={t('promoCode')} error={fe('code')} hint={t('promoCodeHint')}><input value={code} onChange={(e) => setCode(e.target.value)} maxLength={32} data-testid="coupon-code" /></Field>
        <Field label={t('promoKind')} error={fe('kind')}>
          <select value={kind} onChange={(e) => setKind(e.target.value as CouponKind)} data-testid="coupon-kind">
            {(['threshold', 'no_threshold', 'percent'] as const).map((k) => <option key={k} value={k}>{t(`promoKind_${k}`)}</option>)}
          </select>
        </Field>
        {kind !== 'no_threshold' && (
          <Field label={t(kind === 'percent' ? 'promoThresholdOptional' : 'promoThresholdYuan')} error={fe('threshold')}><input value={threshold} onChange={(e) => setThreshold(e.target.value)} inputMode="decimal" data-testid="coupon-threshold" /></Field>
        )}
        {kind === 'percent' ? <>
          <Field label={t('promoPercent')} error={fe('percentBps')} hint={t('promoPercentHint')}><input value={percent} onChange={(e) => setPercent(e.target.value)} inputMode="decimal" data-testid="coupon-percent" /></Field>
          <Field label={t('promoCapYuan')} error={fe('cap')}><input value={cap} onChange={(e) => setCap(e.target.value)} inputMode="decimal" /></Field>
        </> : (
          <Field label={t('promoOffYuan')} error={fe('off')}><input value={off} onChange={(e) => setOff(e.target.value)} inputMode="decimal" data-testid="coupon-off" /></Field>
        )}
        <WindowFields w={w} fe={fe} />
        <Field label={t('promoPerUserLimit')} error={fe('perUserLimit')}><input type="number" min={1} max={100} value={perUser} onChange={(e) => setPerUser(e.target.value)} /></Field>
        <Field label={t('promoTotalQuantity')} error={fe('totalQuantity')} hint={t('promoTotalQuantityHint')}><input type="number" min={1} value={total} onChange={(e) => setTotal(e.target.value)} data-testid="coupon-total" /></Field>
        {children?.(fe)}
      </div>
      <ErrorBox error={act.error} omitFields={['code', 'kind', 'threshold', 'threshold.amount', 'off', 'off.amount', 'percentBps', 'cap', 'cap.amount', 'startsAt', 'endsAt', 'perUserLimit', 'totalQuantity']} />
      <div className="form-actions"><button className="btn btn-primary" disabled={!!act.busy || !code.trim()} onClick={create} data-testid="coupon-create">{t('promoCreate')}</button></div>
    </div>
  );
}

/** 立减: per unit or percent off, for the goods in the caller's scope. */
export function InstantDiscountForm({ path, extra, children, onCreated }: { path: string; extra: () => Record<string, unknown>; children?: (fe: (f: string) => string | undefined) => ReactNode; onCreated: (p: Promotion) => void }) {
  const { t } = useI18n();
  const [type, setType] = useState<'per_unit' | 'percent_off'>('per_unit');
  const [off, setOff] = useState('');
  const [percent, setPercent] = useState('');
  const [title, setTitle] = useState('');
  const w = useWindow();
  const act = useAction();
  const fe = fieldError(act.error);
  const create = () => act.run(true, async () => {
    const offer = type === 'per_unit' ? { type, off: money(off) } : { type, percentBps: parsePercent(percent) ?? 0 };
    onCreated(await api.post<Promotion>(path, { kind: 'instant_discount', offer, ...w.body(), ...(title.trim() ? { title: title.trim() } : {}), ...extra() }));
    toast(t('promoCreated'));
  });
  return (
    <div className="card panel promo-form" data-testid="instant-form">
      <h4>{t('promoNewInstant')}</h4>
      <div className="form-grid promo-grid">
        <Field label={t('promoOfferType')}>
          <select value={type} onChange={(e) => setType(e.target.value as typeof type)} data-testid="instant-type">
            <option value="per_unit">{t('promoOffer_per_unit')}</option>
            <option value="percent_off">{t('promoOffer_percent_off')}</option>
          </select>
        </Field>
        {type === 'per_unit'
          ? <Field label={t('promoPerUnitOff')} error={fe('offer.off')}><input value={off} onChange={(e) => setOff(e.target.value)} inputMode="decimal" data-testid="instant-off" /></Field>
          : <Field label={t('promoPercent')} error={fe('offer.percentBps')} hint={t('promoPercentHint')}><input value={percent} onChange={(e) => setPercent(e.target.value)} inputMode="decimal" /></Field>}
        <WindowFields w={w} fe={fe} />
        <Field label={t('promoTitle')} error={fe('title')}><input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={40} /></Field>
        {children?.(fe)}
      </div>
      <ErrorBox error={act.error} omitFields={['offer.off', 'offer.off.amount', 'offer.percentBps', 'startsAt', 'endsAt', 'title']} />
      <div className="form-actions"><button className="btn btn-primary" disabled={!!act.busy} onClick={create} data-testid="instant-create">{t('promoCreate')}</button></div>
    </div>
  );
}

/** Coupons with their figures (claimed, used, discount given) and a stop button. */
export function CouponTable({ items, onStop }: { items: CouponDef[]; onStop: (c: CouponDef) => Promise<void> }) {
  const { t, localized } = useI18n();
  const act = useAction<string>();
  if (!items.length) return <Empty>{t('promoNoCoupons')}</Empty>;
  return <>
    <ErrorBox error={act.error} />
    <table className="table promo-table" data-testid="coupon-table">
      <thead><tr>
        <th>{t('promoCode')}</th><th>{t('promoOffer')}</th><th>{t('promoAppliesTo')}</th><th>{t('promoWindow')}</th><th>{t('promoLimits')}</th>
        <th className="num">{t('promoClaimedCount')}</th><th className="num">{t('promoUsedCount')}</th><th className="num">{t('promoDiscountGiven')}</th><th>{t('promoState')}</th><th />
      </tr></thead>
      <tbody>
        {items.map((c) => (
          <tr key={c.id} data-testid="coupon-row" data-code={c.code}>
            <td className="mono">{c.code}</td>
            <td><b>{localized(c.title, c.titleEn)}</b></td>
            <td className="small">{scopeText(c.scope, c.fundedBy)}{c.audience && <div className="accent">{audienceText(c)}{c.crowdName ? ` · ${c.crowdName}` : ''}</div>}</td>
            <td className="small">{windowText(c.startsAt, c.endsAt)}</td>
            <td className="small">{t('promoPerUser', { n: c.perUserLimit })}<br />{c.totalQuantity === null ? '—' : `${t('promoTotalQuantity')} ${c.totalQuantity}`}</td>
            <td className="num" data-testid="coupon-claimed-count">{c.claimed}</td>
            <td className="num" data-testid="coupon-used-count">{c.used}</td>
            <td className="num"><Price value={c.discountTotal} size="sm" /></td>
            <td><StateTag state={c.state} /></td>
            <td>{c.status === 'active' && (
              <button className="btn btn-ghost btn-sm" disabled={!!act.busy} data-testid="coupon-stop"
                onClick={() => { if (confirm(t('promoConfirmStop'))) act.run(c.id, () => onStop(c)); }}>{t('promoStop')}</button>
            )}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </>;
}

/** Cross-store reductions and instant discounts with their figures and an end button. */
export function PromotionTable({ items, onEnd }: { items: Promotion[]; onEnd: (p: Promotion) => Promise<void> }) {
  const { t, localized } = useI18n();
  const act = useAction<string>();
  if (!items.length) return <Empty>{t('promoNoPromotions')}</Empty>;
  return <>
    <ErrorBox error={act.error} />
    <table className="table promo-table" data-testid="promotion-table">
      <thead><tr>
        <th>{t('promoOffer')}</th><th>{t('promoAppliesTo')}</th><th>{t('promoWindow')}</th>
        <th className="num">{t('promoOrders')}</th><th className="num">{t('promoDiscountGiven')}</th><th>{t('promoState')}</th><th />
      </tr></thead>
      <tbody>
        {items.map((p) => (
          <tr key={p.id} data-testid="promotion-row">
            <td><b>{localized(p.title, p.titleEn)}</b><div className="muted small">{p.kind === 'cross_store_reduction' ? t('promoCrossStore') : t('promoInstantDiscounts')} · {t(`promoFundedBy_${p.fundedBy}`)}{p.offer?.type === 'percent_off' ? ` · ${bpsToPercent(p.offer.percentBps!)}` : ''}</div></td>
            <td className="small">{scopeText(p.scope, p.fundedBy)}</td>
            <td className="small">{windowText(p.startsAt, p.endsAt)}</td>
            <td className="num">{p.used}</td>
            <td className="num"><Price value={p.discountTotal} size="sm" /></td>
            <td><StateTag state={p.state} /></td>
            <td>{p.status === 'active' && (
              <button className="btn btn-ghost btn-sm" disabled={!!act.busy} data-testid="promotion-end"
                onClick={() => { if (confirm(t('promoConfirmEnd'))) act.run(p.id, () => onEnd(p)); }}>{t('promoEnd')}</button>
            )}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </>;
}

/** A console list of coupons or promotions at `path`: add what was created, stop or end one in place. */
export function useOfferList<T extends { id: string }>(path: string) {
  const res = useAsync((signal) => api.get<Page<T>>(`${path}${qs({ pageSize: 100 })}`, { signal }), [path]);
  return {
    res,
    add: (item: T) => res.setData({ ...res.data!, items: [item, ...res.data!.items], total: res.data!.total + 1 }),
    close: (verb: 'stop' | 'end') => async (item: T) => {
      const changed = await api.post<T>(`${path}/${item.id}/${verb}`);
      res.setData({ ...res.data!, items: res.data!.items.map((x) => (x.id === item.id ? changed : x)) });
      toast(t('promoDone'));
    },
  };
}

export function ListPanel<T>({ title, list, children }: { title: string; list: { res: { data?: Page<T>; error: unknown; reload: () => void } }; children: (items: T[]) => ReactNode }) {
  return (
    <div className="card panel">
      <h4>{title}</h4>
      <ErrorBox error={list.res.error} onRetry={list.res.reload} />
      {list.res.data ? children(list.res.data.items) : <Loading />}
    </div>
  );
}
