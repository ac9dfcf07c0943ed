import type { Kysely } from 'kysely';
import type { Database, UserRole, UserRow } from '../../../storage/db/types.ts';

/** Users as the API shows them: never the password hash. */
export type User = {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
};
type Db = Kysely<Database>;

export const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  isActive: r.is_active,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  if (!UUID.test(id)) return undefined;
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(
  db: Db,
  u: { email: string; passwordHash: string; name: string; role: UserRole },
): Promise<User> {
  const row = await db
    .insertInto('users')
    .values({ email: u.email.trim().toLowerCase(), password_hash: u.passwordHash, name: u.name, role: u.role })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUser(row);
}

export async function listUsers(db: Db): Promise<User[]> {
  return (await db.selectFrom('users').selectAll().orderBy('created_at').orderBy('email').execute()).map(toUser);
}

export async function patchUser(
  db: Db,
  id: string,
  patch: { role?: UserRole; isActive?: boolean; name?: string; passwordHash?: string; passwordChangedAt?: Date },
): Promise<User | undefined> {
  const row = await db
    .updateTable('users')
    .set({
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.isActive !== undefined ? { is_active: patch.isActive } : {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
      ...(patch.passwordChangedAt !== undefined ? { password_changed_at: patch.passwordChangedAt } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toUser(row);
}

export async function removeUser(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function countActiveOwners(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('role', '=', 'owner')
    .where('is_active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Access tokens carry their issue time in whole seconds: one issued in an earlier second than the
 * last password change belongs to a session that change ended; the one the change itself issued
 * (same second) still counts.
 */
export function issuedBeforePasswordChange(
  issuedAtSeconds: number,
  row: Pick<UserRow, 'password_changed_at'>,
): boolean {
  return row.password_changed_at !== null && issuedAtSeconds < Math.floor(row.password_changed_at.getTime() / 1000);
}
