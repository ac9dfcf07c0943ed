import type { Channel } from '../../engine/catalog.ts';

/**
 * Every message the bot posts to a managers' chat ends with a reference line naming the
 * escalation and the shopper's chat. A manager's reply quotes that message (Telegram includes
 * `reply_to_message.text`), so the mapping back to the shopper survives restarts and needs no table.
 * The shopper may be on any channel (a WhatsApp shopper's escalation lands in the same city chat).
 */

export type EscalationRef = { escalationId: string; shopperChatId: string };

export function formatTag(escalationId: string, shopper: { channel: Channel; chatId: string }): string {
  const chat = shopper.channel === 'telegram' ? shopper.chatId : `${shopper.channel}:${shopper.chatId}`;
  return `ref: esc=${encodeURIComponent(escalationId)} chat=${encodeURIComponent(chat)}`;
}

export function parseTag(text: string | undefined): EscalationRef | undefined {
  if (!text) return undefined;
  const last = [...text.matchAll(/ref: esc=(\S+) chat=(\S+)/g)].at(-1);
  if (!last) return undefined;
  try {
    return { escalationId: decodeURIComponent(last[1]!), shopperChatId: decodeURIComponent(last[2]!) };
  } catch {
    return undefined;
  }
}

/** `12345` → Telegram chat 12345; `whatsapp:77010000000` → that WhatsApp chat */
export function parseChatRef(ref: string): { channel: Channel; chatId: string } {
  const match = /^(whatsapp|web|telegram):(.+)$/.exec(ref);
  return match ? { channel: match[1] as Channel, chatId: match[2]! } : { channel: 'telegram', chatId: ref };
}
