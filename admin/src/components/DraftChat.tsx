import { For, Show, createEffect, createSignal, type JSX } from 'solid-js';
import { ApiError, api } from '../api/client.ts';
import type { ChatOption, Reply, ScenarioProblem, SimulatedEffect } from '../api/types.ts';
import { t } from '../i18n.ts';
import { useCities } from '../lib/cities.ts';
import { ReplyView } from './ChatRender.tsx';
import { ErrorBox } from './ui.tsx';

type Entry =
  | { id: number; from: 'me'; text: string }
  | { id: number; from: 'bot'; reply: Reply }
  | { id: number; from: 'simulated'; effect: SimulatedEffect };

const newUserId = () => `draft-${Math.random().toString(36).slice(2, 10)}`;
let seq = 1;

/**
 * The playground on the editor's unsaved text (`POST /api/chat/:city/draft`): every message runs
 * the draft as it is now, in conversations of their own. What would have reached managers,
 * alerts or leads is shown as "would have: …" instead of happening.
 */
export function DraftChat(props: {
  content: () => string;
  file: () => string;
  /** the draft does not load: its problems, for the editor to show at their lines */
  onProblems: (problems: ScenarioProblem[]) => void;
}): JSX.Element {
  const [cities] = useCities();
  const [city, setCity] = createSignal('');
  const [userId, setUserId] = createSignal(newUserId());
  const [entries, setEntries] = createSignal<Entry[]>([]);
  const [text, setText] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  let body: HTMLDivElement | undefined;
  createEffect(() => {
    const list = cities();
    if (list?.length && !city()) setCity(list[0]!.slug);
  });
  createEffect(() => {
    entries();
    queueMicrotask(() => body && (body.scrollTop = body.scrollHeight));
  });

  const push = (...e: Entry[]) => setEntries((list) => [...list, ...e]);
  const send = async (payload: { text?: string; choice?: string }, shown: string) => {
    if (!city()) return;
    setBusy(true);
    setError(undefined);
    push({ id: seq++, from: 'me', text: shown });
    try {
      const res = await api.post<{ replies: Reply[]; simulated: SimulatedEffect[] }>(
        `/chat/${encodeURIComponent(city())}/draft`,
        { userId: userId(), scenario: props.content(), file: props.file(), ...payload },
      );
      push(
        ...res.replies.map((reply) => ({ id: seq++, from: 'bot' as const, reply })),
        ...res.simulated.map((effect) => ({ id: seq++, from: 'simulated' as const, effect })),
      );
    } catch (e) {
      if (e instanceof ApiError && e.code === 'scenario_invalid' && Array.isArray(e.details))
        props.onProblems(e.details as ScenarioProblem[]);
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const choose = (o: ChatOption) => void send({ choice: o.id }, o.label);
  const reset = () => {
    setUserId(newUserId());
    setEntries([]);
  };

  return (
    <div class="stack" data-testid="draft-chat">
      <div class="row">
        <span class="badge warn">{t('draft.badge')}</span>
        <span class="muted small">{t('draft.about')}</span>
        <div class="spacer" />
        <select
          value={city()}
          onChange={(e) => {
            setCity(e.currentTarget.value);
            reset();
          }}
          aria-label={t('common.city')}
          data-testid="draft-city"
        >
          <For each={cities() ?? []}>{(c) => <option value={c.slug}>{c.name}</option>}</For>
        </select>
        <button class="btn sm" onClick={reset} data-testid="draft-reset">
          {t('play.newChat')}
        </button>
      </div>
      <div class="phone tg" style={{ 'max-width': '520px' }}>
        <div class="phone-body" ref={body} data-testid="draft-transcript" style={{ height: '360px' }}>
          <Show when={entries().length === 0}>
            <div class="note-line">{t('play.hint')}</div>
          </Show>
          <For each={entries()}>
            {(e) =>
              e.from === 'me' ? (
                <div class="bubble me" data-testid="my-message">
                  {e.text}
                </div>
              ) : e.from === 'simulated' ? (
                <div class="note-line" data-testid="draft-simulated" title={e.effect.effect}>
                  {e.effect.effect === 'error' ? e.effect.summary : `${t('draft.wouldHave')} ${e.effect.summary}`}
                </div>
              ) : (
                <ReplyView reply={e.reply} style="telegram" onChoose={choose} />
              )
            }
          </For>
          <Show when={busy()}>
            <div class="note-line">…</div>
          </Show>
        </div>
        <form
          class="phone-input"
          onSubmit={(e) => {
            e.preventDefault();
            const value = text().trim();
            if (!value) return;
            setText('');
            void send({ text: value }, value);
          }}
        >
          <input
            placeholder={t('play.placeholder')}
            value={text()}
            onInput={(e) => setText(e.currentTarget.value)}
            data-testid="draft-input"
          />
          <button class="btn primary" type="submit" disabled={busy() || !text().trim()} data-testid="draft-send">
            ➤
          </button>
        </form>
      </div>
      <ErrorBox error={error()} />
    </div>
  );
}
