// Create merchant: name, kind, owner email, commission %.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../shared/api';
import { parsePercent } from '../shared/money';
import { ErrorBox, Field, toast } from '../shared/ui';
import { useI18n } from '../i18n';

export function CreateMerchantForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ name: '', kind: 'marketplace', ownerEmail: '', rate: '5' });
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const bps = parsePercent(form.rate);
    const errs: Record<string, string> = {};
    if (!form.name.trim()) errs.name = t('required');
    if (!/^\S+@\S+\.\S+$/.test(form.ownerEmail.trim())) errs.ownerEmail = t('invalidEmail');
    if (bps === null) errs.commissionRateBps = t('invalidPercent');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/admin/merchants', { name: form.name.trim(), kind: form.kind, ownerEmail: form.ownerEmail.trim(), commissionRateBps: bps });
      toast(t('created'));
      setForm({ name: '', kind: 'marketplace', ownerEmail: '', rate: '5' });
      setOpen(false);
      onCreated();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrors({ name: err.fieldMessage('name'), ownerEmail: err.fieldMessage('ownerEmail'), commissionRateBps: err.fieldMessage('commissionRateBps'), kind: err.fieldMessage('kind') });
    } finally {
      setBusy(false);
    }
  };

  if (!open) return <div className="panel-tools"><button className="btn btn-primary" onClick={() => setOpen(true)} data-testid="create-merchant-open">+ {t('createMerchant')}</button></div>;
  return (
    <form className="card panel" onSubmit={submit} data-testid="create-merchant-form">
      <h4>{t('createMerchant')}</h4>
      <div className="form-grid four">
        <Field label={t('merchantName')} error={errors.name}><input value={form.name} onChange={set('name')} /></Field>
        <Field label={t('kind')} error={errors.kind}>
          <select value={form.kind} onChange={set('kind')}>
            <option value="marketplace">{t('marketplace')}</option>
            <option value="self_operated">{t('selfOperated')}</option>
          </select>
        </Field>
        <Field label={t('ownerEmail')} error={errors.ownerEmail}><input type="email" value={form.ownerEmail} onChange={set('ownerEmail')} /></Field>
        <Field label={t('commissionPercent')} error={errors.commissionRateBps}><input value={form.rate} onChange={set('rate')} /></Field>
      </div>
      <ErrorBox error={error} omitFields={['name', 'kind', 'ownerEmail', 'commissionRateBps']} />
      <div className="form-actions">
        <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)}>{t('cancel')}</button>
        <button className="btn btn-primary" disabled={busy}>{t('create')}</button>
      </div>
    </form>
  );
}
