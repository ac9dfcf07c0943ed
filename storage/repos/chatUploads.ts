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

export async function saveChatUpload(db: Db, upload: ChatUpload): Promise<void> {
  await db
    .insertInto('chat_uploads')
    .values({ ref: upload.ref, city: upload.city, user_id: upload.userId, mime: upload.mime, bytes: upload.bytes, created_at: upload.createdAt, expires_at: upload.expiresAt })
    .execute();
}

/** who uploaded `ref` and until when it is kept — without the bytes */
export async function chatUploadOwner(db: Db, ref: string): Promise<ChatUploadOwner | undefined> {
  const row = await db.selectFrom('chat_uploads').select(['ref', 'city', 'user_id', 'expires_at']).where('ref', '=', ref).executeTakeFirst();
  return row && { ref: row.ref, city: row.city, userId: row.user_id, expiresAt: new Date(row.expires_at) };
}

export async function findChatUpload(db: Db, ref: string): Promise<ChatUpload | undefined> {
  const row = await db.selectFrom('chat_uploads').selectAll().where('ref', '=', ref).executeTakeFirst();
  return (
    row && {
      ref: row.ref,
      city: row.city,
      userId: row.user_id,
      mime: row.mime,
      bytes: new Uint8Array(row.bytes),
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
