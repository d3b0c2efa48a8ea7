// /search: results with sort tabs, facet filters, active chips, highlights, relaxed notice and zero-result help.
// Everything the shopper chooses lives in the URL (q, sort, category, brand, kind, price, inStock, page).
import { useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../shared/api';
import { useCategories } from '../shared/catalog';
import { parseYuan } from '../shared/money';
import { ProductArt } from '../shared/ProductArt';
import { Link, navigate, useLocation } from '../shared/router';
import {
  parseBand, postSearchClick, readSearchParams, searchApiPath, searchUrl,
  type FacetCount, type SearchAnswer, type SearchItem, type SearchParams, type SearchSort,
} from '../shared/search';
import { trackClick, trackSearch } from '../shared/tracking';
import { Empty, ErrorBox, Loading, Pagination, Price, SelfBadge } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { Category } from '../shared/types';
import { formatSales } from './ProductGrid';
import { useI18n, type MsgKey } from '../i18n';
import { MemberPriceTag } from '../membership/memberPrices';

const PAGE_SIZE = 20;
const FACET_PREVIEW = 12;

const SORT_TABS: { sort: SearchSort; label: MsgKey }[] = [
  { sort: 'relevance', label: 'sortRelevance' },
  { sort: 'sales', label: 'sortSales' },
  { sort: 'price_asc', label: 'sortPriceAsc' },
  { sort: 'price_desc', label: 'sortPriceDesc' },
  { sort: 'newest', label: 'sortNewest' },
];

export function SearchResultsPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const params = readSearchParams(search);
  const key = searchApiPath(params, PAGE_SIZE);
  const res = useAsync((signal) => api.get<SearchAnswer>(key, { signal }).then((answer) => {
    if (params.q) trackSearch(params.q, answer.total);
    return answer;
  }), [key]);
  const cats = useCategories();
  /** Changes some parameters; any change but paging goes back to page 1. */
  const go = (changes: Partial<SearchParams>) => navigate(searchUrl({ ...params, page: 1, ...changes }));
  const data = res.data;
  const open = (productId: string, index: number) => {
    const position = (params.page - 1) * PAGE_SIZE + index;
    postSearchClick(params.q, productId, position);
    trackClick(productId, position + 1, params.q);
  };
  const title = params.q ? t('searchResults', { q: params.q }) : t('allProducts');
  const filtered = !!(params.brand || params.category || params.merchantKind || params.price || params.inStock);
  return (
    <div className="container search-page" data-testid="search-page">
      <div className="crumbs"><Link to="/">{t('home')}</Link> › {title}</div>
      <Filters params={params} data={data} cats={cats} go={go} />
      <section className="listing card">
        <div className="sortbar">
          <h2 className="listing-title" data-testid="search-title">{title}</h2>
          <div className="sort-buttons" role="tablist" data-testid="search-sort">
            {SORT_TABS.map((s) => (
              <button key={s.sort} role="tab" aria-selected={params.sort === s.sort} className={params.sort === s.sort ? 'on' : ''}
                data-sort={s.sort} onClick={() => go({ sort: s.sort })}>{t(s.label)}</button>
            ))}
          </div>
          <label className="instock-toggle">
            <input type="checkbox" checked={!!params.inStock} onChange={(e) => go({ inStock: e.target.checked || undefined })} data-testid="filter-instock" />
            {t('onlyInStock')}
          </label>
          {data && <span className="muted" data-testid="search-total">{t('searchTotal', { n: data.total })}</span>}
        </div>
        {data?.matchMode === 'relaxed' && data.total > 0 && (
          <div className="notice relaxed-notice" data-testid="search-relaxed">
            {t('relaxedNotice')}
            {data.didYouMean && <DidYouMean text={data.didYouMean} />}
          </div>
        )}
        <ErrorBox error={res.error} onRetry={res.reload} />
        {res.loading && !data ? <Loading /> : data && data.items.length === 0 ? (
          <NoResults q={params.q} data={data} filtered={filtered} clear={() => navigate(searchUrl({ q: params.q, sort: params.sort }))} />
        ) : (
          <div className={`grid grid-5${res.loading ? ' reloading' : ''}`} data-testid="search-results">
            {data?.items.map((item, i) => (
              <SearchTile key={item.productId} item={item} onOpen={() => open(item.productId, i)} />
            ))}
          </div>
        )}
        {data && <Pagination page={params.page} pageSize={PAGE_SIZE} total={data.total} onPage={(p) => go({ page: p })} />}
      </section>
    </div>
  );
}

function SearchTile({ item, onOpen }: { item: SearchItem; onOpen: () => void }) {
  const { t, lang } = useI18n();
  // Both titles come highlighted by the server (HTML-escaped, <em> around matches).
  const english = lang === 'en' && item.titleEn;
  return (
    <Link to={`/product/${item.productId}`} className={`tile${item.inStock ? '' : ' tile-soldout'}`} data-testid="search-result"
      data-product-id={item.productId} data-price={item.price.amount} data-brand={item.brand ?? ''} data-kind={item.merchantKind} onClick={onOpen}>
      <div className="tile-art">
        <ProductArt id={item.productId} category={item.category} brand={item.brand} title={item.title} />
        {!item.inStock && <span className="tile-soldout-mark">{t('soldOut')}</span>}
      </div>
      <div className="tile-body">
        <div className="tile-title">
          <SelfBadge kind={item.merchantKind} />
          {english && item.highlightEn ? <span className="hl" dangerouslySetInnerHTML={{ __html: item.highlightEn }} /> : english && item.titleEn ? item.titleEn : <span className="hl" data-testid="search-highlight" dangerouslySetInnerHTML={{ __html: item.highlight }} />}
        </div>
        <div className="tile-meta">
          <Price value={item.price} />
          <span className="tile-sales">{t('sold', { n: formatSales(item.sales) })}</span>
        </div>
        <div className="tile-member"><MemberPriceTag productId={item.productId} /></div>
        <div className="tile-store">{item.merchantName}</div>
      </div>
    </Link>
  );
}

// Filters

interface FiltersProps { params: SearchParams; data?: SearchAnswer; cats: Category[]; go: (c: Partial<SearchParams>) => void }

function Filters({ params, data, cats, go }: FiltersProps) {
  const { t } = useI18n();
  const facets = data?.facets ?? {};
  const label = useFacetLabels(cats);
  const chips: { key: string; text: string; remove: Partial<SearchParams> }[] = [];
  if (params.category) chips.push({ key: 'category', text: t('filterChip', { f: t('facetCategory'), v: label.category(params.category, true) }), remove: { category: undefined } });
  if (params.brand) chips.push({ key: 'brand', text: t('filterChip', { f: t('facetBrand'), v: params.brand }), remove: { brand: undefined } });
  if (params.merchantKind) chips.push({ key: 'kind', text: t('filterChip', { f: t('facetKind'), v: label.kind(params.merchantKind) }), remove: { merchantKind: undefined } });
  if (params.price) chips.push({ key: 'price', text: t('filterChip', { f: t('facetPrice'), v: label.price(params.price) }), remove: { price: undefined } });
  if (params.inStock) chips.push({ key: 'inStock', text: t('inStockChip'), remove: { inStock: undefined } });
  const rows: { key: 'category' | 'brand' | 'merchantKind' | 'price'; title: string; values: FacetCount[]; selected?: string; text: (v: string) => string; pick: (v: string) => Partial<SearchParams> }[] = [
    { key: 'category', title: t('facetCategory'), values: categoryValues(facets.category ?? [], params.category), selected: params.category, text: (v) => label.category(v, false, facets.category), pick: (v) => ({ category: v }) },
    { key: 'brand', title: t('facetBrand'), values: facets.brand ?? [], selected: params.brand, text: (v) => v, pick: (v) => ({ brand: v }) },
    { key: 'merchantKind', title: t('facetKind'), values: facets.merchantKind ?? [], selected: params.merchantKind, text: label.kind, pick: (v) => ({ merchantKind: v as SearchParams['merchantKind'] }) },
    { key: 'price', title: t('facetPrice'), values: sortBands(facets.price ?? []), selected: params.price, text: label.price, pick: (v) => ({ price: v }) },
  ];
  // A chosen value stays visible as a chip even when the narrowed facet no longer lists it.
  const shown = rows.filter((r) => r.values.length > 0 || r.key === 'price');
  if (chips.length === 0 && (!data || data.total === 0)) return null;
  return (
    <div className="filters card" data-testid="search-filters">
      {chips.length > 0 && (
        <div className="filter-chips" data-testid="active-filters">
          <span className="chips-label">{t('activeFilters')}</span>
          {chips.map((c) => (
            <button key={c.key} className="chip on filter-chip" data-testid="active-filter" data-filter={c.key}
              aria-label={t('removeFilter', { f: c.text })} onClick={() => go(c.remove)}>
              {c.text}<span aria-hidden="true" className="chip-x">×</span>
            </button>
          ))}
          <button className="link-btn" data-testid="clear-filters" onClick={() => navigate(searchUrl({ q: params.q, sort: params.sort }))}>{t('clearFilters')}</button>
        </div>
      )}
      {shown.map((r) => (
        <FacetRow key={r.key} name={r.key} title={r.title} values={r.values} selected={r.selected} text={r.text} onPick={(v) => go(r.pick(v))}
          extra={r.key === 'price' ? <PriceRange key={params.price ?? ''} current={params.price} onApply={(band) => go({ price: band })} /> : undefined} />
      ))}
    </div>
  );
}

function FacetRow({ name, title, values, selected, text, onPick, extra }: {
  name: string; title: string; values: FacetCount[]; selected?: string; text: (v: string) => string; onPick: (v: string) => void; extra?: ReactNode;
}) {
  const { t } = useI18n();
  const [more, setMore] = useState(false);
  const list = more ? values : values.slice(0, FACET_PREVIEW);
  return (
    <div className="facet-row" data-testid={`facet-${name}`}>
      <div className="facet-title">{title}</div>
      <div className="facet-values">
        {list.map((f) => (
          <button key={f.value} className={`facet-value${f.value === selected ? ' on' : ''}`} data-testid="facet-value" data-value={f.value}
            aria-pressed={f.value === selected} title={f.value} onClick={() => onPick(f.value)}>
            {text(f.value)}<small>{f.count}</small>
          </button>
        ))}
        {extra}
      </div>
      {values.length > FACET_PREVIEW && (
        <button className="facet-more link-btn" onClick={() => setMore(!more)}>{more ? t('facetLess') : t('facetMore')} {more ? '▴' : '▾'}</button>
      )}
    </div>
  );
}

function PriceRange({ current, onApply }: { current?: string; onApply: (band: string | undefined) => void }) {
  const { t } = useI18n();
  const band = current ? parseBand(current) : null;
  const [lo, setLo] = useState(band?.min !== undefined ? String(band.min / 100) : '');
  const [hi, setHi] = useState(band?.max !== undefined ? String(band.max / 100) : '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let min = lo.trim() ? parseYuan(lo) : null;
    let max = hi.trim() ? parseYuan(hi) : null;
    if (min !== null && max !== null && min > max) [min, max] = [max, min];
    onApply(min === null && max === null ? undefined : `${min ?? ''}-${max ?? ''}`);
  };
  return (
    <form className="price-range" onSubmit={submit} data-testid="price-range">
      <input inputMode="decimal" value={lo} onChange={(e) => setLo(e.target.value)} placeholder={`¥ ${t('priceMin')}`} aria-label={t('priceMin')} />
      <span>–</span>
      <input inputMode="decimal" value={hi} onChange={(e) => setHi(e.target.value)} placeholder={`¥ ${t('priceMax')}`} aria-label={t('priceMax')} />
      <button className="btn btn-ghost btn-sm">{t('priceGo')}</button>
    </form>
  );
}

/** Display names of facet values: category paths (English when available), store kinds, price bands. */
function useFacetLabels(cats: Category[]) {
  const { t, localized } = useI18n();
  const byPath = new Map(cats.map((c) => [c.path, c]));
  const segment = (path: string) => {
    const c = byPath.get(path);
    return c ? localized(c.name, c.nameEn) : path.split('/').pop() ?? path;
  };
  const fullPath = (path: string) => path.split('/').map((_, i, parts) => segment(parts.slice(0, i + 1).join('/'))).join(' › ');
  return {
    /** The last segment, or the whole path when the last segment alone is ambiguous among `among`. */
    category(path: string, full: boolean, among?: FacetCount[]) {
      if (full) return fullPath(path);
      const last = path.split('/').pop();
      const clash = among?.some((f) => f.value !== path && f.value.split('/').pop() === last);
      return clash ? fullPath(path) : segment(path);
    },
    kind: (v: string) => (v === 'self_operated' ? t('selfOperated') : v === 'marketplace' ? t('marketplace') : v),
    price(band: string) {
      const b = parseBand(band);
      if (!b) return band;
      const y = (fen: number) => (fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2));
      if (b.min !== undefined && b.max !== undefined) return `¥${y(b.min)}–${y(b.max)}`;
      if (b.min !== undefined) return t('priceFrom', { lo: y(b.min) });
      return t('priceUpTo', { hi: y(b.max!) });
    },
  };
}

/**
 * Category facet values are leaf paths ("数码/手机"). With nothing chosen and several top-level categories
 * among them, offer the top levels with summed counts (filtering by "数码" includes "数码/手机").
 */
function categoryValues(values: FacetCount[], selected?: string): FacetCount[] {
  if (selected) return values;
  const tops = new Map<string, number>();
  for (const v of values) {
    const top = v.value.split('/')[0];
    tops.set(top, (tops.get(top) ?? 0) + v.count);
  }
  if (tops.size <= 1) return values;
  return [...tops].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
}

function sortBands(values: FacetCount[]): FacetCount[] {
  const low = (v: string) => parseBand(v)?.min ?? 0;
  return [...values].sort((a, b) => low(a.value) - low(b.value));
}

// Zero results

function DidYouMean({ text }: { text: string }) {
  const { t } = useI18n();
  return (
    <span className="did-you-mean" data-testid="did-you-mean">
      {t('didYouMean')}<Link to={searchUrl({ q: text })}>{text}</Link>
    </span>
  );
}

function NoResults({ q, data, filtered, clear }: { q: string; data: SearchAnswer; filtered: boolean; clear: () => void }) {
  const { t } = useI18n();
  return (
    <div className="no-results" data-testid="search-empty">
      <Empty>
        <div className="no-results-main">
          <b>{q && !filtered ? t('noResultsFor', { q }) : filtered ? t('noResultsFiltered') : t('noProducts')}</b>
          {data.didYouMean && <DidYouMean text={data.didYouMean} />}
          {filtered && <button className="btn btn-ghost btn-sm" onClick={clear} data-testid="empty-clear-filters">{t('clearFiltersRetry')}</button>}
        </div>
      </Empty>
      <div className="search-tips">
        <h4>{t('searchTipsTitle')}</h4>
        <ul>
          <li>{t('searchTip1')}</li>
          <li>{t('searchTip2')}</li>
          <li>{t('searchTip3')}</li>
          <li>{t('searchTip4')}</li>
        </ul>
        <Link to="/search" className="accent">{t('browseAll')} ›</Link>
      </div>
    </div>
  );
}
