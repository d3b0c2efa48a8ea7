// The product page's flash-sale strip: the flash price, what is left and the countdown while a sale of the
// chosen SKU is on, or a notice before it starts. useLiveFlashSale tells the page how many can be bought.
import { api, qs } from '../shared/api';
import { Link } from '../shared/router';
import { attrText, Price } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { Page } from '../shared/types';
import { useClock } from '../content/parts';
import { useI18n } from '../i18n';
import { Countdown, RemainingBar } from './parts';
import { FlashGrab } from './FlashGrab';
import type { FlashSale } from './types';

/** This product's current and coming flash sales. */
export function useFlashSales(productId: string) {
  return useAsync((signal) => api.get<Page<FlashSale>>(`/flash-sales${qs({ productId, pageSize: 20 })}`, { signal }), [productId]).data?.items ?? [];
}

/** The sale of this SKU on now with units left: what the checkout will price it at. */
export function liveSaleOf(sales: FlashSale[], skuId: string | undefined, now = Date.now()) {
  return sales.find((s) => s.skuId === skuId && s.state === 'live' && s.remaining > 0 && Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt));
}

/** With `grab`, the chosen SKU's live sale offers 立即抢购 (FlashGrab). */
export function FlashSaleBanner({ sales, skuId, grab }: { sales: FlashSale[]; skuId?: string; grab?: { quantity: number; requireLogin: () => boolean } }) {
  const { t } = useI18n();
  const now = useClock(sales.length > 0);
  const onNow = (s: FlashSale) => (s.state === 'live' || s.state === 'sold_out') && Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt);
  // The chosen SKU's sale first, else another SKU's (named by its attributes).
  const live = liveSaleOf(sales, skuId, now) ?? sales.find((s) => s.skuId === skuId && onNow(s)) ?? sales.find(onNow);
  const next = live ? undefined : sales.filter((s) => s.state === 'scheduled').sort((a, b) => Number(b.skuId === skuId) - Number(a.skuId === skuId) || a.startsAt.localeCompare(b.startsAt))[0];
  const sale = live ?? next;
  if (!sale) return null;
  return (
    <div className={`pdp-flash${live ? '' : ' pdp-flash-soon'}`} data-testid="product-flash-sale" data-state={sale.state}>
      <div className="pdp-flash-head">
        <b>⚡ {t(live ? 'fsOnProduct' : 'fsUpcomingOnProduct')}</b>
        <Countdown to={live ? sale.endsAt : sale.startsAt} kind={live ? 'end' : 'start'} now={now} />
      </div>
      <div className="pdp-flash-body">
        <span className="fs-tag">{t('fsPrice')}</span>
        <span data-testid="product-flash-price"><Price value={sale.unitPrice} size="xl" /></span>
        <Price value={sale.listPrice} size="sm" strike />
        <span className="muted small">{sale.skuId !== skuId && `${attrText(sale.skuAttributes)} · `}{t('fsLimit', { n: sale.perPersonLimit })}</span>
        {live && <RemainingBar sale={sale} />}
        <Link to="/flash-sales" className="pdp-flash-more">{t('fsAllFlashSales')} ›</Link>
      </div>
      {grab && live && skuId && live.skuId === skuId && live.remaining > 0 && (
        <div className="pdp-flash-grab"><FlashGrab key={live.id} sale={live} skuId={skuId} {...grab} /></div>
      )}
    </div>
  );
}
