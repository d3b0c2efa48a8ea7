// 我的笔记 (GET /me/notes): every note of mine, hidden ones with the reason, views, viewers, likes,
// comments, and the orders and GMV attributed to each; and an author's public notes.
import { useState } from 'react';
import { api, qs } from '../shared/api';
import { Link } from '../shared/router';
import { Empty, ErrorBox, formatTime, Loading, Pagination, Price } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { Money } from '../shared/types';
import { useI18n } from '../i18n';
import { NoteCard } from './ContentFeedPage';
import { NoteCover } from './parts';
import type { Note, Paged } from './types';

export function MyNotesPage() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const res = useAsync((signal) => api.get<Paged<Note> & { views: number; attributedOrders: number; attributedGmv: Money }>(`/me/notes${qs({ page, pageSize: 20 })}`, { signal }), [page]);
  const d = res.data;
  return (
    <div className="container" data-testid="my-notes">
      <div className="content-head">
        <h2 className="page-title">{t('myNotes')}</h2>
        <span className="content-head-actions"><Link to="/content/new" className="btn btn-primary btn-sm">{t('writeNote')}</Link></span>
      </div>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {d && (
        <div className="stat-grid stat-grid-4">
          <div className="stat card"><span>{t('noteCount')}</span><b>{d.total}</b></div>
          <div className="stat card"><span>{t('totalViews')}</span><b data-testid="my-total-views">{d.views}</b></div>
          <div className="stat card"><span>{t('attributedOrders')}</span><b data-testid="my-attributed-orders">{d.attributedOrders}</b></div>
          <div className="stat card stat-hot"><span>{t('attributedGmv')}</span><b data-testid="my-attributed-gmv"><Price value={d.attributedGmv} size="lg" /></b></div>
        </div>
      )}
      <p className="muted small">{t('viewsExplained')} {t('attributionExplained')}</p>
      {res.loading && !d ? <Loading /> : d?.items.length === 0 ? <div className="card"><Empty>{t('noNotesYet')}</Empty></div> : (
        <div className="card">
          <table className="table my-notes-table">
            <thead><tr><th>{t('note')}</th><th>{t('status')}</th><th className="num">{t('viewsCol')}</th><th className="num">{t('viewersCol')}</th><th className="num">{t('likesCol')}</th><th className="num">{t('commentsCol')}</th><th className="num">{t('attributedOrders')}</th><th className="num">{t('attributedGmv')}</th></tr></thead>
            <tbody>
              {d?.items.map((n) => (
                <tr key={n.id} data-testid="my-note-row" data-note-id={n.id}>
                  <td><Link to={`/content/notes/${n.id}`} className="my-note-cell"><NoteCover note={n} className="tiny" /><span><b>{n.title}</b><br /><span className="muted small">{formatTime(n.createdAt)}</span></span></Link></td>
                  <td>{n.status === 'hidden' ? <span className="ctag ctag-bad" title={n.hiddenReason}>{t('hidden')}：{n.hiddenReason}</span> : <span className="ctag ctag-ok">{t('visible')}</span>}</td>
                  <td className="num" data-testid="my-note-views">{n.views ?? 0}</td>
                  <td className="num" data-testid="my-note-viewers">{n.viewers ?? 0}</td>
                  <td className="num">{n.likes}</td>
                  <td className="num">{n.comments}</td>
                  <td className="num">{n.attributedOrders ?? 0}</td>
                  <td className="num">{n.attributedGmv && <Price value={n.attributedGmv} size="sm" />}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {d && <Pagination page={d.page} pageSize={d.pageSize} total={d.total} onPage={setPage} />}
        </div>
      )}
    </div>
  );
}

export function AuthorNotesPage({ kind, id }: { kind: string; id: string }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const res = useAsync((signal) => api.get<Paged<Note>>(`/content/authors/${encodeURIComponent(kind)}/${encodeURIComponent(id)}/notes${qs({ page, pageSize: 20 })}`, { signal }), [kind, id, page]);
  const name = res.data?.items[0]?.author.name;
  return (
    <div className="container">
      <h2 className="page-title">{name ? t('notesOf', { name }) : t('authorNotes')}</h2>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? <div className="card"><Empty>{t('noNotesYet')}</Empty></div> : (
        <>
          <div className="note-wall">{res.data?.items.map((n) => <NoteCard key={n.id} n={n} />)}</div>
          {res.data && <Pagination page={res.data.page} pageSize={res.data.pageSize} total={res.data.total} onPage={setPage} />}
        </>
      )}
    </div>
  );
}
