import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { api } from '../api/client.ts';
import { ROLES, type Role, type User } from '../api/types.ts';
import { toast, toastError } from '../components/Toast.tsx';
import { ErrorBox, Modal } from '../components/ui.tsx';
import { formatDateTime, t, type MessageKey } from '../i18n.ts';
import { hasRole, user } from '../session.ts';

type Invitation = { email: string; role: Role; expiresAt: string; invitedBy?: string; token?: string };

export default function UsersPage(): JSX.Element {
  const isOwner = () => hasRole(['owner']);
  const [users, { refetch }] = createResource(async () => (await api.get<{ items: User[] }>('/users')).items);
  const [invites, { refetch: refetchInvites }] = createResource(isOwner, async (owner) =>
    owner ? (await api.get<{ items: Invitation[] }>('/users/invitations')).items : [],
  );
  const [inviting, setInviting] = createSignal(false);
  const [created, setCreated] = createSignal<Invitation>();
  const [email, setEmail] = createSignal('');
  const [role, setRole] = createSignal<Role>('manager');
  const [error, setError] = createSignal<unknown>();
  // an admin manages everyone but owners; only an owner touches an owner (hosts/admin/auth/roles.ts)
  const mayManage = (target: Role) => user()?.role === 'owner' || (user()?.role === 'admin' && target !== 'owner');
  const assignable = () => ROLES.filter((r) => user()?.role === 'owner' || r !== 'owner');

  const update = async (u: User, patch: Partial<Pick<User, 'role' | 'isActive'>>) => {
    try {
      await api.put(`/users/${u.id}`, patch);
      toast(t('common.saved'));
    } catch (e) {
      toastError(e);
    }
    void refetch();
  };
  const remove = async (u: User) => {
    if (!confirm(t('users.confirmDelete', { email: u.email }))) return;
    try {
      await api.del(`/users/${u.id}`);
      void refetch();
    } catch (e) {
      toastError(e);
    }
  };
  const invite = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const inv = await api.post<Invitation>('/users/invitations', { email: email(), role: role() });
      setCreated(inv);
      setEmail('');
      void refetchInvites();
    } catch (err) {
      setError(err);
    }
  };
  const link = () =>
    `${location.origin}${import.meta.env.BASE_URL}register?token=${encodeURIComponent(created()?.token ?? '')}`;

  return (
    <>
      <div class="page-head">
        <h1>{t('nav.users')}</h1>
        <div class="spacer" />
        <Show when={isOwner()}>
          <button
            class="btn primary"
            data-testid="user-invite"
            onClick={() => {
              setCreated(undefined);
              setInviting(true);
            }}
          >
            + {t('users.invite')}
          </button>
        </Show>
      </div>
      <ErrorBox error={users.error} />
      <div class="card flush table-wrap">
        <table class="table" data-testid="users-table">
          <thead>
            <tr>
              <th>{t('users.name')}</th>
              <th>E-mail</th>
              <th>{t('users.role')}</th>
              <th>{t('users.status')}</th>
              <th class="hide-sm">{t('users.created')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            <For each={users() ?? []}>
              {(u) => (
                <tr>
                  <td>
                    <b>{u.name}</b>
                    <Show when={u.id === user()?.id}>
                      {' '}
                      <span class="badge info">{t('users.you')}</span>
                    </Show>
                  </td>
                  <td>{u.email}</td>
                  <td>
                    <Show
                      when={mayManage(u.role) && u.id !== user()?.id}
                      fallback={<span class="badge">{t(`role.${u.role}` as MessageKey)}</span>}
                    >
                      <select
                        value={u.role}
                        onChange={(e) => void update(u, { role: e.currentTarget.value as Role })}
                        aria-label={t('users.role')}
                      >
                        <For each={assignable()}>
                          {(r) => <option value={r}>{t(`role.${r}` as MessageKey)}</option>}
                        </For>
                      </select>
                    </Show>
                  </td>
                  <td>
                    {u.isActive === false ? (
                      <span class="badge bad">{t('users.inactive')}</span>
                    ) : (
                      <span class="badge ok">{t('users.active')}</span>
                    )}
                  </td>
                  <td class="hide-sm muted">{formatDateTime(u.createdAt)}</td>
                  <td class="right nowrap">
                    <Show when={mayManage(u.role) && u.id !== user()?.id}>
                      <button class="btn sm" onClick={() => void update(u, { isActive: u.isActive === false })}>
                        {u.isActive === false ? t('users.activate') : t('users.deactivate')}
                      </button>{' '}
                      <button class="btn sm danger" onClick={() => void remove(u)}>
                        {t('common.delete')}
                      </button>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <Show when={isOwner() && (invites()?.length ?? 0) > 0}>
        <div class="card">
          <h2>{t('users.pending')}</h2>
          <table class="table">
            <tbody>
              <For each={invites() ?? []}>
                {(i) => (
                  <tr>
                    <td>{i.email}</td>
                    <td>{t(`role.${i.role}` as MessageKey)}</td>
                    <td class="muted">
                      {t('users.expires')} {formatDateTime(i.expiresAt)}
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
      <Show when={inviting()}>
        <Modal title={t('users.invite')} onClose={() => setInviting(false)}>
          <Show
            when={created()}
            fallback={
              <form class="stack" onSubmit={invite}>
                <label class="field">
                  E-mail
                  <input
                    type="email"
                    required
                    value={email()}
                    onInput={(e) => setEmail(e.currentTarget.value)}
                    data-testid="invite-email"
                  />
                </label>
                <label class="field">
                  {t('users.role')}
                  <select
                    value={role()}
                    onChange={(e) => setRole(e.currentTarget.value as Role)}
                    data-testid="invite-role"
                  >
                    <For each={assignable()}>{(r) => <option value={r}>{t(`role.${r}` as MessageKey)}</option>}</For>
                  </select>
                </label>
                <ErrorBox error={error()} />
                <div class="row" style={{ 'justify-content': 'flex-end' }}>
                  <button class="btn primary" type="submit" data-testid="invite-send">
                    {t('users.sendInvite')}
                  </button>
                </div>
              </form>
            }
          >
            <div class="stack">
              <div class="alert ok">{t('users.inviteCreated', { email: created()!.email })}</div>
              <label class="field">
                {t('users.inviteLink')}
                <input readOnly value={link()} onFocus={(e) => e.currentTarget.select()} data-testid="invite-link" />
              </label>
              <button
                class="btn"
                onClick={() => void navigator.clipboard?.writeText(link()).then(() => toast(t('users.copied')))}
              >
                {t('users.copy')}
              </button>
            </div>
          </Show>
        </Modal>
      </Show>
    </>
  );
}
