import type { ConversationMessageRow, MessageDirection } from '../db/types.ts';
import { json, type Db } from './common.ts';

export type ConversationMessage = {
  id: string;
  conversationKey: string;
  channel: string;
  cityId?: string;
  direction: MessageDirection;
  text?: string;
  payload?: unknown;
  createdAt: string;
};

const toMessage = (r: ConversationMessageRow): ConversationMessage => ({
  id: r.id,
  conversationKey: r.conversation_key,
  channel: r.channel,
  ...(r.city_id ? { cityId: r.city_id } : {}),
  direction: r.direction,
  ...(r.text !== null ? { text: r.text } : {}),
  ...(r.payload !== null ? { payload: r.payload } : {}),
  createdAt: r.created_at.toISOString(),
});

/** `recordKey`: unique per relayed row; a row whose key was written before is skipped */
export type NewConversationMessage = {
  conversationKey: string;
  channel: string;
  cityId?: string | null;
  direction: MessageDirection;
  text?: string | null;
  payload?: unknown;
  at?: Date;
  recordKey?: string;
};

export async function recordMessages(db: Db, messages: NewConversationMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insertInto('conversation_messages')
    .values(
      messages.map((m) => ({
        conversation_key: m.conversationKey,
        channel: m.channel,
        city_id: m.cityId ?? null,
        direction: m.direction,
        text: m.text ?? null,
        payload: m.payload === undefined ? null : json(m.payload),
        ...(m.at ? { created_at: m.at } : {}),
        record_key: m.recordKey ?? null,
      })),
    )
    .onConflict((oc) => oc.column('record_key').doNothing())
    .execute();
}

/** the most recent `limit` messages, oldest first */
export async function recentMessages(db: Db, conversationKey: string, limit = 50): Promise<ConversationMessage[]> {
  const rows = await db
    .selectFrom('conversation_messages')
    .selectAll()
    .where('conversation_key', '=', conversationKey)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse().map(toMessage);
}

/** the last `limit` messages up to `until` (inclusive), oldest first: a conversation as it was at a moment */
export async function messagesUntil(
  db: Db,
  conversationKey: string,
  until: Date,
  limit = 50,
): Promise<ConversationMessage[]> {
  const rows = await db
    .selectFrom('conversation_messages')
    .selectAll()
    .where('conversation_key', '=', conversationKey)
    .where('created_at', '<=', until)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse().map(toMessage);
}

/** true when the shopper of this conversation has written to the bot at least once */
export async function shopperHasWritten(db: Db, conversationKey: string): Promise<boolean> {
  const row = await db
    .selectFrom('conversation_messages')
    .select('id')
    .where('conversation_key', '=', conversationKey)
    .where('direction', '=', 'in')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
