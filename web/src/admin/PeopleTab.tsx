// 用户画像: find a person by email, user id, person id, device id or identifier; the detail view is PersonDetail.
import { useState, type FormEvent } from 'react';
import { api, qs } from '../shared/api';
import type { PersonRow } from '../shared/people';
import { Link, navigate, useQuery } from '../shared/router';
import { Empty, ErrorBox, formatTime, Loading, Pagination } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { Page } from '../shared/types';
import { PersonDetailView } from './PersonDetail';
import { useI18n } from '../i18n';

const PAGE_SIZE = 20;

export function PeopleTab({ personId }: { personId?: string }) {
  return personId ? <PersonDetailView key={personId} personId={personId} /> : <PeopleList />;
}

function PeopleList() {
  const { t } = useI18n();
  const query = useQuery();
  const q = query.get('q') ?? '';
  const page = Math.max(1, Number(query.get('page')) || 1);
  const [text, setText] = useState(q);
  const res = useAsync((signal) => api.get<Page<PersonRow>>(`/admin/people${qs({ q, page, pageSize: PAGE_SIZE })}`, { signal }), [q, page]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/admin/people${qs({ q: text.trim() })}`);
  };
  return (
    <div className="card panel" data-testid="people-panel">
      <h4>{t('peopleTitle')}</h4>
      <p className="muted small">{t('peopleHint')}</p>
      <form className="panel-tools" onSubmit={submit} role="search">
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('peopleSearchPlaceholder')} data-testid="people-q" />
        <button className="btn btn-primary btn-sm" data-testid="people-search">{t('search')}</button>
      </form>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? <Empty>{t('noPeople')}</Empty> : (
        <table className="table">
          <thead><tr>
            <th>{t('person')}</th><th>{t('accountEmail')}</th><th className="num">{t('identifiersCount')}</th>
            <th className="num">{t('behaviourEvents')}</th><th>{t('lastActive')}</th>
          </tr></thead>
          <tbody>
            {res.data?.items.map((p) => (
              <tr key={p.personId} data-testid="person-row" data-person-id={p.personId}>
                <td><Link to={`/admin/people/${encodeURIComponent(p.personId)}`} className="mono small accent" data-testid="person-open">{p.personId}</Link></td>
                <td>{p.account?.email ?? <span className="muted">{t('anonymous')}</span>}</td>
                <td className="num">{p.identifiers}</td>
                <td className="num">{p.events}</td>
                <td className="small nowrap">{formatTime(p.lastAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {res.data && <Pagination page={page} pageSize={PAGE_SIZE} total={res.data.total} onPage={(n) => navigate(`/admin/people${qs({ q, page: n })}`)} />}
    </div>
  );
}
