// 推荐: model versions (train now, progress while training, serve an earlier version), click-through per surface and
// recaller over the last 7 days, and editorial picks (shown in every feed).
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../shared/api';
import type { EditorialPick, RecoModel, RecoModels, RecoStat } from '../shared/reco';
import { Link } from '../shared/router';
import { Empty, ErrorBox, Field, formatTime, Loading, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { hasKey, t as translate, useI18n } from '../i18n';

const POLL_MS = 2000;
const STATS_DAYS = 7;
/** Surfaces in the order a shopper meets them. */
const SURFACES = ['feed', 'similar', 'bought_together', 'cart'];
const surfaceRank = (s: string) => (SURFACES.includes(s) ? SURFACES.indexOf(s) : SURFACES.length);

/** A label from the dictionary when there is one (`prefix_value`), else the value itself. */
const labelOf = (prefix: string, value: string) => {
  const key = `${prefix}_${value.replace(/[\s-]+/g, '_')}`;
  return hasKey(key) ? translate(key) : value;
};

export function RecoTab() {
  return (
    <>
      <ModelsPanel />
      <StatsPanel />
      <EditorialPanel />
    </>
  );
}

function ModelsPanel() {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<RecoModels>('/admin/reco/models', { signal }), []);
  const { busy, error, run } = useAction<string>();
  const training = !!res.data && (res.data.training || res.data.items.some((m) => m.status === 'training'));

  // While a model trains, ask again every 2 s; each answer schedules the next question.
  useEffect(() => {
    if (!training) return;
    const timer = setTimeout(res.reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [training, res.data, res.reload]);

  const train = () => run('train', async () => {
    await api.post('/admin/reco/models/train');
    toast(t('recoTrainStarted'));
    res.reload();
  });
  const activate = (m: RecoModel) => run(`v${m.version}`, async () => {
    if (!window.confirm(t('recoActivateAsk', { version: m.version }))) return;
    await api.post(`/admin/reco/models/${m.version}/activate`);
    toast(t('recoActivated', { version: m.version }));
    res.reload();
  });

  const items = res.data?.items ?? [];
  return (
    <div className="card panel" data-testid="reco-models" data-training={String(training)} data-active-version={res.data?.activeVersion ?? ''}>
      <div className="panel-head">
        <div>
          <h4>{t('recoModels')}</h4>
          <p className="muted small">{t('recoModelsHint')}</p>
        </div>
        <button className="btn btn-primary btn-sm" disabled={!!busy || training} onClick={train} data-testid="reco-train">
          {training ? t('recoTraining') : t('recoTrainNow')}
        </button>
      </div>
      <ErrorBox error={res.error ?? error} onRetry={res.error ? res.reload : undefined} />
      {res.loading && !res.data ? <Loading /> : items.length === 0 ? <Empty>{t('recoNoModels')}</Empty> : (
        <table className="table reco-models-table">
          <thead><tr>
            <th>{t('recoVersion')}</th><th>{t('status')}</th><th>{t('recoTrigger')}</th>
            <th className="num">{t('recoPersons')}</th><th className="num">{t('recoItems')}</th><th className="num">{t('recoInteractions')}</th>
            <th className="num">{t('recoOrders')}</th><th className="num">{t('recoSeconds')}</th>
            <th>{t('recoStarted')}</th><th>{t('recoFinished')}</th><th>{t('action')}</th>
          </tr></thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.version} className={m.active ? 'reco-active-row' : ''} data-testid="reco-model-row" data-version={m.version} data-status={m.status} data-active={String(m.active)}>
                <td className="nowrap">
                  <b className="mono">v{m.version}</b>
                  {m.active && <span className="pill pill-green reco-active-badge" data-testid="reco-active-badge">● {t('recoServing')}</span>}
                </td>
                <td className="reco-status-cell"><ModelStatus m={m} /></td>
                <td className="small">{triggerLabel(m.trigger)}</td>
                <td className="num">{m.stats?.persons ?? '—'}</td>
                <td className="num">{m.stats?.items ?? '—'}</td>
                <td className="num">{m.stats?.interactions ?? '—'}</td>
                <td className="num">{m.stats?.orders ?? '—'}</td>
                <td className="num">{m.stats?.seconds ?? '—'}</td>
                <td className="small nowrap">{formatTime(m.startedAt)}</td>
                <td className="small nowrap">{m.finishedAt ? formatTime(m.finishedAt) : '—'}</td>
                <td className="nowrap">
                  {m.status === 'ready' && !m.active && (
                    <button className="link-btn" disabled={!!busy || training} onClick={() => activate(m)} data-testid="reco-activate">{t('recoServeThis')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function ModelStatus({ m }: { m: RecoModel }) {
  const { t } = useI18n();
  if (m.status === 'training') {
    const pct = Math.round(Math.max(0, Math.min(1, m.progress)) * 100);
    return (
      <div className="reco-progress" data-testid="reco-progress">
        <div className="reco-progress-bar"><i style={{ width: `${pct}%` }} /></div>
        <span className="small muted">{pct}% · {m.stage ? labelOf('recoStage', m.stage) : t('recoTraining')}</span>
      </div>
    );
  }
  if (m.status === 'failed') return <><span className="pill pill-red">{t('recoFailed')}</span>{m.error && <div className="small muted reco-error" title={m.error}>{m.error}</div>}</>;
  return <span className="pill pill-green">{t('recoReady')}</span>;
}

function triggerLabel(trigger: string): string {
  if (trigger.startsWith('operator:')) return translate('recoTriggerOperator');
  return labelOf('recoTrigger', trigger);
}

function StatsPanel() {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<{ items: RecoStat[] }>(`/admin/reco/stats?days=${STATS_DAYS}`, { signal }), []);
  const rows = [...(res.data?.items ?? [])].sort((a, b) => surfaceRank(a.surface) - surfaceRank(b.surface) || a.surface.localeCompare(b.surface) || b.shown - a.shown);
  const maxCtr = Math.max(0.0001, ...rows.map((r) => r.ctr));
  return (
    <div className="card panel" data-testid="reco-stats">
      <div className="panel-head">
        <div>
          <h4>{t('recoStats')}</h4>
          <p className="muted small">{t('recoStatsHint', { days: STATS_DAYS })}</p>
        </div>
        <button className="btn btn-ghost btn-sm" disabled={res.loading} onClick={res.reload} data-testid="reco-stats-reload">{t('refresh')}</button>
      </div>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {res.loading && !res.data ? <Loading /> : rows.length === 0 ? <Empty>{t('recoNoStats')}</Empty> : (
        <table className="table reco-stats-table">
          <thead><tr>
            <th>{t('recoSurface')}</th><th>{t('recoRecaller')}</th><th className="num">{t('recoShown')}</th><th className="num">{t('recoClicked')}</th><th>{t('recoCtr')}</th>
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.surface}/${r.recaller}`} data-testid="reco-stat-row" data-surface={r.surface} data-recaller={r.recaller} data-clicked={r.clicked}>
                <td className="nowrap">{labelOf('recoSurface', r.surface)}</td>
                <td className="nowrap">{labelOf('recaller', r.recaller)} <span className="muted small mono">{r.recaller}</span></td>
                <td className="num">{r.shown}</td>
                <td className="num">{r.clicked}</td>
                <td className="reco-ctr-cell">
                  <span className="reco-ctr-bar"><i style={{ width: `${(r.ctr / maxCtr) * 100}%` }} /></span>
                  <b data-testid="reco-ctr">{formatPercent(r.ctr)}</b>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function formatPercent(ratio: number): string {
  return `${(Math.round(ratio * 10_000) / 100).toFixed(2)}%`;
}

function EditorialPanel() {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<{ items: EditorialPick[] }>('/admin/reco/editorial', { signal }), []);
  const [productId, setProductId] = useState('');
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction<string>();
  const add = (e: FormEvent) => {
    e.preventDefault();
    const id = productId.trim();
    if (!id) return;
    return run('add', async () => {
      await api.put(`/admin/reco/editorial/${encodeURIComponent(id)}`, note.trim() ? { note: note.trim() } : {});
      setProductId('');
      setNote('');
      toast(t('recoPickAdded'));
      res.reload();
    });
  };
  const remove = (p: EditorialPick) => run(p.productId, async () => {
    await api.del(`/admin/reco/editorial/${encodeURIComponent(p.productId)}`);
    res.setData({ items: (res.data?.items ?? []).filter((x) => x.productId !== p.productId) });
    toast(t('recoPickRemoved'));
  });
  const fieldError = (f: string) => (error instanceof ApiError ? error.fieldMessage(f) : undefined);
  const items = res.data?.items ?? [];
  return (
    <div className="card panel" data-testid="reco-editorial">
      <h4>{t('recoEditorial')}</h4>
      <p className="muted small">{t('recoEditorialHint')}</p>
      <form className="reco-pick-form" onSubmit={add}>
        <Field label={t('recoProductId')} error={fieldError('productId')}>
          <input value={productId} onChange={(e) => setProductId(e.target.value)} placeholder="prd_…" maxLength={60} className="mono" data-testid="reco-pick-id" />
        </Field>
        <Field label={t('recoPickNote')}>
          <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} data-testid="reco-pick-note" />
        </Field>
        <button className="btn btn-primary" disabled={!!busy || !productId.trim()} data-testid="reco-pick-add">{t('recoPickAdd')}</button>
      </form>
      <ErrorBox error={res.error ?? error} onRetry={res.error ? res.reload : undefined} omitFields={['productId']} />
      {res.loading && !res.data ? <Loading /> : items.length === 0 ? <Empty>{t('recoNoPicks')}</Empty> : (
        <table className="table">
          <thead><tr><th>{t('product')}</th><th>{t('recoPickNote')}</th><th>{t('recoAddedAt')}</th><th>{t('action')}</th></tr></thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.productId} data-testid="reco-pick-row" data-product-id={p.productId}>
                <td>
                  <Link to={`/product/${encodeURIComponent(p.productId)}`} className="accent" data-testid="reco-pick-title">{p.title ?? t('recoUnknownProduct')}</Link>
                  <div className="muted small mono">{p.productId}</div>
                </td>
                <td className="small">{p.note || <span className="muted">—</span>}</td>
                <td className="small nowrap">{formatTime(p.addedAt)}</td>
                <td><button className="link-btn" disabled={!!busy} onClick={() => remove(p)} data-testid="reco-pick-remove">{t('remove')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
