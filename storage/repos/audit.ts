import type { AuditRow } from '../db/types.ts';
import { clampPage, json, type Db, type Page, type Paged } from './common.ts';

export type AuditEntry = { id: string; userId?: string; action: string; entity: string; entityId?: string; before?: unknown; after?: unknown; ip?: string; createdAt: string };

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id, ...(r.user_id ? { userId: r.user_id } : {}), action: r.action, entity: r.entity, ...(r.entity_id ? { entityId: r.entity_id } : {}),
  ...(r.before !== null ? { before: r.before } : {}), ...(r.after !== null ? { after: r.after } : {}), ...(r.ip ? { ip: r.ip } : {}),
  createdAt: r.created_at.toISOString(),
});

export async function recordAudit(db: Db, e: { userId?: string | null; action: string; entity: string; entityId?: string | null; before?: unknown; after?: unknown; ip?: string | null }): Promise<void> {
  await db.insertInto('audit_log').values({
    user_id: e.userId ?? null, action: e.action, entity: e.entity, entity_id: e.entityId ?? null,
    before: e.before === undefined ? null : json(e.before), after: e.after === undefined ? null : json(e.after), ip: e.ip ?? null,
  }).execute();
}

export async function listAudit(db: Db, filter: { entity?: string; entityId?: string; userId?: string } = {}, page?: Partial<Page>): Promise<Paged<AuditEntry>> {
  const { limit, offset } = clampPage(page);
  let q = db.selectFrom('audit_log');
  if (filter.entity) q = q.where('entity', '=', filter.entity);
  if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
  if (filter.userId) q = q.where('user_id', '=', filter.userId);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toEntry), total: Number(count.n) };
}
