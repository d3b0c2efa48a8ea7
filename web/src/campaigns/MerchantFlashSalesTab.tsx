// 秒杀 tab: set a flash sale on one of the store's SKUs (its units leave the SKU's stock at once), see each
// sale's sold and remaining units, cancel one before it starts.
import { useState } from 'react';
import { api, ApiError, qs } from '../shared/api';
import { formatMoney, parseYuan, yuan } from '../shared/money';
import type { MerchantProduct, Page } from '../shared/types';
import { attrText, Empty, ErrorBox, Field, formatTime, Loading, localDateTimeInput, Price, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';
import type { Campaign, FlashSale } from './types';

export function MerchantFlashSalesTab({ mid }: { mid: string }) {
  const { t } = useI18n();
  const base = `/merchants/${encodeURIComponent(mid)}/flash-sales`;
  const res = useAsync((signal) => api.get<Page<FlashSale>>(`${base}${qs({ pageSize: 100 })}`, { signal }), [mid]);
  const act = useAction<string>();
  const cancel = (s: FlashSale) => act.run(s.id, async () => {
    if (!window.confirm(t('fsCancelConfirm'))) return;
    await api.post(`${base}/${s.id}/cancel`);
    toast(t('fsCancelled'));
    res.reload();
  });
  return (
    <div className="cmp-stack" data-testid="flash-sales-tab">
      <NewFlashSale mid={mid} base={base} onCreated={res.reload} />
      <ErrorBox error={res.error ?? act.error} onRetry={res.error ? res.reload : undefined} />
      {res.loading && !res.data ? <Loading /> : !res.data?.items.length ? <div className="card"><Empty>{t('fsNoSales')}</Empty></div> : (
        <div className="card panel">
          <table className="table" data-testid="flash-sale-list">
            <thead><tr>
              <th>{t('product')}</th><th className="num">{t('fsPrice')}</th><th className="num">{t('fsQuantity')}</th><th className="num">{t('fsSold')}</th>
              <th className="num">{t('fsLeft')}</th><th>{t('fsWindow')}</th><th>{t('fsPerPerson')}</th><th>{t('status')}</th><th />
            </tr></thead>
            <tbody>
              {res.data.items.map((s) => (
                <tr key={s.id} data-sale-id={s.id} data-state={s.state}>
                  <td>{s.title} <span className="muted small">{attrText(s.skuAttributes)}</span></td>
                  <td className="num"><Price value={s.unitPrice} size="sm" /> <Price value={s.listPrice} size="sm" strike /></td>
                  <td className="num">{s.quantity}</td>
                  <td className="num" data-testid="fs-sold">{s.sold}</td>
                  <td className="num" data-testid="fs-left">{s.remaining}{s.returnedToStock !== undefined && <div className="muted small">{t('fsReturned', { n: s.returnedToStock })}</div>}</td>
                  <td className="small">{formatTime(s.startsAt)}<br />– {formatTime(s.endsAt)}</td>
                  <td>{s.perPersonLimit}</td>
                  <td><span className={`fs-state fs-state-${s.state}`}>{t(`fsState_${s.state}`)}</span></td>
                  <td>{s.state === 'scheduled' && <button className="btn btn-ghost btn-sm" disabled={!!act.busy} onClick={() => cancel(s)} data-testid="fs-cancel">{t('fsCancelSale')}</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function NewFlashSale({ mid, base, onCreated }: { mid: string; base: string; onCreated: () => void }) {
  const { t } = useI18n();
  const products = useAsync((signal) => api.get<Page<MerchantProduct>>(`/merchants/${encodeURIComponent(mid)}/products${qs({ pageSize: 100 })}`, { signal }), [mid]);
  const campaigns = useAsync((signal) => api.get<Page<Campaign>>(`/merchants/${encodeURIComponent(mid)}/campaigns${qs({ pageSize: 50 })}`, { signal }), [mid]);
  const hour = 3_600_000;
  const [form, setForm] = useState(() => ({
    skuId: '', unitPrice: '', quantity: '100', perPersonLimit: '1', campaignId: '',
    startsAt: localDateTimeInput(new Date(Date.now() + hour)), endsAt: localDateTimeInput(new Date(Date.now() + 3 * hour)),
  }));
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const act = useAction();
  const err = act.error instanceof ApiError ? act.error : undefined;
  const price = parseYuan(form.unitPrice);
  const enrolledIn = campaigns.data?.items.filter((c) => c.myProductIds?.length) ?? [];
  const create = () => act.run(true, async () => {
    await api.post(base, {
      skuId: form.skuId, unitPrice: yuan(price!), quantity: Number(form.quantity), perPersonLimit: Number(form.perPersonLimit),
      startsAt: new Date(form.startsAt).toISOString(), endsAt: new Date(form.endsAt).toISOString(), ...(form.campaignId ? { campaignId: form.campaignId } : {}),
    });
    toast(t('fsCreated'));
    onCreated();
  });
  return (
    <div className="card panel">
      <h4>{t('fsNew')}</h4>
      <p className="muted small">{t('fsRule')}</p>
      <div className="presale-form">
        <Field label={t('sku')} error={err?.fieldMessage('skuId')}>
          <select value={form.skuId} onChange={set('skuId')} data-testid="fs-sku">
            <option value="">{t('chooseSku')}</option>
            {products.data?.items.flatMap((p) => p.skus.map((k) => <option key={k.id} value={k.id}>{p.title} {attrText(k.attributes)} · {formatMoney(k.price)} · {t('stock', { n: k.stock })}</option>))}
          </select>
        </Field>
        <Field label={t('fsPriceYuan')} error={err?.fieldMessage('unitPrice')}><input value={form.unitPrice} onChange={set('unitPrice')} inputMode="decimal" data-testid="fs-price" /></Field>
        <Field label={t('fsQuantity')} error={err?.fieldMessage('quantity')}><input value={form.quantity} onChange={set('quantity')} inputMode="numeric" data-testid="fs-quantity" /></Field>
        <Field label={t('fsPerPerson')} error={err?.fieldMessage('perPersonLimit')}><input value={form.perPersonLimit} onChange={set('perPersonLimit')} inputMode="numeric" data-testid="fs-limit" /></Field>
        <Field label={t('fsStarts')} error={err?.fieldMessage('startsAt')}><input type="datetime-local" value={form.startsAt} onChange={set('startsAt')} data-testid="fs-starts" /></Field>
        <Field label={t('fsEnds')} error={err?.fieldMessage('endsAt')}><input type="datetime-local" value={form.endsAt} onChange={set('endsAt')} data-testid="fs-ends" /></Field>
        <Field label={t('fsCampaign')} error={err?.fieldMessage('campaignId')}>
          <select value={form.campaignId} onChange={set('campaignId')} data-testid="fs-campaign">
            <option value="">{t('fsNoCampaign')}</option>
            {enrolledIn.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </Field>
      </div>
      <ErrorBox error={act.error} omitFields={['skuId', 'unitPrice', 'quantity', 'perPersonLimit', 'startsAt', 'endsAt', 'campaignId']} />
      <button className="btn btn-primary" disabled={!!act.busy || !form.skuId || price === null} onClick={create} data-testid="fs-create">{t('fsCreate')}</button>
    </div>
  );
}
