// 笔记审核: every note newest first (or only visible / hidden ones); hide with a reason or restore. Both are audited.
import { useState } from 'react';
import { api, qs } from '../shared/api';
import { Link } from '../shared/router';
import { ReasonDialog } from '../shared/ReasonDialog';
import { Empty, ErrorBox, formatTime, Loading, Pagination, Price, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';
import { CreatorBadge, NoteCover } from '../content/parts';
import type { Note, Paged } from '../content/types';

export function NotesModeration() {
  const { t } = useI18n();
  const [status, setStatus] = useState<'' | 'visible' | 'hidden'>('');
  const [page, setPage] = useState(1);
  const res = useAsync((signal) => api.get<Paged<Note>>(`/admin/content/notes${qs({ status: status || undefined, page, pageSize: 20 })}`, { signal }), [status, page]);
  const [hiding, setHiding] = useState<Note | null>(null);
  const [certifying, setCertifying] = useState<Note | null>(null);
  const revoke = (n: Note) => act.run(`revoke:${n.author.id}`, async () => { await api.del(`/admin/content/creators/${n.author.id}`); toast(t('creatorRevoked')); res.reload(); });
  const act = useAction<string>();
  const replace = (n: Note) => res.setData({ ...res.data!, items: res.data!.items.map((x) => (x.id === n.id ? n : x)) });
  const restore = (n: Note) => act.run(n.id, async () => { replace(await api.post<Note>(`/admin/content/notes/${n.id}/restore`)); toast(t('noteRestored')); });
  return (
    <div className="card panel" data-testid="notes-moderation">
      <div className="tabs inline">
        {(['', 'visible', 'hidden'] as const).map((s) => (
          <button key={s} className={`tab${status === s ? ' on' : ''}`} onClick={() => { setStatus(s); setPage(1); }}>{s ? t(s) : t('allNotes')}</button>
        ))}
      </div>
      <ErrorBox error={res.error ?? act.error} onRetry={res.error ? res.reload : undefined} />
      {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? <Empty /> : (
        <table className="table">
          <thead><tr><th>{t('note')}</th><th>{t('author')}</th><th>{t('status')}</th><th className="num">{t('likesCol')} / {t('commentsCol')}</th><th className="num">{t('attributedGmv')}</th><th></th></tr></thead>
          <tbody>
            {res.data?.items.map((n) => (
              <tr key={n.id} data-testid="moderation-row" data-note-id={n.id}>
                <td><Link to={`/content/notes/${n.id}`} className="my-note-cell"><NoteCover note={n} className="tiny" /><span><b>{n.title}</b><br /><span className="muted small note-excerpt">{n.body.slice(0, 60)}</span></span></Link></td>
                <td>{n.author.name}{n.author.kind === 'merchant' && <span className="badge badge-store">{t('storeAuthor')}</span>}<CreatorBadge author={n.author} /><br /><span className="muted small">{formatTime(n.createdAt)}</span>
                  {n.author.kind === 'user' && (n.author.creator
                    ? <button className="link-btn small" disabled={act.busy === `revoke:${n.author.id}`} onClick={() => revoke(n)} data-testid="revoke-creator">{t('creatorRevoke')}</button>
                    : <button className="link-btn small" onClick={() => setCertifying(n)} data-testid="certify-creator">{t('certifyCreator')}</button>)}</td>
                <td>{n.status === 'hidden' ? <span className="ctag ctag-bad">{t('hidden')}：{n.hiddenReason}</span> : <span className="ctag ctag-ok">{t('visible')}</span>}</td>
                <td className="num">{n.likes} / {n.comments}</td>
                <td className="num">{n.attributedGmv && <Price value={n.attributedGmv} size="sm" />}</td>
                <td>{n.status === 'visible'
                  ? <button className="btn btn-ghost btn-sm" onClick={() => setHiding(n)} data-testid="hide-note">{t('hideNote')}</button>
                  : <button className="btn btn-ghost btn-sm" disabled={act.busy === n.id} onClick={() => restore(n)} data-testid="restore-note">{t('restoreNote')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {res.data && <Pagination page={res.data.page} pageSize={res.data.pageSize} total={res.data.total} onPage={setPage} />}
      {certifying && (
        <ReasonDialog
          name="certify" title={t('certifyCreatorTitle', { name: certifying.author.name })} intro={t('certifyCreatorHint')} maxLength={20}
          presets={[t('creatorTitleBeauty'), t('creatorTitleDigital'), t('creatorTitleStyle')]} placeholder={t('creatorTitle')} confirmLabel={t('certifyCreator')}
          onClose={() => setCertifying(null)}
          onConfirm={async (title) => { await api.put(`/admin/content/creators/${certifying.author.id}`, { title }); setCertifying(null); toast(t('creatorCertifiedDone')); res.reload(); }}
        />
      )}
      {hiding && <HideDialog note={hiding} onClose={() => setHiding(null)} onDone={(n) => { replace(n); setHiding(null); toast(t('noteHiddenDone')); }} />}
    </div>
  );
}

function HideDialog({ note, onClose, onDone }: { note: Note; onClose: () => void; onDone: (n: Note) => void }) {
  const { t } = useI18n();
  return (
    <ReasonDialog
      name="hide" title={t('hideNoteTitle', { title: note.title })} note={t('hideAudited')}
      presets={[t('reasonAd'), t('reasonFalse'), t('reasonOffensive')]} placeholder={t('hideReason')} confirmLabel={t('hideNote')}
      onClose={onClose} onConfirm={async (reason) => onDone(await api.post<Note>(`/admin/content/notes/${note.id}/hide`, { reason }))}
    />
  );
}
