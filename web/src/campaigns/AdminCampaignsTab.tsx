// 大促活动 (operator): create a campaign with dated phases and each phase's platform-funded rules
// (跨店满减, 立减), list campaigns with their phases, see each one's enrolled products, and stop one early.
import { useState } from 'react';
import { api, ApiError, qs } from '../shared/api';
import { parsePercent, parseYuan, yuan } from '../shared/money';
import { Link } from '../shared/router';
import type { Page } from '../shared/types';
import { ReasonDialog } from '../shared/ReasonDialog';
import { Empty, ErrorBox, Field, formatTime, Loading, localDateTimeInput, Price, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';
import { PHASE_KINDS, type Campaign, type PhaseKind, type Venue } from './types';

type RuleKind = 'cross_store_reduction' | 'percent_off' | 'per_unit';
interface RuleDraft { kind: RuleKind; every: string; off: string; maxOff: string; percent: string }
interface PhaseDraft { kind: PhaseKind; name: string; startsAt: string; endsAt: string; rules: RuleDraft[] }

const DAY = 86_400_000;
const at = (days: number) => localDateTimeInput(new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + days * DAY));
const rule = (kind: RuleKind): RuleDraft => ({ kind, every: '300', off: '50', maxOff: '', percent: '10' });
const initialPhases = (): PhaseDraft[] => [
  { kind: 'warm_up', name: '', startsAt: at(0), endsAt: at(2), rules: [] },
  { kind: 'burst', name: '', startsAt: at(2), endsAt: at(4), rules: [rule('cross_store_reduction')] },
  { kind: 'encore', name: '', startsAt: at(5), endsAt: at(6), rules: [rule('percent_off')] },
];

/** A draft rule as the API takes it; null while a number does not parse. */
function ruleBody(r: RuleDraft) {
  if (r.kind === 'cross_store_reduction') {
    const [every, off, maxOff] = [parseYuan(r.every), parseYuan(r.off), r.maxOff.trim() ? parseYuan(r.maxOff) : undefined];
    if (every === null || off === null || maxOff === null) return null;
    return { kind: r.kind, every: yuan(every), off: yuan(off), ...(maxOff !== undefined ? { maxOff: yuan(maxOff) } : {}) };
  }
  if (r.kind === 'percent_off') {
    const bps = parsePercent(r.percent);
    return bps === null ? null : { kind: 'instant_discount', offer: { type: 'percent_off', percentBps: bps } };
  }
  const off = parseYuan(r.off);
  return off === null ? null : { kind: 'instant_discount', offer: { type: 'per_unit', off: yuan(off) } };
}

export function AdminCampaignsTab() {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<Page<Campaign>>(`/admin/campaigns${qs({ pageSize: 50 })}`, { signal }), []);
  const [open, setOpen] = useState<string | null>(null);
  const [stopping, setStopping] = useState<Campaign | null>(null);
  const publishing = useAction<string>();
  const publish = (c: Campaign) => publishing.run(c.id, async () => { await api.post(`/admin/campaigns/${c.id}/publish`); toast(t('cmpPublished')); res.reload(); });
  return (
    <div className="cmp-stack" data-testid="admin-campaigns">
      <NewCampaign onCreated={res.reload} />
      <ErrorBox error={res.error ?? publishing.error} onRetry={res.error ? res.reload : undefined} />
      {res.loading && !res.data ? <Loading /> : !res.data?.items.length ? <div className="card"><Empty>{t('cmpNone')}</Empty></div> : (
        <div className="card panel">
          <h4>{t('cmpList')}</h4>
          <table className="table" data-testid="campaign-list">
            <thead><tr><th>{t('cmpName')}</th><th>{t('status')}</th><th>{t('cmpPhases')}</th><th>{t('cmpEnrolmentEndsAt')}</th><th className="num">{t('cmpEnrolments')}</th><th /></tr></thead>
            <tbody>
              {res.data.items.map((c) => [
                <tr key={c.id} data-campaign-id={c.id}>
                  <td><b>{c.name}</b></td>
                  <td><span className={`cmp-state cmp-state-${c.state}`} title={c.stopReason}>{t(`cmpState_${c.state}`)}</span></td>
                  <td className="small">{c.phases.map((p) => `${p.name} ${formatTime(p.startsAt)}`).join(' → ')}</td>
                  <td className="small">{formatTime(c.enrolmentEndsAt)}</td>
                  <td className="num"><button className="link-btn" onClick={() => setOpen(open === c.id ? null : c.id)} data-testid="show-enrolments">{c.enrolledProducts}</button></td>
                  <td className="cmp-actions">
                    <Link to={`/campaigns/${c.id}`} className="link-btn">{t('cmpView')}</Link>
                    {c.state === 'draft' && <button className="link-btn" disabled={publishing.busy === c.id} onClick={() => publish(c)} data-testid="cmp-publish">{t('cmpPublish')}</button>}
                    {(c.state === 'upcoming' || c.state === 'running') && <button className="link-btn danger" onClick={() => setStopping(c)} data-testid="cmp-stop">{t('cmpStop')}</button>}
                  </td>
                </tr>,
                open === c.id && <tr key={`${c.id}-enrolments`}><td colSpan={6}><Enrolments campaignId={c.id} /></td></tr>,
              ])}
            </tbody>
          </table>
        </div>
      )}
      {stopping && <StopDialog campaign={stopping} onClose={() => setStopping(null)} onDone={() => { setStopping(null); toast(t('cmpStopped')); res.reload(); }} />}
    </div>
  );
}

function StopDialog({ campaign, onClose, onDone }: { campaign: Campaign; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <ReasonDialog
      name="stop" title={t('cmpStopTitle', { name: campaign.name })} intro={t('cmpStopExplained')}
      presets={[t('cmpStopReasonWrongRule'), t('cmpStopReasonRecall'), t('cmpStopReasonCompliance')]} placeholder={t('cmpStopReason')} confirmLabel={t('cmpStop')}
      onClose={onClose} onConfirm={async (reason) => { await api.post(`/admin/campaigns/${campaign.id}/stop`, { reason }); onDone(); }}
    />
  );
}

function Enrolments({ campaignId }: { campaignId: string }) {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<Venue>(`/campaigns/${encodeURIComponent(campaignId)}${qs({ pageSize: 100 })}`, { signal }), [campaignId]);
  if (!res.data) return <Loading />;
  if (!res.data.products.items.length) return <Empty>{t('cmpNoProducts')}</Empty>;
  return (
    <ul className="cmp-enrolments" data-testid="enrolments">
      {res.data.products.items.map((p) => (
        <li key={p.productId}><Link to={`/product/${p.productId}`}>{p.title}</Link> <span className="muted">{p.merchantName}</span> <Price value={p.price} size="sm" />
          {p.flashSale && <> · {t('cmpCampaignPrice')} <Price value={p.flashSale.unitPrice} size="sm" /></>}</li>
      ))}
    </ul>
  );
}

function NewCampaign({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [enrolmentEndsAt, setEnrolmentEndsAt] = useState(at(1));
  const [phases, setPhases] = useState(initialPhases);
  const act = useAction();
  const err = act.error instanceof ApiError ? act.error : undefined;
  const editPhase = (i: number, patch: Partial<PhaseDraft>) => setPhases(phases.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const editRule = (i: number, k: number, patch: Partial<RuleDraft>) => editPhase(i, { rules: phases[i].rules.map((r, j) => (j === k ? { ...r, ...patch } : r)) });
  const rules = phases.map((p) => p.rules.map(ruleBody));
  const complete = name.trim() !== '' && rules.every((rs) => rs.every(Boolean));
  const create = (draft: boolean) => act.run(true, async () => {
    const iso = (v: string) => new Date(v).toISOString();
    await api.post('/admin/campaigns', {
      name, ...(description.trim() ? { description } : {}), enrolmentEndsAt: iso(enrolmentEndsAt), draft,
      phases: phases.map((p, i) => ({ kind: p.kind, ...(p.name.trim() ? { name: p.name } : {}), startsAt: iso(p.startsAt), endsAt: iso(p.endsAt), rules: rules[i] })),
    });
    toast(t(draft ? 'cmpDraftSaved' : 'cmpCreated'));
    setName('');
    onCreated();
  });
  const fieldError = (field: string) => err?.fieldMessage(field);
  return (
    <div className="card panel cmp-new" data-testid="new-campaign">
      <h4>{t('cmpNew')}</h4>
      <div className="presale-form">
        <Field label={t('cmpName')} error={fieldError('name')}><input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} data-testid="cmp-name" /></Field>
        <Field label={t('cmpDescription')} error={fieldError('description')}><input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} data-testid="cmp-description" /></Field>
        <Field label={t('cmpEnrolmentEndsAt')} error={fieldError('enrolmentEndsAt')}><input type="datetime-local" value={enrolmentEndsAt} onChange={(e) => setEnrolmentEndsAt(e.target.value)} data-testid="cmp-enrolment-ends" /></Field>
      </div>
      <h5 className="cmp-phases-title">{t('cmpPhases')} <small className="muted">{t('cmpPhasesHint')}</small></h5>
      {phases.map((p, i) => (
        <div key={i} className="cmp-phase-edit" data-testid="phase-edit">
          <div className="cmp-phase-fields">
            <Field label={t('cmpPhaseKind')} error={fieldError(`phases.${i}.kind`)}>
              <select value={p.kind} onChange={(e) => editPhase(i, { kind: e.target.value as PhaseKind })} data-testid="phase-kind">
                {PHASE_KINDS.map((k) => <option key={k} value={k}>{t(`cmpPhase_${k}`)}</option>)}
              </select>
            </Field>
            <Field label={t('cmpPhaseName')}><input value={p.name} onChange={(e) => editPhase(i, { name: e.target.value })} maxLength={30} /></Field>
            <Field label={t('fsStarts')} error={fieldError(`phases.${i}.startsAt`)}><input type="datetime-local" value={p.startsAt} onChange={(e) => editPhase(i, { startsAt: e.target.value })} data-testid="phase-starts" /></Field>
            <Field label={t('fsEnds')} error={fieldError(`phases.${i}.endsAt`)}><input type="datetime-local" value={p.endsAt} onChange={(e) => editPhase(i, { endsAt: e.target.value })} data-testid="phase-ends" /></Field>
            <button className="btn btn-ghost btn-sm" onClick={() => setPhases(phases.filter((_, j) => j !== i))} disabled={phases.length <= 1}>{t('cmpRemovePhase')}</button>
          </div>
          <div className="cmp-rules">
            {p.rules.map((r, k) => (
              <div key={k} className="cmp-rule-edit" data-testid="rule-edit">
                <b>{t(`cmpRuleKind_${r.kind}`)}</b>
                {r.kind === 'cross_store_reduction' && <>
                  <label>{t('cmpEvery')}<input value={r.every} onChange={(e) => editRule(i, k, { every: e.target.value })} inputMode="decimal" /></label>
                  <label>{t('cmpOff')}<input value={r.off} onChange={(e) => editRule(i, k, { off: e.target.value })} inputMode="decimal" /></label>
                  <label>{t('cmpMaxOff')}<input value={r.maxOff} onChange={(e) => editRule(i, k, { maxOff: e.target.value })} inputMode="decimal" /></label>
                </>}
                {r.kind === 'percent_off' && <label>{t('cmpPercent')}<input value={r.percent} onChange={(e) => editRule(i, k, { percent: e.target.value })} inputMode="decimal" /></label>}
                {r.kind === 'per_unit' && <label>{t('cmpPerUnitOff')}<input value={r.off} onChange={(e) => editRule(i, k, { off: e.target.value })} inputMode="decimal" /></label>}
                <button className="link-btn" onClick={() => editPhase(i, { rules: p.rules.filter((_, j) => j !== k) })}>{t('delete')}</button>
                {(fieldError(`phases.${i}.rules.${k}.off`) || fieldError(`phases.${i}.rules.${k}.maxOff`)) && <span className="field-error">{fieldError(`phases.${i}.rules.${k}.off`) ?? fieldError(`phases.${i}.rules.${k}.maxOff`)}</span>}
              </div>
            ))}
            <div className="cmp-rule-add">
              {(['cross_store_reduction', 'percent_off', 'per_unit'] as const).map((kind) => (
                <button key={kind} className="btn btn-ghost btn-sm" onClick={() => editPhase(i, { rules: [...p.rules, rule(kind)] })} data-testid={`add-${kind}`}>+ {t(`cmpRuleKind_${kind}`)}</button>
              ))}
            </div>
          </div>
        </div>
      ))}
      <button className="btn btn-ghost btn-sm" onClick={() => { const last = phases[phases.length - 1]; setPhases([...phases, { kind: 'second_wave', name: '', startsAt: last.endsAt, endsAt: localDateTimeInput(new Date(new Date(last.endsAt).getTime() + DAY)), rules: [] }]); }} data-testid="add-phase">+ {t('cmpAddPhase')}</button>
      <ErrorBox error={act.error} omitFields={['name', 'description', 'enrolmentEndsAt', ...phases.flatMap((p, i) => [`phases.${i}.startsAt`, `phases.${i}.endsAt`, `phases.${i}.kind`, ...p.rules.flatMap((_, k) => [`phases.${i}.rules.${k}.off`, `phases.${i}.rules.${k}.maxOff`])])]} />
      <div className="cmp-create-actions">
        <button className="btn btn-primary" disabled={!!act.busy || !complete} onClick={() => create(false)} data-testid="cmp-create">{t('cmpCreate')}</button>
        <button className="btn btn-ghost" disabled={!!act.busy || !complete} onClick={() => create(true)} data-testid="cmp-save-draft">{t('cmpSaveDraft')}</button>
      </div>
    </div>
  );
}
