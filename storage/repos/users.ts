import type { UserRole, UserRow } from '../db/types.ts';
import type { Db } from './common.ts';
import { isUuid } from './products.ts';

/** password_hash is only handed out by `getUserCredentials` (login); everything else gets `User`. */
export type User = { id: string; email: string; name: string; role: UserRole; isActive: boolean; createdAt: string };

const toUser = (r: UserRow): User => ({ id: r.id, email: r.email, name: r.name, role: r.role, isActive: r.is_active, createdAt: r.created_at.toISOString() });

export async function createUser(db: Db, input: { email: string; passwordHash: string; name?: string; role: UserRole; isActive?: boolean }): Promise<User> {
  const row = await db.insertInto('users').values({
    email: input.email.trim().toLowerCase(), password_hash: input.passwordHash, name: input.name ?? '', role: input.role, is_active: input.isActive ?? true,
  }).returningAll().executeTakeFirstOrThrow();
  return toUser(row);
}

export async function getUser(db: Db, id: string): Promise<User | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

export async function getUserCredentials(db: Db, email: string): Promise<(User & { passwordHash: string }) | undefined> {
  const row = await db.selectFrom('users').selectAll().where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase())).executeTakeFirst();
  return row && { ...toUser(row), passwordHash: row.password_hash };
}

export async function listUsers(db: Db): Promise<User[]> {
  return (await db.selectFrom('users').selectAll().orderBy('email').execute()).map(toUser);
}

export async function updateUser(db: Db, id: string, patch: { name?: string; role?: UserRole; isActive?: boolean; passwordHash?: string }): Promise<User | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.updateTable('users').set({
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.role !== undefined ? { role: patch.role } : {}),
    ...(patch.isActive !== undefined ? { is_active: patch.isActive } : {}),
    ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
    updated_at: new Date(),
  }).where('id', '=', id).returningAll().executeTakeFirst();
  return row && toUser(row);
}

export async function countUsers(db: Db): Promise<number> {
  return Number((await db.selectFrom('users').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);
}
