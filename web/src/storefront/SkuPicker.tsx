// Attribute-value picker: choose 颜色/容量… and get the matching SKU.
import type { Attrs, Sku } from '../shared/types';

export function attributeKeys(skus: Sku[]): string[] {
  const keys: string[] = [];
  for (const s of skus) for (const k of Object.keys(s.attributes ?? {})) if (!keys.includes(k)) keys.push(k);
  return keys;
}

function valuesOf(skus: Sku[], key: string): string[] {
  const vals: string[] = [];
  for (const s of skus) {
    const v = s.attributes?.[key];
    if (v !== undefined && !vals.includes(v)) vals.push(v);
  }
  return vals;
}

export function findSku(skus: Sku[], sel: Attrs): Sku | undefined {
  const keys = attributeKeys(skus);
  return skus.find((s) => keys.every((k) => (s.attributes?.[k] ?? undefined) === sel[k]));
}

/** The attributes of the first SKU in stock (or the first SKU), as the initial choice. */
export function initialSelection(skus: Sku[]): Attrs {
  const s = skus.find((x) => x.stock > 0) ?? skus[0];
  return { ...(s?.attributes ?? {}) };
}

interface Props { skus: Sku[]; selection: Attrs; onChange: (sel: Attrs) => void }

export function SkuPicker({ skus, selection, onChange }: Props) {
  const keys = attributeKeys(skus);
  const pick = (key: string, value: string) => {
    const next = { ...selection, [key]: value };
    const exact = findSku(skus, next);
    if (exact && exact.stock > 0) return onChange(next);
    // Otherwise jump to an in-stock SKU that has this value.
    const alt = skus.find((s) => s.stock > 0 && s.attributes?.[key] === value);
    onChange(alt ? { ...(alt.attributes ?? {}) } : next);
  };
  return (
    <div className="sku-picker">
      {keys.map((key) => (
        <div className="sku-row" key={key}>
          <span className="sku-key">{key}</span>
          <div className="sku-values">
            {valuesOf(skus, key).map((value) => {
              const inStock = skus.some((s) => s.stock > 0 && s.attributes?.[key] === value);
              const fits = skus.some((s) => s.stock > 0 && s.attributes?.[key] === value
                && keys.every((k) => k === key || selection[k] === undefined || s.attributes?.[k] === selection[k]));
              const on = selection[key] === value;
              return (
                <button key={value} type="button" data-testid="sku-option" data-attr={key} data-value={value}
                  className={`sku-option${on ? ' on' : ''}${fits ? '' : ' dim'}`}
                  disabled={!inStock} aria-pressed={on} onClick={() => pick(key, value)}>
                  {value}
                </button>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}

export function QuantityStepper({ value, max, onChange }: { value: number; max: number; onChange: (n: number) => void }) {
  const clamp = (n: number) => Math.max(1, Math.min(Math.max(1, max), Math.floor(n) || 1));
  return (
    <span className="stepper">
      <button type="button" data-testid="qty-minus" disabled={value <= 1} onClick={() => onChange(clamp(value - 1))}>−</button>
      <input data-testid="qty-input" inputMode="numeric" value={value} onChange={(e) => onChange(clamp(Number(e.target.value)))} />
      <button type="button" data-testid="qty-plus" disabled={value >= max} onClick={() => onChange(clamp(value + 1))}>+</button>
    </span>
  );
}
