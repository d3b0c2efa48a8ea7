// A profile as the shopper and the operator see it: summary (lifecycle, price band, top categories and brands,
// active hours, arrival channels) and tags with where each came from.
import { formatMoney } from './money';
import { valueLabel, type ProfileSummary, type Tag } from './people';
import { Empty, formatTime } from './ui';
import { useI18n } from '../i18n';

const TOP = 5;

export function ProfileSummaryView({ summary }: { summary: ProfileSummary | null }) {
  const { t } = useI18n();
  if (!summary || summary.events === 0) return <Empty>{t('profileEmpty')}</Empty>;
  return (
    <div className="profile-summary" data-testid="profile-summary">
      <dl className="ps-stats">
        <div><dt>{t('lifecycle')}</dt><dd><span className="pill pill-orange" data-testid="profile-lifecycle">{valueLabel('lifecycle', summary.lifecycle)}</span></dd></div>
        <div><dt>{t('priceBand')}</dt><dd><span className="pill pill-orange">{valueLabel('band', summary.priceBand)}</span></dd></div>
        <div><dt>{t('behaviourEvents')}</dt><dd>{summary.events}</dd></div>
        <div><dt>{t('ordersCount')}</dt><dd>{summary.orders}</dd></div>
        <div><dt>{t('monetary')}</dt><dd>{formatMoney(summary.monetary)}</dd></div>
        <div><dt>{t('lastActive')}</dt><dd className="small">{formatTime(summary.lastAt)}</dd></div>
      </dl>
      <div className="ps-grid">
        <section>
          <h5>{t('topCategories')}</h5>
          <ShareBars rows={summary.categories.map((c) => ({ name: c.category.replaceAll('/', ' › '), share: c.share }))} testId="profile-categories" />
        </section>
        <section>
          <h5>{t('topBrands')}</h5>
          <ShareBars rows={summary.brands.map((b) => ({ name: b.brand, share: b.share }))} />
        </section>
        <section>
          <h5>{t('activeHours')}</h5>
          <HoursChart hours={summary.activeHours} />
        </section>
        <section>
          <h5>{t('arrivalChannels')}</h5>
          {summary.channels.length === 0 ? <p className="muted small">{t('noChannels')}</p> : (
            <ul className="ps-channels" data-testid="profile-channels">
              {summary.channels.map((c) => (
                <li key={c.channel}><b>{valueLabel('channel', c.channel)}</b><span className="muted small">{t('timesAt', { n: c.count, at: formatTime(c.lastAt) })}</span></li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

function ShareBars({ rows, testId }: { rows: { name: string; share: number }[]; testId?: string }) {
  const { t } = useI18n();
  if (rows.length === 0) return <p className="muted small">{t('empty')}</p>;
  return (
    <ul className="share-bars" data-testid={testId}>
      {rows.slice(0, TOP).map((r) => {
        const pct = Math.round(r.share * 100);
        return (
          <li key={r.name}>
            <span className="share-name" title={r.name}>{r.name}</span>
            <i><b style={{ width: `${pct}%` }} /></i>
            <em>{pct}%</em>
          </li>
        );
      })}
    </ul>
  );
}

/** 24 bars, one per hour of the day, scaled to the busiest hour. */
function HoursChart({ hours }: { hours: number[] }) {
  const { t } = useI18n();
  const max = Math.max(1, ...hours);
  return (
    <svg className="hours-chart" viewBox="0 0 240 74" role="img" aria-label={t('activeHours')} data-testid="hours-chart">
      {hours.map((n, h) => {
        const height = n > 0 ? Math.max(2, (n / max) * 56) : 0;
        return (
          <g key={h}>
            <rect x={h * 10 + 1} y={0} width={8} height={58} className="hours-slot" />
            <rect x={h * 10 + 1} y={58 - height} width={8} height={height} className="hours-bar"><title>{t('hourCount', { h, n })}</title></rect>
          </g>
        );
      })}
      {[0, 6, 12, 18, 23].map((h) => <text key={h} x={h * 10 + 5} y={71} textAnchor="middle">{h}</text>)}
    </svg>
  );
}

export function TagList({ tags, onDelete, busy }: { tags: Tag[]; onDelete?: (tag: Tag) => void; busy?: string }) {
  const { t, localized } = useI18n();
  if (tags.length === 0) return <p className="muted" data-testid="no-tags">{t('noTags')}</p>;
  return (
    <ul className="tag-list" data-testid="tag-list">
      {tags.map((tag) => (
        <li key={tag.id} className="tag-item" data-testid="tag" data-tag-id={tag.id}>
          <span className={`tag-chip tag-${tag.kind}`}>{localized(tag.label, tag.labelEn)}</span>
          <span className="tag-kind">{valueLabel('tagKind', tag.kind)}</span>
          <span className="tag-source" data-testid="tag-source">{localized(tag.source, tag.sourceEn)}</span>
          {onDelete && (
            <button className="link-btn" disabled={busy === tag.id} onClick={() => onDelete(tag)} data-testid="tag-delete">{t('delete')}</button>
          )}
        </li>
      ))}
    </ul>
  );
}
