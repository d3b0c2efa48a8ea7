// 种草 / 直播 feed (GET /content/feed): sessions live now first, then the newest notes, more by cursor.
import { useEffect, useState } from 'react';
import { api, qs } from '../shared/api';
import { useAuth } from '../shared/auth';
import { Link } from '../shared/router';
import { Empty, ErrorBox, Loading, Price } from '../shared/ui';
import { useI18n } from '../i18n';
import { CreatorBadge, LiveBadge, NoteCover, useClock } from './parts';
import { countdown, type FeedItem, type LiveSession, type Note } from './types';

export function ContentFeedPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const [items, setItems] = useState<FeedItem[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const load = (after?: string) => {
    setLoading(true);
    setError(undefined);
    api.get<{ items: FeedItem[]; nextCursor?: string }>(`/content/feed${qs({ limit: 20, cursor: after })}`)
      .then((r) => { setItems((old) => (after ? [...old, ...r.items] : r.items)); setCursor(r.nextCursor); })
      .catch(setError)
      .finally(() => setLoading(false));
  };
  useEffect(() => load(), []);
  const lives = items.filter((i): i is LiveSession => i.kind === 'live');
  const notes = items.filter((i): i is Note => i.kind === 'note');
  return (
    <div className="container content-feed" data-testid="content-feed">
      <div className="content-head">
        <h2 className="page-title">{t('contentFeed')}</h2>
        <span className="muted">{t('contentFeedHint')}</span>
        <span className="content-head-actions">
          {user && <Link to="/me/notes" className="btn btn-ghost btn-sm">{t('myNotes')}</Link>}
          <Link to={user ? '/content/new' : '/login?next=%2Fcontent%2Fnew'} className="btn btn-primary btn-sm" data-testid="write-note">{t('writeNote')}</Link>
        </span>
      </div>
      <ErrorBox error={error} onRetry={() => load()} />
      {lives.length > 0 && <div className="live-strip">{lives.map((s) => <LiveCard key={s.id} s={s} />)}</div>}
      {!loading && items.length === 0 && <div className="card"><Empty>{t('noContent')}</Empty></div>}
      <div className="note-wall">{notes.map((n) => <NoteCard key={n.id} n={n} />)}</div>
      {loading ? <Loading /> : cursor && <div className="center"><button className="btn btn-ghost" onClick={() => load(cursor)} data-testid="feed-more">{t('loadMore')}</button></div>}
    </div>
  );
}

export function NoteCard({ n }: { n: Note }) {
  const { t } = useI18n();
  const live = n.products.find((p) => p.livePrice);
  return (
    <Link to={`/content/notes/${n.id}`} className="note-card card" data-testid="note-card" data-note-id={n.id}>
      <span className="note-card-art">
        <NoteCover note={n} />
        {live && <span className="note-card-badge"><LiveBadge small /></span>}
      </span>
      <span className="note-card-title">{n.title}</span>
      <span className="note-card-foot">
        <span className="note-card-author"><span className="note-avatar small">{(n.author.name || '·').slice(0, 1)}</span>{n.author.name || t('anonymous')}<CreatorBadge author={n.author} /></span>
        <span className={`note-card-likes${n.likedByMe ? ' on' : ''}`}>♥ {n.likes}</span>
      </span>
    </Link>
  );
}

export function LiveCard({ s }: { s: LiveSession }) {
  const { t } = useI18n();
  const now = useClock(s.status === 'scheduled');
  const first = s.products[0];
  return (
    <Link to={`/live/${s.id}`} className={`live-card card live-${s.status}`} data-testid="live-card" data-session-id={s.id}>
      <span className="live-card-stage">
        {s.status === 'live' ? <LiveBadge /> : <span className="live-soon">{t('liveStartsIn', { t: countdown(s.scheduledStart, now) ?? '00:00:00' })}</span>}
        <b>{s.title}</b>
        <span className="live-card-store">{s.author.name}</span>
      </span>
      {first && (
        <span className="live-card-product">
          <span className="ellipsis">{first.title}</span>
          {first.livePrice ? <span><span className="live-price-tag">{t('livePrice')}</span><Price value={first.livePrice} size="sm" /></span> : <Price value={first.price} size="sm" />}
          {s.products.length > 1 && <span className="muted small">{t('moreProducts', { n: s.products.length - 1 })}</span>}
        </span>
      )}
    </Link>
  );
}

