// Pieces the content pages share: the live badge, a linked product row, a note cover.
import { useEffect, useState } from 'react';
import { ProductArt } from '../shared/ProductArt';
import { ProductThumb } from '../shared/ProductThumb';
import { Link } from '../shared/router';
import { Price } from '../shared/ui';
import { useI18n } from '../i18n';
import type { Author, Note, ProductCard } from './types';

/** The time now, ticking every second while `running` (a countdown to a scheduled session). */
export function useClock(running: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

export function LiveBadge({ small }: { small?: boolean }) {
  const { t } = useI18n();
  return <span className={`live-badge${small ? ' small' : ''}`} data-testid="live-badge"><span className="live-dot" />{t('liveNow')}</span>;
}

/** A product a note or session links: thumb, title, price, and the live price while a session sells it. */
export function LinkedProduct({ p }: { p: ProductCard }) {
  const { t } = useI18n();
  return (
    <div className="linked-product" data-testid="linked-product" data-product-id={p.productId}>
      <Link to={`/product/${p.productId}`}><ProductThumb productId={p.productId} title={p.title} /></Link>
      <div className="linked-product-body">
        <Link to={`/product/${p.productId}`} className="linked-product-title">{p.title}</Link>
        <div className="linked-product-prices">
          {p.livePrice ? <><span className="live-price-tag">{t('livePrice')}</span><Price value={p.livePrice} /><Price value={p.price} size="sm" strike /></> : <Price value={p.price} />}
        </div>
      </div>
      {p.liveSessionId
        ? <Link to={`/live/${p.liveSessionId}`} className="btn btn-sm btn-primary" data-testid="to-live-room">{t('toLiveRoom')}</Link>
        : <Link to={`/product/${p.productId}`} className="btn btn-sm btn-ghost">{t('viewProduct')}</Link>}
    </div>
  );
}

/** The note's first image, or a picture made from its first product when it has none (or it fails to load). */
export function NoteCover({ note, className }: { note: Note; className?: string }) {
  const [failed, setFailed] = useState(false);
  useEffect(() => setFailed(false), [note.images[0]]);
  const first = note.products[0];
  if (note.images[0] && !failed) return <img className={`note-cover ${className ?? ''}`} src={note.images[0]} alt={note.title} onError={() => setFailed(true)} loading="lazy" />;
  return <span className={`note-cover ${className ?? ''}`}><ProductArt id={first?.productId ?? note.id} title={first?.title ?? note.title} /></span>;
}

export function AuthorLine({ note }: { note: Note }) {
  const { t } = useI18n();
  return (
    <Link to={`/content/authors/${note.author.kind}/${note.author.id}`} className="note-author">
      <span className="note-avatar">{(note.author.name || '·').slice(0, 1)}</span>
      <span>{note.author.name || t('anonymous')}</span>
      {note.author.kind === 'merchant' && <span className="badge badge-store">{t('storeAuthor')}</span>}
      <CreatorBadge author={note.author} />
    </Link>
  );
}

/** 达人 with the title the platform gave, beside a certified creator's name. */
export function CreatorBadge({ author }: { author: Author }) {
  const { t } = useI18n();
  if (!author.creator) return null;
  return <span className="creator-badge" data-testid="creator-badge" title={t('creatorCertified')}>{t('creatorBadge', { title: author.creator.title })}</span>;
}
