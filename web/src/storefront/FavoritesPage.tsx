// 我的收藏: the shopper's favourites, newest first, each removable.
import { api } from '../shared/api';
import type { Favorite } from '../shared/people';
import { ProductThumb } from '../shared/ProductThumb';
import { Link } from '../shared/router';
import { Empty, ErrorBox, formatTime, Loading, Price, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';

export function FavoritesPage() {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<{ items: Favorite[] }>('/me/favorites', { signal }), []);
  const { busy, error, run } = useAction<string>();
  const remove = (f: Favorite) => run(f.productId, async () => {
    await api.del(`/me/favorites/${encodeURIComponent(f.productId)}`);
    res.setData({ items: res.data!.items.filter((x) => x.productId !== f.productId) });
    toast(t('unfavorited'));
  });
  return (
    <div className="container" data-testid="favorites-page">
      <h2 className="page-title">{t('myFavorites')}</h2>
      <ErrorBox error={res.error ?? error} onRetry={res.error ? res.reload : undefined} />
      {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? (
        <div className="card"><Empty><span>{t('noFavorites')}</span><Link to="/" className="btn btn-primary">{t('goShopping')}</Link></Empty></div>
      ) : (
        <div className="card fav-list">
          {res.data?.items.map((f) => (
            <div key={f.productId} className="fav-row" data-testid="favorite-row" data-product-id={f.productId}>
              <Link to={`/product/${f.productId}`}><ProductThumb productId={f.productId} title={f.title} /></Link>
              <Link to={`/product/${f.productId}`} className="fav-title">{f.title}</Link>
              <Price value={f.price} />
              <span className="muted small">{t('favoritedAt', { at: formatTime(f.addedAt) })}</span>
              <button className="link-btn" disabled={busy === f.productId} onClick={() => remove(f)} data-testid="favorite-remove">{t('unfavorite')}</button>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
