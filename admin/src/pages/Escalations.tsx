import { For, Show, createEffect, createMemo, createResource, createSignal, onCleanup, type JSX } from 'solid-js';
import { api } from '../api/client.ts';
import type { Escalation, EscalationMessage, EscalationStatus, Paged, User } from '../api/types.ts';
import { toast, toastError } from '../components/Toast.tsx';
import { ErrorBox } from '../components/ui.tsx';
import { formatDateTime, t, type MessageKey } from '../i18n.ts';
import { useCities } from '../lib/cities.ts';
import { messageMedia, type LineMedia } from '../lib/escalationMedia.ts';
import { connected, onEscalationEvent } from '../live.ts';
import { hasRole, user } from '../session.ts';
import { ROLE_SETS } from '../nav.ts';

type LogEntry = { direction: 'in' | 'out'; text: string | null; createdAt: string };
type Detail = {
  escalation: Escalation;
  messages: EscalationMessage[];
  conversation: LogEntry[];
  assignee?: User | null;
};
type Line = { who: 'shopper' | 'bot' | 'manager'; text: string; at?: string; delivered?: boolean; media?: LineMedia };

const STATUS_BADGE: Record<EscalationStatus, string> = { pending: 'bad', in_progress: 'warn', resolved: 'ok' };

function toDetail(res: unknown): Detail {
  const r = res as {
    escalation?: Escalation;
    messages?: EscalationMessage[];
    conversation?: LogEntry[];
    assignee?: User | null;
  } & Escalation;
  const escalation = r.escalation ?? r;
  return {
    escalation,
    messages: r.messages ?? escalation.messages ?? [],
    conversation: r.conversation ?? [],
    assignee: r.assignee ?? null,
  };
}

/** the bot-side history captured at hand-off, then the inbox conversation (shopper ↔ manager) */
export function threadOf(d: Detail): Line[] {
  const history: Line[] = (d.escalation.conversationHistory ?? []).flatMap((h) => {
    const e = h as { role?: string; author?: string; text?: string; at?: string };
    if (!e.text) return [];
    const who =
      (e.role ?? e.author) === 'shopper' || e.role === 'user'
        ? 'shopper'
        : (e.role ?? e.author) === 'manager'
          ? 'manager'
          : 'bot';
    return [{ who, text: e.text, at: e.at }];
  });
  // a manager's words count as delivered once the shopper's conversation log holds them (sent through the channel)
  const sent = d.conversation.filter((c) => c.direction === 'out' && c.text).map((c) => c.text!);
  const live: Line[] = d.messages.map((m) => ({
    who: m.author,
    ...messageMedia(d.escalation.id, m),
    at: m.createdAt,
    ...(m.author === 'manager' ? { delivered: sent.some((x) => x.includes(m.text)) } : {}),
  }));
  return [...history, ...live];
}

export default function EscalationsPage(): JSX.Element {
  /** 'open' = waiting + in progress: what a manager works through */
  const [status, setStatus] = createSignal<EscalationStatus | '' | 'open'>('open');
  const [cities] = useCities();
  const [users] = createResource(() =>
    hasRole(ROLE_SETS.admins)
      ? api
          .get<{ items: User[] }>('/users')
          .then((r) => r.items)
          .catch(() => [] as User[])
      : Promise.resolve([] as User[]),
  );
  const [list, { refetch: refetchList }] = createResource(status, async (s) => {
    const one = async (st?: EscalationStatus) => {
      const res = await api.get<Paged<Escalation> | Escalation[]>('/escalations', { status: st, limit: 100 });
      return Array.isArray(res) ? res : res.items;
    };
    if (s !== 'open') return one(s || undefined);
    const [pending, working] = await Promise.all([one('pending'), one('in_progress')]);
    return [...pending, ...working].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  });
  const [selectedId, setSelectedId] = createSignal<string>();
  const [detail, { refetch: refetchDetail, mutate }] = createResource(selectedId, async (id) =>
    toDetail(await api.get(`/escalations/${id}`)),
  );
  const [reply, setReply] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  let threadEl: HTMLDivElement | undefined;

  createEffect(() => {
    const l = list();
    if (l && l.length && !selectedId()) setSelectedId(l[0]!.id);
  });
  // live: new escalations and messages arrive without a reload
  const off = onEscalationEvent((e) => {
    void refetchList();
    const id = e.escalation?.id ?? e.escalationId;
    if (id && id === selectedId()) {
      const msg = (e as { message?: EscalationMessage }).message;
      const current = detail();
      if (msg && current && !current.messages.some((m) => m.id === msg.id))
        mutate({ ...current, messages: [...current.messages, msg] });
      else void refetchDetail();
    }
  });
  onCleanup(off);
  createEffect(() => {
    detail();
    queueMicrotask(() => threadEl && (threadEl.scrollTop = threadEl.scrollHeight));
  });

  const cityName = (id?: string) => cities()?.find((c) => c.id === id)?.name ?? '—';
  const userName = (id?: string) =>
    id
      ? ((detail()?.assignee?.id === id ? detail()!.assignee!.name : undefined) ??
        users()?.find((u) => u.id === id)?.name ??
        (id === user()?.id ? user()!.name : id.slice(0, 8)))
      : undefined;
  const lastText = (e: Escalation) => {
    const h = e.conversationHistory?.at(-1) as { text?: string } | undefined;
    return e.reason ?? h?.text ?? '';
  };
  const act = async (fn: () => Promise<unknown>, ok: MessageKey) => {
    setBusy(true);
    try {
      await fn();
      toast(t(ok));
      await Promise.all([refetchDetail(), refetchList()]);
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };
  const send = (e: SubmitEvent) => {
    e.preventDefault();
    const text = reply().trim();
    if (!text) return;
    void act(async () => {
      await api.post(`/escalations/${selectedId()}/reply`, { text });
      setReply('');
      // the conversation log is written in batches; look again shortly for the delivery mark
      setTimeout(() => void refetchDetail(), 600);
    }, 'esc.sent');
  };
  const thread = createMemo(() => (detail() ? threadOf(detail()!) : []));

  return (
    <>
      <div class="page-head">
        <h1>{t('nav.escalations')}</h1>
        <span class="row small muted" data-testid="live-status">
          <span class="live-dot" classList={{ off: !connected() }} />
          {connected() ? t('esc.live') : t('esc.offline')}
        </span>
        <div class="spacer" />
        <div class="tabs" style={{ 'margin-bottom': 0, border: 0 }}>
          <For each={['open', 'pending', 'in_progress', 'resolved', ''] as const}>
            {(s) => (
              <button
                classList={{ on: status() === s }}
                onClick={() => {
                  setStatus(s);
                  setSelectedId(undefined);
                }}
                data-testid={`esc-filter-${s || 'all'}`}
              >
                {t(s === 'open' ? 'esc.open' : s ? (`esc.status.${s}` as MessageKey) : 'esc.all')}
              </button>
            )}
          </For>
        </div>
      </div>
      <ErrorBox error={list.error} />
      <div class="inbox">
        <div class="card flush">
          <div class="esc-list" data-testid="esc-list">
            <For
              each={list.latest ?? []}
              fallback={<div class="empty">{list.loading ? t('common.loading') : t('esc.none')}</div>}
            >
              {(e) => (
                <div
                  class="esc-item"
                  classList={{ selected: selectedId() === e.id }}
                  onClick={() => setSelectedId(e.id)}
                  data-testid="esc-item"
                >
                  <div class="top">
                    <b>
                      {e.channel} · {e.chatId}
                    </b>
                    <div class="spacer" />
                    <span class={`badge ${STATUS_BADGE[e.status]}`}>{t(`esc.status.${e.status}` as MessageKey)}</span>
                  </div>
                  <span
                    class="small"
                    style={{ overflow: 'hidden', 'text-overflow': 'ellipsis', 'white-space': 'nowrap' }}
                  >
                    {lastText(e)}
                  </span>
                  <span class="muted small">
                    {cityName(e.cityId)} · {formatDateTime(e.createdAt)}
                    {e.assignedTo ? ` · ${t('esc.assignee')}: ${userName(e.assignedTo)}` : ''}
                  </span>
                </div>
              )}
            </For>
          </div>
        </div>
        <div class="card stack" data-testid="esc-detail">
          <Show
            when={detail()}
            fallback={<div class="empty">{detail.loading ? t('common.loading') : t('esc.pick')}</div>}
          >
            {(d) => (
              <>
                <div class="card-head" style={{ 'flex-wrap': 'wrap' }}>
                  <h2>
                    {d().escalation.channel} · {d().escalation.chatId}
                  </h2>
                  <span class={`badge ${STATUS_BADGE[d().escalation.status]}`} data-testid="esc-status">
                    {t(`esc.status.${d().escalation.status}` as MessageKey)}
                  </span>
                  <div class="spacer" />
                  <Show when={d().escalation.status !== 'resolved'}>
                    <Show when={d().escalation.assignedTo !== user()?.id}>
                      <button
                        class="btn"
                        disabled={busy()}
                        data-testid="esc-assign"
                        onClick={() =>
                          act(() => api.post(`/escalations/${d().escalation.id}/assign`, {}), 'esc.assigned')
                        }
                      >
                        {t('esc.assignMe')}
                      </button>
                    </Show>
                    <button
                      class="btn"
                      disabled={busy()}
                      data-testid="esc-resolve"
                      onClick={() =>
                        act(() => api.post(`/escalations/${d().escalation.id}/resolve`, {}), 'esc.resolved')
                      }
                    >
                      {t('esc.resolve')}
                    </button>
                  </Show>
                </div>
                <div class="row small muted">
                  <span>
                    {t('common.city')}: {cityName(d().escalation.cityId)}
                  </span>
                  <span>
                    · {t('esc.reason')}: {d().escalation.reason ?? d().escalation.trigger ?? '—'}
                  </span>
                  <Show when={d().escalation.assignedTo}>
                    <span>
                      · {t('esc.assignee')}: {userName(d().escalation.assignedTo)}
                    </span>
                  </Show>
                </div>
                <div class="thread" ref={threadEl} data-testid="esc-thread">
                  <For each={thread()} fallback={<div class="empty">{t('esc.noHistory')}</div>}>
                    {(m) => (
                      <div class={`msg ${m.who}`} data-testid={`msg-${m.who}`}>
                        <Show when={m.media?.kind === 'photo'}>
                          <a href={m.media!.url} target="_blank" rel="noopener">
                            <img
                              class="msg-photo"
                              src={m.media!.url}
                              alt={t('esc.photo')}
                              loading="lazy"
                              data-testid="msg-photo"
                            />
                          </a>
                        </Show>
                        <Show when={m.media?.kind === 'voice'}>
                          <audio controls preload="none" src={m.media!.url} data-testid="msg-voice" />
                        </Show>
                        <Show when={m.media?.kind === 'document'}>
                          <a href={m.media!.url} download="" data-testid="msg-document">
                            📄 {t('esc.document')}
                          </a>
                        </Show>
                        {m.text}
                        <div class="meta">
                          {t(`esc.who.${m.who}` as MessageKey)} · {formatDateTime(m.at)}
                          <Show when={m.who === 'manager'}>
                            {m.delivered ? (
                              <span data-testid="delivered"> · ✓✓ {t('esc.delivered')}</span>
                            ) : (
                              <span> · ✓</span>
                            )}
                          </Show>
                        </div>
                      </div>
                    )}
                  </For>
                </div>
                <Show
                  when={d().escalation.status !== 'resolved'}
                  fallback={<div class="alert ok">{t('esc.isResolved')}</div>}
                >
                  <form class="row" onSubmit={send}>
                    <input
                      style={{ flex: 1 }}
                      placeholder={t('esc.replyPlaceholder')}
                      value={reply()}
                      onInput={(e) => setReply(e.currentTarget.value)}
                      data-testid="esc-reply"
                    />
                    <button
                      class="btn primary"
                      type="submit"
                      disabled={busy() || !reply().trim()}
                      data-testid="esc-send"
                    >
                      {t('esc.send')}
                    </button>
                  </form>
                </Show>
              </>
            )}
          </Show>
        </div>
      </div>
    </>
  );
}
