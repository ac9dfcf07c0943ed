import type { Option, ProductItem, Reply } from '../../../engine/replies.ts';
import type { ChannelTexts } from '../../../engine/scenario/channelTexts.ts';
import { textsOfEveryLang } from '../../channel/testing/texts.ts';
import { visibleText, type RecordedCall } from './fakeBotApi.ts';

/**
 * Bot API calls as recorded by the fake → channel-neutral replies, so transcripts written for the
 * engine can be matched against what a Telegram shopper actually received. It reads the shapes
 * render.ts produces:
 * - an album is decoration; the numbered list message after it (keyboard rows «1. Name» → `p:SKU`) is the product list;
 * - a message or photo whose first line is bold and which has a «<channelSku>: …» line is a product card (detail);
 * - any other photo is an image; any other message is text, and its keyboard (inline, or the reply keyboard of a
 *   phone question) is a choices reply.
 * The channel words it looks for are the scenario's (`texts`, every language; default: the shipped scenario's).
 */

type Button = { text: string; callback_data?: string; request_contact?: boolean };
type Markup = { inline_keyboard?: Button[][]; keyboard?: Button[][] } | undefined;
type Words = { choose: Set<string>; sku: RegExp; outOfStock: string[] };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function wordsOf(texts: readonly ChannelTexts[]): Words {
  return {
    choose: new Set(texts.map((t) => t.channelChoose)),
    sku: new RegExp(`\\n(?:${texts.map((t) => escape(t.channelSku)).join('|')}): (\\S+)`),
    outOfStock: texts.map((t) => t.channelOutOfStock),
  };
}

/** `skuOf` turns a button's product handle back into its code (the transcripts list codes); as is when absent */
export function unrender(
  calls: readonly RecordedCall[],
  opts: { publicBaseUrl?: string; skuOf?: (handle: string) => string; texts?: readonly ChannelTexts[] } = {},
): Reply[] {
  const words = wordsOf(opts.texts ?? textsOfEveryLang());
  const replies: Reply[] = [];
  for (const call of calls) {
    if (call.outcome !== 'ok') continue;
    const p = call.params;
    const keyboard = keyboardOf(p.reply_markup as Markup);
    switch (call.method) {
      case 'sendMediaGroup':
        break;
      case 'sendMessage':
      case 'sendPhoto': {
        const html = String((call.method === 'sendPhoto' ? p.caption : p.text) ?? '');
        const text = visibleText(html, p.parse_mode);
        const list = listOf(keyboard, opts.skuOf ?? ((h) => h));
        if (list) {
          replies.push({ type: 'products', view: 'list', items: list });
          const rest = keyboard.filter((row) => !/^\d+\. /.test(row[0]?.text ?? ''));
          if (rest.length > 0) replies.push({ type: 'choices', options: options(rest) });
          break;
        }
        const card = cardOf(html, text, words);
        if (card) {
          // a card's buttons are its own (details, alert, manager); ambiguous only if the engine ever sent bare choices after a card
          replies.push({ type: 'products', view: 'detail', items: [{ ...card, options: options(keyboard) }] });
          break;
        }
        if (call.method === 'sendPhoto') {
          const url = typeof p.photo === 'string' ? p.photo : 'upload';
          const base = opts.publicBaseUrl?.replace(/\/+$/, '');
          replies.push({
            type: 'image',
            url: base && url.startsWith(base) ? url.slice(base.length) : url,
            ...(text ? { caption: text } : {}),
          });
          if (keyboard.length > 0) replies.push({ type: 'choices', options: options(keyboard) });
          break;
        }
        if (keyboard.length === 0) replies.push({ type: 'text', text });
        else if (words.choose.has(text)) replies.push({ type: 'choices', options: options(keyboard) });
        else replies.push({ type: 'choices', text, options: options(keyboard) });
        break;
      }
      default:
        break;
    }
  }
  return replies;
}

/**
 * Inline buttons as they are; a reply keyboard (a phone question) as buttons too: its request_contact
 * button is the engine's `contact` option, a text button stands for its label (tapping one sends it
 * as a message, see transcriptTarget.ts).
 */
function keyboardOf(markup: Markup): Button[][] {
  if (markup?.inline_keyboard) return markup.inline_keyboard;
  return (markup?.keyboard ?? []).map((row) =>
    row.map((b) => ({ ...b, callback_data: b.request_contact ? 'contact' : b.text })),
  );
}

function options(keyboard: Button[][]): Option[] {
  return keyboard
    .flat()
    .filter((b) => b.callback_data)
    .map((b) => ({
      id: b.callback_data!,
      label: b.text,
      ...(b.request_contact ? { request: 'contact' as const } : {}),
    }));
}

/** rows «N. Name» → the product handle of the row's `x:<handle>` callback, and its code */
function listOf(keyboard: Button[][], skuOf: (handle: string) => string): ProductItem[] | undefined {
  const rows = keyboard.filter((row) => /^\d+\. /.test(row[0]?.text ?? ''));
  if (rows.length === 0 || !/^1\. /.test(rows[0]![0]!.text)) return undefined;
  return rows.map((row) => {
    const data = row.map((b) => b.callback_data ?? '').find((d) => /^[a-z]+:[^:]+$/.test(d)) ?? '';
    const handle = data.slice(data.indexOf(':') + 1);
    return {
      id: handle,
      sku: skuOf(handle),
      name: row[0]!.text.replace(/^\d+\. /, ''),
      price: 0,
      currency: 'KZT',
      available: true,
    };
  });
}

function cardOf(html: string, text: string, words: Words): ProductItem | undefined {
  if (!html.startsWith('<b>')) return undefined;
  const sku = words.sku.exec(text)?.[1];
  if (!sku) return undefined;
  const name = text.split('\n', 1)[0]!;
  return {
    id: sku,
    sku,
    name,
    price: 0,
    currency: 'KZT',
    available: !words.outOfStock.some((w) => text.includes(w)),
  };
}
