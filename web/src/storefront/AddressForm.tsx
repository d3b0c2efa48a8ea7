// Shipping address form with client-side checks; server field errors shown per field.
import type { ApiError } from '../shared/api';
import { Field } from '../shared/ui';
import type { Address } from '../shared/types';
import { t, useI18n, type MsgKey } from '../i18n';

const ADDRESS_KEY = 'quanyu.address';

export function savedAddress(): Address {
  try {
    const a = JSON.parse(localStorage.getItem(ADDRESS_KEY) ?? 'null') as Address | null;
    if (a && typeof a.name === 'string') return a;
  } catch { /* ignore */ }
  return { name: '', phone: '', region: '', line1: '' };
}

export function rememberAddress(a: Address): void {
  localStorage.setItem(ADDRESS_KEY, JSON.stringify(a));
}

export type AddressErrors = Partial<Record<keyof Address, string>>;

export function validateAddress(a: Address): AddressErrors {
  const e: AddressErrors = {};
  const req = (k: keyof Address) => { if (!a[k].trim()) e[k] = t('required'); };
  req('name'); req('region'); req('line1');
  if (!/^1\d{10}$/.test(a.phone.trim())) e.phone = t('invalidPhone');
  return e;
}

interface Props { value: Address; onChange: (a: Address) => void; errors: AddressErrors; serverError?: ApiError }

const FIELDS: { key: keyof Address; label: MsgKey; placeholder?: MsgKey; wide?: boolean }[] = [
  { key: 'name', label: 'recipient' },
  { key: 'phone', label: 'phone' },
  { key: 'region', label: 'region', placeholder: 'regionPlaceholder', wide: true },
  { key: 'line1', label: 'line1', placeholder: 'line1Placeholder', wide: true },
];

export function AddressForm({ value, onChange, errors, serverError }: Props) {
  const { t } = useI18n();
  return (
    <div className="address-form">
      {FIELDS.map((f) => (
        <div key={f.key} className={f.wide ? 'wide' : ''}>
          <Field label={t(f.label)} error={errors[f.key] ?? serverError?.fieldMessage(`address.${f.key}`)}>
            <input
              data-testid={`address-${f.key}`}
              value={value[f.key]}
              placeholder={f.placeholder ? t(f.placeholder) : ''}
              inputMode={f.key === 'phone' ? 'tel' : undefined}
              maxLength={f.key === 'phone' ? 11 : 120}
              onChange={(e) => onChange({ ...value, [f.key]: e.target.value })}
            />
          </Field>
        </div>
      ))}
    </div>
  );
}
