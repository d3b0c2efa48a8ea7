// 搜索策略: ranking policies (versioned weight blends), the live switch, a weight editor and a side-by-side preview.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, qs } from '../shared/api';
import { ProductArt } from '../shared/ProductArt';
import { FEATURES, featureColor, groupPolicies, type Policy, type SearchAnswer, type SearchItem, type Weights } from '../shared/search';
import { Empty, ErrorBox, Field, formatTime, Loading, Price, SelfBadge, toast } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import { hasKey, useI18n } from '../i18n';

interface PoliciesAnswer { items: Policy[]; features?: string[] }
interface PreviewAnswer { a: SearchAnswer; b: SearchAnswer }

const NAME_RE = /^[a-z0-9_-]{1,40}$/;
const PREVIEW_SIZE = 20;

function useFeatureLabel(short = false) {
  const { t } = useI18n();
  return (f: string) => {
    const key = `${short ? 'fs' : 'feat'}_${f}`;
    return hasKey(key) ? t(key) : f;
  };
}

const policyLabel = (p?: Policy | SearchAnswer['policy']) => (p ? `${p.name} v${p.version}` : '—');
const fmt = (x: number | undefined) => (x === undefined ? '—' : String(Math.round(x * 1000) / 1000));

export function SearchPolicies() {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<PoliciesAnswer>('/admin/search/policies', { signal }), []);
  const [editing, setEditing] = useState<{ base?: Policy } | null>(null);
  const [previewB, setPreviewB] = useState<string>();
  const features = res.data?.features?.length ? res.data.features : [...FEATURES];
  const items = res.data?.items ?? [];
  return (
    <>
      <div className="card panel" data-testid="policies-panel">
        <div className="panel-head">
          <div>
            <h4>{t('policiesTitle')}</h4>
            <p className="muted small">{t('policiesHint')}</p>
          </div>
          <button className="btn btn-primary btn-sm" onClick={() => setEditing({})} data-testid="policy-new">{t('newPolicy')}</button>
        </div>
        <ErrorBox error={res.error} onRetry={res.reload} />
        {res.loading && !res.data ? <Loading /> : items.length === 0 ? <Empty /> : (
          <PolicyTable items={items} features={features} onEdit={(p) => setEditing({ base: p })} onChanged={res.reload} />
        )}
      </div>
      {editing && (
        <PolicyEditor key={editing.base?.id ?? 'new'} base={editing.base} features={features} names={[...new Set(items.map((p) => p.name))]}
          onCancel={() => setEditing(null)}
          onSaved={(p) => { setEditing(null); setPreviewB(p.id); res.reload(); }} />
      )}
      {items.length > 0 && <PreviewPanel policies={items} features={features} preferB={previewB} />}
    </>
  );
}

function PolicyTable({ items, features, onEdit, onChanged }: { items: Policy[]; features: string[]; onEdit: (p: Policy) => void; onChanged: () => void }) {
  const { t } = useI18n();
  const label = useFeatureLabel();
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<unknown>();
  const groups = groupPolicies(items);
  const makeLive = async (p: Policy) => {
    if (!window.confirm(t('setLiveAsk', { name: p.name, version: p.version }))) return;
    setBusy(p.id);
    setError(undefined);
    try {
      const live = await api.put<Policy>('/admin/search/live-policy', { policyId: p.id });
      toast(t('liveSwitched', { name: live?.name ?? p.name, version: live?.version ?? p.version }));
      onChanged();
    } catch (e) { setError(e); } finally { setBusy(undefined); }
  };
  const row = (p: Policy, first: boolean, older: number) => {
    const total = features.reduce((a, f) => a + (p.weights[f] ?? 0), 0);
    return (
      <tr key={p.id} className={`${first ? 'policy-latest' : 'policy-older'}${p.live ? ' policy-live' : ''}`} data-testid="policy-row"
        data-policy-id={p.id} data-policy-name={p.name} data-live={p.live ? 'true' : 'false'}>
        <td className="policy-name-cell">
          {first ? <b className="mono">{p.name}</b> : <span className="muted mono small">{p.name}</span>}
          {p.note && <div className="small policy-note">{p.note}</div>}
          <div className="muted small">{p.createdBy} · {formatTime(p.createdAt)}</div>
          {first && older > 0 && (
            <button className="link-btn small versions-toggle" onClick={() => setOpen({ ...open, [p.name]: !open[p.name] })} data-testid="policy-versions-toggle">
              {open[p.name] ? t('hideVersions') : t('olderVersions', { n: older })}
            </button>
          )}
        </td>
        <td className="nowrap">v{p.version} {p.live && <span className="pill pill-green live-badge" data-testid="live-badge">● {t('policyLive')}</span>}</td>
        {features.map((f) => (
          <td key={f} className="wcell" title={`${label(f)} ${p.weights[f] ?? 0}`}>
            <b>{fmt(p.weights[f] ?? 0)}</b>
            <i style={{ width: `${total > 0 ? ((p.weights[f] ?? 0) / total) * 100 : 0}%`, background: featureColor(f) }} />
          </td>
        ))}
        <td className="nowrap">
          <button className="link-btn" onClick={() => onEdit(p)} data-testid="policy-edit">{t('editWeights')}</button>
          {!p.live && <button className="link-btn" disabled={!!busy} onClick={() => makeLive(p)} data-testid="policy-make-live">{t('setLive')}</button>}
        </td>
      </tr>
    );
  };
  return (
    <>
      <ErrorBox error={error} />
      <table className="table policies-table" data-testid="policies-table">
        <thead><tr>
          <th>{t('policyName')}</th><th>{t('policyVersion')}</th>
          {features.map((f) => <th key={f} className="wcell-head"><span className="dot" style={{ background: featureColor(f) }} />{label(f)}</th>)}
          <th>{t('action')}</th>
        </tr></thead>
        {groups.map((g) => {
          const [latest, ...rest] = g.versions;
          const shown = open[g.name] ? rest : rest.filter((p) => p.live);
          return <tbody key={g.name} className="policy-group">{row(latest, true, rest.length)}{shown.map((p) => row(p, false, 0))}</tbody>;
        })}
      </table>
    </>
  );
}

function PolicyEditor({ base, features, names, onCancel, onSaved }: {
  base?: Policy; features: string[]; names: string[]; onCancel: () => void; onSaved: (p: Policy) => void;
}) {
  const { t } = useI18n();
  const label = useFeatureLabel();
  const [name, setName] = useState(base?.name ?? '');
  const [weights, setWeights] = useState<Record<string, string>>(() =>
    Object.fromEntries(features.map((f) => [f, String(base?.weights[f] ?? (f === 'text' ? 1 : 0))])));
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const parsed = Object.fromEntries(features.map((f) => [f, Number(weights[f])])) as Weights;
  const valid = (x: number) => Number.isFinite(x) && x >= 0 && x <= 10;
  const total = features.reduce((a, f) => a + (valid(parsed[f]) ? parsed[f] : 0), 0);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!NAME_RE.test(name.trim())) errs.name = t('invalidPolicyName');
    for (const f of features) if (weights[f].trim() === '' || !valid(parsed[f])) errs[`weights.${f}`] = t('invalidWeight');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    setError(undefined);
    try {
      const saved = await api.post<Policy>('/admin/search/policies', { name: name.trim(), weights: parsed, ...(note.trim() ? { note: note.trim() } : {}) });
      toast(t('policySaved', { name: saved.name, version: saved.version }));
      onSaved(saved);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrors(Object.fromEntries([['name', err.fieldMessage('name')], ...features.map((f) => [`weights.${f}`, err.fieldMessage(`weights.${f}`)])]));
    } finally { setBusy(false); }
  };

  return (
    <form className="card panel policy-editor" onSubmit={submit} noValidate data-testid="policy-editor">
      <h4>{base ? t('policyEditor') : t('policyEditorNew')} {base && <span className="muted small">{t('basedOn', { name: base.name, version: base.version })}</span>}</h4>
      <div className="form-grid">
        <Field label={t('policyName')} error={errors.name} hint={t('policyNameHint')}>
          <input value={name} onChange={(e) => setName(e.target.value)} list="policy-names" data-testid="policy-name" maxLength={40} />
        </Field>
        <datalist id="policy-names">{names.map((n) => <option key={n} value={n} />)}</datalist>
        <Field label={t('policyNote')}>
          <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} data-testid="policy-note" />
        </Field>
      </div>
      <div className="field-label">{t('weightMix')}</div>
      <div className="blend-bar" aria-hidden="true">
        {features.map((f) => valid(parsed[f]) && parsed[f] > 0 && total > 0 ? (
          <span key={f} style={{ width: `${(parsed[f] / total) * 100}%`, background: featureColor(f) }} title={`${label(f)} ${Math.round((parsed[f] / total) * 100)}%`} />
        ) : null)}
      </div>
      <div className="weight-grid">
        {features.map((f) => {
          const share = total > 0 && valid(parsed[f]) ? (parsed[f] / total) * 100 : 0;
          return (
            <div key={f} className={`weight-row${errors[`weights.${f}`] ? ' field-invalid' : ''}`}>
              <span className="weight-label" title={f}><span className="dot" style={{ background: featureColor(f) }} />{label(f)}</span>
              <input type="range" min={0} max={10} step={0.05} value={valid(parsed[f]) ? parsed[f] : 0} aria-label={`${label(f)} slider`}
                onChange={(e) => setWeights({ ...weights, [f]: e.target.value })} />
              <input type="number" min={0} max={10} step={0.05} value={weights[f]} aria-label={label(f)} data-testid={`weight-${f}`}
                onChange={(e) => setWeights({ ...weights, [f]: e.target.value })} className="weight-input" />
              <span className="weight-share muted small">{Math.round(share)}%</span>
              {errors[`weights.${f}`] && <span className="field-error">{errors[`weights.${f}`]}</span>}
            </div>
          );
        })}
      </div>
      <ErrorBox error={error} omitFields={['name', ...features.map((f) => `weights.${f}`)]} />
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>{t('cancel')}</button>
        <button className="btn btn-primary" disabled={busy} data-testid="policy-save">{t('saveNewVersion')}</button>
      </div>
    </form>
  );
}

// Side-by-side preview

function PreviewPanel({ policies, features, preferB }: { policies: Policy[]; features: string[]; preferB?: string }) {
  const { t } = useI18n();
  const label = useFeatureLabel();
  const groups = useMemo(() => groupPolicies(policies), [policies]);
  const live = policies.find((p) => p.live);
  const [q, setQ] = useState('');
  const [a, setA] = useState(live?.id ?? policies[0].id);
  const [b, setB] = useState(() => preferB ?? groups.find((g) => !g.versions.some((v) => v.live))?.versions[0].id ?? policies[0].id);
  useEffect(() => { if (preferB) setB(preferB); }, [preferB]);
  const [result, setResult] = useState<PreviewAnswer>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [hover, setHover] = useState<string>();

  const run = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api.get<PreviewAnswer>(`/admin/search/preview${qs({ q: q.trim(), a, b, pageSize: PREVIEW_SIZE })}`));
    } catch (err) { setError(err); } finally { setBusy(false); }
  };
  const options = groups.map((g) => (
    <optgroup key={g.name} label={g.name}>
      {g.versions.map((p) => <option key={p.id} value={p.id}>{policyLabel(p)}{p.live ? ` · ${t('policyLive')}` : ''}</option>)}
    </optgroup>
  ));
  const changed = result ? countChanged(result.a.items, result.b.items) : 0;
  const maxScore = result ? Math.max(0.0001, ...[...result.a.items, ...result.b.items].map((i) => i.score ?? sumExplain(i))) : 1;
  return (
    <div className="card panel preview" data-testid="preview-panel">
      <h4>{t('previewTitle')}</h4>
      <p className="muted small">{t('previewHint', { n: PREVIEW_SIZE })}</p>
      <form className="preview-form" onSubmit={run}>
        <label className="field"><span className="field-label">{t('previewQuery')}</span>
          <input value={q} onChange={(e) => setQ(e.target.value)} maxLength={256} data-testid="preview-q" placeholder="手机" /></label>
        <label className="field"><span className="field-label">{t('policyA')}</span>
          <select value={a} onChange={(e) => setA(e.target.value)} data-testid="preview-a">{options}</select></label>
        <label className="field"><span className="field-label">{t('policyB')}</span>
          <select value={b} onChange={(e) => setB(e.target.value)} data-testid="preview-b">{options}</select></label>
        <button className="btn btn-primary" disabled={busy || !q.trim()} data-testid="preview-run">{t('previewRun')}</button>
      </form>
      <div className="legend">
        {features.map((f) => <span key={f}><span className="dot" style={{ background: featureColor(f) }} />{label(f)}</span>)}
      </div>
      <ErrorBox error={error} />
      {!result ? <div className="muted preview-empty">{t('previewEmpty')}</div> : (
        <>
          <div className="preview-summary" data-testid="preview-changed">{changed > 0 ? t('rankChanged', { n: changed }) : t('rankAllSame', { n: Math.max(result.a.items.length, result.b.items.length) })}</div>
          <div className="preview-cols">
            <PreviewColumn side="a" answer={result.a} other={result.b} features={features} maxScore={maxScore} hover={hover} setHover={setHover} />
            <PreviewColumn side="b" answer={result.b} other={result.a} features={features} maxScore={maxScore} hover={hover} setHover={setHover} />
          </div>
        </>
      )}
    </div>
  );
}

const sumExplain = (i: SearchItem) => Object.values(i.explain ?? {}).reduce((s, x) => s + (x > 0 ? x : 0), 0);

function countChanged(a: SearchItem[], b: SearchItem[]): number {
  const posB = new Map(b.map((x, i) => [x.productId, i]));
  return a.filter((x, i) => posB.get(x.productId) !== i).length;
}

function PreviewColumn({ side, answer, other, features, maxScore, hover, setHover }: {
  side: 'a' | 'b'; answer: SearchAnswer; other: SearchAnswer; features: string[]; maxScore: number;
  hover?: string; setHover: (id?: string) => void;
}) {
  const { t } = useI18n();
  const label = useFeatureLabel();
  const short = useFeatureLabel(true);
  const otherPos = new Map(other.items.map((x, i) => [x.productId, i]));
  const otherName = policyLabel(other.policy);
  return (
    <div className="preview-col" data-testid={`preview-col-${side}`}>
      <div className="preview-col-head">
        <span className={`ab-mark ab-${side}`}>{side.toUpperCase()}</span>
        <b>{policyLabel(answer.policy)}</b>
        <span className="muted small">{t('searchTotal', { n: answer.total })}{answer.matchMode === 'relaxed' ? ' · relaxed' : ''}</span>
      </div>
      {answer.items.length === 0 ? <Empty /> : (
        <ol className="preview-list">
          {answer.items.map((item, i) => {
            const j = otherPos.get(item.productId);
            const delta = j === undefined ? undefined : j - i;
            const moved = j !== i;
            const score = item.score ?? sumExplain(item);
            const explain = item.explain ?? {};
            return (
              <li key={item.productId} className={`preview-item${moved ? ' moved' : ''}${hover === item.productId ? ' hover' : ''}`}
                data-testid="preview-item" data-product-id={item.productId} data-moved={moved ? 'true' : 'false'}
                onMouseEnter={() => setHover(item.productId)} onMouseLeave={() => setHover(undefined)}>
                <span className="preview-rank">{i + 1}</span>
                <span className="preview-thumb"><ProductArt id={item.productId} category={item.category} brand={item.brand} title={item.title} /></span>
                <div className="preview-body">
                  <div className="preview-title"><SelfBadge kind={item.merchantKind} /><span className="hl" dangerouslySetInnerHTML={{ __html: item.highlight }} /></div>
                  <div className="preview-meta small">
                    <Price value={item.price} size="sm" /><span className="muted">{item.merchantName}</span>
                    <span className="muted">{t('sold', { n: item.sales })}</span>
                  </div>
                  <div className="explain-bar" title={features.map((f) => `${label(f)} ${fmt(explain[f])}`).join('\n')}>
                    {features.map((f) => (explain[f] ?? 0) > 0 ? (
                      <span key={f} style={{ width: `${((explain[f] ?? 0) / maxScore) * 100}%`, background: featureColor(f) }} />
                    ) : null)}
                  </div>
                  <div className="explain-nums" data-testid="explain">
                    {features.filter((f) => explain[f] !== undefined && explain[f] !== 0).map((f) => (
                      <span key={f}><span className="dot" style={{ background: featureColor(f) }} />{short(f)} {fmt(explain[f])}</span>
                    ))}
                  </div>
                </div>
                <div className="preview-side">
                  <div className="preview-score" title={t('score')}>{fmt(score)}</div>
                  {delta === undefined ? <span className="rank-delta new" title={t('rankNew', { other: otherName, n: other.items.length })}>NEW</span>
                    : delta > 0 ? <span className="rank-delta up" title={t('rankUp', { other: otherName, n: delta })}>↑{delta}</span>
                    : delta < 0 ? <span className="rank-delta down" title={t('rankDown', { other: otherName, n: -delta })}>↓{-delta}</span>
                    : <span className="rank-delta same" title={t('rankSame')}>=</span>}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
