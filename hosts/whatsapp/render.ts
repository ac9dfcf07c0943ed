import { formatPrice } from '../../engine/catalog.ts';
import type { Option, ProductItem, Reply } from '../../engine/replies.ts';
import { guessLang, LABELS, type RenderLabels } from './labels.ts';
import { charLength, splitText, truncate, uniqueTitles, WA_LIMITS as L } from './limits.ts';
import type { ListRow, ListSection, OutboundMessage } from './messages.ts';

/**
 * Channel-neutral replies → WhatsApp Cloud API messages, within WhatsApp's limits (limits.ts):
 * text split at 4096; a page of products as one interactive list (rows `p:SKU`); a product in
 * detail as an image-headed message with its buttons; choices as reply buttons (≤ 3 short
 * labels) or a list (labels that do not fit a button keep their full wording in the row
 * description), more than 10 as several lists.
 */

export type RenderOptions = {
  labels?: RenderLabels;
  /**
   * WhatsApp fetches images by a public http(s) link (JPEG/PNG). Maps a reply's image URL to one,
   * or undefined to leave the image out. Default: absolute http(s) URLs as they are, others out.
   */
  mediaUrl?: (url: string) => string | undefined;
};

export const absoluteOnly = (url: string): string | undefined => (/^https?:\/\//i.test(url) ? url : undefined);

/** biz_opaque_callback_data tags (see messages.ts) */
export const TAG = {
  list: 'list:',
  detail: 'detail:',
  options: 'opts:',
  /** a further page of the previous choices */
  more: 'more',
} as const;

// set per call by renderReplies (rendering is synchronous)
let media: (url: string) => string | undefined = absoluteOnly;

export function renderReplies(replies: readonly Reply[], opts: RenderOptions = {}): OutboundMessage[] {
  const labels = opts.labels ?? LABELS[guessLang(replies)];
  media = opts.mediaUrl ?? absoluteOnly;
  const out: OutboundMessage[] = [];
  for (let i = 0; i < replies.length; i++) {
    const reply = replies[i]!;
    const next = replies[i + 1];
    switch (reply.type) {
      case 'text': {
        // a short text before an interactive message becomes its body: one message instead of two
        if (next && charLength(reply.text) <= L.interactiveBody && reply.text.trim() && takesBody(next)) {
          const rendered = renderInteractive(next, replies[i + 2], labels, reply.text);
          out.push(...rendered.messages);
          i += 1 + rendered.consumedNext;
          break;
        }
        out.push(...textMessages(reply.text));
        break;
      }
      case 'image': {
        const link = media(reply.url);
        if (link) out.push(imageMessage(link, reply.caption));
        else if (reply.caption) out.push(...textMessages(reply.caption));
        break;
      }
      case 'products':
      case 'choices': {
        const rendered = renderInteractive(reply, next, labels, undefined);
        out.push(...rendered.messages);
        i += rendered.consumedNext;
        break;
      }
    }
  }
  return out;
}

function takesBody(reply: Reply): boolean {
  if (reply.type === 'products') return (reply.view ?? 'list') === 'list' && reply.items.length > 0;
  if (reply.type === 'choices') return reply.options.length > 0 && !reply.text;
  return false;
}

function renderInteractive(
  reply: Reply,
  next: Reply | undefined,
  labels: RenderLabels,
  body: string | undefined,
): { messages: OutboundMessage[]; consumedNext: number } {
  if (reply.type === 'products') {
    if ((reply.view ?? 'list') === 'detail')
      return { messages: reply.items.flatMap((item) => detailMessages(item, labels)), consumedNext: 0 };
    return productList(reply.items, next, labels, body);
  }
  if (reply.type === 'choices')
    return { messages: choiceMessages(reply.options, body ?? reply.text, labels), consumedNext: 0 };
  return { messages: [], consumedNext: 0 };
}

export function textMessages(text: string): OutboundMessage[] {
  if (!text.trim()) return [];
  return splitText(text, L.textBody).map((body) => ({ type: 'text', text: { body, preview_url: false } }));
}

function imageMessage(link: string, caption: string | undefined, tag?: string): OutboundMessage {
  const image: { link: string; caption?: string } = { link };
  if (caption) image.caption = truncate(caption, L.caption);
  return withTag({ type: 'image', image }, tag);
}

function withTag(message: OutboundMessage, tag: string | undefined): OutboundMessage {
  if (tag) message.biz_opaque_callback_data = truncate(tag, L.bizOpaque);
  return message;
}

function productRow(item: ProductItem, labels: RenderLabels): ListRow {
  const price = formatPrice(item.price, item.currency);
  const stock = item.available ? '' : ` · ${labels.outOfStock}`;
  const detail = item.options?.find((o) => o.id.startsWith('p:'))?.id ?? `p:${item.sku}`;
  return {
    id: truncate(detail, L.rowId),
    title: truncate(item.name.trim() || item.sku, L.rowTitle),
    description: truncate(`${price}${stock} · ${item.name.trim() || item.sku}`, L.rowDescription),
  };
}

/** WhatsApp rejects two rows or buttons with one id: the first one wins */
function uniqueById(options: Option[]): Option[] {
  const seen = new Set<string>();
  return options.filter((o) => !seen.has(o.id) && Boolean(seen.add(o.id)));
}

function optionRows(options: Option[]): ListRow[] {
  const titles = uniqueTitles(
    options.map((o) => o.label),
    L.rowTitle,
  );
  return options.map((o, n) => {
    const row: ListRow = { id: truncate(o.id, L.rowId), title: titles[n]! };
    // a label cut to fit the title keeps its full wording below it
    if (titles[n] !== o.label.trim()) row.description = truncate(o.label, L.rowDescription);
    return row;
  });
}

/** A page of products: one list message per 10 items; textless choices that follow join the last list when they fit. */
function productList(
  items: ProductItem[],
  next: Reply | undefined,
  labels: RenderLabels,
  body: string | undefined,
): { messages: OutboundMessage[]; consumedNext: number } {
  const pages: ProductItem[][] = [];
  for (let n = 0; n < items.length; n += L.listRows) pages.push(items.slice(n, n + L.listRows));
  const messages: OutboundMessage[] = [];
  let consumedNext = 0;
  pages.forEach((page, n) => {
    const seen = new Set<string>();
    // the same product twice on a page would be two rows with one id, which WhatsApp rejects
    const rows = page.map((item) => productRow(item, labels)).filter((r) => !seen.has(r.id) && Boolean(seen.add(r.id)));
    const sections: ListSection[] = [{ title: truncate(labels.productsSection, L.sectionTitle), rows }];
    const last = n === pages.length - 1;
    const rowIds = new Set(sections[0]!.rows.map((r) => r.id));
    if (
      last &&
      next?.type === 'choices' &&
      !next.text &&
      next.options.length > 0 &&
      page.length + next.options.length <= L.listRows &&
      next.options.every((o) => !rowIds.has(truncate(o.id, L.rowId)))
    ) {
      sections.push({
        title: truncate(labels.moreSection, L.sectionTitle),
        rows: optionRows(uniqueById(next.options)),
      });
      consumedNext = 1;
    }
    messages.push(
      withTag(
        {
          type: 'interactive',
          interactive: {
            type: 'list',
            body: { text: truncate(n === 0 ? (body ?? labels.productsBody) : labels.productsBody, L.interactiveBody) },
            action: { button: truncate(labels.listButton, L.listButton), sections },
          },
        },
        listTag(page),
      ),
    );
  });
  return { messages, consumedNext };
}

/** `list:SKU,SKU|Подробнее`: the SKUs shown and the label of the details option the row stands for */
function listTag(page: ProductItem[]): string {
  const details = page.flatMap((item) => item.options ?? []).find((o) => o.id.startsWith('p:'))?.label;
  const skus = page.map((item) => item.sku).join(',');
  return details ? `${TAG.list}${skus}|${truncate(details.replace(/\|/g, ' '), 40)}` : `${TAG.list}${skus}`;
}

export function productCaption(item: ProductItem, labels: RenderLabels, max: number = L.caption): string {
  const head = [
    `*${item.name}*`,
    `${formatPrice(item.price, item.currency)}${item.available ? '' : ` · ${labels.outOfStock}`}`,
    item.sku,
  ].join('\n');
  if (!item.description) return truncate(head, max);
  return truncate(`${head}\n\n${item.description}`, max);
}

function fitsButtons(options: Option[]): boolean {
  if (options.length === 0 || options.length > L.buttons) return false;
  const labels = options.map((o) => o.label.trim());
  return (
    labels.every((l) => l.length > 0 && charLength(l) <= L.buttonTitle) &&
    new Set(labels.map((l) => l.toLowerCase())).size === labels.length
  );
}

function buttons(options: Option[]) {
  const titles = uniqueTitles(
    options.map((o) => o.label),
    L.buttonTitle,
  );
  return options
    .slice(0, L.buttons)
    .map((o, n) => ({ type: 'reply' as const, reply: { id: truncate(o.id, L.buttonId), title: titles[n]! } }));
}

/** One product in full: image header + caption + its buttons, or image then a list of its options. */
function detailMessages(item: ProductItem, labels: RenderLabels): OutboundMessage[] {
  const tag = `${TAG.detail}${item.sku}`;
  const options = uniqueById(item.options ?? []);
  const caption = productCaption(item, labels);
  const image = item.imageUrl ? media(item.imageUrl) : undefined;
  if (fitsButtons(options)) {
    return [
      withTag(
        {
          type: 'interactive',
          interactive: {
            type: 'button',
            ...(image ? { header: { type: 'image' as const, image: { link: image } } } : {}),
            body: { text: caption },
            action: { buttons: buttons(options) },
          },
        },
        tag,
      ),
    ];
  }
  const first: OutboundMessage = image
    ? imageMessage(image, caption, tag)
    : withTag({ type: 'text', text: { body: caption, preview_url: false } }, tag);
  if (options.length === 0) return [first];
  return [first, ...optionLists(options, labels.optionsBody, labels, `${TAG.options}${item.sku}`)];
}

function optionLists(
  options: Option[],
  body: string,
  labels: RenderLabels,
  tag: string | undefined,
): OutboundMessage[] {
  const messages: OutboundMessage[] = [];
  for (let n = 0; n < options.length; n += L.listRows) {
    const page = options.slice(n, n + L.listRows);
    messages.push(
      withTag(
        {
          type: 'interactive',
          interactive: {
            type: 'list',
            body: {
              text: truncate(
                n === 0
                  ? body
                  : `${labels.choicesBody} ${n / L.listRows + 1}/${Math.ceil(options.length / L.listRows)}`,
                L.interactiveBody,
              ),
            },
            action: { button: truncate(labels.choicesButton, L.listButton), sections: [{ rows: optionRows(page) }] },
          },
        },
        n === 0 ? tag : TAG.more,
      ),
    );
  }
  return messages;
}

function choiceMessages(all: Option[], text: string | undefined, labels: RenderLabels): OutboundMessage[] {
  const options = uniqueById(all);
  if (options.length === 0) return text ? textMessages(text) : [];
  const messages: OutboundMessage[] = [];
  let body = text;
  if (body && charLength(body) > L.interactiveBody) {
    messages.push(...textMessages(body));
    body = undefined;
  }
  const shown = body?.trim() ? body : labels.choicesBody;
  if (fitsButtons(options)) {
    messages.push({
      type: 'interactive',
      interactive: { type: 'button', body: { text: shown }, action: { buttons: buttons(options) } },
    });
    return messages;
  }
  messages.push(...optionLists(options, shown, labels, undefined));
  return messages;
}
