// 同义词: synonym groups, optionally limited to queries holding certain words; add and delete.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../shared/api';
import { useQuery } from '../shared/router';
import type { Synonym } from '../shared/search';
import { Empty, ErrorBox, Field, formatTime, Loading, toast } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';

/** "手机，mobile phone、 iPhone" -> ["手机", "mobile phone", "iPhone"] (commas, 、, ；, new lines; spaces stay inside terms). */
export function splitTerms(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[,，、;；\n]+/)) {
    const term = raw.trim().replace(/\s+/g, ' ');
    if (term && !out.some((x) => x.toLowerCase() === term.toLowerCase())) out.push(term);
  }
  return out;
}

export function SearchSynonyms() {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<{ items: Synonym[] }>('/admin/search/synonyms', { signal }), []);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<string>();
  const remove = async (s: Synonym) => {
    if (!window.confirm(t('synonymDeleteAsk'))) return;
    setBusy(s.id);
    setError(undefined);
    try {
      await api.del(`/admin/search/synonyms/${encodeURIComponent(s.id)}`);
      toast(t('synonymDeleted'));
      if (res.data) res.setData({ items: res.data.items.filter((x) => x.id !== s.id) });
    } catch (e) { setError(e); } finally { setBusy(undefined); }
  };
  return (
    <>
      <AddSynonymForm onAdded={(s) => { if (res.data) res.setData({ items: [...res.data.items, s] }); else res.reload(); }} />
      <div className="card panel" data-testid="synonyms-panel">
        <h4>{t('synonymsTitle')}</h4>
        <p className="muted small">{t('synonymsHint')}</p>
        <ErrorBox error={res.error ?? error} onRetry={res.error ? res.reload : undefined} />
        {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? <Empty>{t('noSynonyms')}</Empty> : (
          <table className="table">
            <thead><tr><th>{t('synonymTerms')}</th><th>{t('synonymWhenCol')}</th><th>{t('createdAt')}</th><th>{t('action')}</th></tr></thead>
            <tbody>
              {res.data?.items.map((s) => (
                <tr key={s.id} data-testid="synonym-row" data-synonym-id={s.id}>
                  <td><span className="term-list">{s.terms.map((x) => <span key={x} className="term">{x}</span>)}</span></td>
                  <td>{s.when?.length ? <span className="term-list">{s.when.map((x) => <span key={x} className="term term-when">{x}</span>)}</span> : <span className="muted">{t('synonymAlways')}</span>}</td>
                  <td className="small nowrap">{formatTime(s.createdAt)}</td>
                  <td><button className="link-btn" disabled={busy === s.id} onClick={() => remove(s)} data-testid="synonym-delete">{t('delete')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}

function AddSynonymForm({ onAdded }: { onAdded: (s: Synonym) => void }) {
  const { t } = useI18n();
  const query = useQuery();
  const [terms, setTerms] = useState(query.get('terms') ?? '');
  const [when, setWhen] = useState('');
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const list = splitTerms(terms);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const whenList = splitTerms(when);
    const errs: Record<string, string> = {};
    if (list.length < 2) errs.terms = t('synonymTooFew');
    setErrors(errs);
    if (errs.terms) return;
    setBusy(true);
    setError(undefined);
    try {
      const added = await api.post<Synonym>('/admin/search/synonyms', { terms: list, ...(whenList.length ? { when: whenList } : {}) });
      toast(t('synonymAdded'));
      onAdded({ ...added, createdAt: added.createdAt ?? new Date().toISOString() });
      setTerms('');
      setWhen('');
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrors({ terms: err.fieldMessage('terms'), when: err.fieldMessage('when') });
    } finally { setBusy(false); }
  };
  return (
    <form className="card panel" onSubmit={submit} data-testid="synonym-form">
      <h4>{t('synonymAdd')}</h4>
      <div className="form-grid">
        <Field label={t('synonymTerms')} error={errors.terms} hint={t('synonymTermsHint')}>
          <input value={terms} onChange={(e) => setTerms(e.target.value)} data-testid="synonym-terms" placeholder="手机，mobile phone" />
        </Field>
        <Field label={t('synonymWhen')} error={errors.when} hint={t('synonymWhenHint')}>
          <input value={when} onChange={(e) => setWhen(e.target.value)} data-testid="synonym-when" />
        </Field>
      </div>
      {list.length > 0 && <div className="term-list preview-terms">{list.map((x) => <span key={x} className="term">{x}</span>)}</div>}
      <ErrorBox error={error} omitFields={['terms', 'when']} />
      <div className="form-actions">
        <button className="btn btn-primary" disabled={busy} data-testid="synonym-add">{t('synonymAdd')}</button>
      </div>
    </form>
  );
}
