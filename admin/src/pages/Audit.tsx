import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api } from '../api/client.ts';
import type { AuditEntry, Paged, User } from '../api/types.ts';
import { DiffView } from '../components/Diff.tsx';
import { ErrorBox, Modal, Pager } from '../components/ui.tsx';
import { formatDateTime, t } from '../i18n.ts';
import { jsonText } from '../lib/diff.ts';

const LIMIT = 25;
const ENTITIES = ['product', 'city', 'bot_config', 'prompt', 'scenario', 'escalation', 'lead', 'user', 'invitation'];

export default function AuditPage(): JSX.Element {
  const [f, setF] = createStore({ entity: '', action: '', userId: '', from: '', to: '', offset: 0 });
  const [users] = createResource(() =>
    api
      .get<{ items: User[] }>('/users')
      .then((r) => r.items)
      .catch(() => [] as User[]),
  );
  const [log] = createResource(
    () => ({ ...f }),
    (q) =>
      api.get<Paged<AuditEntry>>('/audit', {
        entity: q.entity,
        action: q.action,
        user: q.userId,
        from: q.from ? new Date(q.from).toISOString() : undefined,
        to: q.to ? new Date(new Date(q.to).getTime() + 86_400_000).toISOString() : undefined,
        limit: LIMIT,
        offset: q.offset,
      }),
  );
  const [open, setOpen] = createSignal<AuditEntry>();
  return (
    <>
      <div class="page-head">
        <h1>{t('nav.audit')}</h1>
      </div>
      <div class="card flush">
        <div class="row" style={{ padding: '12px' }}>
          <select
            value={f.entity}
            onChange={(e) => setF({ entity: e.currentTarget.value, offset: 0 })}
            aria-label={t('audit.entity')}
            data-testid="audit-entity"
          >
            <option value="">{t('audit.allEntities')}</option>
            <For each={ENTITIES}>{(x) => <option value={x}>{x}</option>}</For>
          </select>
          <input
            placeholder={t('audit.action')}
            value={f.action}
            onChange={(e) => setF({ action: e.currentTarget.value.trim(), offset: 0 })}
            style={{ width: '160px' }}
          />
          <select
            value={f.userId}
            onChange={(e) => setF({ userId: e.currentTarget.value, offset: 0 })}
            aria-label={t('audit.who')}
          >
            <option value="">{t('audit.anyone')}</option>
            <For each={users() ?? []}>{(u) => <option value={u.id}>{u.email}</option>}</For>
          </select>
          <label class="row small muted">
            {t('audit.from')}
            <input type="date" value={f.from} onChange={(e) => setF({ from: e.currentTarget.value, offset: 0 })} />
          </label>
          <label class="row small muted">
            {t('audit.to')}
            <input type="date" value={f.to} onChange={(e) => setF({ to: e.currentTarget.value, offset: 0 })} />
          </label>
        </div>
        <ErrorBox error={log.error} />
        <div class="table-wrap">
          <table class="table" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t('audit.when')}</th>
                <th>{t('audit.who')}</th>
                <th>{t('audit.action')}</th>
                <th>{t('audit.entity')}</th>
                <th class="hide-sm">IP</th>
              </tr>
            </thead>
            <tbody>
              <For
                each={log.latest?.items ?? []}
                fallback={
                  <tr>
                    <td colspan="5" class="empty">
                      {log.loading ? t('common.loading') : t('common.none')}
                    </td>
                  </tr>
                }
              >
                {(e) => (
                  <tr class="clickable" onClick={() => setOpen(e)} data-testid="audit-row">
                    <td class="nowrap">{formatDateTime(e.createdAt)}</td>
                    <td>{e.userEmail ?? '—'}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>
                      {e.entity}
                      <Show when={e.entityId}>
                        {' '}
                        <span class="muted small mono">{String(e.entityId).slice(0, 8)}</span>
                      </Show>
                    </td>
                    <td class="hide-sm muted">{e.ip ?? ''}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <Pager total={log.latest?.total ?? 0} limit={LIMIT} offset={f.offset} onChange={(o) => setF('offset', o)} />
      </div>
      <Show when={open()}>
        <Modal title={`${open()!.action} · ${open()!.entity}`} onClose={() => setOpen(undefined)} testid="audit-diff">
          <p class="muted small" style={{ margin: '0 0 8px' }}>
            {formatDateTime(open()!.createdAt)} · {open()!.userEmail ?? '—'} · {open()!.entityId ?? ''}
          </p>
          <h3>{t('audit.beforeAfter')}</h3>
          <DiffView before={jsonText(open()!.before)} after={jsonText(open()!.after)} />
        </Modal>
      </Show>
    </>
  );
}
