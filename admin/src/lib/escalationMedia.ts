import { API_BASE } from '../api/client.ts';
import type { EscalationMessage } from '../api/types.ts';

export type LineMedia = { kind: 'photo' | 'voice' | 'document'; url: string };

/**
 * A shopper's photo or voice note in the inbox: where the panel loads it (the session cookie
 * authenticates the request), and the words worth showing beside it — the caption, not the
 * channel's file handle that the message text carries for the Telegram managers' chat.
 */
export function messageMedia(escalationId: string, m: EscalationMessage): { media?: LineMedia; text: string } {
  if (!m.media) return { text: m.text };
  const url = `${API_BASE}/escalations/${encodeURIComponent(escalationId)}/messages/${encodeURIComponent(m.id)}/media`;
  const caption = /^(?:📷 photo|🎤 voice): \S+(?: — ([\s\S]*))?$/u.exec(m.text);
  return { media: { kind: m.media, url }, text: caption ? (caption[1] ?? '') : m.text };
}
