// "New product" form: basics, attribute names, and SKU rows (attributes, price in yuan, stock).
import { useState, type FormEvent } from 'react';
import { api, ApiError, normalizeField } from '../shared/api';
import { parseYuan } from '../shared/money';
import { navigate } from '../shared/router';
import { ErrorBox, Field, FieldError, toast } from '../shared/ui';
import { useI18n } from '../i18n';

interface SkuDraft { code: string; attrs: Record<string, string>; price: string; stock: string }
/** Field errors this form shows next to an input. */
const SHOWN_FIELD = /^(title|titleEn|brand|category|description|skus|skus\.\d+\.(code|price|price\.amount|stock|attributes\..+))$/;
const emptySku = (): SkuDraft => ({ code: '', attrs: {}, price: '', stock: '' });

export function NewProductForm({ mid }: { mid: string }) {
  const { t } = useI18n();
  const [basics, setBasics] = useState({ title: '', titleEn: '', brand: '', category: '', description: '' });
  const [attrNames, setAttrNames] = useState('');
  const [skus, setSkus] = useState<SkuDraft[]>([emptySku()]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const names = attrNames.split(/[,，]/).map((s) => s.trim()).filter(Boolean);

  const setSku = (i: number, patch: Partial<SkuDraft>) => setSkus(skus.map((s, j) => (j === i ? { ...s, ...patch } : s)));

  const validate = (): Record<string, string> => {
    const e: Record<string, string> = {};
    if (!basics.title.trim()) e.title = t('required');
    skus.forEach((s, i) => {
      if (parseYuan(s.price) === null) e[`skus.${i}.price`] = t('invalidPrice');
      if (!/^\d{1,9}$/.test(s.stock.trim())) e[`skus.${i}.stock`] = t('invalidStock');
      names.forEach((n) => { if (!s.attrs[n]?.trim()) e[`skus.${i}.attributes.${n}`] = t('required'); });
    });
    return e;
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const e = validate();
    setErrors(e);
    setError(undefined);
    if (Object.keys(e).length) return;
    const opt = (s: string) => s.trim() || undefined;
    const body = {
      title: basics.title.trim(), titleEn: opt(basics.titleEn), brand: opt(basics.brand),
      category: opt(basics.category), description: opt(basics.description),
      skus: skus.map((s) => ({
        code: opt(s.code),
        attributes: names.length ? Object.fromEntries(names.map((n) => [n, s.attrs[n].trim()])) : undefined,
        price: { amount: parseYuan(s.price)!, currency: 'CNY' },
        stock: Number(s.stock.trim()),
      })),
    };
    setBusy(true);
    try {
      await api.post(`/merchants/${encodeURIComponent(mid)}/products`, body);
      toast(t('published'));
      navigate(`/merchant/products?m=${encodeURIComponent(mid)}`);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) {
        const fe: Record<string, string> = {};
        for (const x of err.problem.errors ?? []) fe[normalizeField(x.field)] = x.message;
        setErrors(fe);
      }
      setBusy(false);
    }
  };

  const b = (k: keyof typeof basics) => ({ value: basics[k], onChange: (e: { target: { value: string } }) => setBasics({ ...basics, [k]: e.target.value }) });
  return (
    <form className="card panel new-product" onSubmit={submit} data-testid="new-product-form">
      <div className="form-grid">
        <Field label={t('title')} error={errors.title}><input {...b('title')} data-testid="np-title" /></Field>
        <Field label={t('titleEn')} error={errors.titleEn}><input {...b('titleEn')} /></Field>
        <Field label={t('brandName')} error={errors.brand}><input {...b('brand')} data-testid="np-brand" /></Field>
        <Field label={t('categoryPath')} error={errors.category} hint={t('categoryPathHint')}><input {...b('category')} data-testid="np-category" /></Field>
        <div className="wide"><Field label={t('description')} error={errors.description}><textarea rows={3} {...b('description')} /></Field></div>
        <div className="wide"><Field label={t('attrNames')} hint={t('attrNamesHint')}><input value={attrNames} onChange={(e) => setAttrNames(e.target.value)} data-testid="np-attrs" /></Field></div>
      </div>
      <h4>{t('skuList')}</h4>
      <table className="table sku-draft-table">
        <thead><tr><th>{t('skuCode')}</th>{names.map((n) => <th key={n}>{n}</th>)}<th>{t('priceYuan')}</th><th>{t('stockLabel')}</th><th /></tr></thead>
        <tbody>
          {skus.map((s, i) => (
            <tr key={i}>
              <td><input value={s.code} onChange={(e) => setSku(i, { code: e.target.value })} /><FieldError message={errors[`skus.${i}.code`]} /></td>
              {names.map((n) => (
                <td key={n}>
                  <input value={s.attrs[n] ?? ''} onChange={(e) => setSku(i, { attrs: { ...s.attrs, [n]: e.target.value } })} />
                  <FieldError message={errors[`skus.${i}.attributes.${n}`]} />
                </td>
              ))}
              <td><span className="yuan-input"><span>¥</span><input value={s.price} onChange={(e) => setSku(i, { price: e.target.value })} placeholder="0.00" /></span>
                <FieldError message={errors[`skus.${i}.price`] ?? errors[`skus.${i}.price.amount`]} /></td>
              <td><input className="stock-input" value={s.stock} onChange={(e) => setSku(i, { stock: e.target.value })} placeholder="0" /><FieldError message={errors[`skus.${i}.stock`]} /></td>
              <td>{skus.length > 1 && <button type="button" className="link-btn" onClick={() => setSkus(skus.filter((_, j) => j !== i))}>{t('delete')}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setSkus([...skus, emptySku()])}>{t('addSku')}</button>
      <FieldError message={errors.skus} />
      <ErrorBox error={error} omitFields={Object.keys(errors).filter((k) => SHOWN_FIELD.test(k))} />
      <div className="form-actions"><button className="btn btn-primary" disabled={busy} data-testid="np-submit">{t('publish')}</button></div>
    </form>
  );
}
