import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ApiTokenRow, Database, UserRole } from '../../../storage/db/types.ts';

type Db = Kysely<Database>;

/**
 * Long-lived bearer tokens for testers and scripts. The secret is `zeta_` plus 32 random bytes;
 * only its SHA-256 is stored (a fast hash is enough for a secret with 256 bits of entropy), so
 * the database never holds a usable token. The prefix tells them apart from JWT access tokens.
 */
export const API_TOKEN_PREFIX = 'zeta_';
const SHOWN_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 6;
const TOKEN_SHAPE = /^zeta_[A-Za-z0-9_-]{43}$/;

export type ApiToken = {
  id: string;
  name: string;
  role: UserRole;
  prefix: string;
  createdBy?: string;
  createdByEmail?: string;
  createdAt: string;
  lastUsedAt?: string;
  expiresAt?: string;
  revokedAt?: string;
};

export const looksLikeApiToken = (token: string): boolean => token.startsWith(API_TOKEN_PREFIX);
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export function toApiToken(r: ApiTokenRow, createdByEmail?: string | null): ApiToken {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    prefix: r.prefix,
    ...(r.created_by ? { createdBy: r.created_by } : {}),
    ...(createdByEmail ? { createdByEmail } : {}),
    createdAt: r.created_at.toISOString(),
    ...(r.last_used_at ? { lastUsedAt: r.last_used_at.toISOString() } : {}),
    ...(r.expires_at ? { expiresAt: r.expires_at.toISOString() } : {}),
    ...(r.revoked_at ? { revokedAt: r.revoked_at.toISOString() } : {}),
  };
}

export async function issueApiToken(
  db: Db,
  t: { name: string; role: UserRole; createdBy: string; expiresAt?: Date },
): Promise<{ token: string; row: ApiTokenRow }> {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await db
    .insertInto('api_tokens')
    .values({
      name: t.name,
      role: t.role,
      token_hash: hashOf(token),
      prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
      created_by: t.createdBy,
      expires_at: t.expiresAt ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, row };
}

export type ApiTokenHolder = {
  token: ApiTokenRow;
  creator: { id: string; email: string; name: string; role: UserRole; is_active: boolean } | undefined;
};

/** The stored token a secret belongs to, with the account that made it; read on every request so a revocation counts at once on every replica. */
export async function findApiToken(db: Db, token: string): Promise<ApiTokenHolder | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .leftJoin('users', 'users.id', 'api_tokens.created_by')
    .selectAll('api_tokens')
    .select([
      'users.id as creator_id',
      'users.email as creator_email',
      'users.name as creator_name',
      'users.role as creator_role',
      'users.is_active as creator_active',
    ])
    .where('token_hash', '=', hashOf(token))
    .executeTakeFirst();
  if (!row) return undefined;
  const { creator_id, creator_email, creator_name, creator_role, creator_active, ...token_ } = row;
  const creator =
    creator_id && creator_email && creator_name !== null && creator_role && creator_active !== null
      ? { id: creator_id, email: creator_email, name: creator_name, role: creator_role, is_active: creator_active }
      : undefined;
  return { token: token_, creator };
}

/** last_used_at is for people reading the list: written at most once a minute per token, not on every call */
export async function markApiTokenUsed(db: Db, row: ApiTokenRow, now: Date): Promise<void> {
  if (row.last_used_at && now.getTime() - row.last_used_at.getTime() < 60_000) return;
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
}

export async function listApiTokens(db: Db): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .leftJoin('users', 'users.id', 'api_tokens.created_by')
    .selectAll('api_tokens')
    .select('users.email as creator_email')
    .orderBy('api_tokens.created_at', 'desc')
    .orderBy('api_tokens.id')
    .execute();
  return rows.map((r) => toApiToken(r, r.creator_email));
}

export async function findApiTokenById(db: Db, id: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeApiToken(db: Db, id: string, now: Date): Promise<ApiTokenRow | undefined> {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}
