// A note (GET /content/notes/{id}): pictures, text, author, like, linked products, comments. Records a content view.
import { useEffect, useState } from 'react';
import { api } from '../shared/api';
import { Icon } from '../shared/Icon';
import { useAuth } from '../shared/auth';
import { navigate } from '../shared/router';
import { track } from '../shared/tracking';
import { ErrorBox, formatTime, Loading, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';
import { AuthorLine, LinkedProduct, NoteCover } from './parts';
import { LIMITS, type Comment, type Note, type Paged } from './types';

export function NotePage({ id }: { id: string }) {
  const res = useAsync((signal) => api.get<Note>(`/content/notes/${encodeURIComponent(id)}`, { signal }), [id]);
  useEffect(() => { track({ type: 'content_view', contentId: id, at: new Date().toISOString() }); }, [id]);
  if (res.error) return <div className="container"><ErrorBox error={res.error} onRetry={res.reload} /></div>;
  if (!res.data) return <Loading />;
  return <NoteView note={res.data} onChange={res.setData} />;
}

function NoteView({ note, onChange }: { note: Note; onChange: (n: Note) => void }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const [image, setImage] = useState(0);
  const like = useAction();
  const toggleLike = () => {
    if (!user) return navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
    like.run(true, async () => {
      const r = note.likedByMe ? await api.del<{ liked: boolean; likes: number }>(`/content/notes/${note.id}/like`) : await api.put<{ liked: boolean; likes: number }>(`/content/notes/${note.id}/like`, {});
      onChange({ ...note, likedByMe: r.liked, likes: r.likes });
    });
  };
  const shown = { ...note, images: note.images.slice(image, image + 1).concat(note.images.filter((_, i) => i !== image)) };
  return (
    <div className="container note-page" data-testid="note-page">
      {note.status === 'hidden' && <div className="error-box" data-testid="note-hidden"><strong>{t('noteHidden')}</strong><span>{note.hiddenReason}</span></div>}
      <div className="note-layout card">
        <div className="note-media">
          <NoteCover note={shown} className="note-media-main" />
          {note.images.length > 1 && (
            <div className="note-media-dots">{note.images.map((_, i) => <button key={i} className={i === image ? 'on' : ''} onClick={() => setImage(i)} aria-label={`${i + 1}`} />)}</div>
          )}
        </div>
        <div className="note-side">
          <AuthorLine note={note} />
          <h1 className="note-title" data-testid="note-title">{note.title}</h1>
          <p className="note-body">{note.body}</p>
          <div className="muted small">{formatTime(note.createdAt)}</div>
          <div className="note-actions">
            <button className={`like-btn${note.likedByMe ? ' on' : ''}`} disabled={!!like.busy || note.status === 'hidden'} onClick={toggleLike} data-testid="like-button" aria-pressed={note.likedByMe}>
              <span className="like-heart">♥</span> <span data-testid="like-count">{note.likes}</span>
            </button>
            <span className="muted note-comment-count"><Icon name="comment" size={16} /> {note.comments}</span>
          </div>
          <ErrorBox error={like.error} />
          <h3 className="note-subtitle">{t('linkedProducts', { n: note.products.length })}</h3>
          <div className="linked-products">{note.products.map((p) => <LinkedProduct key={p.productId} p={p} />)}</div>
        </div>
      </div>
      <Comments note={note} onCount={(n) => onChange({ ...note, comments: n })} />
    </div>
  );
}

function Comments({ note, onCount }: { note: Note; onCount: (n: number) => void }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const res = useAsync((signal) => api.get<Paged<Comment>>(`/content/notes/${note.id}/comments?pageSize=100`, { signal }), [note.id]);
  const [text, setText] = useState('');
  const act = useAction<string>();
  const send = () => act.run('send', async () => {
    const c = await api.post<Comment>(`/content/notes/${note.id}/comments`, { body: text });
    const items = [...(res.data?.items ?? []), c];
    res.setData({ ...(res.data ?? { page: 1, pageSize: 100 }), items, total: items.length });
    onCount(note.comments + 1);
    setText('');
  });
  const remove = (c: Comment) => act.run(c.id, async () => {
    await api.del(`/content/comments/${c.id}`);
    const items = (res.data?.items ?? []).filter((x) => x.id !== c.id);
    res.setData({ ...res.data!, items, total: items.length });
    onCount(Math.max(0, note.comments - 1));
    toast(t('commentDeleted'));
  });
  const tooLong = [...text].length > LIMITS.comment;
  return (
    <section className="card note-comments" data-testid="comments">
      <h3 className="note-subtitle">{t('commentsTitle', { n: note.comments })}</h3>
      {user && note.status === 'visible' ? (
        <div className="comment-form">
          <textarea value={text} onChange={(e) => setText(e.target.value)} placeholder={t('commentPlaceholder')} rows={2} data-testid="comment-input" />
          <div className="comment-form-foot">
            <span className={`small ${tooLong ? 'field-error' : 'muted'}`}>{[...text].length} / {LIMITS.comment}</span>
            <button className="btn btn-primary btn-sm" disabled={!text.trim() || tooLong || act.busy === 'send'} onClick={send} data-testid="comment-send">{t('sendComment')}</button>
          </div>
        </div>
      ) : !user ? <p className="muted">{t('loginToComment')}</p> : null}
      <ErrorBox error={act.error} />
      {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? <p className="muted">{t('noComments')}</p> : (
        <ul className="comment-list">
          {res.data?.items.map((c) => (
            <li key={c.id} data-testid="comment">
              <span className="note-avatar small">{(c.author.name || '·').slice(0, 1)}</span>
              <div>
                <div className="comment-meta"><b>{c.author.name}</b> <span className="muted small">{formatTime(c.createdAt)}</span></div>
                <div className="comment-body">{c.body}</div>
              </div>
              {c.mine && <button className="link-btn small" disabled={act.busy === c.id} onClick={() => remove(c)}>{t('delete')}</button>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
