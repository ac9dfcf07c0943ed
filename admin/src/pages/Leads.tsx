import { For, Show, createEffect, createResource, createSignal, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api } from '../api/client.ts';
import type { Lead, LeadStatus, Paged, User } from '../api/types.ts';
import { toast, toastError } from '../components/Toast.tsx';
import { ErrorBox, Pager } from '../components/ui.tsx';
import { formatDateTime, t, type MessageKey } from '../i18n.ts';
import { useCities } from '../lib/cities.ts';

type LogEntry = { direction: 'in' | 'out'; text: string | null; createdAt: string };
type Detail = { lead: Lead; conversation: LogEntry[]; doneBy: User | null };
type Line = { who: 'shopper' | 'bot' | 'manager'; text: string; at: string };

const LIMIT = 50;
const DAY = 86_400_000;
const STATUS_BADGE: Record<LeadStatus, string> = { new: 'warn', done: 'ok' };

/** what the flow saw when it recorded the lead; the conversation log up to it when the flow gave none */
export function leadThread(d: Detail): Line[] {
  if (d.lead.history?.length) return d.lead.history.map((h) => ({ who: h.role, text: h.text, at: h.at }));
  return d.conversation
    .filter((m) => m.text)
    .map((m) => ({ who: m.direction === 'in' ? 'shopper' : 'bot', text: m.text!, at: m.createdAt }));
}

/** Leads designer flows recorded: filter, open one (its answers and the conversation), mark it done. */
export default function LeadsPage(): JSX.Element {
  const [f, setF] = createStore({
    status: 'new' as LeadStatus | '',
    city: '',
    flow: '',
    from: '',
    to: '',
    includeTest: false,
    offset: 0,
  });
  const [cities] = useCities();
  const [list, { refetch: refetchList }] = createResource(
    () => ({ ...f }),
    (q) =>
      api.get<Paged<Lead>>('/leads', {
        status: q.status || undefined,
        city: q.city || undefined,
        flow: q.flow || undefined,
        from: q.from ? new Date(q.from).toISOString() : undefined,
        // the day picked is included
        to: q.to ? new Date(new Date(q.to).getTime() + DAY).toISOString() : undefined,
        includeTest: q.includeTest ? 'true' : undefined,
        limit: LIMIT,
        offset: q.offset,
      }),
  );
  const [selectedId, setSelectedId] = createSignal<string>();
  const [detail, { refetch: refetchDetail }] = createResource(selectedId, (id) => api.get<Detail>(`/leads/${id}`));
  const [busy, setBusy] = createSignal(false);
  createEffect(() => {
    const items = list()?.items;
    if (items?.length && !selectedId()) setSelectedId(items[0]!.id);
  });

  const filter = (patch: Partial<typeof f>) => {
    setF({ ...patch, offset: 0 });
    setSelectedId(undefined);
  };
  const cityName = (id?: string) => cities()?.find((c) => c.id === id)?.name ?? '—';
  const slotLine = (lead: Lead) => Object.values(lead.slots).join(' · ');
  const markDone = async (id: string) => {
    setBusy(true);
    try {
      await api.post(`/leads/${id}/done`, {});
      toast(t('leads.marked'));
      await Promise.all([refetchDetail(), refetchList()]);
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div class="page-head">
        <h1>{t('nav.leads')}</h1>
        <div class="spacer" />
        <div class="tabs" style={{ 'margin-bottom': 0, border: 0 }}>
          <For each={['new', 'done', ''] as const}>
            {(s) => (
              <button
                classList={{ on: f.status === s }}
                onClick={() => filter({ status: s })}
                data-testid={`leads-filter-${s || 'all'}`}
              >
                {t(s ? (`leads.status.${s}` as MessageKey) : 'leads.all')}
              </button>
            )}
          </For>
        </div>
      </div>
      <div class="card row" style={{ padding: '12px', 'margin-bottom': '16px', 'flex-wrap': 'wrap' }}>
        <select value={f.city} onChange={(e) => filter({ city: e.currentTarget.value })} aria-label={t('common.city')}>
          <option value="">{t('common.allCities')}</option>
          <For each={cities() ?? []}>{(c) => <option value={c.slug}>{c.name}</option>}</For>
        </select>
        <input
          placeholder={t('leads.anyFlow')}
          aria-label={t('leads.flow')}
          value={f.flow}
          onChange={(e) => filter({ flow: e.currentTarget.value.trim().toLowerCase() })}
          style={{ width: '160px' }}
          data-testid="leads-flow"
        />
        <label class="row small muted">
          {t('leads.from')}
          <input type="date" value={f.from} onChange={(e) => filter({ from: e.currentTarget.value })} />
        </label>
        <label class="row small muted">
          {t('leads.to')}
          <input type="date" value={f.to} onChange={(e) => filter({ to: e.currentTarget.value })} />
        </label>
        <label class="row small muted">
          <input
            type="checkbox"
            checked={f.includeTest}
            data-testid="leads-include-test"
            onChange={(e) => filter({ includeTest: e.currentTarget.checked })}
          />
          {t('leads.includeTest')}
        </label>
      </div>
      <ErrorBox error={list.error} />
      <div class="inbox">
        <div class="card flush">
          <div class="esc-list" data-testid="leads-list">
            <For
              each={list.latest?.items ?? []}
              fallback={<div class="empty">{list.loading ? t('common.loading') : t('leads.none')}</div>}
            >
              {(lead) => (
                <div
                  class="esc-item"
                  classList={{ selected: selectedId() === lead.id }}
                  onClick={() => setSelectedId(lead.id)}
                  data-testid="lead-item"
                >
                  <div class="top">
                    <b>{lead.flow}</b>
                    <Show when={lead.test}>
                      <span class="badge">{t('leads.test')}</span>
                    </Show>
                    <div class="spacer" />
                    <span class={`badge ${STATUS_BADGE[lead.status]}`}>
                      {t(`leads.status.${lead.status}` as MessageKey)}
                    </span>
                  </div>
                  <span
                    class="small"
                    style={{ overflow: 'hidden', 'text-overflow': 'ellipsis', 'white-space': 'nowrap' }}
                  >
                    {slotLine(lead)}
                  </span>
                  <span class="muted small">
                    {cityName(lead.cityId)} · {lead.channel} · {formatDateTime(lead.createdAt)}
                  </span>
                </div>
              )}
            </For>
          </div>
          <Pager
            total={list.latest?.total ?? 0}
            limit={LIMIT}
            offset={f.offset}
            onChange={(o) => {
              setF('offset', o);
              setSelectedId(undefined);
            }}
          />
        </div>
        <div class="card stack" data-testid="lead-detail">
          <Show
            when={detail()}
            fallback={<div class="empty">{detail.loading ? t('common.loading') : t('leads.pick')}</div>}
          >
            {(d) => (
              <>
                <div class="card-head" style={{ 'flex-wrap': 'wrap' }}>
                  <h2>{d().lead.flow}</h2>
                  <span class={`badge ${STATUS_BADGE[d().lead.status]}`} data-testid="lead-status">
                    {t(`leads.status.${d().lead.status}` as MessageKey)}
                  </span>
                  <div class="spacer" />
                  <Show when={d().lead.status === 'new'}>
                    <button
                      class="btn primary"
                      disabled={busy()}
                      onClick={() => markDone(d().lead.id)}
                      data-testid="lead-done"
                    >
                      {t('leads.markDone')}
                    </button>
                  </Show>
                </div>
                <div class="row small muted" style={{ 'flex-wrap': 'wrap' }}>
                  <span>
                    {t('common.city')}: {cityName(d().lead.cityId)}
                  </span>
                  <span>
                    · {t('leads.shopper')}: {d().lead.channel} · {d().lead.userId}
                  </span>
                  <span>· {formatDateTime(d().lead.createdAt)}</span>
                  <Show when={d().lead.doneAt}>
                    <span data-testid="lead-done-by">
                      ·{' '}
                      {t('leads.doneBy', {
                        who: d().doneBy?.name || d().doneBy?.email || '—',
                        when: formatDateTime(d().lead.doneAt),
                      })}
                    </span>
                  </Show>
                </div>
                <h3>{t('leads.slots')}</h3>
                <table class="table" data-testid="lead-slots">
                  <tbody>
                    <For
                      each={Object.entries(d().lead.slots)}
                      fallback={
                        <tr>
                          <td class="empty">{t('leads.noSlots')}</td>
                        </tr>
                      }
                    >
                      {([name, value]) => (
                        <tr>
                          <td class="muted nowrap">{name}</td>
                          <td>{value}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
                <h3>{t('leads.conversation')}</h3>
                <div class="thread" data-testid="lead-thread">
                  <For each={leadThread(d())} fallback={<div class="empty">{t('esc.noHistory')}</div>}>
                    {(m) => (
                      <div class={`msg ${m.who}`}>
                        {m.text}
                        <div class="meta">
                          {t(`esc.who.${m.who}` as MessageKey)} · {formatDateTime(m.at)}
                        </div>
                      </div>
                    )}
                  </For>
                </div>
              </>
            )}
          </Show>
        </div>
      </div>
    </>
  );
}
