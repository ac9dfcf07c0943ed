import { useNavigate } from '@solidjs/router';
import { Show, createSignal, type JSX } from 'solid-js';
import { login } from '../session.ts';
import { t } from '../i18n.ts';
import { LangSwitch } from '../components/Layout.tsx';
import { ApiError } from '../api/client.ts';

export function LoginPage(): JSX.Element {
  const navigate = useNavigate();
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await login(email(), password());
      navigate('/', { replace: true });
    } catch (err) {
      // one message for a wrong e-mail or password: the server gives no hint which, neither do we
      setError(
        err instanceof ApiError && (err.status === 401 || err.status === 400)
          ? t('auth.invalid')
          : err instanceof ApiError && err.status === 429
            ? t('auth.rateLimited')
            : t('auth.failed'),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="login-page">
      <form class="login-card" onSubmit={submit} data-testid="login-form">
        <div class="row" style={{ 'justify-content': 'space-between' }}>
          <div class="brand" style={{ padding: 0, color: 'var(--text)' }}>
            <div class="brand-logo" style={{ color: '#fff' }}>
              Z
            </div>
            <div>
              ZETA<small>{t('app.subtitle')}</small>
            </div>
          </div>
          <LangSwitch />
        </div>
        <h1>{t('auth.title')}</h1>
        <label class="field">
          {t('auth.email')}
          <input
            type="email"
            name="email"
            autocomplete="username"
            required
            value={email()}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          {t('auth.password')}
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <Show when={error()}>
          <div class="alert error" role="alert" data-testid="login-error">
            {error()}
          </div>
        </Show>
        <button class="btn primary" type="submit" disabled={busy()} data-testid="login-submit">
          {busy() ? t('common.loading') : t('auth.signIn')}
        </button>
        <p class="muted small" style={{ margin: 0 }}>
          {t('auth.inviteOnly')}
        </p>
      </form>
    </div>
  );
}
