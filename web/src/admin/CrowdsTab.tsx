// 人群: build a crowd with the rule editor and a live size estimate, save it (optionally as an operator tag),
// list saved crowds; one crowd shows its rule, materialises, lists members and exports the reachable ones as CSV.
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, download, qs } from '../shared/api';
import { formatMoney } from '../shared/money';
import { valueLabel, type Crowd, type CrowdMember } from '../shared/people';
import { Link, navigate } from '../shared/router';
import { Empty, ErrorBox, Field, formatTime, Loading, Pagination, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import type { Page } from '../shared/types';
import { describeRule, draftRule, newRow, RuleEditor, type RuleDraft } from './RuleEditor';
import { useI18n } from '../i18n';

const ESTIMATE_DELAY_MS = 400;
const MEMBERS_PAGE = 20;

export function CrowdsTab({ crowdId }: { crowdId?: string }) {
  return crowdId ? <CrowdDetail key={crowdId} id={crowdId} /> : <><CrowdBuilder /><CrowdList /></>;
}

function CrowdBuilder() {
  const { t } = useI18n();
  const [draft, setDraft] = useState<RuleDraft>(() => ({ mode: 'all', rows: [newRow()] }));
  const [name, setName] = useState('');
  const [tagLabel, setTagLabel] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const rule = draftRule(draft);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!rule) return;
    setBusy(true);
    setError(undefined);
    try {
      const crowd = await api.post<Crowd>('/admin/crowds', { name: name.trim(), rule, ...(tagLabel.trim() ? { tagLabel: tagLabel.trim() } : {}) });
      toast(t('crowdSaved'));
      navigate(`/admin/crowds/${encodeURIComponent(crowd.id)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const fe = (f: string) => (error instanceof ApiError ? error.fieldMessage(f) : undefined);
  return (
    <form className="card panel" onSubmit={save} data-testid="crowd-builder">
      <h4>{t('crowdBuilder')}</h4>
      <p className="muted small">{t('crowdBuilderHint')}</p>
      <RuleEditor draft={draft} onChange={setDraft} />
      <Estimate rule={rule} />
      <div className="form-grid">
        <Field label={t('crowdName')} error={fe('name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={60} data-testid="crowd-name" />
        </Field>
        <Field label={t('crowdTagLabel')} error={fe('tagLabel')} hint={t('crowdTagLabelHint')}>
          <input value={tagLabel} onChange={(e) => setTagLabel(e.target.value)} maxLength={20} data-testid="crowd-tag-label" />
        </Field>
      </div>
      <ErrorBox error={error} omitFields={['name', 'tagLabel']} />
      <div className="form-actions">
        <button className="btn btn-primary" disabled={busy || !rule || !name.trim()} data-testid="crowd-save">{t('crowdSave')}</button>
      </div>
    </form>
  );
}

/** The crowd size for the rule as it is now, asked again 400 ms after the last change. */
function Estimate({ rule }: { rule: ReturnType<typeof draftRule> }) {
  const { t } = useI18n();
  const key = rule ? JSON.stringify(rule) : '';
  const [est, setEst] = useState<{ key: string; size: number; reachable: number }>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (!key) return;
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api.post<{ size: number; reachable: number }>('/admin/crowds/estimate', { rule: JSON.parse(key) }, { signal: ctrl.signal })
        .then((r) => { setEst({ key, ...r }); setError(undefined); })
        .catch((e) => { if (!ctrl.signal.aborted) setError(e); });
    }, ESTIMATE_DELAY_MS);
    return () => { clearTimeout(timer); ctrl.abort(); };
  }, [key]);
  if (!key) return <div className="estimate muted" data-testid="crowd-estimate">{t('estimateNeedsRule')}</div>;
  const stale = est?.key !== key;
  return (
    <div className={`estimate${stale ? ' stale' : ''}`} data-testid="crowd-estimate" data-size={est?.size} data-stale={stale}>
      {est ? (
        <>
          <span>{t('estimateSize')}<b data-testid="estimate-size">{est.size}</b>{t('peopleUnit')}</span>
          <span>{t('estimateReachable')}<b data-testid="estimate-reachable">{est.reachable}</b>{t('peopleUnit')}</span>
        </>
      ) : <span className="muted">{t('estimating')}</span>}
      {stale && <span className="spinner" />}
      <ErrorBox error={error} />
      <div className="rule-text small muted" data-testid="rule-text-preview">{describeRule(rule!)}</div>
    </div>
  );
}

function CrowdList() {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<{ items: Crowd[] }>('/admin/crowds', { signal }), []);
  return (
    <div className="card panel" data-testid="crowd-list">
      <h4>{t('savedCrowds')}</h4>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? <Empty>{t('noCrowds')}</Empty> : (
        <table className="table">
          <thead><tr>
            <th>{t('crowdName')}</th><th>{t('crowdRule')}</th><th className="num">{t('crowdSize')}</th><th className="num">{t('crowdReachable')}</th>
            <th>{t('materializedAt')}</th><th>{t('createdAt')}</th>
          </tr></thead>
          <tbody>
            {res.data?.items.map((c) => (
              <tr key={c.id} data-testid="crowd-row" data-crowd-id={c.id}>
                <td><Link to={`/admin/crowds/${encodeURIComponent(c.id)}`} className="accent"><b>{c.name}</b></Link>{c.tagLabel && <div><span className="tag-chip tag-operator">{c.tagLabel}</span></div>}</td>
                <td className="small crowd-rule">{describeRule(c.rule)}</td>
                <td className="num">{c.size}</td>
                <td className="num">{c.reachable}</td>
                <td className="small nowrap">{c.materializedAt ? formatTime(c.materializedAt) : <span className="muted">{t('notMaterialized')}</span>}</td>
                <td className="small nowrap">{formatTime(c.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function CrowdDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const path = `/admin/crowds/${encodeURIComponent(id)}`;
  const res = useAsync((signal) => api.get<Crowd>(path, { signal }), [path]);
  const [page, setPage] = useState(1);
  const members = useAsync((signal) => api.get<Page<CrowdMember>>(`${path}/members${qs({ page, pageSize: MEMBERS_PAGE })}`, { signal }), [path, page]);
  const { busy, error, run } = useAction();
  const act = (what: () => Promise<void>) => run(true, what);
  const materialize = () => act(async () => {
    const r = await api.post<Pick<Crowd, 'size' | 'reachable' | 'materializedAt'>>(`${path}/materialize`);
    res.setData({ ...res.data!, ...r });
    members.reload();
    toast(t('materialized', { n: r.size }));
  });
  const remove = () => act(async () => {
    if (!window.confirm(t('crowdDeleteAsk', { name: res.data!.name }))) return;
    await api.del(path);
    toast(t('crowdDeleted'));
    navigate('/admin/crowds');
  });
  const c = res.data;
  return (
    <>
      <div className="card panel" data-testid="crowd-detail">
        <div className="panel-head">
          <div>
            <Link to="/admin/crowds" className="small">‹ {t('backToCrowds')}</Link>
            <h4 className="person-title">{c?.name}{c?.tagLabel && <span className="tag-chip tag-operator">{c.tagLabel}</span>}</h4>
          </div>
          {c && (
            <div className="crowd-actions">
              <button className="btn btn-primary btn-sm" disabled={busy} onClick={materialize} data-testid="crowd-materialize">{t('materialize')}</button>
              <button className="btn btn-ghost btn-sm" disabled={busy} onClick={() => act(() => download(`${path}/export.csv`, `crowd-${id}.csv`))} data-testid="crowd-export">{t('exportCsv')}</button>
              <button className="link-btn" disabled={busy} onClick={remove} data-testid="crowd-delete">{t('delete')}</button>
            </div>
          )}
        </div>
        <ErrorBox error={res.error ?? error} onRetry={res.error ? res.reload : undefined} />
        {!c ? !res.error && <Loading /> : (
          <>
            <p className="crowd-rule" data-testid="crowd-rule">{describeRule(c.rule)}</p>
            <div className="stat-grid crowd-stats">
              <div className="stat stat-hot"><span>{t('crowdSize')}</span><b data-testid="crowd-size">{c.size}</b></div>
              <div className="stat"><span>{t('crowdReachable')}</span><b data-testid="crowd-reachable">{c.reachable}</b></div>
              <div className="stat"><span>{t('materializedAt')}</span><b className="small-stat" data-testid="crowd-materialized-at">{c.materializedAt ? formatTime(c.materializedAt) : t('notMaterialized')}</b></div>
            </div>
          </>
        )}
      </div>
      <div className="card panel" data-testid="crowd-members">
        <h4>{t('crowdMembers')}</h4>
        <ErrorBox error={members.error} onRetry={members.reload} />
        {members.loading && !members.data ? <Loading /> : members.data?.items.length === 0 ? <Empty>{t('noMembers')}</Empty> : (
          <table className="table">
            <thead><tr>
              <th>{t('person')}</th><th>{t('accountEmail')}</th><th>{t('lifecycle')}</th><th>{t('priceBand')}</th>
              <th className="num">{t('ordersCount')}</th><th className="num">{t('monetary')}</th><th>{t('lastActive')}</th>
            </tr></thead>
            <tbody>
              {members.data?.items.map((m) => (
                <tr key={m.personId} data-testid="member-row">
                  <td><Link to={`/admin/people/${encodeURIComponent(m.personId)}`} className="mono small accent">{m.personId}</Link></td>
                  <td>{m.email ?? <span className="muted">{t('anonymous')}</span>}</td>
                  <td>{valueLabel('lifecycle', m.lifecycle)}</td>
                  <td>{valueLabel('band', m.priceBand)}</td>
                  <td className="num">{m.orders}</td>
                  <td className="num">{formatMoney(m.monetary)}</td>
                  <td className="small nowrap">{formatTime(m.lastAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {members.data && <Pagination page={page} pageSize={MEMBERS_PAGE} total={members.data.total} onPage={setPage} />}
      </div>
    </>
  );
}
