import * as v from 'valibot';
import { ReplySchema, type Reply } from '../../engine/replies.ts';
import { CHANNEL_TEXT_KEYS, type ChannelTexts } from '../../engine/scenario/channelTexts.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import { shippedChannelTexts } from '../scenarios/shipped.ts';

/**
 * A proactive batch as it waits in the send queue: everything rendering it needs once it goes out,
 * the channel words of the conversation's language included.
 */
export type QueuedBatch = { address: ConversationAddress; replies: Reply[]; lang?: string; texts: ChannelTexts };

const TextsSchema = v.object(
  Object.fromEntries(CHANNEL_TEXT_KEYS.map((key) => [key, v.string()])) as Record<
    (typeof CHANNEL_TEXT_KEYS)[number],
    v.StringSchema<undefined>
  >,
);

const QueuedBatchSchema = v.object({
  address: v.object({ channel: v.literal('whatsapp'), city: v.string(), chatId: v.string() }),
  replies: v.array(ReplySchema),
  lang: v.optional(v.pipe(v.string(), v.maxLength(16))),
  texts: v.optional(TextsSchema),
});

export function encodeQueuedBatch(batch: QueuedBatch): string {
  return JSON.stringify(batch);
}

/** undefined when the payload is not a batch */
export function decodeQueuedBatch(payload: string): QueuedBatch | undefined {
  const parsed = v.safeParse(QueuedBatchSchema, safeJson(payload));
  if (!parsed.success) return undefined;
  const { address, replies, lang, texts } = parsed.output;
  // a batch queued before the channel words travelled with it is rendered with the shipped ones
  return { address, replies, ...(lang ? { lang } : {}), texts: texts ?? shippedChannelTexts(lang) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
