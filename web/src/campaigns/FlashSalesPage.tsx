// 限时秒杀 (/flash-sales): sales on now (ending soonest first, with what is left) and coming up (with a
// countdown to their start); a card opens the product, whose checkout takes the flash price.
import { api, qs } from '../shared/api';
import { Link } from '../shared/router';
import { ProductThumb } from '../shared/ProductThumb';
import { attrText, Empty, ErrorBox, Loading, Price } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { Page } from '../shared/types';
import { useClock } from '../content/parts';
import { useI18n } from '../i18n';
import { Countdown, RemainingBar } from './parts';
import type { FlashSale } from './types';

export function FlashSalesPage() {
  const { t } = useI18n();
  const now = useClock(true);
  return (
    <div className="container fs-page" data-testid="flash-sales-page">
      <div className="fs-hero">
        <h1>⚡ {t('fsTitle')}</h1>
        <p>{t('fsSubtitle')}</p>
      </div>
      <FlashSaleList state="live" title={t('fsLiveTab')} now={now} />
      <FlashSaleList state="scheduled" title={t('fsUpcomingTab')} now={now} />
    </div>
  );
}

function FlashSaleList({ state, title, now }: { state: 'live' | 'scheduled'; title: string; now: number }) {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<Page<FlashSale>>(`/flash-sales${qs({ state, pageSize: 60 })}`, { signal }), [state]);
  return (
    <section className="fs-section" data-testid={`fs-${state}`}>
      <h2 className="fs-section-title">{title}</h2>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {!res.data ? <Loading /> : res.data.items.length === 0 ? <div className="card"><Empty>{t('fsNone')}</Empty></div> : (
        <div className="fs-grid">
          {res.data.items.map((s) => <FlashSaleCard key={s.id} sale={s} now={now} />)}
        </div>
      )}
    </section>
  );
}

function FlashSaleCard({ sale, now }: { sale: FlashSale; now: number }) {
  const { t, localized } = useI18n();
  const upcoming = sale.state === 'scheduled';
  const gone = sale.remaining <= 0 || Date.parse(sale.endsAt) <= now;
  return (
    <div className={`fs-card card${gone ? ' fs-card-gone' : ''}`} data-testid="fs-card" data-sale-id={sale.id} data-state={sale.state}>
      <Link to={`/product/${sale.productId}`} className="fs-card-art"><ProductThumb productId={sale.productId} title={sale.title} /></Link>
      <div className="fs-card-body">
        <Link to={`/product/${sale.productId}`} className="fs-card-title">{localized(sale.title, sale.titleEn)}</Link>
        <div className="muted small">{attrText(sale.skuAttributes)}</div>
        <div className="fs-card-prices">
          <span className="fs-tag">{t('fsPrice')}</span>
          <Price value={sale.unitPrice} size="lg" />
          <Price value={sale.listPrice} size="sm" strike />
        </div>
        {upcoming ? <div className="fs-card-limit muted small">{t('fsLimit', { n: sale.perPersonLimit })} · {sale.quantity} {t('fsUnits')}</div> : <RemainingBar sale={sale} />}
        <div className="fs-card-foot">
          <Countdown to={upcoming ? sale.startsAt : sale.endsAt} kind={upcoming ? 'start' : 'end'} now={now} />
          {upcoming ? <span className="btn btn-ghost btn-sm fs-soon">{t('fsRemind')}</span>
            : gone ? <span className="btn btn-sm fs-gone">{t('fsSoldOut')}</span>
            : <Link to={`/product/${sale.productId}`} className="btn btn-primary btn-sm" data-testid="fs-grab">{t('fsGrab')}</Link>}
        </div>
      </div>
    </div>
  );
}
