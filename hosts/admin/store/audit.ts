import type { Kysely } from 'kysely';
import type { AuditRow, Database } from '../../../storage/db/types.ts';

type Db = Kysely<Database>;

export type AuditEntry = {
  id: string;
  userId?: string;
  userEmail?: string;
  action: string;
  entity: string;
  entityId?: string;
  before: unknown;
  after: unknown;
  ip?: string;
  createdAt: string;
};
export type NewAuditEntry = {
  userId: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
};

export async function writeAudit(db: Db, e: NewAuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      user_id: e.userId,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId ?? null,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
      ip: e.ip ?? null,
    })
    .execute();
}

export type AuditFilter = {
  userId?: string;
  entity?: string;
  entityId?: string;
  action?: string;
  from?: Date;
  to?: Date;
};

export async function listAudit(
  db: Db,
  f: AuditFilter,
  page: { limit: number; offset: number },
): Promise<{ items: AuditEntry[]; total: number }> {
  let q = db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.user_id');
  if (f.userId) q = q.where('audit_log.user_id', '=', f.userId);
  if (f.entity) q = q.where('audit_log.entity', '=', f.entity);
  if (f.entityId) q = q.where('audit_log.entity_id', '=', f.entityId);
  if (f.action) q = q.where('audit_log.action', '=', f.action);
  if (f.from) q = q.where('audit_log.created_at', '>=', f.from);
  if (f.to) q = q.where('audit_log.created_at', '<', f.to);
  const [rows, count] = await Promise.all([
    q
      .selectAll('audit_log')
      .select('users.email as user_email')
      .orderBy('audit_log.created_at', 'desc')
      .orderBy('audit_log.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toEntry(r, r.user_email)), total: Number(count.n) };
}

function toEntry(r: AuditRow, email: string | null): AuditEntry {
  return {
    id: r.id,
    ...(r.user_id ? { userId: r.user_id } : {}),
    ...(email ? { userEmail: email } : {}),
    action: r.action,
    entity: r.entity,
    ...(r.entity_id ? { entityId: r.entity_id } : {}),
    before: r.before,
    after: r.after,
    ...(r.ip ? { ip: r.ip } : {}),
    createdAt: r.created_at.toISOString(),
  };
}
