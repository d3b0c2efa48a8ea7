// One person as the operator sees it: account, identifiers, identity links (with undo), merge/split history,
// consents, profile and tags (with a recompute), and the behaviour timeline, newest first.
import { useState } from 'react';
import { api, qs } from '../shared/api';
import { formatMoney } from '../shared/money';
import { shortKey, sourceLabel, valueLabel, type IdentityLink, type PersonDetail, type Purpose, type TimelineEvent } from '../shared/people';
import { ProfileSummaryView, TagList } from '../shared/ProfileView';
import { Link } from '../shared/router';
import { Empty, ErrorBox, formatTime, Loading, Pagination, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import type { Page } from '../shared/types';
import { useI18n } from '../i18n';

const TIMELINE_PAGE = 20;
const PURPOSES: Purpose[] = ['personalization', 'marketing', 'crossSourceFusion'];

export function PersonDetailView({ personId }: { personId: string }) {
  const { t } = useI18n();
  const path = `/admin/people/${encodeURIComponent(personId)}`;
  const res = useAsync((signal) => api.get<PersonDetail>(path, { signal }), [path]);
  const { busy, error, run } = useAction();
  const recompute = () => run(true, async () => {
    await api.post(`${path}/recompute`);
    toast(t('recomputed'));
    res.reload();
  });
  const p = res.data;
  return (
    <>
      <div className="card panel person-head" data-testid="person-detail">
        <div className="panel-head">
          <div>
            <Link to="/admin/people" className="small">‹ {t('backToPeople')}</Link>
            <h4 className="person-title">{p?.account?.email ?? t('anonymous')} <span className="mono small muted">{personId}</span></h4>
          </div>
          <button className="btn btn-primary btn-sm" disabled={busy || !p} onClick={recompute} data-testid="person-recompute">{t('recompute')}</button>
        </div>
        <ErrorBox error={res.error ?? error} onRetry={res.error ? res.reload : undefined} />
        {!p ? !res.error && <Loading /> : (
          <>
            {p.mergedInto && (
              <div className="notice">{t('mergedInto')} <Link to={`/admin/people/${encodeURIComponent(p.mergedInto)}`} className="mono accent">{p.mergedInto}</Link></div>
            )}
            <dl className="kv person-kv">
              <dt>{t('accountLabel')}</dt>
              <dd data-testid="person-account">{p.account ? <>{p.account.email}{p.account.name && ` · ${p.account.name}`} <span className="mono small muted">{p.account.userId}</span></> : <span className="muted">{t('anonymous')}</span>}</dd>
              <dt>{t('consentsLabel')}</dt>
              <dd>{p.consents ? PURPOSES.map((k) => (
                <span key={k} className={`pill ${p.consents![k] ? 'pill-green' : 'pill-grey'}`}>{valueLabel('consent', k)} {p.consents![k] ? '✓' : '✗'}</span>
              )) : <span className="muted">{t('noConsents')}</span>}</dd>
            </dl>
          </>
        )}
      </div>
      {p && (
        <>
          <Identifiers p={p} />
          <Links p={p} onUndone={res.reload} />
          <div className="card panel" data-testid="person-profile">
            <h4>{t('profileAndTags')}</h4>
            <TagList tags={p.profile.tags} />
            <ProfileSummaryView summary={p.profile.summary} />
          </div>
          <Timeline path={`${path}/timeline`} />
        </>
      )}
    </>
  );
}

function Identifiers({ p }: { p: PersonDetail }) {
  const { t } = useI18n();
  return (
    <div className="card panel" data-testid="person-identifiers">
      <h4>{t('identifiers')}</h4>
      {p.identifiers.length === 0 ? <p className="muted">{t('empty')}</p> : (
        <table className="table">
          <thead><tr><th>{t('idKind')}</th><th>{t('idValue')}</th><th>{t('idSource')}</th><th>{t('firstSeen')}</th></tr></thead>
          <tbody>
            {p.identifiers.map((i) => (
              <tr key={i.key} data-testid="identifier-row" data-kind={i.kind}>
                <td><span className="pill pill-grey">{valueLabel('idKind', i.kind)}</span></td>
                <td className="mono small">{i.display}</td>
                <td className="small">{sourceLabel(i.source)}</td>
                <td className="small nowrap">{formatTime(i.firstSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Links({ p, onUndone }: { p: PersonDetail; onUndone: () => void }) {
  const { t } = useI18n();
  const { busy, error, run } = useAction<string>();
  const undo = (l: IdentityLink) => {
    if (!window.confirm(t('undoMergeAsk', { a: shortKey(l.a), b: shortKey(l.b) }))) return;
    return run(l.id, async () => {
      await api.post(`/admin/people/links/${encodeURIComponent(l.id)}/undo`);
      toast(t('mergeUndone'));
      onUndone();
    });
  };
  return (
    <div className="card panel" data-testid="person-links">
      <h4>{t('identityLinks')}</h4>
      <ErrorBox error={error} />
      {p.links.length === 0 ? <p className="muted">{t('noLinks')}</p> : (
        <table className="table">
          <thead><tr><th>{t('linkPair')}</th><th>{t('idSource')}</th><th>{t('linkReason')}</th><th>{t('time')}</th><th>{t('action')}</th></tr></thead>
          <tbody>
            {p.links.map((l) => (
              <tr key={l.id} data-testid="link-row" className={l.undoneAt ? 'row-undone' : ''}>
                <td className="mono small">{shortKey(l.a)}<br />⇄ {shortKey(l.b)}</td>
                <td className="small">{sourceLabel(l.source)}</td>
                <td className="small">{l.reason}</td>
                <td className="small nowrap">{formatTime(l.createdAt)}</td>
                <td className="small">
                  {l.undoneAt ? <span className="muted">{t('undoneAt', { at: formatTime(l.undoneAt) })}</span> : (
                    <button className="link-btn" disabled={!!busy} onClick={() => undo(l)} data-testid="link-undo">{t('undoMerge')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.history.length > 0 && (
        <>
          <h5 className="sub-title">{t('mergeHistory')}</h5>
          <ul className="history-list" data-testid="person-history">
            {p.history.map((h, i) => (
              <li key={i}>
                <span className="small nowrap muted">{formatTime(h.at)}</span>
                <span className={`pill ${h.kind === 'merge' ? 'pill-orange' : 'pill-grey'}`}>{h.kind === 'merge' ? t('merged') : t('split')}</span>
                <Link to={`/admin/people/${encodeURIComponent(h.otherPersonId)}`} className="mono small accent">{h.otherPersonId}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function Timeline({ path }: { path: string }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const res = useAsync((signal) => api.get<Page<TimelineEvent>>(`${path}${qs({ page, pageSize: TIMELINE_PAGE })}`, { signal }), [path, page]);
  return (
    <div className="card panel" data-testid="person-timeline">
      <h4>{t('timeline')}</h4>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? <Empty>{t('noEvents')}</Empty> : (
        <table className={`table${res.loading ? ' reloading' : ''}`}>
          <thead><tr><th>{t('time')}</th><th>{t('eventType')}</th><th>{t('eventWhat')}</th><th>{t('arrivalChannel')}</th><th>{t('idSource')}</th></tr></thead>
          <tbody>
            {res.data?.items.map((e) => (
              <tr key={e.id} data-testid="timeline-row" data-type={e.type}>
                <td className="small nowrap">{formatTime(e.at)}</td>
                <td><span className={`pill evt evt-${e.type}`}>{valueLabel('evt', e.type)}</span></td>
                <td><EventWhat e={e} /></td>
                <td className="small">{e.channel ? valueLabel('channel', e.channel) : ''}{e.campaign && <span className="muted"> · {e.campaign}</span>}</td>
                <td className="small"><div>{sourceLabel(e.source)}</div><div className="mono muted">{shortKey(e.subject)}</div></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {res.data && <Pagination page={page} pageSize={TIMELINE_PAGE} total={res.data.total} onPage={setPage} />}
    </div>
  );
}

function EventWhat({ e }: { e: TimelineEvent }) {
  const { t } = useI18n();
  return (
    <div className="evt-what">
      {e.title && <div>{e.productId ? <a href={`/product/${encodeURIComponent(e.productId)}`} target="_blank" rel="noreferrer">{e.title}</a> : e.title}</div>}
      {!e.title && e.page && <div className="mono small">{e.page}</div>}
      {e.query && <div>{t('queryIs', { q: e.query })}{e.results !== undefined && <span className="muted"> · {t('resultsN', { n: e.results })}</span>}{e.position !== undefined && <span className="muted"> · {t('positionN', { n: e.position })}</span>}</div>}
      <div className="muted small">
        {[e.category?.replaceAll('/', ' › '), e.brand, e.price && formatMoney(e.price), e.orderId && t('orderRef', { id: e.orderId }), e.amount && formatMoney(e.amount)]
          .filter(Boolean).join(' · ')}
      </div>
    </div>
  );
}
