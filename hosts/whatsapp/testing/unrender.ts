import type { Option, ProductItem, Reply } from '../../../engine/replies.ts';
import type { ChannelTexts } from '../../../engine/scenario/channelTexts.ts';
import { textsOfEveryLang } from '../../channel/testing/texts.ts';
import { TAG, type ListRow, type OutboundMessage } from '../messages.ts';
import { OWN_NUMBER_ID } from '../ownNumber.ts';

/**
 * Sent WhatsApp messages → the channel-neutral replies a shopper saw: how transcripts replay
 * through the WhatsApp host. Product rows come back with their SKU (from the row id / the
 * message tag) and title; a label cut to fit comes back whole from the row description. Default
 * bodies the renderer added are dropped.
 */

const rowLabel = (row: ListRow): string => (row.title.endsWith('…') && row.description ? row.description : row.title);

/** the «📱 +7 …» button is the engine's option that asks for the shopper's own phone */
const option = (id: string, label: string): Option =>
  id === OWN_NUMBER_ID ? { id, label, request: 'contact' } : { id, label };

const rowOption = (row: ListRow): Option => option(row.id, rowLabel(row));

function productFromRow(row: ListRow, skuOf: (handle: string) => string): ProductItem {
  return {
    id: row.id,
    sku: skuOf(row.id.replace(/^p:/, '')),
    name: row.title,
    price: 0,
    currency: 'KZT',
    available: true,
  };
}

function productFromCaption(sku: string, caption: string, imageUrl?: string): ProductItem {
  const name = (caption.split('\n')[0] ?? sku).replace(/^\*|\*$/g, '');
  return { id: sku, sku, name, price: 0, currency: 'KZT', available: true, ...(imageUrl ? { imageUrl } : {}) };
}

/**
 * `skuOf` turns a row's product handle back into its code (the transcripts list codes); as is when
 * absent. `texts`: the scenario's channel words in every language (default: the shipped scenario's).
 */
export function unrender(
  messages: readonly OutboundMessage[],
  skuOf: (handle: string) => string = (h) => h,
  texts: readonly ChannelTexts[] = textsOfEveryLang(),
): Reply[] {
  const defaultBodies = new Set(texts.flatMap((t) => [t.channelPickProduct, t.channelChoose, t.channelWhatNext]));
  const replies: Reply[] = [];
  const body = (text: string) => {
    if (!defaultBodies.has(text)) replies.push({ type: 'text', text });
  };
  for (const message of messages) {
    const tag = message.biz_opaque_callback_data ?? '';
    switch (message.type) {
      case 'text': {
        if (tag.startsWith(TAG.detail)) {
          replies.push({
            type: 'products',
            view: 'detail',
            items: [productFromCaption(tag.slice(TAG.detail.length), message.text.body)],
          });
          break;
        }
        replies.push({ type: 'text', text: message.text.body });
        break;
      }
      case 'image':
        if (tag.startsWith(TAG.detail)) {
          replies.push({
            type: 'products',
            view: 'detail',
            items: [productFromCaption(tag.slice(TAG.detail.length), message.image.caption ?? '', message.image.link)],
          });
        } else {
          replies.push(
            message.image.caption === undefined
              ? { type: 'image', url: message.image.link }
              : { type: 'image', url: message.image.link, caption: message.image.caption },
          );
        }
        break;
      case 'template':
        replies.push({
          type: 'text',
          text: (message.template.components ?? []).flatMap((c) => c.parameters.map((p) => p.text)).join(' '),
        });
        break;
      case 'interactive': {
        const interactive = message.interactive;
        if (interactive.type === 'button') {
          const options = interactive.action.buttons.map((b) => option(b.reply.id, b.reply.title));
          if (tag.startsWith(TAG.detail)) {
            const image = interactive.header?.type === 'image' ? interactive.header.image.link : undefined;
            const item = productFromCaption(tag.slice(TAG.detail.length), interactive.body.text, image);
            item.options = options;
            replies.push({ type: 'products', view: 'detail', items: [item] });
          } else {
            const text = defaultBodies.has(interactive.body.text) ? undefined : interactive.body.text;
            replies.push(text === undefined ? { type: 'choices', options } : { type: 'choices', text, options });
          }
          break;
        }
        const sections = interactive.action.sections;
        if (tag.startsWith(TAG.list)) {
          body(interactive.body.text);
          // the row is the details button; its label travels in the tag
          const details = tag.includes('|') ? tag.slice(tag.indexOf('|') + 1) : undefined;
          const items = (sections[0]?.rows ?? []).map((row) => productFromRow(row, skuOf));
          if (details) for (const item of items) item.options = [{ id: item.id, label: details }];
          replies.push({ type: 'products', view: 'list', items });
          const more = sections.slice(1).flatMap((s) => s.rows.map(rowOption));
          if (more.length > 0) replies.push({ type: 'choices', options: more });
          break;
        }
        const options = sections.flatMap((s) => s.rows.map(rowOption));
        const previous = replies.at(-1);
        if (tag.startsWith(TAG.options) && previous?.type === 'products') {
          const item = previous.items.at(-1);
          if (item) item.options = [...(item.options ?? []), ...options];
          break;
        }
        if (tag === TAG.more && previous?.type === 'choices') {
          previous.options.push(...options);
          break;
        }
        if (tag === TAG.more && previous?.type === 'products') {
          const item = previous.items.at(-1);
          if (item) item.options = [...(item.options ?? []), ...options];
          break;
        }
        const text = defaultBodies.has(interactive.body.text) ? undefined : interactive.body.text;
        replies.push(text === undefined ? { type: 'choices', options } : { type: 'choices', text, options });
        break;
      }
    }
  }
  return replies;
}
