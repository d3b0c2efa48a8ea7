// 货找人 on the storefront: the home feed 猜你喜欢 (infinite scroll, reasons, 不感兴趣), and the rows on the product
// page (看了又看, 常一起购买) and under the cart (你可能还喜欢). Opening a card reports the click for click-through.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, qs } from '../shared/api';
import { useAuth } from '../shared/auth';
import type { MyProfile } from '../shared/people';
import { ProductArt } from '../shared/ProductArt';
import { notInterested, reportRecoClick, type FeedPage, type RecoItem, type RecoShown } from '../shared/reco';
import { LiveBadge } from '../content/parts';
import { Link } from '../shared/router';
import { ErrorBox, Loading, Price, toast } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import { useI18n, type MsgKey } from '../i18n';

const FEED_PAGE = 20;
/** Start loading the next page this far before the sentinel scrolls into view. */
const PREFETCH_PX = 600;

interface Shown { item: RecoItem; requestId: string }

/** A product card with the reason it is shown; opening it reports the click. */
export function RecoTile({ item, requestId, onDismiss, busy }: { item: RecoItem; requestId: string; onDismiss?: (item: RecoItem) => void; busy?: boolean }) {
  const { t, lang, localized } = useI18n();
  const reason = lang === 'en' ? item.reasonEn : item.reason;
  return (
    <div className={`reco-card${busy ? ' busy' : ''}`} data-testid="reco-tile" data-product-id={item.productId} data-recaller={item.recaller} data-position={item.position}>
      <Link to={`/product/${item.productId}`} className="tile reco-link" onClick={() => reportRecoClick(requestId, item.position)} data-testid="reco-open">
        <div className="tile-art"><ProductArt id={item.productId} category={item.category} brand={item.brand} title={item.title} /></div>
        <div className="tile-body">
          <div className="tile-title">{localized(item.title, item.titleEn)}</div>
          <div className="tile-meta"><Price value={item.price} /></div>
          {item.live && <div className="reco-live"><LiveBadge small /> <Price value={item.live.livePrice} /></div>}
          <div className="reco-reason" title={reason} data-testid="reco-reason">{reason}</div>
        </div>
      </Link>
      {onDismiss && (
        <button type="button" className="reco-dismiss" disabled={busy} onClick={() => onDismiss(item)} data-testid="reco-not-interested"
          title={t('notInterestedHint')}>
          {t('notInterested')}
        </button>
      )}
    </div>
  );
}

/** A titled row of recommendations; nothing at all while loading, on error or when empty. */
export function RecoRow({ title, path, deps, testId, cols = 6 }: { title: MsgKey; path: string; deps: unknown[]; testId: string; cols?: 5 | 6 }) {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<RecoShown>(path, { signal }), deps);
  const items = res.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="section reco-row" data-testid={testId} data-request-id={res.data!.requestId}>
      <h2 className="section-title"><span className="section-mark" />{t(title)}</h2>
      <div className={`grid grid-${cols}`}>
        {items.map((item) => <RecoTile key={item.productId} item={item} requestId={res.data!.requestId} />)}
      </div>
    </section>
  );
}

/** 猜你喜欢 on the home page: pages of /feed while the sentinel under the grid comes into view. */
export function HomeFeed() {
  const { t } = useI18n();
  const { user } = useAuth();
  const [shown, setShown] = useState<Shown[]>([]);
  const [next, setNext] = useState<string | null | undefined>(undefined); // undefined: the first page is not here yet
  const [personalized, setPersonalized] = useState<boolean>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  const [visible, setVisible] = useState(false);
  const [dismissing, setDismissing] = useState<string>();
  const inFlight = useRef(false);
  const alive = useRef(true);
  const sentinel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    alive.current = true;
    return () => { alive.current = false; };
  }, []);

  const load = useCallback(async (cursor?: string) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setLoading(true);
    setError(undefined);
    try {
      const page = await api.get<FeedPage>(`/feed${qs({ limit: FEED_PAGE, cursor })}`);
      if (!alive.current) return;
      // A feed the server rebuilt (after 不感兴趣, or an expired cursor) may start again: show each product once.
      setShown((old) => {
        const seen = new Set(old.map((s) => s.item.productId));
        return [...old, ...page.items.filter((i) => !seen.has(i.productId)).map((item) => ({ item, requestId: page.requestId }))];
      });
      if (!cursor) setPersonalized(page.personalized);
      setNext(page.nextCursor);
    } catch (e) {
      if (alive.current) setError(e);
    } finally {
      inFlight.current = false;
      if (alive.current) setLoading(false);
    }
  }, []);

  useEffect(() => { void load(); }, [load]);

  useEffect(() => {
    const el = sentinel.current;
    if (!el) return;
    const observer = new IntersectionObserver((entries) => setVisible(entries.some((e) => e.isIntersecting)), { rootMargin: `0px 0px ${PREFETCH_PX}px 0px` });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Runs again after every page: while the sentinel is still in view (a short page, a tall window) the next one follows.
  // Where the sentinel is now decides, since the observer's last answer may predate the page that just arrived.
  useEffect(() => {
    if (!visible || !next || loading || error) return;
    if ((sentinel.current?.getBoundingClientRect().top ?? Infinity) > window.innerHeight + PREFETCH_PX) return;
    void load(next);
  }, [visible, next, loading, error, load, shown.length]);

  const dismiss = async (item: RecoItem) => {
    setDismissing(item.productId);
    try {
      await notInterested(item.productId);
      setShown((old) => old.filter((s) => s.item.productId !== item.productId));
      toast(t('notInterestedDone'));
    } catch (e) {
      toast((e as Error).message);
    } finally {
      setDismissing(undefined);
    }
  };

  return (
    <section className="section reco-feed" data-testid="home-feed" data-personalized={personalized === undefined ? '' : String(personalized)} data-pages-next={next ?? ''}>
      <div className="reco-feed-head">
        <h2 className="section-title"><span className="section-mark" />{t('guessYouLike')}</h2>
        {personalized === false && <FeedNote signedIn={!!user} />}
      </div>
      <div className="grid grid-5">
        {shown.map((s) => <RecoTile key={s.item.productId} item={s.item} requestId={s.requestId} onDismiss={dismiss} busy={dismissing === s.item.productId} />)}
      </div>
      <div ref={sentinel} className="reco-sentinel" data-testid="feed-sentinel" />
      {error ? <ErrorBox error={error} onRetry={() => void load(next ?? undefined)} /> : null}
      {loading && <Loading />}
      {next === null && shown.length > 0 && <div className="reco-end muted" data-testid="feed-end">{t('feedEnd')}</div>}
    </section>
  );
}

/** Why the feed is not personal: switched off in the privacy centre, or nothing browsed yet. */
function FeedNote({ signedIn }: { signedIn: boolean }) {
  const { t } = useI18n();
  const profile = useAsync((signal) => (signedIn ? api.get<MyProfile>('/me/profile', { signal }) : Promise.resolve(null)), [signedIn]);
  if (signedIn && profile.loading && !profile.data) return null;
  const off = profile.data?.personalization === false;
  return (
    <div className={`reco-note${off ? ' off' : ''}`} data-testid="feed-note" data-reason={off ? 'off' : 'popular'}>
      <span>{off ? t('feedPersonalizationOff') : t('feedPopular')}</span>
      {signedIn && <Link to="/me/privacy" className="accent" data-testid="feed-privacy-link">{off ? t('feedTurnOn') : t('feedPrivacySettings')} ›</Link>}
    </div>
  );
}
