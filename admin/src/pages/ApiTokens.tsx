import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { api } from '../api/client.ts';
import { ROLES, type Role } from '../api/types.ts';
import { toast, toastError } from '../components/Toast.tsx';
import { ErrorBox, Modal } from '../components/ui.tsx';
import { formatDateTime, t, type MessageKey } from '../i18n.ts';
import { user } from '../session.ts';

type ApiToken = {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdByEmail?: string;
  createdAt: string;
  lastUsedAt?: string;
  expiresAt?: string;
  revokedAt?: string;
};

/** Long-lived tokens for testers and scripts (Botium, CI): the secret is shown once, right after creation. */
export default function ApiTokensPage(): JSX.Element {
  const [tokens, { refetch }] = createResource(async () => (await api.get<{ items: ApiToken[] }>('/api-tokens')).items);
  const [creating, setCreating] = createSignal(false);
  const [secret, setSecret] = createSignal<string>();
  const [name, setName] = createSignal('');
  const [role, setRole] = createSignal<Role>('designer');
  const [days, setDays] = createSignal('');
  const [error, setError] = createSignal<unknown>();
  // an admin grants every role but owner (hosts/admin/auth/roles.ts)
  const grantable = () => ROLES.filter((r) => user()?.role === 'owner' || r !== 'owner');
  const state = (tk: ApiToken) => {
    if (tk.revokedAt) return <span class="badge bad">{t('tokens.revoked')}</span>;
    if (tk.expiresAt && Date.parse(tk.expiresAt) <= Date.now())
      return <span class="badge bad">{t('tokens.expired')}</span>;
    return <span class="badge ok">{t('tokens.active')}</span>;
  };

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const expiresInDays = days().trim() === '' ? undefined : Number(days());
      const made = await api.post<{ token: string }>('/api-tokens', {
        name: name(),
        role: role(),
        ...(expiresInDays ? { expiresInDays } : {}),
      });
      setSecret(made.token);
      setName('');
      setDays('');
      void refetch();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (tk: ApiToken) => {
    if (!confirm(t('tokens.confirmRevoke', { name: tk.name }))) return;
    try {
      await api.del(`/api-tokens/${tk.id}`);
      toast(t('tokens.revokedToast'));
    } catch (err) {
      toastError(err);
    }
    void refetch();
  };

  return (
    <>
      <div class="page-head">
        <h1>{t('nav.apiTokens')}</h1>
        <div class="spacer" />
        <button
          class="btn primary"
          data-testid="token-new"
          onClick={() => {
            setSecret(undefined);
            setCreating(true);
          }}
        >
          + {t('tokens.create')}
        </button>
      </div>
      <p class="muted">{t('tokens.intro')}</p>
      <ErrorBox error={tokens.error} />
      <div class="card flush table-wrap">
        <table class="table" data-testid="tokens-table">
          <thead>
            <tr>
              <th>{t('tokens.name')}</th>
              <th>{t('users.role')}</th>
              <th>{t('tokens.token')}</th>
              <th>{t('users.status')}</th>
              <th class="hide-sm">{t('tokens.lastUsed')}</th>
              <th class="hide-sm">{t('users.created')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            <For
              each={tokens() ?? []}
              fallback={
                <tr>
                  <td colSpan={7} class="muted">
                    {t('tokens.none')}
                  </td>
                </tr>
              }
            >
              {(tk) => (
                <tr>
                  <td>
                    <b>{tk.name}</b>
                  </td>
                  <td>
                    <span class="badge">{t(`role.${tk.role}` as MessageKey)}</span>
                  </td>
                  <td>
                    <code>{tk.prefix}…</code>
                  </td>
                  <td>
                    {state(tk)}
                    <Show when={tk.expiresAt && !tk.revokedAt}>
                      {' '}
                      <span class="muted">
                        {t('users.expires')} {formatDateTime(tk.expiresAt!)}
                      </span>
                    </Show>
                  </td>
                  <td class="hide-sm muted">{tk.lastUsedAt ? formatDateTime(tk.lastUsedAt) : '—'}</td>
                  <td class="hide-sm muted">
                    {formatDateTime(tk.createdAt)}
                    {tk.createdByEmail ? ` · ${tk.createdByEmail}` : ''}
                  </td>
                  <td class="right nowrap">
                    <Show when={!tk.revokedAt && (user()?.role === 'owner' || tk.role !== 'owner')}>
                      <button class="btn sm danger" data-testid="token-revoke" onClick={() => void revoke(tk)}>
                        {t('tokens.revoke')}
                      </button>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <Show when={creating()}>
        <Modal title={t('tokens.create')} onClose={() => setCreating(false)}>
          <Show
            when={secret()}
            fallback={
              <form class="stack" onSubmit={create}>
                <label class="field">
                  {t('tokens.name')}
                  <input
                    required
                    maxLength={100}
                    value={name()}
                    onInput={(e) => setName(e.currentTarget.value)}
                    data-testid="token-name"
                    placeholder="Botium CI"
                  />
                </label>
                <label class="field">
                  {t('users.role')}
                  <select
                    value={role()}
                    onChange={(e) => setRole(e.currentTarget.value as Role)}
                    data-testid="token-role"
                  >
                    <For each={grantable()}>{(r) => <option value={r}>{t(`role.${r}` as MessageKey)}</option>}</For>
                  </select>
                </label>
                <label class="field">
                  {t('tokens.expiresInDays')}
                  <input
                    type="number"
                    min="1"
                    max="3650"
                    value={days()}
                    onInput={(e) => setDays(e.currentTarget.value)}
                    data-testid="token-days"
                  />
                </label>
                <ErrorBox error={error()} />
                <div class="row" style={{ 'justify-content': 'flex-end' }}>
                  <button class="btn primary" type="submit" data-testid="token-create">
                    {t('tokens.create')}
                  </button>
                </div>
              </form>
            }
          >
            <div class="stack">
              <div class="alert ok">{t('tokens.shownOnce')}</div>
              <label class="field">
                {t('tokens.token')}
                <input readOnly value={secret()} onFocus={(e) => e.currentTarget.select()} data-testid="token-secret" />
              </label>
              <button
                class="btn"
                onClick={() => void navigator.clipboard?.writeText(secret() ?? '').then(() => toast(t('users.copied')))}
              >
                {t('tokens.copy')}
              </button>
            </div>
          </Show>
        </Modal>
      </Show>
    </>
  );
}
