// Inline editor cells for one SKU: price in yuan (sent as fen) and stock.
import { useState, type KeyboardEvent } from 'react';
import { api, ApiError } from '../shared/api';
import { fenToYuanInput, parseYuan } from '../shared/money';
import { attrText, FieldError, toast } from '../shared/ui';
import type { Sku } from '../shared/types';
import { useI18n } from '../i18n';

export function SkuEditor({ mid, sku, onSaved }: { mid: string; sku: Sku; onSaved: (s: Sku) => void }) {
  const { t } = useI18n();
  const [price, setPrice] = useState(fenToYuanInput(sku.price.amount));
  const [stock, setStock] = useState(String(sku.stock));
  const [errors, setErrors] = useState<{ price?: string; stock?: string; other?: unknown }>({});
  const [busy, setBusy] = useState(false);
  const fen = parseYuan(price);
  const stockN = /^\d{1,9}$/.test(stock.trim()) ? Number(stock.trim()) : null;
  const dirty = fen !== sku.price.amount || stockN !== sku.stock;

  const save = async () => {
    const errs: typeof errors = {};
    if (fen === null) errs.price = t('invalidPrice');
    if (stockN === null) errs.stock = t('invalidStock');
    setErrors(errs);
    if (fen === null || stockN === null || !dirty) return;
    const body: { price?: { amount: number; currency: string }; stock?: number } = {};
    if (fen !== sku.price.amount) body.price = { amount: fen, currency: sku.price.currency || 'CNY' };
    if (stockN !== sku.stock) body.stock = stockN;
    setBusy(true);
    try {
      const saved = await api.patch<Sku>(`/merchants/${encodeURIComponent(mid)}/skus/${encodeURIComponent(sku.id)}`, body);
      onSaved(saved);
      setPrice(fenToYuanInput(saved.price.amount));
      setStock(String(saved.stock));
      toast(t('saved'));
    } catch (e) {
      if (e instanceof ApiError && e.problem.errors?.length) {
        setErrors({ price: e.fieldMessage('price') ?? e.fieldMessage('price.amount'), stock: e.fieldMessage('stock'), other: e });
      } else setErrors({ other: e });
    } finally {
      setBusy(false);
    }
  };
  const onKey = (e: KeyboardEvent) => { if (e.key === 'Enter') save(); };
  const other = errors.other instanceof ApiError ? errors.other.problem.detail ?? errors.other.problem.title : errors.other ? String(errors.other) : null;
  return (
    <>
      <td className="mono small nowrap">{sku.code}</td>
      <td className="small">{attrText(sku.attributes)}</td>
      <td>
        <span className="yuan-input"><span>¥</span><input value={price} onChange={(e) => setPrice(e.target.value)} onKeyDown={onKey} data-testid="sku-price-input" /></span>
        <FieldError message={errors.price} />
      </td>
      <td>
        <input className="stock-input" value={stock} onChange={(e) => setStock(e.target.value)} onKeyDown={onKey} data-testid="sku-stock-input" />
        <FieldError message={errors.stock} />
      </td>
      <td>
        <button className="btn btn-sm btn-primary" disabled={!dirty || busy} onClick={save} data-testid="sku-save">{t('save')}</button>
        {other && !errors.price && !errors.stock && <FieldError message={other} />}
      </td>
    </>
  );
}
