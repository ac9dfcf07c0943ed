import { splitText, truncate, WA_LIMITS } from './limits.ts';

/**
 * The Graph API message bodies we send (`POST /{phone-number-id}/messages`), minus the envelope
 * fields `messaging_product`, `recipient_type` and `to`, which the channel adds; and the plain
 * ones (text, image) the renderers build.
 */

export type ReplyButton = { type: 'reply'; reply: { id: string; title: string } };
export type ListRow = { id: string; title: string; description?: string };
export type ListSection = { title?: string; rows: ListRow[] };

export type InteractiveHeader = { type: 'text'; text: string } | { type: 'image'; image: { link: string } };

export type ButtonInteractive = {
  type: 'button';
  header?: InteractiveHeader;
  body: { text: string };
  footer?: { text: string };
  action: { buttons: ReplyButton[] };
};

export type ListInteractive = {
  type: 'list';
  header?: { type: 'text'; text: string };
  body: { text: string };
  footer?: { text: string };
  action: { button: string; sections: ListSection[] };
};

export type TemplateParameter = { type: 'text'; text: string };
export type TemplateComponent = { type: 'body'; parameters: TemplateParameter[] };

export type OutboundMessage = (
  | { type: 'text'; text: { body: string; preview_url?: boolean } }
  | { type: 'image'; image: { link: string; caption?: string } }
  | { type: 'interactive'; interactive: ButtonInteractive | ListInteractive }
  | { type: 'template'; template: { name: string; language: { code: string }; components?: TemplateComponent[] } }
) & {
  /**
   * Meta echoes this string back in status webhooks; we tag product messages with what they show
   * (`list:SKU,SKU`, `detail:SKU`) for analytics and to turn recorded payloads back into replies.
   */
  biz_opaque_callback_data?: string;
};

/** What actually goes over the wire. */
export type SendBody = OutboundMessage & {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
};

/** biz_opaque_callback_data tags */
export const TAG = {
  list: 'list:',
  detail: 'detail:',
  options: 'opts:',
  /** a further page of the previous choices */
  more: 'more',
} as const;

export function textMessages(text: string): OutboundMessage[] {
  if (!text.trim()) return [];
  return splitText(text, WA_LIMITS.textBody).map((body) => ({ type: 'text', text: { body, preview_url: false } }));
}

export function imageMessage(link: string, caption: string | undefined, tag?: string): OutboundMessage {
  const image: { link: string; caption?: string } = { link };
  if (caption) image.caption = truncate(caption, WA_LIMITS.caption);
  return withTag({ type: 'image', image }, tag);
}

export function withTag(message: OutboundMessage, tag: string | undefined): OutboundMessage {
  if (tag) message.biz_opaque_callback_data = truncate(tag, WA_LIMITS.bizOpaque);
  return message;
}
