import type { Option } from '../../engine/replies.ts';
import type { ChannelTexts } from '../../engine/scenario/channelTexts.ts';
import { charLength, truncate, uniqueTitles, WA_LIMITS as L } from './limits.ts';
import { TAG, textMessages, withTag, type ListRow, type OutboundMessage } from './messages.ts';
import { withOwnNumber } from './ownNumber.ts';

/**
 * Choices → reply buttons (≤ 3 short, distinct labels) or lists of ≤ 10 rows; a label cut to fit a
 * row title keeps its full wording in the row description.
 */

/** WhatsApp rejects two rows or buttons with one id: the first one wins */
export function uniqueById(options: Option[]): Option[] {
  const seen = new Set<string>();
  return options.filter((o) => !seen.has(o.id) && Boolean(seen.add(o.id)));
}

export function optionRows(options: Option[]): ListRow[] {
  const titles = uniqueTitles(
    options.map((o) => o.label),
    L.rowTitle,
  );
  return options.map((o, n) => {
    const row: ListRow = { id: truncate(o.id, L.rowId), title: titles[n]! };
    if (titles[n] !== o.label.trim()) row.description = truncate(o.label, L.rowDescription);
    return row;
  });
}

export function fitsButtons(options: Option[]): boolean {
  if (options.length === 0 || options.length > L.buttons) return false;
  const labels = options.map((o) => o.label.trim());
  return (
    labels.every((l) => l.length > 0 && charLength(l) <= L.buttonTitle) &&
    new Set(labels.map((l) => l.toLowerCase())).size === labels.length
  );
}

export function buttons(options: Option[]) {
  const titles = uniqueTitles(
    options.map((o) => o.label),
    L.buttonTitle,
  );
  return options
    .slice(0, L.buttons)
    .map((o, n) => ({ type: 'reply' as const, reply: { id: truncate(o.id, L.buttonId), title: titles[n]! } }));
}

/** Lists of ≤ 10 rows; the first has `body`, the next are numbered pages of the same choice. */
export function optionLists(
  options: Option[],
  body: string,
  texts: ChannelTexts,
  tag: string | undefined,
): OutboundMessage[] {
  const messages: OutboundMessage[] = [];
  const pages = Math.ceil(options.length / L.listRows);
  for (let n = 0; n < options.length; n += L.listRows) {
    const page = options.slice(n, n + L.listRows);
    const text = n === 0 ? body : `${texts.channelChoose} ${n / L.listRows + 1}/${pages}`;
    messages.push(
      withTag(
        {
          type: 'interactive',
          interactive: {
            type: 'list',
            body: { text: truncate(text, L.interactiveBody) },
            action: {
              button: truncate(texts.channelChooseButton, L.listButton),
              sections: [{ rows: optionRows(page) }],
            },
          },
        },
        n === 0 ? tag : TAG.more,
      ),
    );
  }
  return messages;
}

/** `recipient`: the shopper's wa_id, the title of a phone question's «📱» button (a row when there are more than 3 options) */
export function choiceMessages(
  all: Option[],
  text: string | undefined,
  texts: ChannelTexts,
  recipient?: string,
): OutboundMessage[] {
  const options = uniqueById(withOwnNumber(all, recipient));
  if (options.length === 0) return text ? textMessages(text) : [];
  const messages: OutboundMessage[] = [];
  let body = text;
  if (body && charLength(body) > L.interactiveBody) {
    messages.push(...textMessages(body));
    body = undefined;
  }
  const shown = body?.trim() ? body : texts.channelChoose;
  if (fitsButtons(options)) {
    messages.push({
      type: 'interactive',
      interactive: { type: 'button', body: { text: shown }, action: { buttons: buttons(options) } },
    });
    return messages;
  }
  messages.push(...optionLists(options, shown, texts, undefined));
  return messages;
}
