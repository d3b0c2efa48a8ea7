// Product detail: gallery, price, SKU choice, quantity, add to cart / buy now, favourite and share; records the view;
// 看了又看 and 常一起购买 rows under it.
import { useEffect, useState } from 'react';
import { Icon } from '../shared/Icon';
import { api } from '../shared/api';
import { useAuth } from '../shared/auth';
import { useCart } from '../shared/cart';
import { categoryTrail, useCategories } from '../shared/catalog';
import { ProductArt } from '../shared/ProductArt';
import type { Favorite } from '../shared/people';
import { Link, navigate } from '../shared/router';
import { track, trackView } from '../shared/tracking';
import { ErrorBox, Loading, Price, SelfBadge, toast } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { Attrs, Product } from '../shared/types';
import { LiveBadge } from '../content/parts';
import { CouponStrip } from '../promotions/CouponStrip';
import { PresaleBanner } from './PresalePages';
import { FlashSaleBanner, liveSaleOf, useFlashSales } from '../campaigns/FlashSaleBanner';
import type { Money } from '../shared/types';
import { findSku, initialSelection, QuantityStepper, SkuPicker } from './SkuPicker';
import { formatSales } from './ProductGrid';
import { RecoRow } from './Recommendations';
import { useI18n } from '../i18n';
import { MemberPriceTag } from '../membership/memberPrices';

export function ProductPage({ id }: { id: string }) {
  const res = useAsync((signal) => api.get<Product>(`/products/${encodeURIComponent(id)}`, { signal }), [id]);
  if (res.error) return <div className="container"><ErrorBox error={res.error} onRetry={res.reload} /></div>;
  if (!res.data) return <Loading />;
  return <ProductView key={res.data.id} p={res.data} />;
}

function ProductView({ p }: { p: Product }) {
  const { t, localized } = useI18n();
  const { user } = useAuth();
  const { add } = useCart();
  const cats = useCategories();
  const [sel, setSel] = useState<Attrs>(() => initialSelection(p.skus));
  const [qty, setQty] = useState(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const sku = findSku(p.skus, sel);
  // A live flash sale sells from its own units, up to its per-person limit.
  const flashSales = useFlashSales(p.id);
  const flash = liveSaleOf(flashSales, sku?.id);
  const stock = flash ? Math.min(flash.remaining, flash.perPersonLimit) : sku?.stock ?? 0;
  const [view, setView] = useState(0);
  const minPrice = Math.min(...p.skus.map((s) => s.price.amount));
  const maxPrice = Math.max(...p.skus.map((s) => s.price.amount));
  const canBuy = !!sku && stock > 0 && p.status !== 'inactive';

  useEffect(() => { setQty((q) => Math.max(1, Math.min(q, stock || 1))); }, [stock]);
  useEffect(() => { trackView(location.pathname + location.search, p.id); }, [p.id]);

  const requireLogin = () => {
    if (user) return false;
    navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
    return true;
  };

  const addToCart = async () => {
    if (!sku || requireLogin()) return;
    setBusy(true);
    setError(undefined);
    try {
      await add(sku.id, qty);
      track({ type: 'cart', productId: p.id });
      toast(t('addedToCart'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const buyNow = () => {
    if (!sku || requireLogin()) return;
    navigate(`/checkout?sku=${encodeURIComponent(sku.id)}&qty=${qty}&product=${encodeURIComponent(p.id)}`);
  };

  const artIds = [p.id, `${p.id}#2`, `${p.id}#3`, `${p.id}#4`];
  return (
    <div className="container">
      <div className="crumbs">
        <Link to="/">{t('home')}</Link>
        {categoryTrail(cats, p.categoryId).map((c) => <span key={c.id}> › <Link to={`/category/${c.id}`}>{localized(c.name, c.nameEn)}</Link></span>)}
      </div>
      <div className="pdp card">
        <div className="pdp-gallery">
          <div className="pdp-main-art"><ProductArt id={artIds[view]} category={p.category} brand={p.brand} title={p.title} /></div>
          <div className="pdp-thumbs">
            {artIds.map((a, i) => (
              <button key={a} className={i === view ? 'on' : ''} onMouseEnter={() => setView(i)} onClick={() => setView(i)}>
                <ProductArt id={a} category={p.category} brand={p.brand} title={p.title} />
              </button>
            ))}
          </div>
        </div>
        <div className="pdp-info">
          <h1 className="pdp-title" data-testid="product-title"><SelfBadge kind={p.merchant?.kind} />{localized(p.title, p.titleEn)}</h1>
          {p.brand && <div className="pdp-sub">{t('brandLabel')}：{p.brand}</div>}
          <div className="pdp-price-panel">
            <div className="pdp-price-row">
              <span className="pdp-label">{t('price')}</span>
              <span data-testid="product-price">
                {sku ? <Price value={sku.price} size="xl" /> : (
                  <><Price value={minPrice} size="xl" />{maxPrice > minPrice && <> - <Price value={maxPrice} size="lg" /></>}</>
                )}
              </span>
              <span className="pdp-sales">{t('sold', { n: formatSales(p.sales) })}</span>
            </div>
            <div className="pdp-member-row"><MemberPriceTag productId={p.id} skuId={sku?.id} size="lg" /></div>
            <div className="pdp-promise">{t('serviceNote')}</div>
            <FlashSaleBanner sales={flashSales} skuId={sku?.id} grab={p.status !== 'inactive' ? { quantity: qty, requireLogin } : undefined} />
            <LiveNowBanner productId={p.id} />
            <PresaleBanner productId={p.id} skuId={sku?.id} onDeposit={(skuId) => {
              if (!requireLogin()) navigate(`/checkout?sku=${encodeURIComponent(skuId)}&qty=1&product=${encodeURIComponent(p.id)}`);
            }} />
            <CouponStrip productId={p.id} />
          </div>
          <SkuPicker skus={p.skus} selection={sel} onChange={setSel} />
          <div className="sku-row">
            <span className="sku-key">{t('quantity')}</span>
            <QuantityStepper value={qty} max={stock} onChange={setQty} />
            <span className="muted" data-testid="sku-stock">{sku ? (stock > 0 ? t('stock', { n: stock }) : t('soldOut')) : t('chooseSku')}</span>
          </div>
          {p.status === 'inactive' && <div className="notice">{t('productOffShelf')}</div>}
          <ErrorBox error={error} />
          <div className="pdp-actions">
            <button className="btn btn-buy" disabled={!canBuy} onClick={buyNow} data-testid="buy-now">{t('buyNow')}</button>
            <button className="btn btn-cart" disabled={!canBuy || busy} onClick={addToCart} data-testid="add-to-cart">
              <Icon name="cart" size={20} /> {t('addToCart')}
            </button>
          </div>
          <div className="pdp-social">
            <FavoriteButton productId={p.id} requireLogin={requireLogin} />
            <ShareButton productId={p.id} />
            <Link to={`/content/new?product=${encodeURIComponent(p.id)}`} className="pdp-write-note" data-testid="write-about-product">✎ {t('writeAboutProduct')}</Link>
          </div>
        </div>
        <StoreCard p={p} />
      </div>
      <RecoRow title="similarItems" path={`/products/${encodeURIComponent(p.id)}/similar?limit=6`} deps={[p.id]} testId="reco-similar" />
      <RecoRow title="boughtTogether" path={`/products/${encodeURIComponent(p.id)}/bought-together?limit=6`} deps={[p.id]} testId="reco-bought-together" />
      <div className="pdp-detail card">
        <h3 className="tab-head">{t('description')}</h3>
        <Specs p={p} />
        {p.description && <p className="pdp-desc">{p.description}</p>}
      </div>
    </div>
  );
}

/** ♡ 收藏: PUT / DELETE /me/favorites/{id} (the server records the behaviour); signed out goes to sign in. */
function FavoriteButton({ productId, requireLogin }: { productId: string; requireLogin: () => boolean }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const fav = useAsync(async (signal) => {
    if (!user) return false;
    const r = await api.get<{ items: Favorite[] }>('/me/favorites', { signal });
    return r.items.some((f) => f.productId === productId);
  }, [user, productId]);
  const [busy, setBusy] = useState(false);
  const on = !!fav.data;
  const toggle = async () => {
    if (requireLogin()) return;
    setBusy(true);
    try {
      const path = `/me/favorites/${encodeURIComponent(productId)}`;
      await (on ? api.del(path) : api.put(path, {}));
      fav.setData(!on);
      toast(on ? t('unfavorited') : t('favorited'));
    } catch (e) {
      toast((e as Error).message);
    } finally { setBusy(false); }
  };
  return (
    <button className={`social-btn${on ? ' on' : ''}`} disabled={busy || (!!user && fav.loading)} onClick={toggle}
      aria-pressed={on} data-testid="favorite-toggle">
      <Icon name={on ? 'heart' : 'heartLine'} size={18} /> {on ? t('favoritedBtn') : t('favorite')}
    </button>
  );
}

/** Copies a tracked link (?ch=share) to the clipboard and records the share. */
function ShareButton({ productId }: { productId: string }) {
  const { t } = useI18n();
  const share = async () => {
    const link = `${location.origin}/product/${encodeURIComponent(productId)}?ch=share`;
    track({ type: 'share', productId });
    try {
      await navigator.clipboard.writeText(link);
      toast(t('shareCopied'));
    } catch {
      toast(t('shareCopyFailed', { link }));
    }
  };
  return (
    <button className="social-btn" onClick={share} data-testid="share">
      <Icon name="share" size={18} /> {t('share')}
    </button>
  );
}

function StoreCard({ p }: { p: Product }) {
  const { t } = useI18n();
  const name = p.merchant?.name ?? '';
  return (
    <aside className="store-card">
      <div className="store-logo">{name.slice(0, 1)}</div>
      <div className="store-name">{name}</div>
      <SelfBadge kind={p.merchant?.kind} />
      <Link to={`/products?merchantId=${p.merchantId}`} className="btn btn-ghost">{t('selfStripMore')}</Link>
    </aside>
  );
}

function Specs({ p }: { p: Product }) {
  const { t } = useI18n();
  const rows: [string, string][] = [];
  if (p.brand) rows.push([t('brandLabel'), p.brand]);
  if (p.category) rows.push([t('categoryLabel'), p.category]);
  for (const [k, v] of Object.entries(p.attributes ?? {})) rows.push([k, String(v)]);
  if (rows.length === 0) return null;
  return (
    <table className="specs"><tbody>
      {rows.map(([k, v]) => <tr key={k}><th>{k}</th><td>{v}</td></tr>)}
    </tbody></table>
  );
}

/** The live badge: a session sells this product now at a live price (GET /content/live-now). */
function LiveNowBanner({ productId }: { productId: string }) {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<{ items: { productId: string; liveSessionId: string; livePrice: Money }[] }>(`/content/live-now?productIds=${encodeURIComponent(productId)}`, { signal }), [productId]);
  const live = res.data?.items[0];
  if (!live) return null;
  return (
    <Link to={`/live/${live.liveSessionId}`} className="pdp-live" data-testid="product-live-banner">
      <LiveBadge small /> <span>{t('liveOnProduct')}</span> <Price value={live.livePrice} /> <span className="pdp-live-go">{t('toLiveRoom')} ›</span>
    </Link>
  );
}
