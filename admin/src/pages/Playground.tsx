import { For, Show, createEffect, createSignal, onCleanup, type JSX } from 'solid-js';
import { api } from '../api/client.ts';
import type { ChatOption, Reply } from '../api/types.ts';
import { ReplyView, type Style } from '../components/ChatRender.tsx';
import { ErrorBox } from '../components/ui.tsx';
import { t } from '../i18n.ts';
import { hasRoute } from '../lib/capabilities.ts';
import { useCities } from '../lib/cities.ts';

type Entry = { id: number; from: 'me'; text: string } | { id: number; from: 'bot'; reply: Reply } | { id: number; from: 'note'; text: string };
type LoggedMessage = { id: string; direction: 'in' | 'out'; text?: string | null; payload?: unknown; createdAt: string };

const newUserId = () => `playground-${Math.random().toString(36).slice(2, 10)}`;
let seq = 1;

/**
 * Talks to a city's bot through `POST /api/chat/:city` (the web channel) and draws the replies as
 * Telegram or WhatsApp would. Messages the bot sends later (a manager's answer, a price drop) are
 * not in any HTTP response; when the server offers the conversation's message log they are polled
 * from it.
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
  createEffect(() => {
    entries();
    queueMicrotask(() => body && (body.scrollTop = body.scrollHeight));
  });

  const push = (...e: Entry[]) => setEntries((list) => [...list, ...e]);
  const send = async (payload: { text?: string; choice?: string; image?: string }, shown: string) => {
    setBusy(true);
    setError(undefined);
    push({ id: seq++, from: 'me', text: shown });
    try {
      const res = await api.post<{ replies: Reply[] }>(`/chat/${encodeURIComponent(city())}`, { userId: userId(), ...payload });
      lastSeen = new Date().toISOString();
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
  const sendImage = async (file: File) => {
    const dataUrl = await new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
    void send({ image: dataUrl }, `📷 ${file.name}`);
  };
  const reset = () => {
    setUserId(newUserId());
    setEntries([]);
  };

  // proactive messages (manager replies, alerts) from the message log, when the server has one
  let lastSeen = new Date().toISOString();
  const seenIds = new Set<string>();
  let timer: ReturnType<typeof setInterval> | undefined;
  void hasRoute('GET', '/conversations/{key}/messages').then((ok) => {
    if (!ok) return;
    timer = setInterval(async () => {
      if (!city() || entries().length === 0 || busy()) return;
      try {
        const key = `web:${city()}:${userId()}`;
        const res = await api.get<{ items: LoggedMessage[] } | LoggedMessage[]>(`/conversations/${encodeURIComponent(key)}/messages`, { after: lastSeen });
        const items = Array.isArray(res) ? res : res.items;
        for (const m of items) {
          if (m.direction !== 'out' || seenIds.has(m.id) || m.createdAt <= lastSeen) continue;
          seenIds.add(m.id);
          const reply = (m.payload && typeof m.payload === 'object' && 'type' in (m.payload as object) ? m.payload : { type: 'text', text: m.text ?? '' }) as Reply;
          push({ id: seq++, from: 'bot', reply });
        }
      } catch {
        /* polling is best effort */
      }
    }, 2000);
  });
  onCleanup(() => clearInterval(timer));

  const channelTitle = () => (style() === 'telegram' ? 'Telegram' : 'WhatsApp');
  return (
    <>
      <div class="page-head">
        <h1>{t('nav.playground')}</h1>
        <div class="spacer" />
        <select value={city()} onChange={(e) => { setCity(e.currentTarget.value); reset(); }} aria-label={t('common.city')} data-testid="play-city">
          <For each={cities() ?? []}>{(c) => <option value={c.slug}>{c.name}</option>}</For>
        </select>
        <div class="lang-switch" role="group" aria-label={t('play.style')}>
          <button type="button" classList={{ on: style() === 'telegram' }} onClick={() => setStyle('telegram')} data-testid="style-telegram">Telegram</button>
          <button type="button" classList={{ on: style() === 'whatsapp' }} onClick={() => setStyle('whatsapp')} data-testid="style-whatsapp">WhatsApp</button>
        </div>
        <button class="btn" onClick={reset} data-testid="play-reset">{t('play.newChat')}</button>
      </div>
      <div class="grid split" style={{ 'grid-template-columns': 'minmax(300px, 480px) 1fr' }}>
        <div class={`phone ${style() === 'telegram' ? 'tg' : 'wa'}`} data-testid="phone">
          <div class="phone-head">
            <div class="avatar">Z</div>
            <div>ZETA {cities()?.find((c) => c.slug === city())?.name ?? ''}<small>{channelTitle()} · {t('play.bot')}</small></div>
          </div>
          <div class="phone-body" ref={body} data-testid="transcript">
            <Show when={entries().length === 0}><div class="note-line">{t('play.hint')}</div></Show>
            <For each={entries()}>
              {(e) =>
                e.from === 'me' ? <div class="bubble me" data-testid="my-message">{e.text}</div> : e.from === 'note' ? <div class="note-line">{e.text}</div> : <ReplyView reply={e.reply} style={style()} onChoose={choose} />
              }
            </For>
            <Show when={busy()}><div class="note-line">…</div></Show>
          </div>
          <form class="phone-input" onSubmit={submit}>
            <button type="button" class="icon-btn" aria-label={t('play.photo')} onClick={() => fileInput?.click()}>📎</button>
            <input ref={fileInput} type="file" accept="image/*" hidden onChange={(e) => { const f = e.currentTarget.files?.[0]; if (f) void sendImage(f); e.currentTarget.value = ''; }} />
            <input placeholder={t('play.placeholder')} value={text()} onInput={(e) => setText(e.currentTarget.value)} data-testid="play-input" />
            <button class="btn primary" type="submit" disabled={busy() || !text().trim()} data-testid="play-send">➤</button>
          </form>
        </div>
        <div class="card stack">
          <h2>{t('play.about')}</h2>
          <p class="muted" style={{ margin: 0 }}>{t('play.aboutText')}</p>
          <div class="small"><b>userId</b>: <code data-testid="play-user">{userId()}</code></div>
          <div class="small"><b>{t('play.conversation')}</b>: <code>web:{city()}:{userId()}</code></div>
          <ErrorBox error={error()} />
          <h3>{t('play.try')}</h3>
          <div class="row">
            <For each={['/start', 'серый диван до 200 тысяч', 'а синий есть?', 'SOFA-001', 'позовите менеджера']}>
              {(s) => <button class="btn sm" disabled={busy() || !city()} onClick={() => void send({ text: s }, s)}>{s}</button>}
            </For>
          </div>
        </div>
      </div>
    </>
  );
}
