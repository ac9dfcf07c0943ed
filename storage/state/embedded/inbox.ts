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
      const acknowledge = (tx: Kysely<StateTables>) =>
        tx
          .updateTable('inbox')
          .set({ acked_at: sql<Date>`now()` })
          .where('conversation_key', '=', prefix + conversationKey)
          .where('id', '=', id)
          .where('acked_at', 'is', null)
          .executeTakeFirst();
      if (record === undefined) {
        await dbGuard('inbox ack', () => acknowledge(db));
        return;
      }
      await dbGuard('inbox ack', () =>
        db.transaction().execute(async (tx) => {
          const acked = await acknowledge(tx);
          if (Number(acked.numUpdatedRows) === 1) await tx.insertInto('record_outbox').values({ namespace: prefix, data: record, taken_until: null }).execute();
        }),
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
