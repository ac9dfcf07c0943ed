import type { Db } from './common.ts';
import { isUuid } from './products.ts';

/** The photo or voice note behind one shopper message of an escalation. */
export type EscalationMedia = {
  messageId: string;
  kind: 'photo' | 'voice' | 'document';
  ref: string;
  mime?: string;
  bytes?: Uint8Array;
  createdAt: string;
};

export async function saveEscalationMedia(
  db: Db,
  media: { messageId: string; kind: 'photo' | 'voice' | 'document'; ref: string; mime?: string; bytes?: Uint8Array },
): Promise<void> {
  await db
    .insertInto('escalation_media')
    .values({
      message_id: media.messageId,
      kind: media.kind,
      ref: media.ref,
      mime: media.mime ?? null,
      bytes: media.bytes ? Buffer.from(media.bytes) : null,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

export async function getEscalationMedia(db: Db, messageId: string): Promise<EscalationMedia | undefined> {
  if (!isUuid(messageId)) return undefined;
  const row = await db
    .selectFrom('escalation_media')
    .selectAll()
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    messageId: row.message_id,
    kind: row.kind,
    ref: row.ref,
    ...(row.mime ? { mime: row.mime } : {}),
    ...(row.bytes ? { bytes: new Uint8Array(row.bytes) } : {}),
    createdAt: row.created_at.toISOString(),
  };
}

/** message id → media kind, for the messages of one escalation */
export async function escalationMediaKinds(
  db: Db,
  messageIds: readonly string[],
): Promise<Map<string, 'photo' | 'voice' | 'document'>> {
  if (messageIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('escalation_media')
    .select(['message_id', 'kind'])
    .where('message_id', 'in', messageIds)
    .execute();
  return new Map(rows.map((r) => [r.message_id, r.kind]));
}

/** Retention: stored bytes older than `before` are dropped; the ref stays, so the inbox still says what was sent. */
export async function dropStoredMediaBefore(db: Db, before: Date): Promise<number> {
  const result = await db
    .updateTable('escalation_media')
    .set({ bytes: null })
    .where('bytes', 'is not', null)
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
