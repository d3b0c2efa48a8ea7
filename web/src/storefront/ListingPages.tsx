// Category page (/category/:id) and the all products / store products page (/products; ?q= moved to /search).
import { useEffect } from 'react';
import { api, qs } from '../shared/api';
import { categoryTrail, childrenOf, useCategories } from '../shared/catalog';
import { Link, navigate, useLocation, withQuery } from '../shared/router';
import { Empty, ErrorBox, Loading, Pagination } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { Page, ProductCard } from '../shared/types';
import { ProductGrid } from './ProductGrid';
import { readSearchParams, searchUrl } from '../shared/search';
import { useI18n } from '../i18n';

const PAGE_SIZE = 20;

export function CategoryPage({ id }: { id: string }) {
  const { localized, t } = useI18n();
  const cats = useCategories();
  const cat = cats.find((c) => c.id === id);
  const trail = categoryTrail(cats, id);
  const subs = childrenOf(cats, id);
  const chips = subs.length > 0 ? subs : cat?.parentId ? childrenOf(cats, cat.parentId) : [];
  const parentForAll = subs.length > 0 ? id : cat?.parentId ?? id;
  return (
    <div className="container">
      <div className="crumbs">
        <Link to="/">{t('home')}</Link>
        {trail.map((c) => <span key={c.id}> › <Link to={`/category/${c.id}`}>{localized(c.name, c.nameEn)}</Link></span>)}
      </div>
      {chips.length > 0 && (
        <div className="chips card">
          <span className="chips-label">{t('categoryLabel')}：</span>
          <Link to={`/category/${parentForAll}`} className={`chip${parentForAll === id ? ' on' : ''}`}>{t('all')}</Link>
          {chips.map((c) => (
            <Link key={c.id} to={`/category/${c.id}`} className={`chip${c.id === id ? ' on' : ''}`}>
              {localized(c.name, c.nameEn)} <small>{c.productCount}</small>
            </Link>
          ))}
        </div>
      )}
      <Listing filter={{ category: id }} title={cat ? localized(cat.name, cat.nameEn) : ''} />
    </div>
  );
}

export function SearchPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const sp = new URLSearchParams(search);
  const q = sp.get('q') ?? '';
  const merchantId = sp.get('merchantId') ?? undefined;
  // Old links: keyword searches now live on /search.
  useEffect(() => {
    if (q && !merchantId) navigate(searchUrl({ q, sort: readSearchParams(search).sort }), { replace: true });
  }, [q, merchantId, search]);
  return (
    <div className="container">
      <div className="crumbs"><Link to="/">{t('home')}</Link> › {q ? t('searchResults', { q }) : t('allProducts')}</div>
      <Listing filter={{ q, merchantId }} title={q ? t('searchResults', { q }) : merchantId ? t('storeProducts') : t('allProducts')} />
    </div>
  );
}

type SortKey = '' | 'sales' | 'price_asc' | 'price_desc' | 'newest';

function Listing({ filter, title }: { filter: Record<string, string | undefined>; title: string }) {
  const { t } = useI18n();
  const { path, search } = useLocation();
  const sp = new URLSearchParams(search);
  const sort = (sp.get('sort') ?? '') as SortKey;
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const key = JSON.stringify(filter);
  const res = useAsync(
    (signal) => api.get<Page<ProductCard>>(`/products${qs({ ...filter, sort, page, pageSize: PAGE_SIZE })}`, { signal }),
    [key, sort, page],
  );
  const go = (changes: Record<string, string | number | undefined>) => navigate(path + withQuery(search, changes));
  const priceSort: SortKey = sort === 'price_asc' ? 'price_desc' : 'price_asc';
  return (
    <section className="listing card">
      <div className="sortbar">
        <h2 className="listing-title">{title}</h2>
        <div className="sort-buttons" data-testid="sort-bar">
          <button className={sort === '' ? 'on' : ''} onClick={() => go({ sort: undefined, page: undefined })}>{t('sortDefault')}</button>
          <button className={sort === 'sales' ? 'on' : ''} onClick={() => go({ sort: 'sales', page: undefined })}>{t('sortSales')}</button>
          <button className={sort.startsWith('price') ? 'on' : ''} onClick={() => go({ sort: priceSort, page: undefined })}>
            {t('sortPrice')} {sort === 'price_asc' ? '↑' : sort === 'price_desc' ? '↓' : '↕'}
          </button>
          <button className={sort === 'newest' ? 'on' : ''} onClick={() => go({ sort: 'newest', page: undefined })}>{t('sortNewest')}</button>
        </div>
        {res.data && <span className="muted">{t('totalItems', { n: res.data.total })}</span>}
      </div>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {res.loading && !res.data ? <Loading /> : res.data && res.data.items.length === 0 ? <Empty>{t('noProducts')}</Empty> : (
        <ProductGrid items={res.data?.items ?? []} />
      )}
      {res.data && <Pagination page={page} pageSize={PAGE_SIZE} total={res.data.total} onPage={(p) => go({ page: p })} />}
    </section>
  );
}
