import type { Db } from './common.ts';

/** Refresh tokens are stored hashed (the caller hashes); rotation = revoke old + issue new. */
export async function storeRefreshToken(db: Db, input: { userId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('refresh_tokens').values({ user_id: input.userId, token_hash: input.tokenHash, expires_at: input.expiresAt }).execute();
}

/** Atomically revokes a live token and returns its user — a replayed token gets undefined. */
export async function consumeRefreshToken(db: Db, tokenHash: string, now = new Date()): Promise<{ userId: string } | undefined> {
  const row = await db.updateTable('refresh_tokens').set({ revoked_at: now })
    .where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).where('expires_at', '>', now)
    .returning('user_id').executeTakeFirst();
  return row && { userId: row.user_id };
}

export async function revokeRefreshTokensForUser(db: Db, userId: string, now = new Date()): Promise<number> {
  const result = await db.updateTable('refresh_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteExpiredRefreshTokens(db: Db, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('refresh_tokens').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
