import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api } from '../api/client.ts';
import type { CrmJob, CrmJobStatus, CrmJobsPage, Lead, Order } from '../api/types.ts';
import { formatDateTime, t, type MessageKey } from '../i18n.ts';
import { refreshOpenFailures } from '../lib/failures.ts';
import { toast, toastError } from './Toast.tsx';
import { ErrorBox, Pager } from './ui.tsx';

const LIMIT = 20;
const STATUSES: CrmJobStatus[] = ['failed', 'pending', 'delivered'];
const BADGE: Record<CrmJobStatus, string> = { failed: 'bad', pending: 'warn', delivered: 'ok' };

/** an order's number or a lead's flow: what staff know them by (the row itself only has the id) */
function EntityName(props: { job: CrmJob }): JSX.Element {
  const [name] = createResource(
    () => props.job.entityId,
    (id) =>
      (props.job.kind === 'order'
        ? api.get<{ order: Order }>(`/orders/${id}`).then((r) => `№ ${r.order.number}`)
        : api.get<{ lead: Lead }>(`/leads/${id}`).then((r) => r.lead.flow)
      ).catch(() => undefined),
  );
  return (
    <>
      {t(`failures.crm.kind.${props.job.kind}` as MessageKey)}{' '}
      <Show when={name()} fallback={<span class="muted small mono">{props.job.entityId.slice(0, 8)}</span>}>
        <b>{name()}</b>
      </Show>
    </>
  );
}

/** The CRM outbox for admins: rows Bitrix24 refused (with its reason), sent again once the cause is fixed. */
export function CrmJobs(): JSX.Element {
  const [f, setF] = createStore({ status: 'failed' as CrmJobStatus, offset: 0 });
  const [list, { mutate }] = createResource(
    () => ({ ...f }),
    (q) => api.get<CrmJobsPage>('/crm/jobs', { status: q.status, limit: LIMIT, offset: q.offset }),
  );
  const [busy, setBusy] = createSignal<string>();

  const retry = async (job: CrmJob) => {
    setBusy(job.id);
    try {
      const res = await api.post<{ job: CrmJob }>(`/crm/jobs/${job.id}/retry`);
      mutate(
        (page) =>
          page && {
            ...page,
            items: page.items.map((x) => (x.id === job.id ? res.job : x)),
            counts: { ...page.counts, failed: page.counts.failed - 1, pending: page.counts.pending + 1 },
          },
      );
      toast(t('failures.crm.requeued'));
      void refreshOpenFailures();
    } catch (error) {
      toastError(error);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div class="card flush" data-testid="crm-jobs">
      <div class="card-head" style={{ padding: '12px 12px 0', 'flex-wrap': 'wrap' }}>
        <h2>{t('failures.crm')}</h2>
        <div class="spacer" />
        <div class="tabs" style={{ 'margin-bottom': 0, border: 0 }}>
          <For each={STATUSES}>
            {(s) => (
              <button
                classList={{ on: f.status === s }}
                onClick={() => setF({ status: s, offset: 0 })}
                data-testid={`crm-filter-${s}`}
              >
                {t(`failures.crm.status.${s}` as MessageKey)} ({list.latest?.counts[s] ?? 0})
              </button>
            )}
          </For>
        </div>
      </div>
      <p class="muted small" style={{ margin: '4px 12px 12px' }}>
        {t('failures.crmHint')}
      </p>
      <ErrorBox error={list.error} />
      <div class="table-wrap">
        <table class="table" data-testid="crm-jobs-table">
          <thead>
            <tr>
              <th>{t('common.updated')}</th>
              <th>{t('failures.crm.entity')}</th>
              <th>{t('failures.attempts')}</th>
              <th>{t('failures.crm.lastError')}</th>
              <th>{t('failures.crm.nextAttempt')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            <For
              each={list.latest?.items ?? []}
              fallback={
                <tr>
                  <td colspan="6" class="empty">
                    {list.loading ? t('common.loading') : t('failures.crm.none')}
                  </td>
                </tr>
              }
            >
              {(job) => (
                <tr data-testid="crm-job-row">
                  <td class="nowrap">{formatDateTime(job.updatedAt)}</td>
                  <td data-testid="crm-job-entity">
                    <EntityName job={job} />
                  </td>
                  <td>{job.attempts}</td>
                  <td class="small" data-testid="crm-job-error">
                    {job.lastError ?? '—'}
                  </td>
                  <td class="nowrap">
                    {job.status === 'pending'
                      ? formatDateTime(job.nextAttemptAt)
                      : job.status === 'failed'
                        ? t('failures.crm.afterRetry')
                        : '—'}
                  </td>
                  <td class="nowrap" data-testid="crm-job-status">
                    <Show
                      when={job.status === 'failed'}
                      fallback={
                        <span class={`badge ${BADGE[job.status]}`}>
                          {t(`failures.crm.status.${job.status}` as MessageKey)}
                        </span>
                      }
                    >
                      <button
                        class="btn sm primary"
                        disabled={busy() === job.id}
                        onClick={() => retry(job)}
                        data-testid="crm-job-retry"
                      >
                        {t('failures.retry')}
                      </button>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <Pager total={list.latest?.total ?? 0} limit={LIMIT} offset={f.offset} onChange={(o) => setF('offset', o)} />
    </div>
  );
}
