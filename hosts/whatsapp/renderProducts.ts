import { formatPrice } from '../../engine/catalog.ts';
import type { ProductItem, Reply } from '../../engine/replies.ts';
import type { ChannelTexts } from '../../engine/scenario/channelTexts.ts';
import { priceWithWas } from '../channel/price.ts';
import { truncate, WA_LIMITS as L } from './limits.ts';
import { imageMessage, TAG, withTag, type ListRow, type ListSection, type OutboundMessage } from './messages.ts';
import { buttons, fitsButtons, optionLists, optionRows, uniqueById } from './renderChoices.ts';

/**
 * Products → a page as one interactive list (rows `p:SKU`, ≤ 10 per message); a product in detail
 * as an image-headed message with its buttons, or its image and then a list of its options.
 */

export type RenderContext = {
  texts: ChannelTexts;
  /** a public link WhatsApp can fetch for a reply's image URL, or undefined to leave the image out */
  media: (url: string) => string | undefined;
  /** the shopper's wa_id: a phone question's button shows it (ownNumber.ts) */
  recipient?: string;
};

/** the stock word inside a line («… · нет в наличии») */
const outOfStock = (texts: ChannelTexts) => texts.channelOutOfStock.toLowerCase();

function productRow(item: ProductItem, texts: ChannelTexts): ListRow {
  const price = formatPrice(item.price, item.currency);
  const stock = item.available ? '' : ` · ${outOfStock(texts)}`;
  const detail = item.options?.find((o) => o.id.startsWith('p:'))?.id ?? `p:${item.sku}`;
  return {
    id: truncate(detail, L.rowId),
    title: truncate(item.name.trim() || item.sku, L.rowTitle),
    description: truncate(`${price}${stock} · ${item.name.trim() || item.sku}`, L.rowDescription),
  };
}

/** A page of products: one list message per 10 items; textless choices that follow join the last list when they fit. */
export function productList(
  items: ProductItem[],
  next: Reply | undefined,
  ctx: RenderContext,
  body: string | undefined,
): { messages: OutboundMessage[]; consumedNext: number } {
  const { texts } = ctx;
  const pages: ProductItem[][] = [];
  for (let n = 0; n < items.length; n += L.listRows) pages.push(items.slice(n, n + L.listRows));
  const messages: OutboundMessage[] = [];
  let consumedNext = 0;
  pages.forEach((page, n) => {
    const seen = new Set<string>();
    // the same product twice on a page would be two rows with one id, which WhatsApp rejects
    const rows = page.map((item) => productRow(item, texts)).filter((r) => !seen.has(r.id) && Boolean(seen.add(r.id)));
    const sections: ListSection[] = [{ title: truncate(texts.channelProductsSection, L.sectionTitle), rows }];
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
        title: truncate(texts.channelMoreSection, L.sectionTitle),
        rows: optionRows(uniqueById(next.options)),
      });
      consumedNext = 1;
    }
    const text = n === 0 ? (body ?? texts.channelPickProduct) : texts.channelPickProduct;
    messages.push(
      withTag(
        {
          type: 'interactive',
          interactive: {
            type: 'list',
            body: { text: truncate(text, L.interactiveBody) },
            action: { button: truncate(texts.channelListButton, L.listButton), sections },
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

export function productCaption(item: ProductItem, texts: ChannelTexts, max: number = L.caption): string {
  const head = [
    `*${item.name}*`,
    `${priceWithWas(item, texts)}${item.available ? '' : ` · ${outOfStock(texts)}`}`,
    item.sku,
  ].join('\n');
  if (!item.description) return truncate(head, max);
  return truncate(`${head}\n\n${item.description}`, max);
}

/** One product in full: image header + caption + its buttons, or image then a list of its options. */
export function detailMessages(item: ProductItem, ctx: RenderContext): OutboundMessage[] {
  const tag = `${TAG.detail}${item.sku}`;
  const options = uniqueById(item.options ?? []);
  const caption = productCaption(item, ctx.texts);
  const image = item.imageUrl ? ctx.media(item.imageUrl) : undefined;
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
  return [first, ...optionLists(options, ctx.texts.channelWhatNext, ctx.texts, `${TAG.options}${item.sku}`)];
}
