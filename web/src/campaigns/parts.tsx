// Pieces the flash-sale and campaign pages share: the remaining bar, a countdown line, a rule's words.
import { countdown } from '../content/types';
import { formatMoney, bpsToPercent } from '../shared/money';
import type { Money } from '../shared/types';
import { useI18n } from '../i18n';
import { soldPercent, type RuleView } from './types';

/** 已抢 xx% with a bar, or 已抢光. */
export function RemainingBar({ sale }: { sale: { quantity: number; remaining: number } }) {
  const { t } = useI18n();
  const pct = soldPercent(sale);
  return (
    <div className="fs-bar" data-testid="fs-remaining" data-remaining={sale.remaining}>
      <div className="fs-bar-track"><div className="fs-bar-fill" style={{ width: `${pct}%` }} /></div>
      <span className="fs-bar-text">{sale.remaining > 0 ? `${t('fsSoldPct', { pct })} · ${t('fsRemaining', { n: sale.remaining })}` : t('fsSoldOut')}</span>
    </div>
  );
}

/** 距结束 / 距开始 hh:mm:ss, ticking with `now`. */
export function Countdown({ to, kind, now }: { to: string; kind: 'end' | 'start'; now: number }) {
  const { t } = useI18n();
  const left = countdown(to, now);
  return <span className="fs-countdown" data-testid="fs-countdown">{left ? t(kind === 'end' ? 'fsEndsIn' : 'fsStartsIn', { t: left }) : t(kind === 'end' ? 'fsEnded' : 'fsStarted')}</span>;
}

/** ¥300 for whole yuan, ¥9.90 otherwise: rules read like posters. */
const short = (m: Money) => (m.amount % 100 === 0 ? `¥${m.amount / 100}` : formatMoney(m));

export function ruleText(rule: RuleView, t: ReturnType<typeof useI18n>['t']): string {
  if (rule.kind === 'cross_store_reduction')
    return t('cmpRuleReduction', { every: short(rule.every), off: short(rule.off) }) + (rule.maxOff ? t('cmpRuleReductionCap', { max: short(rule.maxOff) }) : '');
  return rule.offer.type === 'percent_off' ? t('cmpRulePercent', { pct: bpsToPercent(rule.offer.percentBps) }) : t('cmpRulePerUnit', { off: short(rule.offer.off) });
}
