import type { Option } from '../../engine/replies.ts';

export type InlineButton = { text: string; callback_data: string };
export type InlineKeyboard = InlineButton[][];

/** Telegram rejects callback_data over 64 bytes. */
export const CALLBACK_DATA_LIMIT = 64;
const BUTTON_TEXT_LIMIT = 60;
const encoder = new TextEncoder();

export const fitsCallbackData = (id: string) => id.length > 0 && encoder.encode(id).length <= CALLBACK_DATA_LIMIT;

export type DroppedOption = { id: string; reason: string };

/** A button for an option, or undefined (and a reason) when its id cannot travel as callback_data. */
export function button(option: Option, label = option.label, dropped?: DroppedOption[]): InlineButton | undefined {
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
  const buttons = options.map((o) => button(o, o.label, dropped)).filter((b): b is InlineButton => b !== undefined);
  const longest = Math.max(0, ...buttons.map((b) => [...b.text].length));
  const perRow = longest <= 4 ? 4 : longest <= 12 ? 3 : longest <= 22 ? 2 : 1;
  const rows: InlineKeyboard = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return rows;
}

function clip(label: string): string {
  const chars = [...label];
  return chars.length <= BUTTON_TEXT_LIMIT ? label : `${chars.slice(0, BUTTON_TEXT_LIMIT - 1).join('')}…`;
}
