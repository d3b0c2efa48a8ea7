// 预售 tab: open a presale on a SKU (deposit, its value, deposit and balance windows), see deposits and
// balances paid, call a presale off before its balance window (paid deposits are refunded).
import { useState } from 'react';
import { api, ApiError, qs } from '../shared/api';
import { formatMoney, parseYuan, yuan } from '../shared/money';
import type { MerchantProduct, Money } from '../shared/types';
import { attrText, Empty, ErrorBox, Field, formatTime, Loading, localDateTimeInput, Price, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';
import type { Paged } from '../content/types';

export interface Presale {
  id: string; skuId: string; productId: string; title?: string; status: 'active' | 'cancelled';
  unitPrice: Money; unitDeposit: Money; unitDepositValue: Money; balance: Money;
  depositStartsAt: string; depositEndsAt: string; balanceStartsAt: string; balanceEndsAt: string;
  orders?: number; depositsPaid?: number; balancesPaid?: number;
}
export interface PresalePurchase {
  id: string; presaleId: string; productId: string; skuId: string; title: string; quantity: number; state: string;
  deposit: Money; depositValue: Money; balance: Money; depositOrderId: string; balanceOrderId: string | null;
  balanceStartsAt: string; balanceEndsAt: string; createdAt: string;
}

export function PresaleTab({ mid }: { mid: string }) {
  const { t } = useI18n();
  const base = `/merchants/${encodeURIComponent(mid)}/presales`;
  const res = useAsync((signal) => api.get<{ items: Presale[]; purchases: PresalePurchase[] }>(base, { signal }), [mid]);
  const act = useAction<string>();
  const cancel = (p: Presale) => act.run(p.id, async () => {
    if (!window.confirm(t('presaleCancelConfirm'))) return;
    await api.post(`${base}/${p.id}/cancel`);
    toast(t('presaleCancelled'));
    res.reload();
  });
  return (
    <div className="presale-tab" data-testid="presale-tab">
      <NewPresale mid={mid} base={base} onCreated={res.reload} />
      <ErrorBox error={res.error ?? act.error} onRetry={res.error ? res.reload : undefined} />
      {res.loading && !res.data ? <Loading /> : !res.data?.items.length ? <div className="card"><Empty>{t('noPresales')}</Empty></div> : (
        <div className="card panel">
          <table className="table" data-testid="presale-list">
            <thead><tr>
              <th>{t('product')}</th><th className="num">{t('presalePrice')}</th><th className="num">{t('presaleDeposit')}</th><th className="num">{t('presaleBalance')}</th>
              <th>{t('presaleWindows')}</th><th className="num">{t('presaleDepositsPaid')}</th><th className="num">{t('presaleBalancesPaid')}</th><th />
            </tr></thead>
            <tbody>
              {res.data.items.map((p) => (
                <tr key={p.id} data-presale-id={p.id}>
                  <td>{p.title ?? p.productId}{p.status === 'cancelled' && <span className="chip">{t('presaleCancelled')}</span>}</td>
                  <td className="num"><Price value={p.unitPrice} size="sm" /></td>
                  <td className="num">{t('presaleDepositPays', { pay: formatMoney(p.unitDeposit), off: formatMoney(p.unitDepositValue) })}</td>
                  <td className="num"><Price value={p.balance} size="sm" /></td>
                  <td className="small">{t('presaleDepositWindow')} {formatTime(p.depositStartsAt)} – {formatTime(p.depositEndsAt)}<br />{t('presaleBalanceWindow')} {formatTime(p.balanceStartsAt)} – {formatTime(p.balanceEndsAt)}</td>
                  <td className="num">{p.depositsPaid ?? 0}</td>
                  <td className="num">{p.balancesPaid ?? 0}</td>
                  <td>{p.status === 'active' && new Date(p.balanceStartsAt) > new Date() && <button className="btn btn-ghost btn-sm" disabled={!!act.busy} onClick={() => cancel(p)}>{t('presaleCancel')}</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}


function NewPresale({ mid, base, onCreated }: { mid: string; base: string; onCreated: () => void }) {
  const { t } = useI18n();
  const products = useAsync((signal) => api.get<Paged<MerchantProduct>>(`/merchants/${encodeURIComponent(mid)}/products${qs({ pageSize: 50 })}`, { signal }), [mid]);
  const hour = 3_600_000;
  const [form, setForm] = useState(() => ({
    skuId: '', unitPrice: '', unitDeposit: '', unitDepositValue: '',
    depositStartsAt: localDateTimeInput(new Date()), depositEndsAt: localDateTimeInput(new Date(Date.now() + 7 * 24 * hour)),
    balanceStartsAt: localDateTimeInput(new Date(Date.now() + 8 * 24 * hour)), balanceEndsAt: localDateTimeInput(new Date(Date.now() + 10 * 24 * hour)),
  }));
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const act = useAction();
  const err = act.error instanceof ApiError ? act.error : undefined;
  const amounts = [form.unitPrice, form.unitDeposit, form.unitDepositValue].map(parseYuan);
  const create = () => act.run(true, async () => {
    const [unitPrice, unitDeposit, unitDepositValue] = amounts as number[];
    const iso = (v: string) => new Date(v).toISOString();
    await api.post(base, {
      skuId: form.skuId, unitPrice: yuan(unitPrice), unitDeposit: yuan(unitDeposit), unitDepositValue: yuan(unitDepositValue),
      depositStartsAt: iso(form.depositStartsAt), depositEndsAt: iso(form.depositEndsAt), balanceStartsAt: iso(form.balanceStartsAt), balanceEndsAt: iso(form.balanceEndsAt),
    });
    toast(t('presaleCreated'));
    onCreated();
  });
  const [price, deposit, value] = amounts;
  const total = price !== null && value !== null ? price - value : null;
  return (
    <div className="card panel">
      <h4>{t('newPresale')}</h4>
      <p className="muted small">{t('presaleRule')}</p>
      <div className="presale-form">
        <Field label={t('sku')} error={err?.fieldMessage('skuId')}>
          <select value={form.skuId} onChange={set('skuId')} data-testid="presale-sku">
            <option value="">{t('chooseSku')}</option>
            {products.data?.items.flatMap((p) => p.skus.map((k) => <option key={k.id} value={k.id}>{p.title} {attrText(k.attributes)} · {formatMoney(k.price)}</option>))}
          </select>
        </Field>
        <Field label={t('presalePriceYuan')} error={err?.fieldMessage('unitPrice')}><input value={form.unitPrice} onChange={set('unitPrice')} inputMode="decimal" data-testid="presale-price" /></Field>
        <Field label={t('presaleDepositYuan')} error={err?.fieldMessage('unitDeposit')}><input value={form.unitDeposit} onChange={set('unitDeposit')} inputMode="decimal" data-testid="presale-deposit" /></Field>
        <Field label={t('presaleDepositValueYuan')} error={err?.fieldMessage('unitDepositValue')}><input value={form.unitDepositValue} onChange={set('unitDepositValue')} inputMode="decimal" data-testid="presale-deposit-value" /></Field>
        <Field label={t('presaleDepositStarts')} error={err?.fieldMessage('depositStartsAt')}><input type="datetime-local" value={form.depositStartsAt} onChange={set('depositStartsAt')} /></Field>
        <Field label={t('presaleDepositEnds')} error={err?.fieldMessage('depositEndsAt')}><input type="datetime-local" value={form.depositEndsAt} onChange={set('depositEndsAt')} /></Field>
        <Field label={t('presaleBalanceStarts')} error={err?.fieldMessage('balanceStartsAt')}><input type="datetime-local" value={form.balanceStartsAt} onChange={set('balanceStartsAt')} /></Field>
        <Field label={t('presaleBalanceEnds')} error={err?.fieldMessage('balanceEndsAt')}><input type="datetime-local" value={form.balanceEndsAt} onChange={set('balanceEndsAt')} /></Field>
      </div>
      {total !== null && deposit !== null && total > 0 && (
        <p className="presale-note" data-testid="presale-preview">{t('presalePreview', { total: formatMoney(total), deposit: formatMoney(deposit), balance: formatMoney(total - deposit) })}</p>
      )}
      <ErrorBox error={act.error} omitFields={['skuId', 'unitPrice', 'unitDeposit', 'unitDepositValue', 'depositStartsAt', 'depositEndsAt', 'balanceStartsAt', 'balanceEndsAt']} />
      <button className="btn btn-primary" disabled={!!act.busy || !form.skuId || amounts.some((a) => a === null)} onClick={create} data-testid="presale-create">{t('presaleCreate')}</button>
    </div>
  );
}
