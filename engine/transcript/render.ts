import type { Reply } from '../replies.ts';
import type { ActualLine } from './model.ts';

/**
 * The label a choices line shows for a button that asks for the shopper's phone: each channel words
 * it its own way (WhatsApp shows the sender's number), so transcripts name what it does instead.
 */
const CONTACT_BUTTON = '[contact]';

/** Replies as transcript lines: a `choices` reply with a text is a text line plus a choices line. */
export function renderReplies(replies: readonly Reply[]): ActualLine[] {
  const lines: ActualLine[] = [];
  for (const reply of replies) {
    switch (reply.type) {
      case 'text':
        lines.push({ kind: 'text', text: reply.text });
        break;
      case 'products':
        lines.push({ kind: 'products', view: reply.view ?? 'list', skus: reply.items.map((item) => item.sku) });
        break;
      case 'choices':
        if (reply.text) lines.push({ kind: 'text', text: reply.text });
        lines.push({
          kind: 'choices',
          labels: reply.options.map((o) => (o.request === 'contact' ? CONTACT_BUTTON : o.label)),
          ids: reply.options.map((o) => o.id),
        });
        break;
      case 'image':
        lines.push(
          reply.caption === undefined
            ? { kind: 'image', url: reply.url }
            : { kind: 'image', url: reply.url, caption: reply.caption },
        );
        break;
    }
  }
  return lines;
}
