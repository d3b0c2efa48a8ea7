// Small presentational pieces shared by all areas.
import { useEffect, useState, type ReactNode } from 'react';
import { Icon } from './Icon';
import { ApiError, normalizeField } from './api';
import { splitFen } from './money';
import type { Money } from './types';
import { hasKey, t, useI18n } from '../i18n';

/** Red price with a small ¥ and small fen: ¥129.00 */
export function Price({ value, size = 'md', strike = false }: { value: Money | number; size?: 'sm' | 'md' | 'lg' | 'xl'; strike?: boolean }) {
  const fen = typeof value === 'number' ? value : value.amount;
  const { sign, yuan, cents } = splitFen(fen);
  return (
    <span className={`price price-${size}${strike ? ' price-strike' : ''}`}>
      {sign}<small>¥</small>{yuan}<small>.{cents}</small>
    </span>
  );
}

export function Loading() {
  const { t } = useI18n();
  return <div className="loading"><span className="spinner" />{t('loading')}</div>;
}

/** Shows a problem+json error: title, detail and any field errors not shown elsewhere. */
/** `omitFields` lists field errors the form already shows next to its inputs. */
export function ErrorBox({ error, onRetry, omitFields }: { error: unknown; onRetry?: () => void; omitFields?: string[] }) {
  const { t } = useI18n();
  if (!error) return null;
  const p = error instanceof ApiError ? error.problem : { title: String((error as Error)?.message ?? error) };
  const fieldErrors = (p.errors ?? []).filter((e) => !omitFields?.includes(normalizeField(e.field)));
  return (
    <div className="error-box" role="alert" data-testid="error-box">
      <strong>{problemTitle(p)}</strong>
      {p.detail && p.detail !== p.title && <span className="error-detail">{p.detail}</span>}
      {fieldErrors.length > 0 && (
        <ul>{fieldErrors.map((e, i) => <li key={i}><code>{e.field}</code> {e.message}</li>)}</ul>
      )}
      {onRetry && <button className="btn btn-link" onClick={onRetry}>{t('retry')}</button>}
    </div>
  );
}

export function FieldError({ message }: { message?: string | null }) {
  return message ? <div className="field-error">{message}</div> : null;
}

export function Field({ label, error, children, hint }: { label: string; error?: string | null; hint?: string; children: ReactNode }) {
  return (
    <label className={`field${error ? ' field-invalid' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {hint && !error && <span className="field-hint">{hint}</span>}
      <FieldError message={error} />
    </label>
  );
}

export function Pagination({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (p: number) => void }) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const nums = pageWindow(page, pages);
  return (
    <nav className="pagination">
      <button className="page-btn" disabled={page <= 1} onClick={() => onPage(page - 1)}>‹ {t('prevPage')}</button>
      {nums.map((n, i) => n === 0
        ? <span key={`gap${i}`} className="page-gap">…</span>
        : <button key={n} className={`page-btn${n === page ? ' active' : ''}`} onClick={() => onPage(n)}>{n}</button>)}
      <button className="page-btn" disabled={page >= pages} onClick={() => onPage(page + 1)}>{t('nextPage')} ›</button>
      <span className="page-info">{t('pageOf', { page, pages })}</span>
    </nav>
  );
}

function pageWindow(page: number, pages: number): number[] {
  const out: number[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 2) out.push(n);
    else if (out[out.length - 1] !== 0) out.push(0);
  }
  return out;
}

export function Modal({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') onClose(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div className="modal" role="dialog" aria-label={title} data-testid={testId}>
        <div className="modal-head"><h3>{title}</h3><button className="modal-x" onClick={onClose} aria-label="close">×</button></div>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}

export function SelfBadge({ kind }: { kind?: string | null }) {
  const { t } = useI18n();
  return kind === 'self_operated' ? <span className="badge badge-self">{t('selfOperated')}</span> : null;
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return <div className="empty"><div className="empty-icon"><Icon name="box" size={48} /></div>{children ?? t('empty')}</div>;
}

function problemTitle(p: { code?: string; title?: string }): string {
  const key = `err_${p.code}`;
  return p.code && hasKey(key) ? t(key) : p.title ?? '';
}

// A one-line toast message at the top of the page.
let showToastImpl: (msg: string) => void = () => {};
export function toast(msg: string): void { showToastImpl(msg); }

export function ToastHost() {
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    showToastImpl = (m) => { setMsg(m); clearTimeout(timer); timer = setTimeout(() => setMsg(null), 2200); };
    return () => { clearTimeout(timer); showToastImpl = () => {}; };
  }, []);
  return msg ? <div className="toast" role="status" data-testid="toast">{msg}</div> : null;
}

export function formatTime(iso?: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A time as a datetime-local input wants it, in the browser's time zone. */
export function localDateTimeInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function attrText(attrs?: Record<string, string> | null): string {
  return attrs ? Object.entries(attrs).map(([k, v]) => `${k}：${v}`).join('  ') : '';
}

/** An on/off switch (a button with role="switch"). */
export function Switch({ on, onChange, disabled, label, testId }: { on: boolean; onChange: (on: boolean) => void; disabled?: boolean; label: string; testId?: string }) {
  return (
    <button type="button" role="switch" aria-checked={on} aria-label={label} className={`switch${on ? ' on' : ''}`} disabled={disabled}
      onClick={() => onChange(!on)} data-testid={testId}>
      <span className="switch-knob" />
    </button>
  );
}
