import { useNavigate, useSearchParams } from '@solidjs/router';
import { Show, createSignal, type JSX } from 'solid-js';
import { request } from '../api/client.ts';
import type { User } from '../api/types.ts';
import { t } from '../i18n.ts';
import { LangSwitch } from '../components/Layout.tsx';
import { acceptSession } from '../session.ts';

/** accepting an invitation: the token from the link, a name and a password */
export function RegisterPage(): JSX.Element {
  const [params] = useSearchParams<{ token?: string }>();
  const navigate = useNavigate();
  const [name, setName] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal('');
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setError('');
    try {
      const res = await request<{ user: User }>('POST', '/auth/register', {
        body: { token: params.token ?? '', name: name(), password: password() },
        noRefresh: true,
      });
      acceptSession(res.user);
      navigate('/', { replace: true });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div class="login-page">
      <form class="login-card" onSubmit={submit}>
        <div class="row" style={{ 'justify-content': 'space-between' }}>
          <h1>{t('register.title')}</h1>
          <LangSwitch />
        </div>
        <label class="field">
          {t('users.name')}
          <input required name="name" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          {t('auth.password')}
          <input
            type="password"
            name="password"
            required
            minLength={8}
            autocomplete="new-password"
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <Show when={error()}>
          <div class="alert error">{error()}</div>
        </Show>
        <button class="btn primary" type="submit" data-testid="register-submit">
          {t('register.submit')}
        </button>
      </form>
    </div>
  );
}
