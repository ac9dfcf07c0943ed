import type { Channel } from '../../engine/catalog.ts';

/** Who a conversation is with: one shopper chat with one city's bot on one channel. */
export type ConversationAddress = { channel: Channel; city: string; chatId: string };

export const conversationKey = (a: ConversationAddress): string => `${a.channel}:${a.city}:${a.chatId}`;

export function parseConversationKey(key: string): ConversationAddress | undefined {
  const first = key.indexOf(':');
  const second = key.indexOf(':', first + 1);
  if (first < 0 || second < 0) return undefined;
  const channel = key.slice(0, first);
  if (channel !== 'telegram' && channel !== 'whatsapp' && channel !== 'web') return undefined;
  return { channel, city: key.slice(first + 1, second), chatId: key.slice(second + 1) };
}
