// 营销 tab of the operator console: platform coupons (optionally for one crowd: an open offer with a stated
// condition), cross-store reductions (跨店满减) and platform instant discounts (立减), all platform-funded,
// listed with how often they were claimed and used and the discount given; stop / end (audited).
import { useState } from 'react';
import { api, qs } from '../shared/api';
import type { Crowd } from '../shared/people';
import type { Page } from '../shared/types';
import { ErrorBox, Field, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';
import { CouponForm, CouponTable, fieldError, InstantDiscountForm, ListPanel, money, PromotionTable, useOfferList } from './forms';
import { isoOf, localInput } from './parts';
import type { CouponDef, Promotion } from './types';

interface PlatformScope { categoryIds: string[]; merchantIds: string[]; brandIds: string[] }
const noScope = (): PlatformScope => ({ categoryIds: [], merchantIds: [], brandIds: [] });
type Named = { id: string; name: string };

export function AdminPromotionsTab() {
  const { t } = useI18n();
  const coupons = useOfferList<CouponDef>('/admin/coupons');
  const promotions = useOfferList<Promotion>('/admin/promotions');
  const [couponScope, setCouponScope] = useState(noScope);
  const [instantScope, setInstantScope] = useState(noScope);
  const [crowdId, setCrowdId] = useState('');
  const [audienceLabel, setAudienceLabel] = useState('');
  const audience = () => (crowdId ? { crowdId, ...(audienceLabel.trim() ? { audienceLabel: audienceLabel.trim() } : {}) } : {});
  return (
    <div className="promo-tab" data-testid="admin-promotions-tab">
      <CouponForm path="/admin/coupons" extra={() => ({ scope: couponScope, ...audience() })} onCreated={coupons.add}>
        {(fe) => <>
          <ScopePicker value={couponScope} onChange={setCouponScope} fe={fe} />
          <CrowdPicker value={crowdId} onChange={setCrowdId} error={fe('crowdId')} />
          {crowdId && <Field label={t('promoAudienceLabel')} error={fe('audienceLabel')} hint={t('promoAudienceLabelHint')}><input value={audienceLabel} onChange={(e) => setAudienceLabel(e.target.value)} maxLength={20} data-testid="audience-label" /></Field>}
        </>}
      </CouponForm>
      <ListPanel title={t('promoPlatformCoupons')} list={coupons}>{(items) => <CouponTable items={items} onStop={coupons.close('stop')} />}</ListPanel>
      <CrossStoreForm onCreated={promotions.add} />
      <InstantDiscountForm path="/admin/promotions" extra={() => ({ fundedBy: 'platform', scope: instantScope })} onCreated={promotions.add}>
        {(fe) => <ScopePicker value={instantScope} onChange={setInstantScope} fe={fe} />}
      </InstantDiscountForm>
      <ListPanel title={`${t('promoCrossStore')} · ${t('promoInstantDiscounts')}`} list={promotions}>{(items) => <PromotionTable items={items} onEnd={promotions.close('end')} />}</ListPanel>
    </div>
  );
}

/** 跨店每满 every 减 off, at most maxOff per checkout. */
function CrossStoreForm({ onCreated }: { onCreated: (p: Promotion) => void }) {
  const { t } = useI18n();
  const [every, setEvery] = useState('');
  const [off, setOff] = useState('');
  const [maxOff, setMaxOff] = useState('');
  const [startsAt, setStartsAt] = useState(() => localInput(new Date()));
  const [endsAt, setEndsAt] = useState(() => localInput(new Date(Date.now() + 7 * 86_400_000)));
  const act = useAction();
  const fe = fieldError(act.error);
  const create = () => act.run(true, async () => {
    onCreated(await api.post<Promotion>('/admin/promotions', {
      kind: 'cross_store_reduction', every: money(every), off: money(off), ...(maxOff.trim() ? { maxOff: money(maxOff) } : {}), startsAt: isoOf(startsAt), endsAt: isoOf(endsAt),
    }));
    toast(t('promoCreated'));
  });
  return (
    <div className="card panel promo-form" data-testid="cross-store-form">
      <h4>{t('promoNewCrossStore')}</h4>
      <div className="form-grid promo-grid">
        <Field label={t('promoEvery')} error={fe('every')}><input value={every} onChange={(e) => setEvery(e.target.value)} inputMode="decimal" data-testid="cross-every" /></Field>
        <Field label={t('promoOffYuan')} error={fe('off')}><input value={off} onChange={(e) => setOff(e.target.value)} inputMode="decimal" data-testid="cross-off" /></Field>
        <Field label={t('promoMaxOff')} error={fe('maxOff')}><input value={maxOff} onChange={(e) => setMaxOff(e.target.value)} inputMode="decimal" /></Field>
        <Field label={t('promoStartsAt')} error={fe('startsAt')}><input type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} /></Field>
        <Field label={t('promoEndsAt')} error={fe('endsAt')}><input type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} /></Field>
      </div>
      <ErrorBox error={act.error} omitFields={['every', 'every.amount', 'off', 'off.amount', 'maxOff', 'maxOff.amount', 'startsAt', 'endsAt']} />
      <div className="form-actions"><button className="btn btn-primary" disabled={!!act.busy || !every || !off} onClick={create} data-testid="cross-create">{t('promoCreate')}</button></div>
    </div>
  );
}

function CrowdPicker({ value, onChange, error }: { value: string; onChange: (id: string) => void; error?: string }) {
  const { t } = useI18n();
  const crowds = useAsync((signal) => api.get<Page<Crowd>>(`/admin/crowds${qs({ pageSize: 100 })}`, { signal }), []);
  return (
    <Field label={t('promoAudienceCrowd')} error={error}>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid="coupon-crowd">
        <option value="">{t('promoEveryone')}</option>
        {crowds.data?.items.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.size})</option>)}
      </select>
    </Field>
  );
}

/** Categories, stores and brands a platform offer is limited to (none: everything). */
function ScopePicker({ value, onChange, fe }: { value: PlatformScope; onChange: (s: PlatformScope) => void; fe: (f: string) => string | undefined }) {
  const { t } = useI18n();
  const options = useAsync((signal) => api.get<Record<'categories' | 'merchants' | 'brands', Named[]>>('/admin/promotions/scope-options', { signal }), []);
  const rows = [['categoryIds', 'categories', t('promoScopeCategoriesField')], ['merchantIds', 'merchants', t('promoScopeStoresField')], ['brandIds', 'brands', t('promoScopeBrandsField')]] as const;
  return <>{rows.map(([key, list, label]) => {
    const all = options.data?.[list] ?? [];
    const set = (ids: string[]) => onChange({ ...value, [key]: ids });
    return (
      <Field key={key} label={label} error={fe(`scope.${key}`) ?? value[key].map((_, i) => fe(`scope.${key}.${i}`)).find(Boolean)}>
        <select value="" onChange={(e) => e.target.value && set([...new Set([...value[key], e.target.value])])} data-testid={`scope-${key}`}>
          <option value="">{t('promoAnyScope')} / {t('promoAdd')}…</option>
          {all.filter((o) => !value[key].includes(o.id)).map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </select>
        <Chips ids={value[key]} name={(id) => all.find((o) => o.id === id)?.name ?? id} onRemove={(id) => set(value[key].filter((x) => x !== id))} />
      </Field>
    );
  })}</>;
}

function Chips({ ids, name, onRemove }: { ids: string[]; name: (id: string) => string; onRemove: (id: string) => void }) {
  return ids.length ? <span className="promo-chips">{ids.map((id) => <span key={id} className="promo-scope-chip">{name(id)}<button type="button" onClick={() => onRemove(id)} aria-label="remove">×</button></span>)}</span> : null;
}
