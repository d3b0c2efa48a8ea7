// Sign in / register, with the demo note when the server runs the demo marketplace.
import { useState, type FormEvent } from 'react';
import { Icon } from '../shared/Icon';
import { api, ApiError } from '../shared/api';
import { useAuth } from '../shared/auth';
import { navigate, useQuery } from '../shared/router';
import { ErrorBox, Field } from '../shared/ui';
import { useAsync } from '../shared/useAsync';
import type { User } from '../shared/types';
import { useI18n } from '../i18n';

export function LoginPage() {
  const { t } = useI18n();
  const q = useQuery();
  const { signIn } = useAuth();
  const [mode, setMode] = useState<'login' | 'register'>(q.get('mode') === 'register' ? 'register' : 'login');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const health = useAsync((signal) => api.get<{ status: string; demo?: boolean }>('/health', { signal }), []);
  const next = q.get('next');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = mode === 'login' ? { email: email.trim(), password } : { email: email.trim(), password, name: name.trim() || undefined };
      const r = await api.post<{ token: string; user: User }>(`/auth/${mode}`, body);
      signIn(r.token, r.user);
      navigate(next && next.startsWith('/') && !next.startsWith('/login') ? next : '/', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const fieldErr = (f: string) => (error instanceof ApiError ? error.fieldMessage(f) : undefined);

  return (
    <div className="login-page">
      <div className="container login-inner">
        <div className="login-promo">
          <h1>{t('brand')}</h1>
          <p>{t('slogan')}</p>
          <ul><li>{t('promiseGenuine')}</li><li>{t('promiseReturns')}</li><li>{t('promiseFast')}</li><li>{t('promiseSafe')}</li></ul>
        </div>
        <form className="login-card card" onSubmit={submit} data-testid="login-form">
          <div className="login-tabs">
            <button type="button" className={mode === 'login' ? 'on' : ''} onClick={() => setMode('login')}>{t('login')}</button>
            <button type="button" className={mode === 'register' ? 'on' : ''} onClick={() => setMode('register')}>{t('register')}</button>
          </div>
          <h2>{mode === 'login' ? t('loginTitle') : t('registerTitle')}</h2>
          <Field label={t('email')} error={fieldErr('email')}>
            <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="login-email" required />
          </Field>
          <Field label={t('password')} error={fieldErr('password')}>
            <input type="password" autoComplete={mode === 'login' ? 'current-password' : 'new-password'} value={password}
              onChange={(e) => setPassword(e.target.value)} data-testid="login-password" required />
          </Field>
          {mode === 'register' && (
            <Field label={t('nickname')} error={fieldErr('name')}>
              <input value={name} onChange={(e) => setName(e.target.value)} data-testid="login-name" />
            </Field>
          )}
          <ErrorBox error={error} omitFields={['email', 'password', 'name']} />
          <button className="btn btn-primary btn-block" disabled={busy} data-testid="login-submit">
            {mode === 'login' ? t('login') : t('register')}
          </button>
          <button type="button" className="link-btn" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>
            {mode === 'login' ? t('noAccount') : t('haveAccount')}
          </button>
          {health.data?.demo && <div className="demo-note" data-testid="demo-note"><Icon name="bulb" /> {t('demoNote')}</div>}
        </form>
      </div>
    </div>
  );
}
