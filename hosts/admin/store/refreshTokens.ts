import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../storage/db/types.ts';
import { inTransaction } from '../../../storage/repos/common.ts';

type Db = Kysely<Database>;

/**
 * Refresh tokens are opaque `<family>.<secret>` strings. Only `<family>:<sha256>` is stored, so a
 * database leak yields nothing usable, and the family prefix lets a replayed (already rotated)
 * token revoke every token descended from the same login.
 */
export type IssuedRefreshToken = { token: string; expiresAt: Date };

const hashOf = (family: string, token: string) => `${family}:${createHash('sha256').update(token).digest('hex')}`;
const FAMILY = /^[0-9a-f-]{36}$/;

function familyOf(token: string): string | undefined {
  const dot = token.indexOf('.');
  const family = dot > 0 ? token.slice(0, dot) : '';
  return FAMILY.test(family) ? family : undefined;
}

export async function issueRefreshToken(
  db: Db,
  userId: string,
  ttlSeconds: number,
  now: Date,
  family: string = randomUUID(),
): Promise<IssuedRefreshToken> {
  const token = `${family}.${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  await db
    .insertInto('refresh_tokens')
    .values({ user_id: userId, token_hash: hashOf(family, token), expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

export type Rotation =
  | { ok: true; userId: string; next: IssuedRefreshToken }
  | { ok: false; reason: 'unknown' | 'expired' | 'reused' };

/**
 * Spends a refresh token and issues its successor; presenting a spent token revokes the whole
 * family — except within `reuseGraceSeconds` of its rotation while the login is still alive: two
 * browser tabs sharing the refresh cookie refresh at the same moment, and the slower one would
 * otherwise log the user out everywhere. It gets a sibling token of the same family instead.
 */
export async function rotateRefreshToken(
  db: Db,
  token: string,
  ttlSeconds: number,
  now: Date,
  opts: { reuseGraceSeconds?: number } = {},
): Promise<Rotation> {
  const family = familyOf(token);
  if (!family) return { ok: false, reason: 'unknown' };
  const row = await db
    .selectFrom('refresh_tokens')
    .selectAll()
    .where('token_hash', '=', hashOf(family, token))
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.expires_at.getTime() <= now.getTime() && !row.revoked_at) return { ok: false, reason: 'expired' };
  const graceMs = (opts.reuseGraceSeconds ?? 0) * 1000;
  const spent = async (): Promise<Rotation> => {
    const current = await db
      .selectFrom('refresh_tokens')
      .select(['rotated_at'])
      .where('id', '=', row.id)
      .executeTakeFirst();
    const rotatedAt = current?.rotated_at?.getTime();
    if (rotatedAt !== undefined && now.getTime() - rotatedAt <= graceMs && (await familyAlive(db, family, now))) {
      return { ok: true, userId: row.user_id, next: await issueRefreshToken(db, row.user_id, ttlSeconds, now, family) };
    }
    await revokeFamily(db, family, now);
    return { ok: false, reason: 'reused' };
  };
  if (row.revoked_at) return spent();
  // spending and issuing the successor commit together, so a concurrent use of the same token
  // waits for both and then finds the login alive (within the grace) or revokes it
  const next = await inTransaction(db, async (tx) => {
    const update = await tx
      .updateTable('refresh_tokens')
      .set({ revoked_at: now, rotated_at: now })
      .where('id', '=', row.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(update.numUpdatedRows) === 0) return undefined;
    return issueRefreshToken(tx, row.user_id, ttlSeconds, now, family);
  });
  return next ? { ok: true, userId: row.user_id, next } : spent();
}

/** a token of the family is still usable: the login was neither logged out nor revoked for reuse */
async function familyAlive(db: Db, family: string, now: Date): Promise<boolean> {
  const live = await db
    .selectFrom('refresh_tokens')
    .select('id')
    .where(sql<boolean>`starts_with(token_hash, ${`${family}:`})`)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .limit(1)
    .executeTakeFirst();
  return live !== undefined;
}

export async function revokeRefreshToken(db: Db, token: string, now: Date): Promise<void> {
  const family = familyOf(token);
  if (family) await revokeFamily(db, family, now);
}

async function revokeFamily(db: Db, family: string, now: Date): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: now })
    .where(sql<boolean>`starts_with(token_hash, ${`${family}:`})`)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeAllForUser(db: Db, userId: string, now: Date): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Housekeeping: tokens past their expiry can neither be used nor reveal a reuse any more. */
export async function deleteExpiredRefreshTokens(db: Db, olderThan: Date): Promise<number> {
  const result = await db.deleteFrom('refresh_tokens').where('expires_at', '<', olderThan).executeTakeFirst();
  return Number(result.numDeletedRows);
}
