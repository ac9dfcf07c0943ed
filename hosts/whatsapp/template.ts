import { formatPrice } from '../../engine/catalog.ts';
import type { Reply } from '../../engine/replies.ts';
import { truncate, WA_LIMITS } from './limits.ts';
import type { OutboundMessage } from './messages.ts';
import type { WhatsAppNumber } from './numbers.ts';

/**
 * Outside the 24-hour window only an approved template may be sent. The city's template takes
 * body parameters filled from the proactive replies: by default one `{{1}}` with the whole
 * message; `productName` / `price` pick the first product shown.
 */
export type TemplateParam = 'text' | 'productName' | 'price';

/** `lang`: the shopper's language; the template goes out in it when it is approved in it */
export function templateMessage(
  number: WhatsAppNumber,
  replies: readonly Reply[],
  params: readonly TemplateParam[] = ['text'],
  lang?: string,
): OutboundMessage | undefined {
  if (!number.templateName) return undefined;
  const product = replies.flatMap((r) => (r.type === 'products' ? r.items : []))[0];
  const values = params.map((p) => {
    switch (p) {
      case 'text':
        return summary(replies);
      case 'productName':
        return product?.name ?? '';
      case 'price':
        return product ? formatPrice(product.price, product.currency) : '';
    }
  });
  return {
    type: 'template',
    template: {
      name: number.templateName,
      language: { code: lang && number.templateLangs?.includes(lang) ? lang : (number.templateLang ?? 'ru') },
      components: [{ type: 'body', parameters: values.map((text) => ({ type: 'text', text: templateText(text) })) }],
    },
  };
}

function summary(replies: readonly Reply[]): string {
  const parts: string[] = [];
  for (const r of replies) {
    if (r.type === 'text') parts.push(r.text);
    else if (r.type === 'choices' && r.text) parts.push(r.text);
    else if (r.type === 'image' && r.caption) parts.push(r.caption);
    else if (r.type === 'products')
      parts.push(...r.items.slice(0, 3).map((i) => `${i.name} — ${formatPrice(i.price, i.currency)}`));
  }
  return parts.join(' · ');
}

/** Meta rejects parameters with new lines, tabs or more than four spaces in a row, and empty ones. */
export function templateText(text: string): string {
  const flat = text
    .replace(/[\r\n\t]+/g, ' · ')
    .replace(/ {4,}/g, '   ')
    .replace(/(?: · ){2,}/g, ' · ')
    .trim();
  return truncate(flat || '—', WA_LIMITS.templateParam);
}
