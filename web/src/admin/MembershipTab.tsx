// /admin/membership: membership plans (create, edit, stop selling), member count and fee revenue.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../shared/api';
import { bpsToPercent, fenToYuanInput, formatMoney, parsePercent, parseYuan, yuan } from '../shared/money';
import { Empty, ErrorBox, Field, Loading, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';
import { discountText } from '../membership/memberPrices';
import type { AdminPlan, AdminPlans, Named, Plan, PlanScope, ScopeOptions } from '../membership/types';

export function MembershipTab() {
  const { t, lang } = useI18n();
  const res = useAsync((signal) => api.get<AdminPlans>('/admin/membership/plans', { signal }), []);
  const options = useAsync((signal) => api.get<ScopeOptions>('/admin/membership/scope-options', { signal }), []);
  const [editing, setEditing] = useState<AdminPlan | 'new'>();
  const { busy, error, run } = useAction<string>();
  const setActive = (p: AdminPlan, active: boolean) => run(p.id, async () => {
    await api.patch(`/admin/membership/plans/${encodeURIComponent(p.id)}`, { active });
    toast(t('saved'));
    res.reload();
  });
  const data = res.data;
  return (
    <>
      <div className="stat-row vip-admin-stats">
        <div className="card stat"><span className="muted">{t('vipMemberCount')}</span><b data-testid="vip-member-count">{data?.memberCount ?? '—'}</b></div>
        <div className="card stat"><span className="muted">{t('vipFeeRevenue')}</span><b data-testid="vip-fee-revenue">{data ? formatMoney(data.feeRevenue) : '—'}</b></div>
      </div>
      {editing ? (
        <PlanForm plan={editing === 'new' ? undefined : editing} options={options.data} onDone={(saved) => { setEditing(undefined); if (saved) res.reload(); }} />
      ) : (
        <div className="panel-tools"><button className="btn btn-primary" onClick={() => setEditing('new')} data-testid="vip-plan-new">+ {t('vipNewPlan')}</button></div>
      )}
      <div className="card panel">
        <ErrorBox error={res.error ?? error} onRetry={res.reload} />
        {!data ? <Loading /> : data.items.length === 0 ? <Empty>{t('vipNoPlans')}</Empty> : (
          <table className="table" data-testid="vip-plans-table">
            <thead><tr>
              <th>{t('vipPlan')}</th><th>{t('vipFees')}</th><th>{t('vipEligibilityScore')}</th><th>{t('vipBenefit')}</th><th>{t('vipScope')}</th>
              <th>{t('vipMonthlyCoupons')}</th><th>{t('vipMemberCount')}</th><th>{t('vipFeeRevenue')}</th><th>{t('status')}</th><th>{t('action')}</th>
            </tr></thead>
            <tbody>
              {data.items.map((p) => (
                <tr key={p.id} data-testid="vip-plan-row">
                  <td><b>{p.name}</b><div className="muted small">{t('vipDays', { n: p.durationDays })}</div></td>
                  <td className="nowrap">{formatMoney(p.fee)} / {formatMoney(p.fullFee)}</td>
                  <td>≥ {p.eligibilityScore}</td>
                  <td>{discountText(p.discountBps, lang)}</td>
                  <td className="small">{scopeText(p, t('vipScopeAll'))}</td>
                  <td className="small">{p.monthlyCoupons.map((c) => `${c.couponCode} ×${c.count}`).join('，') || '—'}</td>
                  <td>{p.memberCount}</td>
                  <td className="nowrap">{formatMoney(p.feeRevenue)}<div className="muted small">{t('vipPaidPurchases', { n: p.paidPurchases })}</div></td>
                  <td><span className={`pill ${p.active ? 'pill-green' : 'pill-grey'}`}>{p.active ? t('vipOnSale') : t('vipOffSale')}</span></td>
                  <td className="nowrap">
                    <button className="link-btn" onClick={() => setEditing(p)} data-testid="vip-plan-edit">{t('edit')}</button>
                    <button className="link-btn" disabled={busy === p.id} onClick={() => setActive(p, !p.active)} data-testid="vip-plan-toggle">{p.active ? t('vipStopSelling') : t('vipResumeSelling')}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}

function scopeText(p: Plan, all: string): string {
  const parts = [p.scopeNames.merchants, p.scopeNames.brands, p.scopeNames.categories].filter((l) => l.length).map((l) => l.map((n) => n.name).join('、'));
  return parts.length ? parts.join(p.scope.match === 'any' ? ' ∪ ' : ' ∩ ') : all;
}

interface FormState {
  name: string; fee: string; fullFee: string; eligibilityScore: string; discount: string; durationDays: string;
  scope: Required<Omit<PlanScope, 'match'>>; match: 'all' | 'any'; coupons: { couponCode: string; count: string }[]; active: boolean;
}

const formOf = (p?: Plan): FormState => ({
  name: p?.name ?? '88VIP',
  fee: p ? fenToYuanInput(p.fee.amount) : '88.00',
  fullFee: p ? fenToYuanInput(p.fullFee.amount) : '888.00',
  eligibilityScore: String(p?.eligibilityScore ?? 1000),
  discount: bpsToPercent(p?.discountBps ?? 500).replace('%', ''),
  durationDays: String(p?.durationDays ?? 365),
  scope: { categoryIds: p?.scope.categoryIds ?? [], brandIds: p?.scope.brandIds ?? [], merchantIds: p?.scope.merchantIds ?? [] },
  match: p?.scope.match ?? 'all',
  coupons: (p?.monthlyCoupons ?? []).map((c) => ({ couponCode: c.couponCode, count: String(c.count) })),
  active: p?.active ?? true,
});

const FIELDS = ['name', 'fee', 'fullFee', 'eligibilityScore', 'discountBps', 'durationDays'] as const;

function PlanForm({ plan, options, onDone }: { plan?: Plan; options?: ScopeOptions; onDone: (saved: boolean) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState(() => formOf(plan));
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const { busy, error, run } = useAction();
  const set = (k: 'name' | 'fee' | 'fullFee' | 'eligibilityScore' | 'discount' | 'durationDays') => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fee = parseYuan(form.fee);
    const fullFee = parseYuan(form.fullFee);
    const discountBps = parsePercent(form.discount);
    const errs: Record<string, string> = {};
    if (!form.name.trim()) errs.name = t('required');
    if (fee === null) errs.fee = t('invalidPrice');
    if (fullFee === null) errs.fullFee = t('invalidPrice');
    if (discountBps === null || discountBps < 1 || discountBps > 5000) errs.discountBps = t('vipDiscountRange');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const body = {
      name: form.name.trim(), fee: yuan(fee!), fullFee: yuan(fullFee!), eligibilityScore: Number(form.eligibilityScore), discountBps,
      durationDays: Number(form.durationDays), scope: { ...form.scope, match: form.match }, active: form.active,
      monthlyCoupons: form.coupons.filter((c) => c.couponCode.trim()).map((c) => ({ couponCode: c.couponCode.trim(), count: Number(c.count) })),
    };
    return run(true, async () => {
      try {
        if (plan) await api.patch(`/admin/membership/plans/${encodeURIComponent(plan.id)}`, body);
        else await api.post('/admin/membership/plans', body);
      } catch (err) {
        if (err instanceof ApiError) setErrors(Object.fromEntries(FIELDS.map((f) => [f, err.fieldMessage(f) ?? err.fieldMessage(`${f}.amount`)])));
        throw err;
      }
      toast(plan ? t('saved') : t('created'));
      onDone(true);
    });
  };

  const setScope = (key: keyof FormState['scope']) => (ids: string[]) => setForm({ ...form, scope: { ...form.scope, [key]: ids } });
  const setCoupon = (i: number, patch: Partial<FormState['coupons'][number]>) => setForm({ ...form, coupons: form.coupons.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  return (
    <form className="card panel vip-plan-form" onSubmit={submit} data-testid="vip-plan-form">
      <h4>{plan ? t('vipEditPlan', { name: plan.name }) : t('vipNewPlan')}</h4>
      <div className="form-grid four">
        <Field label={t('vipPlanName')} error={errors.name}><input value={form.name} onChange={set('name')} data-testid="vip-form-name" /></Field>
        <Field label={t('vipFeeEligible')} error={errors.fee}><input value={form.fee} onChange={set('fee')} data-testid="vip-form-fee" /></Field>
        <Field label={t('vipFullFee')} error={errors.fullFee}><input value={form.fullFee} onChange={set('fullFee')} data-testid="vip-form-full-fee" /></Field>
        <Field label={t('vipEligibilityScore')} error={errors.eligibilityScore}><input type="number" min={0} value={form.eligibilityScore} onChange={set('eligibilityScore')} data-testid="vip-form-score" /></Field>
        <Field label={t('vipDiscountPercent')} error={errors.discountBps} hint={t('vipDiscountHint')}><input value={form.discount} onChange={set('discount')} data-testid="vip-form-discount" /></Field>
        <Field label={t('vipDurationDays')} error={errors.durationDays}><input type="number" min={1} value={form.durationDays} onChange={set('durationDays')} /></Field>
        <label className="field"><span className="field-label">{t('vipOnSale')}</span><input type="checkbox" checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} /></label>
      </div>
      <div className="vip-scope-pickers">
        <div className="muted small">{t('vipScopeHint')}</div>
        <div className="chips-row" role="radiogroup" data-testid="vip-scope-match">
          {(['all', 'any'] as const).map((m) => (
            <label key={m} className={`chip${form.match === m ? ' on' : ''}`}>
              <input type="radio" name="vip-scope-match" value={m} checked={form.match === m} onChange={() => setForm({ ...form, match: m })} hidden />
              {t(m === 'all' ? 'vipScopeMatchAll' : 'vipScopeMatchAny')}
            </label>
          ))}
        </div>
        <ScopePicker label={t('vipScopeStores')} options={options?.merchants} selected={form.scope.merchantIds} onChange={setScope('merchantIds')} testId="vip-scope-stores" />
        <ScopePicker label={t('vipScopeBrands')} options={options?.brands} selected={form.scope.brandIds} onChange={setScope('brandIds')} testId="vip-scope-brands" />
        <ScopePicker label={t('vipScopeCategories')} options={options?.categories} selected={form.scope.categoryIds} onChange={setScope('categoryIds')} testId="vip-scope-categories" />
      </div>
      <div className="vip-coupon-rows">
        <span className="field-label">{t('vipMonthlyCoupons')}</span>
        {form.coupons.map((c, i) => (
          <div key={i} className="vip-coupon-row">
            <input placeholder={t('couponCode')} value={c.couponCode} onChange={(e) => setCoupon(i, { couponCode: e.target.value })} data-testid="vip-form-coupon-code" />
            <input type="number" min={1} max={10} value={c.count} onChange={(e) => setCoupon(i, { count: e.target.value })} />
            <button type="button" className="link-btn" onClick={() => setForm({ ...form, coupons: form.coupons.filter((_, j) => j !== i) })}>{t('remove')}</button>
          </div>
        ))}
        <button type="button" className="link-btn" onClick={() => setForm({ ...form, coupons: [...form.coupons, { couponCode: '', count: '1' }] })} data-testid="vip-form-add-coupon">+ {t('vipAddCoupon')}</button>
      </div>
      <ErrorBox error={error} omitFields={[...FIELDS, 'fee.amount', 'fullFee.amount']} />
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={() => onDone(false)}>{t('cancel')}</button>
        <button className="btn btn-primary" disabled={!!busy} data-testid="vip-form-save">{t('save')}</button>
      </div>
    </form>
  );
}

/** Chips for the chosen ids and a menu to add one more. */
function ScopePicker({ label, options, selected, onChange, testId }: { label: string; options?: Named[]; selected: string[]; onChange: (ids: string[]) => void; testId: string }) {
  const { t } = useI18n();
  const name = (id: string) => options?.find((o) => o.id === id)?.name ?? id;
  return (
    <div className="vip-scope-picker" data-testid={testId}>
      <span className="field-label">{label}</span>
      <span className="vip-chips">
        {selected.length === 0 && <span className="muted small">{t('vipScopeAny')}</span>}
        {selected.map((id) => (
          <span key={id} className="vip-chip">{name(id)}<button type="button" aria-label={t('remove')} onClick={() => onChange(selected.filter((x) => x !== id))}>×</button></span>
        ))}
      </span>
      <select value="" onChange={(e) => e.target.value && onChange([...selected, e.target.value])} disabled={!options}>
        <option value="">＋ {t('vipScopeAdd')}</option>
        {options?.filter((o) => !selected.includes(o.id)).map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
      </select>
    </div>
  );
}
