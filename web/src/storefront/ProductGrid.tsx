// Product tiles in a dense grid.
import { Link } from '../shared/router';
import { ProductArt } from '../shared/ProductArt';
import { Price, SelfBadge } from '../shared/ui';
import type { ProductCard } from '../shared/types';
import { useI18n } from '../i18n';
import { MemberPriceTag } from '../membership/memberPrices';

export function ProductTile({ p }: { p: ProductCard }) {
  const { t, localized } = useI18n();
  return (
    <Link to={`/product/${p.id}`} className={`tile${p.inStock ? '' : ' tile-soldout'}`} data-testid="product-tile">
      <div className="tile-art">
        <ProductArt id={p.id} category={p.category} brand={p.brand} title={p.title} />
        {!p.inStock && <span className="tile-soldout-mark">{t('soldOut')}</span>}
      </div>
      <div className="tile-body">
        <div className="tile-title"><SelfBadge kind={p.merchantKind} />{localized(p.title, p.titleEn)}</div>
        <div className="tile-meta">
          <Price value={p.price} />
          <span className="tile-sales">{t('sold', { n: formatSales(p.sales) })}</span>
        </div>
        <div className="tile-member"><MemberPriceTag productId={p.id} /></div>
        <div className="tile-store">{p.merchantName}</div>
      </div>
    </Link>
  );
}

export function ProductGrid({ items, cols = 5 }: { items: ProductCard[]; cols?: number }) {
  return (
    <div className={`grid grid-${cols}`}>
      {items.map((p) => <ProductTile key={p.id} p={p} />)}
    </div>
  );
}

export function formatSales(n: number): string {
  if (n >= 10000) return `${Math.floor(n / 1000) / 10}万+`;
  return String(n);
}
