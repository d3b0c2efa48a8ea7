// 数据源授权: the consents partners hold for data they send (source, purposes, legal basis, notice version);
// record one, revoke one. Partner imports need a matching consent.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../shared/api';
import { valueLabel, type SourceConsent } from '../shared/people';
import { Empty, ErrorBox, Field, formatTime, Loading, toast } from '../shared/ui';
import { useAction, useAsync } from '../shared/useAsync';
import { useI18n } from '../i18n';

const PURPOSES = ['cross_source_fusion', 'personalization', 'marketing'] as const;

export function SourceConsents() {
  const { t } = useI18n();
  const res = useAsync((signal) => api.get<{ items: SourceConsent[] }>('/admin/source-consents', { signal }), []);
  const { busy, error, run } = useAction<string>();
  const revoke = (c: SourceConsent) => {
    if (!window.confirm(t('revokeConsentAsk', { source: c.source }))) return;
    return run(c.id, async () => {
      await api.del(`/admin/source-consents/${encodeURIComponent(c.id)}`);
      toast(t('consentRevoked'));
      res.reload();
    });
  };
  return (
    <>
      <ConsentForm onAdded={res.reload} />
      <div className="card panel" data-testid="source-consents">
        <h4>{t('sourceConsentsTitle')}</h4>
        <p className="muted small">{t('sourceConsentsHint')}</p>
        <ErrorBox error={res.error ?? error} onRetry={res.error ? res.reload : undefined} />
        {res.loading && !res.data ? <Loading /> : res.data?.items.length === 0 ? <Empty>{t('noSourceConsents')}</Empty> : (
          <table className="table sc-table">
            <thead><tr><th>{t('sourceName')}</th><th>{t('purposes')}</th><th>{t('legalBasis')}</th><th>{t('noticeVersion')}</th><th>{t('recordedAt')}</th><th>{t('status')}</th><th>{t('action')}</th></tr></thead>
            <tbody>
              {res.data?.items.map((c) => (
                <tr key={c.id} data-testid="source-consent-row">
                  <td><b>{c.source}</b><div className="mono small muted">{c.id}</div></td>
                  <td>{c.purposes.map((p) => <span key={p} className="pill pill-grey">{valueLabel('purpose', p)}</span>)}</td>
                  <td className="small">{c.basis}</td>
                  <td className="small">{c.noticeVersion}</td>
                  <td className="small nowrap">{formatTime(c.recordedAt)}</td>
                  <td>{c.revokedAt ? <span className="pill pill-red">{t('revokedAt', { at: formatTime(c.revokedAt) })}</span> : <span className="pill pill-green">{t('consentActive')}</span>}</td>
                  <td>{!c.revokedAt && <button className="link-btn" disabled={busy === c.id} onClick={() => revoke(c)} data-testid="source-consent-revoke">{t('revoke')}</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}

function ConsentForm({ onAdded }: { onAdded: () => void }) {
  const { t } = useI18n();
  const [source, setSource] = useState('');
  const [purposes, setPurposes] = useState<string[]>(['cross_source_fusion']);
  const [basis, setBasis] = useState('');
  const [noticeVersion, setNoticeVersion] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    return run(true, async () => {
      await api.post('/admin/source-consents', { source: source.trim(), purposes, basis: basis.trim(), noticeVersion: noticeVersion.trim() });
      toast(t('consentRecorded'));
      setSource('');
      setBasis('');
      setNoticeVersion('');
      onAdded();
    });
  };
  const fe = (f: string) => (error instanceof ApiError ? error.fieldMessage(f) : undefined);
  return (
    <form className="card panel" onSubmit={submit} data-testid="source-consent-form">
      <h4>{t('recordConsent')}</h4>
      <div className="form-grid">
        <Field label={t('sourceName')} error={fe('source')}>
          <input value={source} onChange={(e) => setSource(e.target.value)} required placeholder="partner_xyz" data-testid="sc-source" />
        </Field>
        <Field label={t('noticeVersion')} error={fe('noticeVersion')}>
          <input value={noticeVersion} onChange={(e) => setNoticeVersion(e.target.value)} required placeholder="2024-06" data-testid="sc-notice" />
        </Field>
        <Field label={t('legalBasis')} error={fe('basis')} hint={t('legalBasisHint')}>
          <input value={basis} onChange={(e) => setBasis(e.target.value)} required data-testid="sc-basis" />
        </Field>
        <div className="field">
          <span className="field-label">{t('purposes')}</span>
          <div className="check-row">
            {PURPOSES.map((p) => (
              <label key={p}>
                <input type="checkbox" checked={purposes.includes(p)} data-testid={`sc-purpose-${p}`}
                  onChange={(e) => setPurposes(e.target.checked ? [...purposes, p] : purposes.filter((x) => x !== p))} />
                {valueLabel('purpose', p)}
              </label>
            ))}
          </div>
        </div>
      </div>
      <ErrorBox error={error} omitFields={['source', 'basis', 'noticeVersion']} />
      <div className="form-actions">
        <button className="btn btn-primary" disabled={busy || purposes.length === 0} data-testid="sc-submit">{t('recordConsent')}</button>
      </div>
    </form>
  );
}
