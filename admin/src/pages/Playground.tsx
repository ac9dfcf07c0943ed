import { For, Show, createEffect, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { api, request } from '../api/client.ts';
import type { ChatOption, Reply } from '../api/types.ts';
import { ReplyView, type Style } from '../components/ChatRender.tsx';
import { ErrorBox } from '../components/ui.tsx';
import { t } from '../i18n.ts';
import { onEscalationEvent, startLive } from '../live.ts';
import { useCities } from '../lib/cities.ts';

type Entry =
  | { id: number; from: 'me'; text: string; photo?: string }
  | { id: number; from: 'bot'; reply: Reply }
  | { id: number; from: 'note'; text: string };

const newUserId = () => `playground-${Math.random().toString(36).slice(2, 10)}`;
let seq = 1;

/**
 * Talks to a city's bot through `POST /api/chat/:city` (the web channel) and draws the replies as
 * Telegram or WhatsApp would. A manager's answers arrive later over the escalation stream.
 */
export default function PlaygroundPage(): JSX.Element {
  const [cities] = useCities();
  const [city, setCity] = createSignal('');
  const [style, setStyle] = createSignal<Style>((localStorage.getItem('zeta.playground.style') as Style) || 'telegram');
  const [userId, setUserId] = createSignal(newUserId());
  const [entries, setEntries] = createSignal<Entry[]>([]);
  const [text, setText] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  let body: HTMLDivElement | undefined;
  let fileInput: HTMLInputElement | undefined;

  createEffect(() => {
    const list = cities();
    if (list?.length && !city()) setCity(list[0]!.slug);
  });
  createEffect(() => localStorage.setItem('zeta.playground.style', style()));
  const toBottom = () => body && (body.scrollTop = body.scrollHeight);
  createEffect(() => {
    entries();
    queueMicrotask(toBottom);
  });
  // photos finish loading after the bubble is drawn and push the transcript down
  onMount(() => body?.addEventListener('load', toBottom, true));

  const push = (...e: Entry[]) => setEntries((list) => [...list, ...e]);
  const send = async (payload: { text?: string; choice?: string; image?: string }, shown: string, photo?: File) => {
    setBusy(true);
    setError(undefined);
    push({ id: seq++, from: 'me', text: shown, ...(photo ? { photo: URL.createObjectURL(photo) } : {}) });
    try {
      const path = `/chat/${encodeURIComponent(city())}`;
      // the photo is stored first; the message names it by the reference the server gave
      if (photo) {
        const upload = await request<{ ref: string }>('POST', `${path}/uploads`, {
          query: { userId: userId() },
          raw: { contentType: photo.type || 'application/octet-stream', data: photo },
        });
        payload = { ...payload, image: upload.ref };
      }
      const res = await api.post<{ replies: Reply[] }>(path, { userId: userId(), ...payload });
      push(...res.replies.map((reply) => ({ id: seq++, from: 'bot' as const, reply })));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const choose = (o: ChatOption) => void send({ choice: o.id }, o.label);
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const value = text().trim();
    if (!value || !city()) return;
    setText('');
    void send({ text: value }, value);
  };
  const sendImage = (file: File) => void send({}, `📷 ${file.name}`, file);
  const forgetPhotos = () => entries().forEach((e) => e.from === 'me' && e.photo && URL.revokeObjectURL(e.photo));
  const reset = () => {
    forgetPhotos();
    setUserId(newUserId());
    setEntries([]);
  };
  onCleanup(forgetPhotos);

  // a manager's answers are pushed by the server, not returned to an HTTP request: follow the
  // escalation stream for this conversation and show what the shopper was sent
  const myEscalations = new Set<string>();
  /** the text exactly as the channel sent it (the conversation log), falling back to the manager's words */
  const showDelivered = async (escalationId: string, text: string) => {
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        const detail = await api.get<{ conversation?: { direction: string; text: string | null }[] }>(
          `/escalations/${escalationId}`,
        );
        const sent = [...(detail.conversation ?? [])]
          .reverse()
          .find((m) => m.direction === 'out' && m.text?.includes(text));
        if (sent?.text) {
          push({ id: seq++, from: 'bot', reply: { type: 'text', text: sent.text } });
          return;
        }
      } catch {
        break;
      }
      // the log is written in small batches; give it a moment
      await new Promise((r) => setTimeout(r, 300));
    }
    push({ id: seq++, from: 'bot', reply: { type: 'text', text: `${t('esc.who.manager')}: ${text}` } });
  };
  startLive();
  const off = onEscalationEvent((e) => {
    const key = `web:${city()}:${userId()}`;
    if (e.escalation && e.escalation.conversationKey === key) {
      myEscalations.add(e.escalation.id);
      if (e.type === 'escalation.updated' && e.escalation.status === 'resolved')
        push({ id: seq++, from: 'note', text: t('play.resolved') });
    }
    const message = (e as { message?: { author?: string; text?: string } }).message;
    if (
      e.type === 'escalation.message' &&
      e.escalationId &&
      myEscalations.has(e.escalationId) &&
      message?.author === 'manager' &&
      message.text
    ) {
      void showDelivered(e.escalationId, message.text);
    }
  });
  onCleanup(off);

  const channelTitle = () => (style() === 'telegram' ? 'Telegram' : 'WhatsApp');
  return (
    <>
      <div class="page-head">
        <h1>{t('nav.playground')}</h1>
        <div class="spacer" />
        <select
          value={city()}
          onChange={(e) => {
            setCity(e.currentTarget.value);
            reset();
          }}
          aria-label={t('common.city')}
          data-testid="play-city"
        >
          <For each={cities() ?? []}>{(c) => <option value={c.slug}>{c.name}</option>}</For>
        </select>
        <div class="lang-switch" role="group" aria-label={t('play.style')}>
          <button
            type="button"
            classList={{ on: style() === 'telegram' }}
            onClick={() => setStyle('telegram')}
            data-testid="style-telegram"
          >
            Telegram
          </button>
          <button
            type="button"
            classList={{ on: style() === 'whatsapp' }}
            onClick={() => setStyle('whatsapp')}
            data-testid="style-whatsapp"
          >
            WhatsApp
          </button>
        </div>
        <button class="btn" onClick={reset} data-testid="play-reset">
          {t('play.newChat')}
        </button>
      </div>
      <div class="grid split" style={{ 'grid-template-columns': 'minmax(300px, 480px) 1fr' }}>
        <div class={`phone ${style() === 'telegram' ? 'tg' : 'wa'}`} data-testid="phone">
          <div class="phone-head">
            <div class="avatar">Z</div>
            <div>
              ZETA {cities()?.find((c) => c.slug === city())?.name ?? ''}
              <small>
                {channelTitle()} · {t('play.bot')}
              </small>
            </div>
          </div>
          <div class="phone-body" ref={body} data-testid="transcript">
            <Show when={entries().length === 0}>
              <div class="note-line">{t('play.hint')}</div>
            </Show>
            <For each={entries()}>
              {(e) =>
                e.from === 'me' ? (
                  <div class="bubble me" data-testid="my-message">
                    <Show when={e.photo}>
                      <img class="my-photo" src={e.photo} alt={e.text} data-testid="my-photo" />
                    </Show>
                    <Show when={!e.photo}>{e.text}</Show>
                  </div>
                ) : e.from === 'note' ? (
                  <div class="note-line">{e.text}</div>
                ) : (
                  <ReplyView reply={e.reply} style={style()} onChoose={choose} />
                )
              }
            </For>
            <Show when={busy()}>
              <div class="note-line">…</div>
            </Show>
          </div>
          <form class="phone-input" onSubmit={submit}>
            <button
              type="button"
              class="icon-btn"
              aria-label={t('play.photo')}
              title={t('play.photo')}
              onClick={() => fileInput?.click()}
            >
              <svg viewBox="0 0 24 24" aria-hidden="true">
                <path d="M21 11.5l-8.6 8.6a5 5 0 01-7.1-7.1l8.6-8.6a3.5 3.5 0 015 5l-8.6 8.6a2 2 0 01-2.8-2.8l7.9-7.9" />
              </svg>
            </button>
            <input
              ref={fileInput}
              type="file"
              accept="image/*"
              hidden
              onChange={(e) => {
                const f = e.currentTarget.files?.[0];
                if (f && city()) sendImage(f);
                e.currentTarget.value = '';
              }}
              data-testid="play-photo"
            />
            <input
              placeholder={t('play.placeholder')}
              value={text()}
              onInput={(e) => setText(e.currentTarget.value)}
              data-testid="play-input"
            />
            <button class="btn primary" type="submit" disabled={busy() || !text().trim()} data-testid="play-send">
              ➤
            </button>
          </form>
        </div>
        <div class="card stack">
          <h2>{t('play.about')}</h2>
          <p class="muted" style={{ margin: 0 }}>
            {t('play.aboutText')}
          </p>
          <div class="small">
            <b>userId</b>: <code data-testid="play-user">{userId()}</code>
          </div>
          <div class="small">
            <b>{t('play.conversation')}</b>:{' '}
            <code>
              web:{city()}:{userId()}
            </code>
          </div>
          <ErrorBox error={error()} />
          <h3>{t('play.try')}</h3>
          <div class="row">
            <For each={['/start', 'серый диван до 200 тысяч', 'а синий есть?', 'SOFA-001', 'позовите менеджера']}>
              {(s) => (
                <button class="btn sm" disabled={busy() || !city()} onClick={() => void send({ text: s }, s)}>
                  {s}
                </button>
              )}
            </For>
          </div>
        </div>
      </div>
    </>
  );
}
