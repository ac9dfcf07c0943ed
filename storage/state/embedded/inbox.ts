import { sql, type Kysely } from 'kysely';
import type { Inbox, InboxItem } from '../types.ts';
import { dbGuard } from './guard.ts';
import type { StateTables } from './schema.ts';

/**
 * Acknowledged rows stay (acked_at set) as the dedup record for webhook redeliveries; the
 * backend's sweeper deletes them after the dedup period.
 */
export function dbInbox(db: Kysely<StateTables>, prefix: string): Inbox {
  return {
    async accept(conversationKey, item) {
      const row = await dbGuard('inbox accept', () =>
        db
          .insertInto('inbox')
          .values({ conversation_key: prefix + conversationKey, id: item.id, payload: item.payload, acked_at: null })
          .onConflict((oc) => oc.columns(['conversation_key', 'id']).doNothing())
          .returning('id')
          .executeTakeFirst(),
      );
      return row ? 'accepted' : 'duplicate';
    },
    async peek(conversationKey): Promise<InboxItem | undefined> {
      const row = await dbGuard('inbox peek', () =>
        db
          .selectFrom('inbox')
          .select(['id', 'payload'])
          .where('conversation_key', '=', prefix + conversationKey)
          .where('acked_at', 'is', null)
          .orderBy('seq')
          .limit(1)
          .executeTakeFirst(),
      );
      return row ? { id: row.id, payload: row.payload } : undefined;
    },
    async ack(conversationKey, id, record) {
      if (record === undefined) {
        await dbGuard('inbox ack', () =>
          db
            .updateTable('inbox')
            .set({ acked_at: sql<Date>`now()` })
            .where('conversation_key', '=', prefix + conversationKey)
            .where('id', '=', id)
            .where('acked_at', 'is', null)
            .execute(),
        );
        return;
      }
      // one statement, so atomic without a transaction: the record is queued only by the ack
      // that acknowledged the item
      await dbGuard('inbox ack', () =>
        sql`WITH acked AS (
              UPDATE inbox SET acked_at = now()
               WHERE conversation_key = ${prefix + conversationKey} AND id = ${id} AND acked_at IS NULL
              RETURNING 1)
            INSERT INTO record_outbox (namespace, data) SELECT ${prefix}, ${record} FROM acked`.execute(db),
      );
    },
    async pendingConversations() {
      const rows = await dbGuard('inbox pending', () =>
        db
          .selectFrom('inbox')
          .select('conversation_key')
          .distinct()
          .where('acked_at', 'is', null)
          .where(sql<boolean>`starts_with(conversation_key, ${prefix})`)
          .execute(),
      );
      return rows.map((row) => row.conversation_key.slice(prefix.length));
    },
  };
}
