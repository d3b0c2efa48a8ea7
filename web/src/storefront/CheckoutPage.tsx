// Checkout: address, lines by store from POST /checkout/quote, payment method, submit order.
import { formatMoney } from '../shared/money';
import { useEffect, useState } from 'react';
import { Icon } from '../shared/Icon';
import { api, ApiError } from '../shared/api';
import { useCart } from '../shared/cart';
import { loadMerchant, useMerchantKinds } from '../shared/catalog';
import { ProductThumb } from '../shared/ProductThumb';
import { Link, navigate, useQuery } from '../shared/router';
import { attrText, Empty, ErrorBox, Loading, Price, SelfBadge } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { MyPoints } from '../points/MyPointsPage';
import type { Address, Attrs, Product, Quote, QuoteLine } from '../shared/types';
import { AddressForm, rememberAddress, savedAddress, validateAddress, type AddressErrors } from './AddressForm';
import { groupByStore } from './CartPage';
import { PaymentMethods } from './PaymentMethods';
import { useI18n } from '../i18n';
import { CouponOutcomes, DiscountChips } from '../shared/PriceBreakdown';

interface LineInfo { productId: string; title: string; titleEn?: string | null; skuAttributes: Attrs | null; merchantName: string }
type Items = { skuId: string; quantity: number; liveSessionId?: string; presaleOrderId?: string }[] | undefined;

/**
 * Items from "立即购买" (?sku=&qty=&product=, &live= from a live room, &presale= to pay a
 * presale balance), or undefined for the whole cart.
 */
function useBuyNow(): { items: Items; productId: string | null } {
  const q = useQuery();
  const sku = q.get('sku');
  const qty = Math.max(1, Number(q.get('qty')) || 1);
  const live = q.get('live');
  const presale = q.get('presale');
  const item = sku ? { skuId: sku, quantity: qty, ...(live ? { liveSessionId: live } : {}), ...(presale ? { presaleOrderId: presale } : {}) } : undefined;
  return { items: item ? [item] : undefined, productId: q.get('product') };
}

/** Titles and store names for the quote lines (the quote itself has ids and money). */
function useLineInfo(productId: string | null): Record<string, LineInfo> {
  const { cart } = useCart();
  const [info, setInfo] = useState<Record<string, LineInfo>>({});
  useEffect(() => {
    if (!productId) return;
    api.get<Product>(`/products/${encodeURIComponent(productId)}`).then((p) => setInfo(Object.fromEntries(p.skus.map((s) => [s.id, {
      productId: p.id, title: p.title, titleEn: p.titleEn, skuAttributes: s.attributes, merchantName: p.merchant?.name ?? '',
    }])))).catch(() => undefined);
  }, [productId]);
  if (productId) return info;
  return Object.fromEntries((cart?.items ?? []).map((i) => [i.skuId, i]));
}

export function CheckoutPage() {
  const { t } = useI18n();
  const { items, productId } = useBuyNow();
  const info = useLineInfo(productId);
  const { refresh } = useCart();
  const [address, setAddress] = useState<Address>(savedAddress);
  const [addrErrors, setAddrErrors] = useState<AddressErrors>({});
  const [coupon, setCoupon] = useState('');
  const [coupons, setCoupons] = useState<string[]>([]);
  const [usePoints, setUsePoints] = useState(false);
  const points = useAsync((signal) => api.get<MyPoints>('/me/points?pageSize=1', { signal }), []);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [quoteError, setQuoteError] = useState<unknown>();
  const [submitError, setSubmitError] = useState<ApiError | unknown>();
  const [submitting, setSubmitting] = useState(false);
  const itemsKey = JSON.stringify(items ?? null);

  useEffect(() => {
    setQuoteError(undefined);
    api.post<Quote>('/checkout/quote', { items, couponCodes: coupons.length ? coupons : undefined, usePoints })
      .then(setQuote)
      .catch((e) => { setQuoteError(e); if (coupons.length) setCoupons([]); });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [itemsKey, coupons.join(','), usePoints]);

  const submit = async () => {
    const errs = validateAddress(address);
    setAddrErrors(errs);
    if (Object.keys(errs).length > 0) {
      document.querySelector('.address-form')?.scrollIntoView({ behavior: 'smooth', block: 'center' });
      return;
    }
    setSubmitting(true);
    setSubmitError(undefined);
    const clean = { name: address.name.trim(), phone: address.phone.trim(), region: address.region.trim(), line1: address.line1.trim() };
    try {
      const order = await api.post<{ orderGroupId: string; payable: { amount: number } }>('/orders',
        { items, couponCodes: coupons.length ? coupons : undefined, usePoints, address: clean },
        { idempotencyKey: crypto.randomUUID() });
      rememberAddress(clean);
      if (order.payable.amount === 0) {
        // Discounts covered everything: the orders are paid as placed.
        refresh().catch(() => undefined);
        navigate(`/pay/${encodeURIComponent(order.orderGroupId)}/success`);
        return;
      }
      await api.post('/payments', { orderGroupId: order.orderGroupId, provider: 'sandbox' }, { idempotencyKey: crypto.randomUUID() })
        .catch(() => undefined); // the cashier creates it if this failed
      refresh().catch(() => undefined);
      navigate(`/pay/${encodeURIComponent(order.orderGroupId)}`);
    } catch (e) {
      setSubmitError(e);
      setSubmitting(false);
      // Points spent elsewhere meanwhile: price again with the balance as it is now.
      if (e instanceof ApiError && e.code === 'points_changed') { points.reload(); setUsePoints(false); }
    }
  };

  if (quoteError && !quote) return <div className="container"><h2 className="page-title">{t('checkout')}</h2><ErrorBox error={quoteError} /></div>;
  if (!quote) return <Loading />;
  if (quote.lines.length === 0) {
    return <div className="container"><div className="card"><Empty>{t('nothingToCheckout')} <Link to="/" className="btn btn-primary">{t('goShopping')}</Link></Empty></div></div>;
  }
  return (
    <div className="container checkout">
      <h2 className="page-title">{t('checkout')}</h2>
      <section className="card co-section">
        <h3 className="co-title">{t('shippingAddress')}</h3>
        <AddressForm value={address} onChange={setAddress} errors={addrErrors}
          serverError={submitError instanceof ApiError ? submitError : undefined} />
      </section>
      <section className="card co-section">
        <h3 className="co-title">{t('orderItems')}</h3>
        <QuoteStores quote={quote} info={info} />
      </section>
      <section className="card co-section">
        <h3 className="co-title">{t('paymentMethod')}</h3>
        <PaymentMethods />
        <h3 className="co-title">{t('couponsTitle')}</h3>
        <CouponOutcomes coupons={quote.coupons ?? []} chosen={coupons.length > 0} onUseBest={() => setCoupons([])} />
        <div className="coupon-row">
          <input value={coupon} onChange={(e) => setCoupon(e.target.value)} placeholder={t('couponCode')} data-testid="coupon-input" />
          <button className="btn btn-ghost" disabled={!coupon.trim()} onClick={() => { setCoupons([...new Set([...coupons, coupon.trim()])]); setCoupon(''); }}>{t('apply')}</button>
          {coupons.map((c) => <span key={c} className="chip on">{c}</span>)}
        </div>
        <ErrorBox error={quoteError} />
        <h3 className="co-title">{t('pointsCol')}</h3>
        <label className="points-row" data-testid="points-row">
          <input type="checkbox" checked={usePoints} disabled={!points.data?.balance} onChange={(e) => setUsePoints(e.target.checked)} data-testid="use-points" />
          {!points.data?.balance ? t('pointsNoneToUse')
            : usePoints && quote.pointsUsed ? <span data-testid="points-used">{t('pointsUse', { points: quote.pointsUsed, yuan: (quote.pointsUsed / 100).toFixed(2) })}</span>
            : t('pointsAvailable', { points: points.data.balance })}
        </label>
      </section>
      <div className="co-summary card">
        <div><span>{t('listTotal')}</span><Price value={quote.listTotal} size="sm" /></div>
        {quote.discountTotal.amount > 0 && <div><span>{t('discountTotal')}</span><span className="discount">-<Price value={quote.discountTotal} size="sm" /></span></div>}
        {quote.paidBefore && <div><span>{t('paidBeforeTotal')}</span><span>-<Price value={quote.paidBefore} size="sm" /></span></div>}
        {quote.payLater && <div><span>{t('payLaterTotal')}</span><Price value={quote.payLater} size="sm" /></div>}
        <div className="co-payable"><span>{t('payable')}</span><span data-testid="checkout-payable"><Price value={quote.payable} size="xl" /></span></div>
        <div className="co-ship-to">{address.name && `${address.region} ${address.line1} · ${address.name} ${address.phone}`}</div>
        <ErrorBox error={submitError} omitFields={['address.name', 'address.phone', 'address.region', 'address.line1']} />
        <button className="btn btn-primary btn-big" disabled={submitting} onClick={submit} data-testid="submit-order">
          {submitting ? t('submitting') : t('submitOrder')}
        </button>
      </div>
    </div>
  );
}

function QuoteStores({ quote, info }: { quote: Quote; info: Record<string, LineInfo> }) {
  const kinds = useMerchantKinds(quote.stores.map((s) => s.merchantId));
  return (
    <>
      {groupByStore(quote.lines).map((g) => {
        const store = quote.stores.find((s) => s.merchantId === g.merchantId);
        return (
          <div key={g.merchantId} className="co-store" data-testid="checkout-store">
            <div className="cart-store-head">
              <Icon name="store" className="store-icon" /><b><StoreName id={g.merchantId} known={store?.merchantName ?? info[g.items[0].skuId]?.merchantName} /></b>
              <SelfBadge kind={kinds[g.merchantId]} />
            </div>
            {g.items.map((l) => <QuoteRow key={l.skuId} l={l} info={info[l.skuId]} />)}
            {store && <StoreTotal store={store} />}
          </div>
        );
      })}
    </>
  );
}

function StoreName({ id, known }: { id: string; known?: string }) {
  const [name, setName] = useState(known ?? '');
  useEffect(() => { if (!known) loadMerchant(id).then((m) => setName(m.name)).catch(() => undefined); else setName(known); }, [id, known]);
  return <>{name}</>;
}

function StoreTotal({ store }: { store: Quote['stores'][number] }) {
  const { t } = useI18n();
  return (
    <div className="co-store-total">
      {store.discountTotal.amount > 0 && <span className="discount">{t('discountTotal')} -<Price value={store.discountTotal} size="sm" /></span>}
      <span>{t('storeSubtotal')}：<Price value={store.payable} /></span>
    </div>
  );
}

function QuoteRow({ l, info }: { l: QuoteLine; info?: LineInfo }) {
  const { t, localized } = useI18n();
  const title = l.title ?? info?.title ?? l.skuId;
  const productId = l.productId ?? info?.productId;
  return (
    <div className="co-line">
      {productId ? <ProductThumb productId={productId} title={title} /> : <span className="thumb" />}
      <div className="co-line-title">
        <div>{localized(title, l.titleEn ?? info?.titleEn)}</div>
        <div className="muted small">{attrText(l.skuAttributes ?? info?.skuAttributes)}</div>
        <DiscountChips discounts={l.discounts} />
        {l.presaleDeposit && l.payLater && (
          <div className="presale-note" data-testid="presale-deposit-note">
            {t('presaleDeposit')} · {t('presaleBalanceLater', { amount: formatMoney(l.payLater), from: new Date(l.presaleDeposit.balanceStartsAt).toLocaleString() })}
          </div>
        )}
        {l.paidBefore && <div className="presale-note">{t('presaleDepositPaid')} <Price value={l.paidBefore} size="sm" /></div>}
      </div>
      <span className="co-line-unit">
        {l.liveSessionId && <span className="live-price-tag" data-testid="line-live-price">{t('livePrice')}</span>}
        {l.priceSource === 'flash_sale' && <span className="live-price-tag">{t('discount_flash_sale')}</span>}
        <Price value={l.unitPrice} size="sm" />
        {l.listPrice && l.listPrice.amount !== l.unitPrice.amount && <Price value={l.listPrice} size="sm" strike />}
      </span>
      <span className="muted">× {l.quantity}</span>
      <span className="co-line-total">
        {l.payable.amount !== l.listTotal.amount && <Price value={l.listTotal} size="sm" strike />}
        <Price value={l.payable} />
      </span>
    </div>
  );
}
