import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../storage/db/types.ts';

type Db = Kysely<Database>;

/**
 * Invitations are signed tokens (nothing to store); the audit log is their ledger. An invitation
 * is revoked when a `user.invite.revoke` entry for its e-mail is at least as new as the token.
 */
export async function invitationRevoked(db: Db, email: string, issuedAt: Date): Promise<boolean> {
  const row = await db
    .selectFrom('audit_log')
    .select('id')
    .where('action', '=', 'user.invite.revoke')
    .where(sql<boolean>`lower(entity_id) = ${email.toLowerCase()}`)
    // tokens carry whole seconds; a revocation in the same second as the invitation counts
    .where('created_at', '>=', issuedAt)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Marks an invitation as used, in the caller's transaction with the account it creates. False when
 * it was used before — also when that account has since been deleted: an invitation works once.
 */
export async function spendInvitation(db: Db, token: string, email: string): Promise<boolean> {
  const inserted = await db
    .insertInto('spent_invitations')
    .values({ token_hash: createHash('sha256').update(token).digest('hex'), email: email.toLowerCase() })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .returning('token_hash')
    .executeTakeFirst();
  return inserted !== undefined;
}
