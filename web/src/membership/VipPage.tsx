// /vip: the membership page (plans, my loyalty score and its formula, the fee that applies to me,
// my membership and this month's coupons), and /vip/pay/:id, the sandbox cashier for a purchase.
import { api } from '../shared/api';
import { useAuth } from '../shared/auth';
import { formatMoney } from '../shared/money';
import { Link, navigate } from '../shared/router';
import { Empty, ErrorBox, formatTime, Loading, Price, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';
import { CashierCard, payInSandbox, SuccessCard } from '../storefront/PayPage';
import { discountText } from './memberPrices';
import type { MyMembership, Plan, Purchase } from './types';

type PlanForMe = Plan & { eligible?: boolean; feeForMe?: MyMembership['plans'][number]['feeForMe'] };

export function VipPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const mine = useAsync((signal) => (user ? api.get<MyMembership>('/me/membership', { signal }) : Promise.resolve(undefined)), [user?.id]);
  const onSale = useAsync((signal) => (user ? Promise.resolve(undefined) : api.get<{ items: Plan[] }>('/membership/plans', { signal })), [user?.id]);
  const me = mine.data;
  const plans: PlanForMe[] | undefined = me?.plans ?? onSale.data?.items;
  const error = mine.error ?? onSale.error;
  return (
    <div className="container vip">
      <div className="vip-hero">
        <div>
          <div className="vip-hero-mark">88VIP</div>
          <h1>{t('vipTitle')}</h1>
          <p>{t('vipSubtitle')}</p>
        </div>
        {me && <ScorePanel me={me} />}
      </div>
      <ErrorBox error={error} onRetry={user ? mine.reload : onSale.reload} />
      {!plans ? (error ? null : <Loading />) : (
        <>
          {!user && <div className="notice vip-login">{t('vipLoginForFee')} <Link to="/login?next=%2Fvip" className="accent">{t('login')}</Link></div>}
          {me && <MyMemberships me={me} />}
          <h2 className="vip-section">{t('vipPlans')}</h2>
          {plans.length === 0 ? <div className="card"><Empty>{t('vipNoPlans')}</Empty></div> : (
            <div className="vip-plans">
              {plans.map((p) => <PlanCard key={p.id} plan={p} member={me?.memberships.find((m) => m.planId === p.id && m.status === 'active')} onBought={mine.reload} />)}
            </div>
          )}
          {me && <Allowance me={me} />}
        </>
      )}
    </div>
  );
}

function ScorePanel({ me }: { me: MyMembership }) {
  const { t, lang } = useI18n();
  return (
    <div className="vip-score" data-testid="vip-score">
      <div className="vip-score-label">{t('vipScore')}</div>
      <div className="vip-score-value"><b data-testid="vip-score-value">{me.score.value}</b><span> / {me.score.cap}</span></div>
      <div className="vip-score-facts">{t('vipScoreFacts', { orders: me.score.orders, gmv: formatMoney(me.score.gmv) })}</div>
      <div className="vip-formula" data-testid="vip-formula">{lang === 'zh' ? me.formula.zh : me.formula.en}</div>
    </div>
  );
}

function PlanCard({ plan, member, onBought }: { plan: PlanForMe; member?: MyMembership['memberships'][number]; onBought: () => void }) {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const { busy, error, run } = useAction();
  const buy = () => run(true, async () => {
    const purchase = await api.post<Purchase>('/me/memberships', { planId: plan.id }, { idempotencyKey: crypto.randomUUID() });
    if (purchase.status === 'paid') {
      toast(t('vipActivated'));
      onBought();
    } else navigate(`/vip/pay/${encodeURIComponent(purchase.id)}`);
  });
  const fee = plan.feeForMe ?? plan.fee;
  const groups = [plan.scopeNames.merchants, plan.scopeNames.brands, plan.scopeNames.categories].filter((g) => g.length).map((g) => g.map((n) => n.name).join('、'));
  const scope = groups.length ? [groups.join(plan.scope.match === 'any' ? ` ${t('vipScopeOr')} ` : '、')] : [];
  return (
    <div className="card vip-plan" data-testid="vip-plan">
      <div className="vip-plan-head">
        <span className="vip-plan-name">{plan.name}</span>
        <span className="vip-plan-discount">{discountText(plan.discountBps, lang)}</span>
      </div>
      <div className="vip-plan-fee" data-testid="vip-plan-fee">
        <Price value={fee} size="xl" />
        <span className="muted">/ {t('vipDays', { n: plan.durationDays })}</span>
        {fee.amount < plan.fullFee.amount && <Price value={plan.fullFee} size="sm" strike />}
      </div>
      <div className={`vip-plan-rule${plan.eligible ? ' ok' : ''}`}>
        {plan.eligible === undefined
          ? t('vipFeeRule', { score: plan.eligibilityScore, fee: formatMoney(plan.fee), fullFee: formatMoney(plan.fullFee) })
          : plan.eligible ? t('vipEligible', { score: plan.eligibilityScore }) : t('vipNotEligible', { score: plan.eligibilityScore, fee: formatMoney(plan.fee) })}
      </div>
      <ul className="vip-benefits">
        <li><b>{t('vipBenefitDiscount', { d: discountText(plan.discountBps, lang) })}</b>{scope.length ? <span className="muted small"> · {t('vipScopeOnly', { names: scope.join('、') })}</span> : <span className="muted small"> · {t('vipScopeAll')}</span>}</li>
        {plan.monthlyCoupons.map((c) => <li key={c.couponCode}>{t('vipMonthlyCoupon', { code: c.couponCode, n: c.count })}</li>)}
      </ul>
      <ErrorBox error={error} />
      {user
        ? <button className="btn btn-primary btn-big vip-buy" disabled={!!busy} onClick={buy} data-testid="vip-buy">{member ? t('vipRenew') : t('vipBuy')} {formatMoney(fee)}</button>
        : <Link to="/login?next=%2Fvip" className="btn btn-primary btn-big vip-buy">{t('vipLoginToBuy')}</Link>}
      {member && <div className="muted small vip-until">{t('vipMemberUntil', { time: formatTime(member.until) })}</div>}
    </div>
  );
}

function MyMemberships({ me }: { me: MyMembership }) {
  const { t, lang } = useI18n();
  const pending = me.purchases.filter((p) => p.status === 'pending_payment' && Date.parse(p.expiresAt) > Date.now());
  if (!me.memberships.length && !pending.length) return null;
  return (
    <div className="card panel vip-mine" data-testid="vip-mine">
      <h3>{t('vipMine')}</h3>
      {me.memberships.length > 0 && (
        <table className="table">
          <thead><tr><th>{t('vipPlan')}</th><th>{t('vipBenefit')}</th><th>{t('vipSince')}</th><th>{t('vipUntil')}</th><th>{t('status')}</th></tr></thead>
          <tbody>
            {me.memberships.map((m) => (
              <tr key={m.planId} data-testid="vip-membership">
                <td><span className="member-price"><b>{m.planName}</b></span></td>
                <td>{discountText(m.discountBps, lang)}</td>
                <td className="small">{formatTime(m.since)}</td>
                <td className="small">{formatTime(m.until)}</td>
                <td><span className={`pill ${m.status === 'active' ? 'pill-green' : 'pill-grey'}`}>{m.status === 'active' ? t('vipActive') : t('vipExpired')}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pending.map((p) => (
        <div key={p.id} className="notice vip-pending">
          {t('vipPendingPurchase', { plan: p.planName, amount: formatMoney(p.amount), time: formatTime(p.expiresAt) })}
          <Link to={`/vip/pay/${encodeURIComponent(p.id)}`} className="btn btn-primary">{t('pay')}</Link>
        </div>
      ))}
    </div>
  );
}

function Allowance({ me }: { me: MyMembership }) {
  const { t } = useI18n();
  if (!me.memberships.some((m) => m.status === 'active')) return null;
  return (
    <div className="card panel vip-allowance" data-testid="vip-allowance">
      <h3>{t('vipAllowance', { month: me.allowance.month })}</h3>
      {me.allowance.items.length === 0 ? <p className="muted">{t('vipNoAllowance')}</p> : (
        <ul className="vip-coupons">
          {me.allowance.items.map((c) => (
            <li key={`${c.planId}-${c.couponCode}`} className="vip-coupon">
              <span className="vip-coupon-code">{c.couponCode}</span>
              <span>× {c.count}</span>
              <span className="muted small">
                {c.granted === null ? t('vipCouponPending') : c.granted === c.count ? t('vipCouponGranted') : t('vipCouponPartly', { n: c.granted })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The sandbox cashier for a membership purchase, the order cashier's card (/pay/:gid). */
export function VipPayPage({ purchaseId }: { purchaseId: string }) {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<Purchase>(`/me/membership/purchases/${encodeURIComponent(purchaseId)}`, { signal }), [purchaseId]);
  const { busy, error, run } = useAction();
  const p = res.data;
  if (res.error) return <div className="container"><ErrorBox error={res.error} onRetry={res.reload} /></div>;
  if (!p) return <Loading />;
  if (p.status === 'paid') return (
    <SuccessCard testId="vip-pay-success" title={t('vipActivated')} amount={p.amount} text={t('vipActiveUntil', { plan: p.planName, time: formatTime(p.periodEnd) })}
      next={{ to: '/vip', label: t('vipBack'), testId: 'vip-back' }} />
  );
  const closed = p.status === 'closed' || Date.parse(p.expiresAt) <= Date.now();
  const pay = () => run(true, async () => {
    await payInSandbox(p.payment, { purpose: 'membership', payableId: p.id });
    res.reload();
  });
  return (
    <CashierCard
      heading={closed ? t('vipPurchaseClosed') : t('vipPurchaseOpen', { plan: p.planName })}
      notes={[closed ? '' : t('vipPayBefore', { time: formatTime(p.expiresAt) })]}
      amount={p.amount} closed={closed} busy={!!busy} error={error} onPay={pay} testIdPrefix="vip-pay" />
  );
}
