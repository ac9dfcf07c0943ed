import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../storage/db/types.ts';

type Db = Kysely<Database>;

/**
 * Invitations are signed tokens (nothing to store); the audit log is their ledger. An invitation
 * is revoked when a `user.invite.revoke` entry for its e-mail is at least as new as the token.
 */
export async function invitationRevoked(db: Db, email: string, issuedAt: Date): Promise<boolean> {
  const row = await db.selectFrom('audit_log').select('id')
    .where('action', '=', 'user.invite.revoke')
    .where(sql<boolean>`lower(entity_id) = ${email.toLowerCase()}`)
    // tokens carry whole seconds; a revocation in the same second as the invitation counts
    .where('created_at', '>=', issuedAt)
    .executeTakeFirst();
  return row !== undefined;
}
