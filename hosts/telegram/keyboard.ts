import type { Option } from '../../engine/replies.ts';

export type InlineButton = { text: string; callback_data: string };
export type InlineKeyboard = InlineButton[][];
/** a reply keyboard's button: its text is sent as a message when tapped, or it shares the shopper's phone */
export type KeyboardButton = { text: string; request_contact?: true };
export type ReplyKeyboard = KeyboardButton[][];

/** Telegram rejects callback_data over 64 bytes. */
export const CALLBACK_DATA_LIMIT = 64;
const BUTTON_TEXT_LIMIT = 60;
const encoder = new TextEncoder();

export const fitsCallbackData = (id: string) => id.length > 0 && encoder.encode(id).length <= CALLBACK_DATA_LIMIT;

export type DroppedOption = { id: string; reason: string };

/** A button for an option, or undefined (and a reason) when its id cannot travel as callback_data. */
export function button(option: Option, label = option.label, dropped?: DroppedOption[]): InlineButton | undefined {
  if (option.request) {
    dropped?.push({ id: option.id, reason: `request_${option.request} needs a reply keyboard, not an inline one` });
    return undefined;
  }
  if (!fitsCallbackData(option.id)) {
    dropped?.push({ id: option.id, reason: `callback_data over ${CALLBACK_DATA_LIMIT} bytes` });
    return undefined;
  }
  return { text: clip(label), callback_data: option.id };
}

/**
 * Rows sized by label length: short labels (emoji, language codes) share a row, long ones get
 * their own — at most 8 per row, as Telegram's clients render them legibly.
 */
export function layout(options: readonly Option[], dropped?: DroppedOption[]): InlineKeyboard {
  return rows(options.map((o) => button(o, o.label, dropped)).filter((b): b is InlineButton => b !== undefined));
}

/** any option asks the channel for the shopper's phone: only a reply keyboard can (inline buttons cannot request_contact) */
export const requestsContact = (options: readonly Option[]) => options.some((o) => o.request === 'contact');

/**
 * A reply keyboard for a question that asks for the shopper's phone: the request_contact button alone
 * on the first row, the other options as text buttons below. Their ids cannot travel (a tap sends the
 * label as a message), and the engine reads a typed label as the tap.
 */
export function replyKeyboard(options: readonly Option[]): ReplyKeyboard {
  const contact = options
    .filter((o) => o.request === 'contact')
    .map((o) => ({ text: clip(o.label), request_contact: true as const }));
  const typed = options.filter((o) => !o.request).map((o) => ({ text: clip(o.label) }));
  return [...(contact.length > 0 ? [contact] : []), ...rows(typed)];
}

function rows<B extends { text: string }>(buttons: B[]): B[][] {
  const longest = Math.max(0, ...buttons.map((b) => [...b.text].length));
  const perRow = longest <= 4 ? 4 : longest <= 12 ? 3 : longest <= 22 ? 2 : 1;
  const out: B[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) out.push(buttons.slice(i, i + perRow));
  return out;
}

function clip(label: string): string {
  const chars = [...label];
  return chars.length <= BUTTON_TEXT_LIMIT ? label : `${chars.slice(0, BUTTON_TEXT_LIMIT - 1).join('')}…`;
}
