// Cart grouped by store, quantity change, remove, total with the discounts it gets, go to checkout;
// 你可能还喜欢 under it.
import { useEffect, useState } from 'react';
import { api } from '../shared/api';
import { DiscountChips, mergeDiscounts } from '../shared/PriceBreakdown';
import { Icon } from '../shared/Icon';
import { useCart } from '../shared/cart';
import { useMerchantKinds } from '../shared/catalog';
import { ProductThumb } from '../shared/ProductThumb';
import { Link, navigate } from '../shared/router';
import { attrText, Empty, ErrorBox, Loading, Price, SelfBadge } from '../shared/ui';
import type { CartItem, Quote } from '../shared/types';
import { QuantityStepper } from './SkuPicker';
import { RecoRow } from './Recommendations';
import { useI18n } from '../i18n';

export function groupByStore<T extends { merchantId: string }>(items: T[]): { merchantId: string; items: T[] }[] {
  const groups: { merchantId: string; items: T[] }[] = [];
  for (const it of items) {
    let g = groups.find((x) => x.merchantId === it.merchantId);
    if (!g) groups.push(g = { merchantId: it.merchantId, items: [] });
    g.items.push(it);
  }
  return groups;
}

export function CartPage() {
  const { t } = useI18n();
  const { cart, refresh } = useCart();
  const [error, setError] = useState<unknown>();
  useEffect(() => { refresh().catch(setError); }, [refresh]);
  const kinds = useMerchantKinds(cart?.items.map((i) => i.merchantId) ?? []);
  const quote = useCartQuote(cart?.items);

  if (!cart) return error ? <div className="container"><ErrorBox error={error} /></div> : <Loading />;
  if (cart.items.length === 0) {
    return (
      <div className="container">
        <h2 className="page-title">{t('cartTitle')}</h2>
        <div className="card"><Empty>{t('cartEmpty')} <Link to="/" className="btn btn-primary">{t('goShopping')}</Link></Empty></div>
        <CartRecommendations productIds={[]} />
      </div>
    );
  }
  return (
    <div className="container">
      <h2 className="page-title">{t('cartTitle')} <small className="muted">({cart.count})</small></h2>
      <div className="cart-head">
        <span className="c-product">{t('product')}</span><span className="c-price">{t('unitPrice')}</span>
        <span className="c-qty">{t('quantity')}</span><span className="c-sub">{t('subtotal')}</span><span className="c-act">{t('action')}</span>
      </div>
      <ErrorBox error={error} />
      {groupByStore(cart.items).map((g) => (
        <section key={g.merchantId} className="cart-store card" data-testid="cart-store">
          <div className="cart-store-head">
            <Icon name="store" className="store-icon" />
            <b>{g.items[0].merchantName}</b>
            <SelfBadge kind={kinds[g.merchantId]} />
          </div>
          {g.items.map((it) => <CartRow key={it.skuId} it={it} onError={setError} />)}
          <DiscountChips discounts={mergeDiscounts((quote?.lines ?? []).filter((l) => l.merchantId === g.merchantId).flatMap((l) => l.discounts))} />
        </section>
      ))}
      <div className="cart-bar">
        <span>{t('selectedCount', { n: cart.count })}</span>
        {quote && quote.discountTotal.amount > 0 && (
          <span className="discount" data-testid="cart-discount">{t('discountTotal')} -<Price value={quote.discountTotal} size="sm" /></span>
        )}
        <span className="cart-total">{t('total')}：<Price value={quote?.payable ?? cart.total} size="lg" /></span>
        <button className="btn btn-primary btn-big" data-testid="go-checkout" onClick={() => navigate('/checkout')}>{t('goCheckout')}</button>
      </div>
      <CartRecommendations productIds={cart.items.map((i) => i.productId)} />
    </div>
  );
}

/** What the cart would cost at checkout now: the best coupons the shopper holds and every active rule (a quote). */
function useCartQuote(items?: CartItem[]): Quote | undefined {
  const [quote, setQuote] = useState<Quote>();
  const key = (items ?? []).map((i) => `${i.skuId}:${i.quantity}`).join(',');
  useEffect(() => {
    if (!key) return setQuote(undefined);
    let live = true;
    api.post<Quote>('/checkout/quote', {}).then((q) => live && setQuote(q), () => live && setQuote(undefined));
    return () => { live = false; };
  }, [key]);
  return quote;
}

/** 你可能还喜欢: what goes with the cart, asked again when its products change (not its quantities). */
function CartRecommendations({ productIds }: { productIds: string[] }) {
  const key = [...new Set(productIds)].sort().join(',');
  return <RecoRow title="youMayAlsoLike" path="/cart/recommendations?limit=12" deps={[key]} testId="reco-cart" />;
}

function CartRow({ it, onError }: { it: CartItem; onError: (e: unknown) => void }) {
  const { t, localized } = useI18n();
  const { setQuantity } = useCart();
  const [busy, setBusy] = useState(false);
  const change = async (q: number) => {
    setBusy(true);
    onError(undefined);
    try { await setQuantity(it.skuId, q); } catch (e) { onError(e); } finally { setBusy(false); }
  };
  return (
    <div className={`cart-row${busy ? ' busy' : ''}`} data-testid="cart-row">
      <div className="c-product">
        <Link to={`/product/${it.productId}`}><ProductThumb productId={it.productId} title={it.title} /></Link>
        <div>
          <Link to={`/product/${it.productId}`} className="cart-title">{localized(it.title, it.titleEn)}</Link>
          <div className="muted small">{attrText(it.skuAttributes)}</div>
          {it.stock < 10 && <div className="warn small">{t('onlyLeft', { n: it.stock })}</div>}
        </div>
      </div>
      <div className="c-price">
        {it.liveSessionId && <span className="live-price-tag">{t('livePrice')}</span>}
        <Price value={it.unitPrice} size="sm" />
        {it.listPrice && it.listPrice.amount !== it.unitPrice.amount && <Price value={it.listPrice} size="sm" strike />}
      </div>
      <div className="c-qty"><QuantityStepper value={it.quantity} max={Math.max(it.stock, it.quantity)} onChange={change} /></div>
      <div className="c-sub"><Price value={it.lineTotal} /></div>
      <div className="c-act"><button className="link-btn" data-testid="cart-remove" onClick={() => change(0)}>{t('remove')}</button></div>
    </div>
  );
}
