// 大促会场: the list of current and upcoming campaigns (/campaigns) and a venue (/campaigns/{id}) with its
// phase timeline (蓄水 → 预售 → 开门红 → 第二波 → 返场), a countdown to the next phase, the rules on now,
// and the enrolled products with their venue (flash-sale) prices.
import { useState } from 'react';
import { api, qs } from '../shared/api';
import { Link } from '../shared/router';
import { ProductThumb } from '../shared/ProductThumb';
import { Empty, ErrorBox, formatTime, Loading, Pagination, Price } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { Page } from '../shared/types';
import { useClock } from '../content/parts';
import { useI18n } from '../i18n';
import { Countdown, RemainingBar, ruleText } from './parts';
import type { Campaign, Phase, Venue, VenueProduct } from './types';

export function CampaignsPage() {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<Page<Campaign>>(`/campaigns${qs({ pageSize: 50 })}`, { signal }), []);
  const now = useClock(true);
  return (
    <div className="container" data-testid="campaigns-page">
      <h2 className="page-title">{t('cmpTitle')}</h2>
      <ErrorBox error={res.error} onRetry={res.reload} />
      {!res.data ? <Loading /> : res.data.items.length === 0 ? <div className="card"><Empty>{t('cmpNone')}</Empty></div> : res.data.items.map((c) => (
        <Link key={c.id} to={`/campaigns/${c.id}`} className="cmp-card card" data-testid="campaign-card">
          <div className="cmp-card-name"><b>{c.name}</b> <span className={`cmp-state cmp-state-${c.state}`}>{t(`cmpState_${c.state}`)}</span></div>
          <PhaseTimeline phases={c.phases} compact />
          {c.nextPhaseStartsAt && <NextPhase campaign={c} now={now} />}
          <span className="cmp-go">{t('cmpGoVenue')} ›</span>
        </Link>
      ))}
    </div>
  );
}

export function CampaignVenuePage({ id }: { id: string }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const res = useAsync((signal) => api.get<Venue>(`/campaigns/${encodeURIComponent(id)}${qs({ page, pageSize: 24 })}`, { signal }), [id, page]);
  const now = useClock(true);
  if (res.error) return <div className="container"><ErrorBox error={res.error} onRetry={res.reload} /></div>;
  if (!res.data) return <Loading />;
  const v = res.data;
  const current = v.currentPhase !== null ? v.phases[v.currentPhase] : undefined;
  return (
    <div className="container venue" data-testid="venue-page">
      <div className="venue-hero">
        <div className="venue-kicker">{current ? t('cmpCurrentPhase', { phase: current.name }) : t(`cmpState_${v.state}`)}</div>
        <h1 data-testid="venue-name">{v.name}</h1>
        {v.description && <p>{v.description}</p>}
        {v.nextPhaseStartsAt ? <NextPhase campaign={v} now={now} big /> : v.state === 'ended' && <div className="venue-next">{t('cmpEnded')}</div>}
        {v.state === 'stopped' && <div className="venue-next" data-testid="venue-stopped">{t('cmpStoppedBecause', { at: formatTime(v.stoppedAt!), reason: v.stopReason ?? '' })}</div>}
      </div>
      <div className="card panel">
        <PhaseTimeline phases={v.phases} />
      </div>
      {current && current.rules.length > 0 && (
        <div className="venue-rules" data-testid="venue-rules">
          {current.rules.map((r, i) => <span key={i} className="venue-rule">{ruleText(r, t)}</span>)}
        </div>
      )}
      <h3 className="venue-products-title">{t('cmpProducts')} <small className="muted">{v.products.total}</small></h3>
      {v.products.items.length === 0 ? <div className="card"><Empty>{t('cmpNoProducts')}</Empty></div> : (
        <div className="venue-grid">
          {v.products.items.map((p) => <VenueCard key={p.productId} p={p} now={now} />)}
        </div>
      )}
      <Pagination page={v.products.page} pageSize={v.products.pageSize} total={v.products.total} onPage={setPage} />
    </div>
  );
}

/** The phases left to right, each with its dates, state and rules. */
function PhaseTimeline({ phases, compact }: { phases: Phase[]; compact?: boolean }) {
  const { t } = useI18n();
  return (
    <ol className={`phase-line${compact ? ' compact' : ''}`} data-testid="phase-timeline">
      {phases.map((p, i) => (
        <li key={i} className={`phase phase-${p.state}`} data-testid="phase" data-state={p.state} data-kind={p.kind}>
          <span className="phase-dot" />
          <b className="phase-name">{p.name}</b>
          <span className="phase-state">{t(`cmpPhaseState_${p.state}`)}</span>
          <span className="phase-dates">{formatTime(p.startsAt)}<br />– {formatTime(p.endsAt)}</span>
          {!compact && <span className="phase-rules">{p.rules.length ? p.rules.map((r) => ruleText(r, t)).join(' · ') : t('cmpNoRules')}</span>}
        </li>
      ))}
    </ol>
  );
}

function NextPhase({ campaign, now, big }: { campaign: Campaign; now: number; big?: boolean }) {
  const { t } = useI18n();
  const next = campaign.phases.find((p) => p.state === 'upcoming' && Date.parse(p.startsAt) > now);
  if (!next) return null;
  return (
    <div className={big ? 'venue-next' : 'cmp-next'} data-testid="next-phase">
      {t('cmpNextPhase', { phase: next.name })} <Countdown to={next.startsAt} kind="start" now={now} />
    </div>
  );
}

function VenueCard({ p, now }: { p: VenueProduct; now: number }) {
  const { t } = useI18n();
  const sale = p.flashSale;
  const on = sale && Date.parse(sale.startsAt) <= now && now < Date.parse(sale.endsAt);
  return (
    <Link to={`/product/${p.productId}`} className="venue-card card" data-testid="venue-product" data-product-id={p.productId}>
      <ProductThumb productId={p.productId} title={p.title} />
      <div className="venue-card-title">{p.title}</div>
      <div className="muted small">{p.merchantName}</div>
      {sale ? (
        <>
          <div className="venue-card-prices">
            <span className="fs-tag">{t('cmpCampaignPrice')}</span><Price value={sale.unitPrice} /><Price value={sale.listPrice} size="sm" strike />
          </div>
          {on ? <RemainingBar sale={sale} /> : <Countdown to={sale.startsAt} kind="start" now={now} />}
        </>
      ) : <div className="venue-card-prices"><Price value={p.price} /></div>}
    </Link>
  );
}
