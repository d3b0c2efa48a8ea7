// 直播间 (GET /content/live/{id}): the stage with the live badge (or a countdown, or "ended"), and the linked
// SKUs at their live price. Buying here names the session, so checkout applies the live price while it is live.
import { useEffect, useState } from 'react';
import { api } from '../shared/api';
import { useAuth } from '../shared/auth';
import { useCart } from '../shared/cart';
import { Link, navigate } from '../shared/router';
import { track } from '../shared/tracking';
import { attrText, ErrorBox, formatTime, Loading, Price, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { ProductArt } from '../shared/ProductArt';
import { useI18n } from '../i18n';
import { LiveBadge, useClock } from './parts';
import { countdown, type LiveProduct, type LiveSession } from './types';

export function LiveRoomPage({ id }: { id: string }) {
  const res = useAsync((signal) => api.get<LiveSession>(`/content/live/${encodeURIComponent(id)}`, { signal }), [id]);
  useEffect(() => { track({ type: 'content_view', contentId: id, at: new Date().toISOString() }); }, [id]);
  // a scheduled room checks every 15 s whether the store went live
  useEffect(() => {
    if (res.data?.status !== 'scheduled') return;
    const timer = setInterval(res.reload, 15_000);
    return () => clearInterval(timer);
  }, [res.data?.status, res.reload]);
  if (res.error) return <div className="container"><ErrorBox error={res.error} onRetry={res.reload} /></div>;
  if (!res.data) return <Loading />;
  return <LiveRoom s={res.data} />;
}

function LiveRoom({ s }: { s: LiveSession }) {
  const { t } = useI18n();
  const now = useClock(s.status === 'scheduled');
  const left = countdown(s.scheduledStart, now);
  return (
    <div className="container live-room" data-testid="live-room" data-status={s.status}>
      <div className={`live-stage card live-${s.status}`}>
        {s.coverUrl ? <img className="live-stage-cover" src={s.coverUrl} alt="" onError={(e) => { (e.target as HTMLImageElement).style.display = 'none'; }} /> : s.products[0] && <ProductArt id={s.products[0].productId} title={s.products[0].title} className="live-stage-cover" />}
        <div className="live-stage-veil">
          <div className="live-stage-top">
            {s.status === 'live' ? <LiveBadge /> : <span className={`live-state live-state-${s.status}`} data-testid="live-state">{t(`live_${s.status}`)}</span>}
            <Link to={`/content/authors/merchant/${s.merchantId}`} className="live-stage-store">{s.author.name}</Link>
            {!!s.viewers && <span className="live-stage-viewers" data-testid="live-viewers">{t('watchedBy', { n: s.viewers })}</span>}
          </div>
          <h1 data-testid="live-title">{s.title}</h1>
          {s.status === 'scheduled' && (
            <div className="live-countdown" data-testid="live-countdown">
              <span>{left ? t('liveCountdown') : t('liveAboutToStart')}</span>
              {left && <b>{left}</b>}
              <span className="small">{t('liveScheduledAt', { at: formatTime(s.scheduledStart) })}</span>
            </div>
          )}
          {s.status === 'live' && s.startedAt && <div className="small">{t('liveSince', { at: formatTime(s.startedAt) })}</div>}
          {(s.status === 'ended' || s.status === 'cancelled') && <div className="small">{t('liveOverHint')}</div>}
        </div>
      </div>
      <section className="card live-products">
        <h3 className="note-subtitle">{t('liveProducts', { n: s.products.length })}</h3>
        {s.products.map((p, i) => <LiveProductRow key={p.productId} p={p} s={s} index={i + 1} />)}
      </section>
    </div>
  );
}

function LiveProductRow({ p, s, index }: { p: LiveProduct; s: LiveSession; index: number }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const { refresh } = useCart();
  const [skuId, setSkuId] = useState(p.skus[0]?.skuId);
  const sku = p.skus.find((k) => k.skuId === skuId) ?? p.skus[0];
  const act = useAction<string>();
  const live = s.status === 'live';
  const requireLogin = () => {
    if (user) return false;
    navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
    return true;
  };
  const buy = () => {
    if (!sku || requireLogin()) return;
    navigate(`/checkout?sku=${encodeURIComponent(sku.skuId)}&qty=1&product=${encodeURIComponent(p.productId)}${live ? `&live=${encodeURIComponent(s.id)}` : ''}`);
  };
  const addToCart = () => {
    if (!sku || requireLogin()) return;
    act.run('cart', async () => {
      await api.put('/cart/items', { skuId: sku.skuId, quantity: 1, ...(live ? { liveSessionId: s.id } : {}) });
      track({ type: 'cart', productId: p.productId });
      await refresh();
      toast(t('addedToCart'));
    });
  };
  return (
    <div className="live-product" data-testid="live-product" data-product-id={p.productId}>
      <span className="live-product-no">{index}</span>
      <Link to={`/product/${p.productId}`} className="live-product-art"><ProductArt id={p.productId} title={p.title} /></Link>
      <div className="live-product-body">
        <Link to={`/product/${p.productId}`} className="live-product-title">{p.title}</Link>
        {p.skus.length > 1 && (
          <div className="live-skus">
            {p.skus.map((k) => <button key={k.skuId} className={`chip${k.skuId === sku?.skuId ? ' on' : ''}`} onClick={() => setSkuId(k.skuId)}>{attrText(k.attributes) || k.skuId.slice(-6)}</button>)}
          </div>
        )}
        {sku && (
          <div className="live-product-prices">
            <span className={`live-price-tag${live ? '' : ' muted-tag'}`}>{live ? t('livePrice') : t('liveOnlyPrice')}</span>
            <span data-testid="live-price"><Price value={sku.livePrice} size="lg" /></span>
            <Price value={sku.price} size="sm" strike />
            <span className="muted small">{sku.stock > 0 ? t('stockLeft', { n: sku.stock }) : t('soldOut')}</span>
          </div>
        )}
        {!live && <div className="muted small">{s.status === 'scheduled' ? t('livePriceWhenLive') : t('livePriceOver')}</div>}
        <ErrorBox error={act.error} />
      </div>
      <div className="live-product-actions">
        <button className="btn btn-ghost btn-sm" disabled={!sku || sku.stock <= 0 || act.busy === 'cart'} onClick={addToCart} data-testid="live-add-cart">{t('addToCart')}</button>
        <button className="btn btn-primary" disabled={!sku || sku.stock <= 0} onClick={buy} data-testid="live-buy">{live ? t('buyAtLivePrice') : t('buyNow')}</button>
      </div>
    </div>
  );
}
