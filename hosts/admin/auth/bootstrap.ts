import type { Kysely } from 'kysely';
import type { Database } from '../../../storage/db/types.ts';
import { writeAudit } from '../store/audit.ts';
import { findUserByEmail, insertUser, type User } from '../store/users.ts';
import { hashPassword } from './passwords.ts';

/**
 * ADMIN_EMAIL / ADMIN_PASSWORD: makes the first owner when the database has no owner yet. An
 * existing account is never overwritten — changing the variables later does not reset a password.
 */
export async function bootstrapOwner(
  db: Kysely<Database>,
  email: string,
  password: string,
  opts: { bcryptRounds?: number; name?: string } = {},
): Promise<{ created: boolean; user?: User }> {
  const normalized = email.trim().toLowerCase();
  if (!normalized.includes('@')) throw new Error('ADMIN_EMAIL must be an e-mail address');
  if (password.length < 8) throw new Error('ADMIN_PASSWORD must be at least 8 characters');
  const owner = await db.selectFrom('users').select('id').where('role', '=', 'owner').executeTakeFirst();
  if (owner) return { created: false };
  if (await findUserByEmail(db, normalized)) return { created: false };
  const user = await insertUser(db, {
    email: normalized,
    name: opts.name ?? 'Owner',
    role: 'owner',
    passwordHash: await hashPassword(password, opts.bcryptRounds ?? 10),
  });
  await writeAudit(db, { userId: null, action: 'user.bootstrap', entity: 'user', entityId: user.id, after: user });
  return { created: true, user };
}
