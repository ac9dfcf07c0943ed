import type { Option, ProductItem, Reply } from '../../engine/replies.ts';
import type { ChannelTexts } from '../../engine/scenario/channelTexts.ts';
import { priceWithWas } from '../channel/price.ts';
import {
  button,
  layout,
  replyKeyboard,
  requestsContact,
  type DroppedOption,
  type InlineButton,
  type InlineKeyboard,
  type ReplyKeyboard,
} from './keyboard.ts';
import {
  CAPTION_LIMIT,
  MESSAGE_LIMIT,
  escapeHtml,
  splitText,
  toHtml,
  truncate,
  visibleLength,
  type Segment,
} from './text.ts';

/**
 * Channel-neutral replies → a plan of Bot API calls. Pure: images are resolved beforehand
 * (`photos`), so this can be tested without any I/O and the channel port only executes the plan.
 *
 * Product lists (UX decision): with 2–10 pictured items a `sendMediaGroup` carousel shows the
 * photos with numbered captions, followed by one message that lists the items (same numbers) with
 * an inline keyboard — a row per product (details, 🔔) plus one row for options every item shares
 * (manager), then the paging/menu buttons the engine sends after the list. Media groups cannot
 * carry buttons, and ten separate photo cards flood the chat; one album plus one keyboard keeps
 * the history readable. A single pictured product is a photo card
 * with its buttons; items without photos are a text list with the same keyboard.
 *
 * A question for the shopper's phone (an option with `request: 'contact'`) is the one place with a
 * reply keyboard: inline buttons cannot ask for a contact. It stays under the input field until a
 * message removes it, so the first answer after it carries `remove_keyboard` (`removeReplyKeyboard`).
 */

export type PhotoSource =
  | { kind: 'url'; url: string }
  /** uploaded bytes; `key` names them so the file_id Telegram returns can be reused */
  | { kind: 'bytes'; bytes: Uint8Array; filename: string; key?: string };

/** at most one of them: a message carries one reply_markup */
type Markup = { keyboard?: InlineKeyboard; replyKeyboard?: ReplyKeyboard; removeKeyboard?: true };

export type Step =
  | ({ method: 'sendMessage'; text: string } & Markup)
  /** `fallbackText`: what to send instead when Telegram cannot fetch or read the photo */
  | ({ method: 'sendPhoto'; photo: PhotoSource; caption: string; fallbackText: string } & Markup)
  | { method: 'sendMediaGroup'; media: Array<{ photo: PhotoSource; caption: string }> };

/**
 * `replyKeyboard`: `shown` when the batch leaves a phone keyboard under the input field, `removed`
 * when it took one away, undefined when it changed nothing (a removal asked for waits for a batch
 * with a message that can carry it).
 */
export type RenderResult = { steps: Step[]; dropped: DroppedOption[]; replyKeyboard?: 'shown' | 'removed' };

export type RenderOptions = {
  /** a phone keyboard from an earlier batch is still showing: the first message that can, removes it */
  removeReplyKeyboard?: boolean;
};

const bare = (step: Step | undefined): step is Exclude<Step, { method: 'sendMediaGroup' }> =>
  step !== undefined &&
  step.method !== 'sendMediaGroup' &&
  !step.keyboard?.length &&
  !step.replyKeyboard &&
  !step.removeKeyboard;

const MEDIA_GROUP_MAX = 10;
const NAME_IN_BUTTON = 28;

/** `texts`: the scenario's channel words in the conversation's language */
export function render(
  replies: readonly Reply[],
  photos: ReadonlyMap<string, PhotoSource>,
  texts: ChannelTexts,
  opts: RenderOptions = {},
): RenderResult {
  const steps: Step[] = [];
  const dropped: DroppedOption[] = [];
  const photoOf = (url: string | undefined) => (url ? photos.get(url) : undefined);
  let replyKeyboardState: RenderResult['replyKeyboard'];
  let removing = opts.removeReplyKeyboard === true;
  const push = (step: Step) => {
    if (removing && bare(step)) {
      step.removeKeyboard = true;
      removing = false;
      replyKeyboardState = 'removed';
    }
    steps.push(step);
  };
  const choose = (markup: Markup) =>
    steps.push({ method: 'sendMessage', text: escapeHtml(texts.channelChoose), ...markup });

  for (const reply of replies) {
    switch (reply.type) {
      case 'text':
        for (const piece of splitText(reply.text, MESSAGE_LIMIT))
          push({ method: 'sendMessage', text: escapeHtml(piece) });
        break;
      case 'choices': {
        const contact = requestsContact(reply.options);
        const inline = contact ? [] : layout(reply.options, dropped);
        const markup: Markup | undefined = contact
          ? { replyKeyboard: replyKeyboard(reply.options) }
          : inline.length > 0
            ? { keyboard: inline }
            : undefined;
        if (contact) {
          // the new keyboard takes the place of the old one
          removing = false;
          replyKeyboardState = 'shown';
        }
        if (reply.text && reply.text.trim().length > 0) {
          const pieces = splitText(reply.text, MESSAGE_LIMIT);
          pieces.forEach((piece, i) => {
            const last = i === pieces.length - 1;
            if (last && markup && removing && pieces.length === 1) {
              // the removal rides on the words; the buttons then need a message of their own
              push({ method: 'sendMessage', text: escapeHtml(piece) });
              choose(markup);
            } else push({ method: 'sendMessage', text: escapeHtml(piece), ...(last ? markup : {}) });
          });
        } else if (markup) {
          // buttons without words belong to what was just said (paging and menu under a list)
          const previous = steps.at(-1);
          const joins =
            previous !== undefined &&
            previous.method !== 'sendMediaGroup' &&
            !previous.replyKeyboard &&
            !previous.removeKeyboard &&
            (markup.keyboard !== undefined || !previous.keyboard?.length);
          if (joins && markup.keyboard) previous.keyboard = [...(previous.keyboard ?? []), ...markup.keyboard];
          else if (joins && markup.replyKeyboard) previous.replyKeyboard = markup.replyKeyboard;
          else choose(markup);
        }
        break;
      }
      case 'image': {
        const photo = photoOf(reply.url);
        const caption = reply.caption ? truncate(reply.caption, CAPTION_LIMIT) : '';
        if (photo)
          push({
            method: 'sendPhoto',
            photo,
            caption: escapeHtml(caption),
            fallbackText: escapeHtml(reply.caption || reply.url),
          });
        else if (reply.caption) push({ method: 'sendMessage', text: escapeHtml(caption) });
        break;
      }
      case 'products':
        if (reply.items.length === 0) break;
        if (reply.view === 'detail')
          for (const item of reply.items) push(detailCard(item, photoOf(item.imageUrl), texts, dropped));
        else for (const step of productList(reply.items, photoOf, texts, dropped)) push(step);
        break;
    }
  }
  return { steps, dropped, ...(replyKeyboardState ? { replyKeyboard: replyKeyboardState } : {}) };
}

/** price, stock and SKU under a product's name */
function cardLines(item: ProductItem, texts: ChannelTexts): string {
  const stock = item.available ? texts.channelInStock : texts.channelOutOfStock;
  return `\n${priceWithWas(item, texts)} · ${stock}\n${texts.channelSku}: ${item.sku}`;
}

function detailCard(
  item: ProductItem,
  photo: PhotoSource | undefined,
  texts: ChannelTexts,
  dropped: DroppedOption[],
): Step {
  const head: Segment[] = [{ text: item.name, bold: true }, { text: cardLines(item, texts) }];
  const keyboard = layout(item.options ?? [], dropped);
  const withDescription = (limit: number): Segment[] => {
    if (!item.description?.trim()) return head;
    const room = limit - visibleLength(head) - 2;
    return room > 20 ? [...head, { text: `\n\n${truncate(item.description.trim(), room)}` }] : head;
  };
  const text = toHtml(withDescription(MESSAGE_LIMIT));
  const kb = keyboard.length > 0 ? { keyboard } : {};
  if (!photo) return { method: 'sendMessage', text, ...kb };
  return { method: 'sendPhoto', photo, caption: toHtml(withDescription(CAPTION_LIMIT)), fallbackText: text, ...kb };
}

function productList(
  items: readonly ProductItem[],
  photoOf: (url: string | undefined) => PhotoSource | undefined,
  texts: ChannelTexts,
  dropped: DroppedOption[],
): Step[] {
  const keyboard = listKeyboard(items, dropped);
  const kb = keyboard.length > 0 ? { keyboard } : {};
  const pictured = items
    .map((item, i) => ({ item, i, photo: photoOf(item.imageUrl) }))
    .filter((p) => p.photo !== undefined);

  if (items.length === 1 && pictured.length === 1) {
    const { item, photo } = pictured[0]!;
    const caption = toHtml([{ text: item.name, bold: true }, { text: cardLines(item, texts) }]);
    return [{ method: 'sendPhoto', photo: photo!, caption, fallbackText: caption, ...kb }];
  }

  const listText = items
    .map(
      (item, i) =>
        `${i + 1}. <b>${escapeHtml(truncate(item.name, 200))}</b> — ${escapeHtml(priceWithWas(item, texts))}${item.available ? '' : ` (${escapeHtml(texts.channelOutOfStock.toLowerCase())})`}`,
    )
    .join('\n');
  const steps: Step[] = [];
  if (pictured.length >= 2) {
    steps.push({
      method: 'sendMediaGroup',
      media: pictured.slice(0, MEDIA_GROUP_MAX).map(({ item, i, photo }) => ({
        photo: photo!,
        caption: toHtml([
          { text: `${i + 1}. ` },
          { text: truncate(item.name, 300), bold: true },
          { text: cardLines(item, texts) },
        ]),
      })),
    });
  }
  steps.push({ method: 'sendMessage', text: listText, ...kb });
  return steps;
}

/** A row per product (numbered name → details, then its own extra buttons); options all items share go in one last row. */
function listKeyboard(items: readonly ProductItem[], dropped: DroppedOption[]): InlineKeyboard {
  const counts = new Map<string, number>();
  for (const item of items)
    for (const id of new Set((item.options ?? []).map((o) => o.id))) counts.set(id, (counts.get(id) ?? 0) + 1);
  const shared = new Map<string, Option>();
  const rows: InlineKeyboard = [];
  items.forEach((item, i) => {
    const options = item.options ?? [{ id: `p:${item.sku}`, label: item.name }];
    const own =
      items.length > 1 ? options.filter((o) => (counts.get(o.id) ?? 0) < items.length || !isSharable(o.id)) : options;
    for (const o of options) if (!own.includes(o)) shared.set(o.id, o);
    const details = own.find((o) => o.id.startsWith('p:')) ?? own[0];
    const row: InlineButton[] = [];
    for (const o of own) {
      const b =
        o === details
          ? button(o, `${i + 1}. ${truncate(item.name, NAME_IN_BUTTON)}`, dropped)
          : button(o, o.label, dropped);
      if (b) row.push(b);
    }
    if (row.length > 0) rows.push(row);
  });
  const last = [...shared.values()]
    .map((o) => button(o, o.label, dropped))
    .filter((b): b is InlineButton => b !== undefined);
  if (last.length > 0) rows.push(last);
  return rows;
}

/** per-product ids (`p:<handle>`, `a:SKU`, …) are never merged, even when a single item is listed */
const isSharable = (id: string) => !/^[a-z]+:(?:~|[\p{Lu}\d])/u.test(id);
