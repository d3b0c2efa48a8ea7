// 活动报名 tab: current and upcoming campaigns, the store's products enrolled in each, enrol another or
// withdraw one while enrolment is open.
import { useState } from 'react';
import { api, qs } from '../shared/api';
import type { MerchantProduct, Page } from '../shared/types';
import { Empty, ErrorBox, formatTime, Loading, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { Link } from '../shared/router';
import { useI18n } from '../i18n';
import { ruleText } from './parts';
import type { Campaign } from './types';

export function MerchantCampaignsTab({ mid }: { mid: string }) {
  const { t } = useI18n();
  const m = encodeURIComponent(mid);
  const res = useAsync((signal) => api.get<Page<Campaign>>(`/merchants/${m}/campaigns${qs({ pageSize: 50 })}`, { signal }), [mid]);
  const products = useAsync((signal) => api.get<Page<MerchantProduct>>(`/merchants/${m}/products${qs({ pageSize: 100 })}`, { signal }), [mid]);
  const act = useAction<string>();
  const titleOf = (id: string) => products.data?.items.find((p) => p.id === id)?.title ?? id;
  const change = (c: Campaign, productId: string, enrol: boolean) => act.run(`${c.id}:${productId}`, async () => {
    const path = `/merchants/${m}/campaigns/${c.id}/products/${encodeURIComponent(productId)}`;
    await (enrol ? api.post(path) : api.del(path));
    toast(t(enrol ? 'cmpEnrolledOk' : 'cmpWithdrawn'));
    res.reload();
  });
  return (
    <div className="cmp-stack" data-testid="campaign-enrol-tab">
      <ErrorBox error={res.error ?? act.error} onRetry={res.error ? res.reload : undefined} />
      {res.loading && !res.data ? <Loading /> : !res.data?.items.length ? <div className="card"><Empty>{t('cmpNone')}</Empty></div> : res.data.items.map((c) => (
        <div key={c.id} className="card panel cmp-enrol" data-testid="enrol-campaign" data-campaign-id={c.id}>
          <div className="cmp-enrol-head">
            <b>{c.name}</b>
            <span className={`cmp-state cmp-state-${c.state}`}>{t(`cmpState_${c.state}`)}</span>
            <span className="muted small">{c.enrolmentOpen ? t('cmpEnrolmentEnds', { at: formatTime(c.enrolmentEndsAt) }) : t('cmpEnrolClosed')}</span>
            <Link to={`/campaigns/${c.id}`} className="link-btn">{t('cmpView')}</Link>
          </div>
          <div className="cmp-enrol-phases small">
            {c.phases.map((p, i) => <span key={i} className="chip">{p.name} {formatTime(p.startsAt)} {p.rules.map((r) => ruleText(r, t)).join(' · ')}</span>)}
          </div>
          <div className="cmp-enrol-products">
            <span className="muted">{t('cmpMyProducts', { n: c.myProductIds?.length ?? 0 })}</span>
            {(c.myProductIds ?? []).map((id) => (
              <span key={id} className="chip on" data-testid="enrolled-product">{titleOf(id)}
                {c.enrolmentOpen && <button className="link-btn" disabled={!!act.busy} onClick={() => change(c, id, false)} data-testid="withdraw">{t('cmpWithdraw')}</button>}
              </span>
            ))}
          </div>
          {c.enrolmentOpen && <EnrolPicker products={(products.data?.items ?? []).filter((p) => !c.myProductIds?.includes(p.id))} busy={!!act.busy} onEnrol={(id) => change(c, id, true)} />}
        </div>
      ))}
    </div>
  );
}

function EnrolPicker({ products, busy, onEnrol }: { products: MerchantProduct[]; busy: boolean; onEnrol: (productId: string) => void }) {
  const { t } = useI18n();
  const [pick, setPick] = useState('');
  return (
    <div className="cmp-enrol-pick">
      <select value={pick} onChange={(e) => setPick(e.target.value)} data-testid="enrol-product">
        <option value="">{t('cmpPickProduct')}</option>
        {products.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
      </select>
      <button className="btn btn-primary btn-sm" disabled={busy || !pick} onClick={() => { onEnrol(pick); setPick(''); }} data-testid="enrol">{t('cmpEnrol')}</button>
    </div>
  );
}
