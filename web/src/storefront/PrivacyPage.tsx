// 隐私中心: the shopper's switches (personalisation, marketing, cross-source fusion) with their history,
// tags with where each came from (deletable), a profile summary, the data export and account erasure.
import { useState, type FormEvent } from 'react';
import { api, ApiError, download } from '../shared/api';
import { useAuth } from '../shared/auth';
import { valueLabel, type MyProfile, type PrivacyState, type Purpose, type Tag } from '../shared/people';
import { ProfileSummaryView, TagList } from '../shared/ProfileView';
import { navigate } from '../shared/router';
import { ErrorBox, Field, formatTime, Loading, Modal, Switch, toast } from '../shared/ui';
import { useAction, useAsync, type AsyncState } from '../shared/useAsync';
import { useI18n, type MsgKey } from '../i18n';

const PURPOSES: { purpose: Purpose; label: MsgKey; hint: MsgKey }[] = [
  { purpose: 'personalization', label: 'consent_personalization', hint: 'consentHint_personalization' },
  { purpose: 'marketing', label: 'consent_marketing', hint: 'consentHint_marketing' },
  { purpose: 'crossSourceFusion', label: 'consent_crossSourceFusion', hint: 'consentHint_crossSourceFusion' },
];

export function PrivacyPage() {
  const { t } = useI18n();
  const profile = useAsync((signal) => api.get<MyProfile>('/me/profile', { signal }), []);
  const privacy = useAsync((signal) => api.get<PrivacyState>('/me/privacy', { signal }), []);
  return (
    <div className="container privacy-page" data-testid="privacy-page">
      <h2 className="page-title">{t('privacyCentre')}</h2>
      <div className="privacy-top">
        <ConsentPanel privacy={privacy} />
        <MyDataPanel />
      </div>
      <div className="card panel">
        <h4>{t('myTags')}</h4>
        <p className="muted small">{t('myTagsHint')}</p>
        <ErrorBox error={profile.error} onRetry={profile.reload} />
        {profile.data ? <MyTags profile={profile} /> : !profile.error && <Loading />}
      </div>
      <div className="card panel">
        <h4>{t('myProfile')}</h4>
        {profile.data ? <ProfileSummaryView summary={profile.data.summary} /> : !profile.error && <Loading />}
      </div>
      {privacy.data && <ConsentHistory history={privacy.data.history} />}
    </div>
  );
}

function ConsentPanel({ privacy }: { privacy: AsyncState<PrivacyState> }) {
  const { t } = useI18n();
  const { busy, error, run } = useAction<Purpose>();
  const set = (purpose: Purpose, on: boolean) => run(purpose, async () => {
    privacy.setData(await api.put<PrivacyState>('/me/privacy', { [purpose]: on }));
    toast(on ? t('switchedOn') : t('switchedOff'));
  });
  const consents = privacy.data?.consents;
  return (
    <div className="card panel" data-testid="consent-panel">
      <h4>{t('privacySwitches')}</h4>
      <ErrorBox error={privacy.error ?? error} onRetry={privacy.error ? privacy.reload : undefined} />
      {!consents ? !privacy.error && <Loading /> : PURPOSES.map((p) => (
        <div key={p.purpose} className="switch-row">
          <div><b>{t(p.label)}</b><small>{t(p.hint)}</small></div>
          <Switch on={consents[p.purpose]} disabled={!!busy} label={t(p.label)} onChange={(on) => set(p.purpose, on)} testId={`consent-${p.purpose}`} />
        </div>
      ))}
      <p className="privacy-explain">{t('privacyExplain')}</p>
    </div>
  );
}

function MyTags({ profile }: { profile: AsyncState<MyProfile> }) {
  const { t, localized } = useI18n();
  const { busy, error, run } = useAction<string>();
  const remove = (tag: Tag) => {
    if (!window.confirm(t('tagDeleteAsk', { label: localized(tag.label, tag.labelEn) }))) return;
    return run(tag.id, async () => {
      await api.del(`/me/profile/tags/${encodeURIComponent(tag.id)}`);
      const p = profile.data!;
      profile.setData({ ...p, tags: p.tags.filter((x) => x.id !== tag.id) });
      toast(t('tagDeleted'));
    });
  };
  return (
    <>
      <ErrorBox error={error} />
      <TagList tags={profile.data!.tags} onDelete={remove} busy={busy} />
    </>
  );
}

function ConsentHistory({ history }: { history: PrivacyState['history'] }) {
  const { t } = useI18n();
  return (
    <div className="card panel" data-testid="consent-history">
      <h4>{t('consentHistory')}</h4>
      {history.length === 0 ? <p className="muted">{t('empty')}</p> : (
        <table className="table">
          <thead><tr><th>{t('time')}</th><th>{t('purpose')}</th><th>{t('decision')}</th><th>{t('via')}</th><th>{t('noticeVersion')}</th></tr></thead>
          <tbody>
            {history.map((h, i) => (
              <tr key={i} data-testid="consent-history-row">
                <td className="small nowrap">{formatTime(h.at)}</td>
                <td>{valueLabel('consent', h.purpose)}</td>
                <td><span className={`pill ${h.granted ? 'pill-green' : 'pill-grey'}`}>{h.granted ? t('granted') : t('withdrawn')}</span></td>
                <td className="small">{valueLabel('via', h.via)}</td>
                <td className="small">{h.noticeVersion}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function MyDataPanel() {
  const { t } = useI18n();
  const { busy, error, run } = useAction();
  const [erasing, setErasing] = useState(false);
  const exportData = () => run(true, () => download('/me/data-export', 'quanyu-my-data.json'));
  return (
    <div className="card panel my-data">
      <h4>{t('myData')}</h4>
      <p className="muted small">{t('exportHint')}</p>
      <button className="btn btn-ghost" disabled={busy} onClick={exportData} data-testid="data-export">{t('downloadMyData')}</button>
      <ErrorBox error={error} />
      <h4 className="danger-title">{t('deleteAccount')}</h4>
      <p className="muted small">{t('deleteAccountHint')}</p>
      <button className="btn btn-danger" onClick={() => setErasing(true)} data-testid="erase-open">{t('deleteAccount')}</button>
      {erasing && <EraseDialog onClose={() => setErasing(false)} />}
    </div>
  );
}

function EraseDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { signOut } = useAuth();
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    return run(true, async () => {
      await api.post('/me/erasure', { password });
      signOut();
      navigate('/');
      toast(t('accountErased'));
    });
  };
  const wrongPassword = error instanceof ApiError && error.status === 401;
  return (
    <Modal title={t('deleteAccount')} onClose={onClose} testId="erase-dialog">
      <form onSubmit={submit}>
        <p className="erase-warning">{t('deleteAccountWarning')}</p>
        <Field label={t('confirmPassword')} error={wrongPassword ? t('wrongPassword') : undefined}>
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required data-testid="erase-password" />
        </Field>
        {!wrongPassword && <ErrorBox error={error} omitFields={['password']} />}
        <div className="form-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('cancel')}</button>
          <button className="btn btn-danger" disabled={busy || !password} data-testid="erase-submit">{t('deleteAccountConfirm')}</button>
        </div>
      </form>
    </Modal>
  );
}
