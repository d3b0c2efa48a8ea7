// 优惠券 tab of the merchant console: the store's coupons (满减, 无门槛, 折扣; window, limits, budget, products)
// with how many were claimed and used, and the store's own instant discounts (立减), merchant-funded.
import { useState } from 'react';
import { api, qs } from '../shared/api';
import type { MerchantProduct, Page } from '../shared/types';
import { Field, Loading } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';
import { CouponForm, CouponTable, InstantDiscountForm, ListPanel, PromotionTable, useOfferList } from './forms';
import type { CouponDef, Promotion } from './types';

export function MerchantCouponsTab({ mid }: { mid: string }) {
  const { t } = useI18n();
  const base = `/merchants/${encodeURIComponent(mid)}`;
  const coupons = useOfferList<CouponDef>(`${base}/coupons`);
  const promotions = useOfferList<Promotion>(`${base}/promotions`);
  const [couponProducts, setCouponProducts] = useState<string[] | null>(null);
  const [instantProducts, setInstantProducts] = useState<string[] | null>(null);
  const scope = (ids: string[] | null) => (ids ? { scope: { productIds: ids } } : {});
  return (
    <div className="promo-tab" data-testid="merchant-coupons-tab">
      <CouponForm path={`${base}/coupons`} extra={() => scope(couponProducts)} onCreated={coupons.add}>
        {(fe) => <ProductScope mid={mid} value={couponProducts} onChange={setCouponProducts} error={fe('scope.productIds')} />}
      </CouponForm>
      <ListPanel title={t('promoStoreCoupons')} list={coupons}>{(items) => <CouponTable items={items} onStop={coupons.close('stop')} />}</ListPanel>
      <InstantDiscountForm path={`${base}/promotions`} extra={() => scope(instantProducts)} onCreated={promotions.add}>
        {(fe) => <ProductScope mid={mid} value={instantProducts} onChange={setInstantProducts} error={fe('scope.productIds')} />}
      </InstantDiscountForm>
      <ListPanel title={t('promoInstantDiscounts')} list={promotions}>{(items) => <PromotionTable items={items} onEnd={promotions.close('end')} />}</ListPanel>
    </div>
  );
}

/** The whole store (null), or some of its products. */
function ProductScope({ mid, value, onChange, error }: { mid: string; value: string[] | null; onChange: (ids: string[] | null) => void; error?: string }) {
  const { t, localized } = useI18n();
  const products = useAsync((signal) => (value ? api.get<Page<MerchantProduct>>(`/merchants/${encodeURIComponent(mid)}/products${qs({ pageSize: 100 })}`, { signal }) : Promise.resolve(undefined)), [mid, value !== null]);
  const toggle = (id: string) => onChange(value!.includes(id) ? value!.filter((x) => x !== id) : [...value!, id]);
  return (
    <div className="wide">
      <Field label={t('promoAppliesTo')} error={error}>
        <span className="promo-radios">
          <label><input type="radio" checked={value === null} onChange={() => onChange(null)} /> {t('promoWholeStore')}</label>
          <label><input type="radio" checked={value !== null} onChange={() => onChange([])} data-testid="scope-pick-products" /> {t('promoPickProducts')}</label>
        </span>
      </Field>
      {value !== null && (
        <div className="promo-product-picks">
          {products.data?.items.map((p) => (
            <label key={p.id} className={value.includes(p.id) ? 'on' : ''}>
              <input type="checkbox" checked={value.includes(p.id)} onChange={() => toggle(p.id)} data-testid="scope-product" /> {localized(p.title, p.titleEn)}
            </label>
          )) ?? <Loading />}
        </div>
      )}
    </div>
  );
}
