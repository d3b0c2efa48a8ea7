// 直播 tab: schedule sessions, pick the store's SKUs with live-only prices, start / end / cancel, and see the
// orders and GMV attributed to each session (views of the live room followed by an order within 7 days).
import { useState } from 'react';
import { api, ApiError, qs } from '../shared/api';
import { fenToYuanInput, parseYuan } from '../shared/money';
import { Link } from '../shared/router';
import type { MerchantProduct, Money } from '../shared/types';
import { attrText, Empty, ErrorBox, Field, formatTime, Loading, localDateTimeInput, Modal, Price, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';
import { LiveBadge } from '../content/parts';
import type { LiveSession, Paged } from '../content/types';

type Sessions = Paged<LiveSession> & { views: number; attributedOrders: number; attributedGmv: Money };

export function LiveTab({ mid }: { mid: string }) {
  const { t } = useI18n();
  const base = `/merchants/${encodeURIComponent(mid)}/live-sessions`;
  const res = useAsync((signal) => api.get<Sessions>(`${base}${qs({ pageSize: 50 })}`, { signal }), [mid]);
  const act = useAction<string>();
  const [editing, setEditing] = useState<LiveSession | null>(null);
  const replace = (s: LiveSession) => res.setData({ ...res.data!, items: res.data!.items.map((x) => (x.id === s.id ? s : x)) });
  const transition = (s: LiveSession, action: 'start' | 'end' | 'cancel') => act.run(`${s.id}:${action}`, async () => {
    replace(await api.post<LiveSession>(`${base}/${s.id}/${action}`));
    toast(t(`liveDone_${action}`));
  });
  const d = res.data;
  return (
    <div className="live-tab" data-testid="live-tab">
      {d && (
        <div className="stat-grid stat-grid-4">
          <div className="stat card"><span>{t('liveSessions')}</span><b>{d.total}</b></div>
          <div className="stat card"><span>{t('totalViews')}</span><b data-testid="live-total-views">{d.views}</b></div>
          <div className="stat card"><span>{t('attributedOrders')}</span><b data-testid="live-attributed-orders">{d.attributedOrders}</b></div>
          <div className="stat card stat-hot"><span>{t('attributedGmv')}</span><b data-testid="live-attributed-gmv"><Price value={d.attributedGmv} size="lg" /></b></div>
        </div>
      )}
      <NewSession base={base} onCreated={(s) => { res.setData({ ...res.data!, items: [s, ...res.data!.items], total: res.data!.total + 1 }); setEditing(s); }} />
      <ErrorBox error={res.error ?? act.error} onRetry={res.error ? res.reload : undefined} />
      {res.loading && !d ? <Loading /> : d?.items.length === 0 ? <div className="card"><Empty>{t('noLiveSessions')}</Empty></div> : d?.items.map((s) => (
        <div key={s.id} className="card panel live-session-row" data-testid="live-session-row" data-session-id={s.id} data-status={s.status}>
          <div className="live-session-head">
            {s.status === 'live' ? <LiveBadge /> : <span className={`live-state live-state-${s.status}`}>{t(`live_${s.status}`)}</span>}
            <b className="live-session-title">{s.title}</b>
            <span className="muted small">{t('liveScheduledAt', { at: formatTime(s.scheduledStart) })}</span>
            <span className="live-session-stats" data-testid="live-session-stats">{t('liveViewers')} <b>{s.viewers ?? 0}</b> · {t('viewsCol')} <b>{s.views ?? 0}</b> · {t('attributedOrders')} <b>{s.attributedOrders ?? 0}</b> · {t('attributedGmv')} <Price value={s.attributedGmv ?? { amount: 0, currency: 'CNY' }} size="sm" /></span>
          </div>
          <div className="live-session-products">
            {s.products.length === 0 ? <span className="muted">{t('noLiveProducts')}</span> : s.products.flatMap((p) => p.skus.map((k) => (
              <span key={k.skuId} className="live-sku-chip">{p.title} {attrText(k.attributes)} <Price value={k.livePrice} size="sm" /> <Price value={k.price} size="sm" strike /></span>
            )))}
          </div>
          <div className="live-session-actions">
            <Link to={`/live/${s.id}`} className="btn btn-ghost btn-sm">{t('openLiveRoom')}</Link>
            {(s.status === 'scheduled' || s.status === 'live') && <button className="btn btn-ghost btn-sm" onClick={() => setEditing(s)} data-testid="edit-live-products">{t('editLiveProducts')}</button>}
            {s.status === 'scheduled' && <button className="btn btn-primary btn-sm" disabled={!!act.busy} onClick={() => transition(s, 'start')} data-testid="live-start">{t('liveStart')}</button>}
            {s.status === 'scheduled' && <button className="btn btn-ghost btn-sm" disabled={!!act.busy} onClick={() => transition(s, 'cancel')} data-testid="live-cancel">{t('liveCancel')}</button>}
            {s.status === 'live' && <button className="btn btn-primary btn-sm" disabled={!!act.busy} onClick={() => transition(s, 'end')} data-testid="live-end">{t('liveEnd')}</button>}
          </div>
        </div>
      ))}
      {editing && <LiveProductsEditor mid={mid} base={base} session={editing} onClose={() => setEditing(null)} onSaved={(s) => { replace(s); setEditing(null); toast(t('saved')); }} />}
    </div>
  );
}

function NewSession({ base, onCreated }: { base: string; onCreated: (s: LiveSession) => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [start, setStart] = useState(() => localDateTimeInput(new Date(Date.now() + 3_600_000)));
  const [cover, setCover] = useState('');
  const act = useAction();
  const err = act.error instanceof ApiError ? act.error : undefined;
  const create = () => act.run(true, async () => {
    const s = await api.post<LiveSession>(base, { title, scheduledStart: new Date(start).toISOString(), coverUrl: cover.trim() || undefined });
    setTitle('');
    setCover('');
    onCreated(s);
  });
  return (
    <div className="card panel">
      <h4>{t('newLiveSession')}</h4>
      <div className="live-new-form">
        <Field label={t('liveTitle')} error={err?.fieldMessage('title')}><input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={60} data-testid="live-title-input" /></Field>
        <Field label={t('liveStartTime')} error={err?.fieldMessage('scheduledStart')}><input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} data-testid="live-start-input" /></Field>
        <Field label={t('liveCover')} error={err?.fieldMessage('coverUrl')}><input value={cover} onChange={(e) => setCover(e.target.value)} placeholder="https://…" /></Field>
        <button className="btn btn-primary" disabled={!!act.busy || !title.trim() || !start} onClick={create} data-testid="live-create">{t('liveCreate')}</button>
      </div>
      <ErrorBox error={act.error} omitFields={['title', 'scheduledStart', 'coverUrl']} />
    </div>
  );
}

/** Picks SKUs of the store and their live prices (in yuan, below the list price). */
function LiveProductsEditor({ mid, base, session, onClose, onSaved }: { mid: string; base: string; session: LiveSession; onClose: () => void; onSaved: (s: LiveSession) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const products = useAsync((signal) => api.get<Paged<MerchantProduct>>(`/merchants/${encodeURIComponent(mid)}/products${qs({ q: q.trim() || undefined, pageSize: 20 })}`, { signal }), [mid, q]);
  const [prices, setPrices] = useState<Record<string, string>>(() => Object.fromEntries(session.products.flatMap((p) => p.skus.map((k) => [k.skuId, fenToYuanInput(k.livePrice.amount)]))));
  const act = useAction();
  const chosen = Object.entries(prices).filter(([, v]) => v.trim() !== '');
  const bad = chosen.find(([, v]) => parseYuan(v) === null);
  const err = act.error instanceof ApiError ? act.error : undefined;
  const skuError = (skuId: string) => {
    const i = chosen.findIndex(([id]) => id === skuId);
    return i >= 0 ? err?.problem.errors?.find((e) => e.field.startsWith(`items.${i}.`))?.message : undefined;
  };
  const save = () => act.run(true, async () => {
    onSaved(await api.put<LiveSession>(`${base}/${session.id}/products`, { items: chosen.map(([skuId, v]) => ({ skuId, livePrice: { amount: parseYuan(v)!, currency: 'CNY' } })) }));
  });
  return (
    <Modal title={t('editLiveProductsOf', { title: session.title })} onClose={onClose} testId="live-products-editor">
      <p className="muted small">{t('livePriceRule')}</p>
      <input value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('searchMyProducts')} className="live-editor-search" />
      {products.loading && !products.data ? <Loading /> : (
        <table className="table live-editor-table">
          <thead><tr><th>{t('product')}</th><th>{t('sku')}</th><th className="num">{t('listPrice')}</th><th>{t('livePriceYuan')}</th></tr></thead>
          <tbody>
            {products.data?.items.flatMap((p) => p.skus.map((k, i) => (
              <tr key={k.id}>
                <td>{i === 0 ? p.title : ''}</td>
                <td className="muted small">{attrText(k.attributes) || k.code}</td>
                <td className="num"><Price value={k.price} size="sm" /></td>
                <td>
                  <input className="live-price-input" value={prices[k.id] ?? ''} inputMode="decimal" placeholder="—" data-testid="live-price-input" data-sku-id={k.id}
                    onChange={(e) => setPrices({ ...prices, [k.id]: e.target.value })} />
                  {skuError(k.id) && <div className="field-error">{skuError(k.id)}</div>}
                </td>
              </tr>
            )))}
          </tbody>
        </table>
      )}
      <ErrorBox error={act.error} omitFields={chosen.flatMap((_, i) => [`items.${i}.skuId`, `items.${i}.livePrice.amount`])} />
      {bad && <div className="field-error">{t('badYuan')}</div>}
      <div className="modal-actions">
        <span className="muted small">{t('liveSkusChosen', { n: chosen.length })}</span>
        <button className="btn btn-ghost" onClick={onClose}>{t('cancel')}</button>
        <button className="btn btn-primary" disabled={!!act.busy || !!bad} onClick={save} data-testid="save-live-products">{t('save')}</button>
      </div>
    </Modal>
  );
}
