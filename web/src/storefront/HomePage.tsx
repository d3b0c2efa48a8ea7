// Home: banner, category grid, 全域自营 strip, and the 猜你喜欢 feed (货找人, infinite scroll).
import { api, qs } from '../shared/api';
import { useAuth } from '../shared/auth';
import { topCategories, useCategories } from '../shared/catalog';
import { Link } from '../shared/router';
import { useAsync } from '../shared/useAsync';
import { ProductArt } from '../shared/ProductArt';
import type { Page, ProductCard } from '../shared/types';
import { ProductGrid } from './ProductGrid';
import { HomeFeed } from './Recommendations';
import { diversify } from './diversify';
import { useI18n } from '../i18n';

export function HomePage() {
  const { user, ready } = useAuth();
  // The best sellers find the self-operated store for its strip.
  const best = useAsync((signal) => api.get<Page<ProductCard>>(`/products${qs({ sort: 'sales', pageSize: 100 })}`, { signal }), []);
  return (
    <div className="container home">
      <div className="home-top">
        <CategoryGrid />
        <Banner />
      </div>
      <SelfOperatedStrip recs={best.data?.items} />
      {/* A new feed for whoever is signed in now. */}
      {ready && <HomeFeed key={user?.id ?? 'anonymous'} />}
    </div>
  );
}

function Banner() {
  const { t } = useI18n();
  return (
    <div className="banner">
      <div className="banner-main">
        <div className="banner-text">
          <div className="banner-kicker">QUANYU · 11.11</div>
          <h1>{t('bannerTitle')}</h1>
          <p>{t('bannerText')}</p>
          <Link to="/products?sort=sales" className="banner-cta">{t('bannerCta')} ›</Link>
        </div>
        <div className="banner-art">
          <ProductArt id="banner-a" category="手机" brand="" />
          <ProductArt id="banner-b" category="美妆" brand="" />
          <ProductArt id="banner-c" category="生鲜" brand="" />
        </div>
      </div>
      <div className="banner-side">
        <div className="banner-side-card s1"><b>{t('banner2Title')}</b><span>{t('banner2Text')}</span></div>
        <div className="banner-side-card s2"><b>{t('sandboxPay')}</b><span>{t('sandboxPayNote')}</span></div>
      </div>
    </div>
  );
}

function CategoryGrid() {
  const { t, localized } = useI18n();
  const tops = topCategories(useCategories());
  return (
    <aside className="home-cats">
      <h3>{t('categoryNav')}</h3>
      <div className="home-cats-grid">
        {tops.map((c) => (
          <Link key={c.id} to={`/category/${c.id}`} className="home-cat">
            <span className="home-cat-art"><ProductArt id={c.id} category={c.name} /></span>
            <span>{localized(c.name, c.nameEn)}</span>
          </Link>
        ))}
      </div>
    </aside>
  );
}

function SelfOperatedStrip({ recs }: { recs?: ProductCard[] }) {
  const { t } = useI18n();
  const selfId = recs?.find((p) => p.merchantKind === 'self_operated')?.merchantId;
  const store = useAsync(
    (signal) => selfId
      ? api.get<Page<ProductCard>>(`/products${qs({ merchantId: selfId, sort: 'sales', pageSize: 60 })}`, { signal })
      : Promise.resolve(null),
    [selfId],
  );
  const items = diversify(store.data?.items ?? [], 6);
  if (!selfId || items.length === 0) return null;
  return (
    <section className="self-strip">
      <div className="self-strip-head">
        <div><span className="badge badge-self big">{t('selfOperated')}</span><b>{t('selfStrip')}</b><span className="muted">{items[0].merchantName}</span></div>
        <Link to={`/products?merchantId=${selfId}`}>{t('selfStripMore')}</Link>
      </div>
      <ProductGrid items={items} cols={6} />
    </section>
  );
}
