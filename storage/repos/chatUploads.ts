import { sql } from 'kysely';
import type { Db } from './common.ts';

/** A photo sent in the web chat, kept until `expiresAt` for the turns that read it. */
export type ChatUpload = {
  ref: string;
  city: string;
  userId: string;
  mime: string;
  bytes: Uint8Array;
  createdAt: Date;
  expiresAt: Date;
};

export type ChatUploadOwner = Omit<ChatUpload, 'bytes' | 'mime' | 'createdAt'>;

// The bytes travel as base64 text: the embedded database (PGlite) converts a bytea parameter or
// column value several times slower than text (10 s against 2 s for 10 MB).
const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export async function saveChatUpload(db: Db, upload: ChatUpload): Promise<void> {
  await db
    .insertInto('chat_uploads')
    .values({
      ref: upload.ref,
      city: upload.city,
      user_id: upload.userId,
      mime: upload.mime,
      bytes: sql<Uint8Array>`decode(${base64(upload.bytes)}, 'base64')`,
      created_at: upload.createdAt,
      expires_at: upload.expiresAt,
    })
    .execute();
}

/** who uploaded `ref` and until when it is kept — without the bytes */
export async function chatUploadOwner(db: Db, ref: string): Promise<ChatUploadOwner | undefined> {
  const row = await db
    .selectFrom('chat_uploads')
    .select(['ref', 'city', 'user_id', 'expires_at'])
    .where('ref', '=', ref)
    .executeTakeFirst();
  return row && { ref: row.ref, city: row.city, userId: row.user_id, expiresAt: new Date(row.expires_at) };
}

export async function findChatUpload(db: Db, ref: string): Promise<ChatUpload | undefined> {
  const row = await db
    .selectFrom('chat_uploads')
    .select([
      'ref',
      'city',
      'user_id',
      'mime',
      'created_at',
      'expires_at',
      sql<string>`encode(bytes, 'base64')`.as('data'),
    ])
    .where('ref', '=', ref)
    .executeTakeFirst();
  return (
    row && {
      ref: row.ref,
      city: row.city,
      userId: row.user_id,
      mime: row.mime,
      bytes: new Uint8Array(Buffer.from(row.data, 'base64')),
      createdAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
    }
  );
}

/** removes uploads kept past their time; returns how many */
export async function deleteExpiredChatUploads(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('chat_uploads').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
