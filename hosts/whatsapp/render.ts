import type { Reply } from '../../engine/replies.ts';
import type { ChannelTexts } from '../../engine/scenario/channelTexts.ts';
import { charLength, WA_LIMITS as L } from './limits.ts';
import { imageMessage, textMessages, type OutboundMessage } from './messages.ts';
import { choiceMessages } from './renderChoices.ts';
import { detailMessages, productList, type RenderContext } from './renderProducts.ts';

/**
 * Channel-neutral replies → WhatsApp Cloud API messages, within WhatsApp's limits (limits.ts):
 * text split at 4096; a page of products as one interactive list (renderProducts.ts); choices as
 * reply buttons or lists (renderChoices.ts). The words the renderer adds itself (list buttons,
 * default bodies, section titles, stock) are the scenario's channel texts in the conversation's
 * language.
 */

export type RenderOptions = {
  texts: ChannelTexts;
  /**
   * WhatsApp fetches images by a public http(s) link (JPEG/PNG). Maps a reply's image URL to one,
   * or undefined to leave the image out. Default: absolute http(s) URLs as they are, others out.
   */
  mediaUrl?: (url: string) => string | undefined;
  /** the shopper's wa_id (the conversation's chat id): a phone question offers it as a button */
  recipient?: string;
};

export const absoluteOnly = (url: string): string | undefined => (/^https?:\/\//i.test(url) ? url : undefined);

export function renderReplies(replies: readonly Reply[], opts: RenderOptions): OutboundMessage[] {
  const ctx: RenderContext = {
    texts: opts.texts,
    media: opts.mediaUrl ?? absoluteOnly,
    ...(opts.recipient !== undefined ? { recipient: opts.recipient } : {}),
  };
  const out: OutboundMessage[] = [];
  for (let i = 0; i < replies.length; i++) {
    const reply = replies[i]!;
    const next = replies[i + 1];
    switch (reply.type) {
      case 'text': {
        // a short text before an interactive message becomes its body: one message instead of two
        if (next && charLength(reply.text) <= L.interactiveBody && reply.text.trim() && takesBody(next)) {
          const rendered = renderInteractive(next, replies[i + 2], ctx, reply.text);
          out.push(...rendered.messages);
          i += 1 + rendered.consumedNext;
          break;
        }
        out.push(...textMessages(reply.text));
        break;
      }
      case 'image': {
        const link = ctx.media(reply.url);
        if (link) out.push(imageMessage(link, reply.caption));
        else if (reply.caption) out.push(...textMessages(reply.caption));
        break;
      }
      case 'products':
      case 'choices': {
        const rendered = renderInteractive(reply, next, ctx, undefined);
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
  ctx: RenderContext,
  body: string | undefined,
): { messages: OutboundMessage[]; consumedNext: number } {
  if (reply.type === 'products') {
    if ((reply.view ?? 'list') === 'detail')
      return { messages: reply.items.flatMap((item) => detailMessages(item, ctx)), consumedNext: 0 };
    return productList(reply.items, next, ctx, body);
  }
  if (reply.type === 'choices')
    return {
      messages: choiceMessages(reply.options, body ?? reply.text, ctx.texts, ctx.recipient),
      consumedNext: 0,
    };
  return { messages: [], consumedNext: 0 };
}
