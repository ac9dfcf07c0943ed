import { For, Show, createSignal, type JSX } from 'solid-js';
import type { ChatOption, ProductItem, Reply } from '../api/types.ts';
import { formatMoney, t } from '../i18n.ts';

/**
 * Renders channel-neutral replies the way each messenger shows them: Telegram (bubbles, inline
 * keyboards, photo cards with captions) or WhatsApp (reply buttons up to 3, list messages beyond,
 * images with captions) — with the same limits the channel renderers apply.
 */
export type Style = 'telegram' | 'whatsapp';
type Choose = (option: ChatOption) => void;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function caption(item: ProductItem, detail: boolean): string {
  const lines = [
    item.name,
    `${formatMoney(item.price, item.currency)}`,
    `${item.sku} · ${item.available ? t('play.inStock') : t('play.outOfStock')}`,
  ];
  if (detail && item.description) lines.push('', item.description);
  return lines.join('\n');
}

function InlineKeyboard(props: { options: ChatOption[]; onChoose: Choose }): JSX.Element {
  // two short buttons per row, long ones alone — as the Telegram renderer lays them out
  const rows = () => {
    const out: ChatOption[][] = [];
    for (const o of props.options) {
      const last = out.at(-1);
      if (last && last.length === 1 && o.label.length <= 16 && last[0]!.label.length <= 16) last.push(o);
      else out.push([o]);
    }
    return out;
  };
  return (
    <div class="ikb">
      <For each={rows()}>
        {(row) => (
          <div class="ikb-row">
            <For each={row}>
              {(o) => (
                <button type="button" data-testid="chat-button" onClick={() => props.onChoose(o)}>
                  {o.label}
                </button>
              )}
            </For>
          </div>
        )}
      </For>
    </div>
  );
}

function WaButtons(props: { body: string; options: ChatOption[]; onChoose: Choose }): JSX.Element {
  const [open, setOpen] = createSignal(false);
  return (
    <div class="group" data-testid="bot-choices">
      <div class="bubble">{clip(props.body || ' ', 1024)}</div>
      <Show
        when={props.options.length > 3}
        fallback={
          <For each={props.options}>
            {(o) => (
              <button type="button" class="reply-btn" data-testid="chat-button" onClick={() => props.onChoose(o)}>
                {clip(o.label, 20)}
              </button>
            )}
          </For>
        }
      >
        <button type="button" class="list-btn" data-testid="wa-list-open" onClick={() => setOpen(!open())}>
          ☰ {t('play.choose')}
        </button>
        <Show when={open()}>
          <div class="list-sheet">
            <div class="list-title">{t('play.choose')}</div>
            <For each={props.options.slice(0, 10)}>
              {(o) => (
                <button
                  type="button"
                  data-testid="chat-button"
                  onClick={() => {
                    setOpen(false);
                    props.onChoose(o);
                  }}
                >
                  {clip(o.label, 24)}
                  <Show when={o.label.length > 24}>
                    <small>{clip(o.label, 72)}</small>
                  </Show>
                </button>
              )}
            </For>
          </div>
        </Show>
      </Show>
    </div>
  );
}

function PhotoCard(props: {
  url?: string;
  text: string;
  options?: ChatOption[];
  style: Style;
  onChoose: Choose;
}): JSX.Element {
  const limit = props.style === 'telegram' ? 1024 : 1024;
  return (
    <div class="group" data-testid="photo-card">
      <div class="bubble photo-card">
        <Show
          when={props.url}
          fallback={
            <div
              style={{ height: '90px', display: 'grid', 'place-items': 'center', background: '#eee', color: '#888' }}
            >
              🛋
            </div>
          }
        >
          <img src={props.url} alt="" loading="lazy" />
        </Show>
        <div class="caption">{clip(props.text, limit)}</div>
      </div>
      <Show when={props.options?.length}>
        <Show
          when={props.style === 'telegram'}
          fallback={
            <For each={props.options!.slice(0, 3)}>
              {(o) => (
                <button type="button" class="reply-btn" data-testid="chat-button" onClick={() => props.onChoose(o)}>
                  {clip(o.label, 20)}
                </button>
              )}
            </For>
          }
        >
          <InlineKeyboard options={props.options!} onChoose={props.onChoose} />
        </Show>
      </Show>
    </div>
  );
}

export function ReplyView(props: { reply: Reply; style: Style; onChoose: Choose }): JSX.Element {
  const r = props.reply;
  switch (r.type) {
    case 'text':
      return (
        <div class="bubble" data-testid="bot-text">
          {clip(r.text, props.style === 'telegram' ? 4096 : 4096)}
        </div>
      );
    case 'image':
      return <PhotoCard url={r.url} text={r.caption ?? ''} style={props.style} onChoose={props.onChoose} />;
    case 'choices':
      return props.style === 'telegram' ? (
        <div class="group" data-testid="bot-choices">
          <div class="bubble">{r.text ?? '⌄'}</div>
          <InlineKeyboard options={r.options} onChoose={props.onChoose} />
        </div>
      ) : (
        <WaButtons body={r.text ?? ''} options={r.options} onChoose={props.onChoose} />
      );
    case 'products':
      return (
        <>
          <For each={r.items}>
            {(item) => (
              <PhotoCard
                url={item.imageUrl}
                text={caption(item, r.view === 'detail')}
                options={item.options}
                style={props.style}
                onChoose={props.onChoose}
              />
            )}
          </For>
        </>
      );
  }
}
