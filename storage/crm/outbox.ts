import { sql, type Selectable } from 'kysely';
import type { CrmJobKind, CrmJobStatus, CrmOutboxTable } from '../db/types.ts';
import { clampPage, type Db, type Page, type Paged } from '../repos/common.ts';
import { isUuid } from '../repos/products.ts';

/**
 * The CRM outbox (migration 0022): one row per order or lead that has to reach the CRM. Callers
 * enqueue inside the transaction that changes the order or writes the lead, so a committed change
 * always has its row and a rolled-back one never does; the worker claims due rows, sends the
 * entity as it is now and marks the row delivered, retried with back-off, or failed for good.
 */
export type CrmJob = {
  id: string;
  kind: CrmJobKind;
  entityId: string;
  status: CrmJobStatus;
  version: number;
  attempts: number;
  nextAttemptAt: string;
  crmId: string | null;
  syncedStatus: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
};

const toJob = (r: Selectable<CrmOutboxTable>): CrmJob => ({
  id: r.id,
  kind: r.kind,
  entityId: r.entity_id,
  status: r.status,
  version: r.version,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at.toISOString(),
  crmId: r.crm_id,
  syncedStatus: r.synced_status,
  lastError: r.last_error,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/**
 * Marks an order or lead as due for the CRM: a new row, or the existing one pending again with a
 * new version (a worker busy with the old version then leaves it pending). Run it in the caller's
 * transaction.
 */
export async function enqueueCrmSync(tx: Db, kind: CrmJobKind, entityId: string, at = new Date()): Promise<void> {
  await tx
    .insertInto('crm_outbox')
    .values({ kind, entity_id: entityId, next_attempt_at: at, created_at: at, updated_at: at })
    .onConflict((oc) =>
      oc.columns(['kind', 'entity_id']).doUpdateSet({
        status: 'pending',
        version: sql<number>`crm_outbox.version + 1`,
        attempts: 0,
        next_attempt_at: at,
        last_error: null,
        updated_at: at,
      }),
    )
    .execute();
}

/**
 * Takes up to `limit` due rows for `leaseMs`: rows another worker holds (a live lease, or a row
 * locked by a concurrent claim — SKIP LOCKED) are left to it. A worker that dies mid-delivery
 * loses its lease and the row is due again.
 */
export async function claimCrmJobs(db: Db, now: Date, limit: number, leaseMs: number): Promise<CrmJob[]> {
  const rows = await db
    .updateTable('crm_outbox')
    .set({ locked_until: new Date(now.getTime() + leaseMs) })
    .where('id', 'in', (qb) =>
      qb
        .selectFrom('crm_outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
        .orderBy('next_attempt_at')
        .orderBy('created_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
  // oldest first, so during an outage the same row is tried and its attempts set the back-off
  return rows
    .map(toJob)
    .sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.createdAt.localeCompare(b.createdAt));
}

/** Delivered as of `job.version`: what Bitrix24 now holds is kept; a newer change keeps the row pending. */
export async function completeCrmJob(
  db: Db,
  job: CrmJob,
  now: Date,
  sent: { crmId: string; syncedStatus?: string | null },
): Promise<void> {
  await db
    .updateTable('crm_outbox')
    .set({
      crm_id: sent.crmId,
      synced_status: sent.syncedStatus ?? null,
      locked_until: null,
      status: sql<CrmJobStatus>`CASE WHEN version = ${job.version} THEN 'delivered' ELSE status END`,
      attempts: sql<number>`CASE WHEN version = ${job.version} THEN 0 ELSE attempts END`,
      last_error: null,
      updated_at: now,
    })
    .where('id', '=', job.id)
    .execute();
}

/** Not delivered this time (Bitrix24 down or rate-limited): due again at `nextAttemptAt`. */
export async function retryCrmJob(db: Db, job: CrmJob, now: Date, nextAttemptAt: Date, error: string): Promise<void> {
  await db
    .updateTable('crm_outbox')
    .set({
      attempts: sql<number>`attempts + 1`,
      next_attempt_at: sql<Date>`GREATEST(next_attempt_at, ${nextAttemptAt})`,
      locked_until: null,
      last_error: error.slice(0, 2000),
      updated_at: now,
    })
    .where('id', '=', job.id)
    .execute();
}

/**
 * The portal is unavailable: every pending row waits until at least `until` (no attempt counted),
 * so an outage costs one call per back-off step, not one per row. Rows another worker holds are
 * left alone; `own` (claimed by this pass, not tried) are released.
 */
export async function deferPendingCrmJobs(db: Db, now: Date, until: Date, own: readonly CrmJob[]): Promise<void> {
  const ownIds = own.map((j) => j.id);
  await db
    .updateTable('crm_outbox')
    .set({ next_attempt_at: sql<Date>`GREATEST(next_attempt_at, ${until})`, locked_until: null })
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb('locked_until', 'is', null),
        eb('locked_until', '<=', now),
        ...(ownIds.length ? [eb('id', 'in', ownIds)] : []),
      ]),
    )
    .execute();
}

/** Refused for good (invalid fields, a deleted order): kept with the reason for staff — unless a newer change came in. */
export async function failCrmJob(db: Db, job: CrmJob, now: Date, error: string): Promise<void> {
  await db
    .updateTable('crm_outbox')
    .set({
      status: sql<CrmJobStatus>`CASE WHEN version = ${job.version} THEN 'failed' ELSE status END`,
      attempts: sql<number>`attempts + 1`,
      locked_until: null,
      last_error: error.slice(0, 2000),
      updated_at: now,
    })
    .where('id', '=', job.id)
    .execute();
}

/** Sends a failed row again from scratch; undefined when there is no such failed row. */
export async function retryFailedCrmJob(db: Db, id: string, now: Date): Promise<CrmJob | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db
    .updateTable('crm_outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .returningAll()
    .executeTakeFirst();
  return row ? toJob(row) : undefined;
}

export type CrmJobFilter = { status?: CrmJobStatus; kind?: CrmJobKind };

/** Rows by status and kind, the latest change first, with how many rows are in each status. */
export async function listCrmJobs(
  db: Db,
  filter: CrmJobFilter = {},
  page?: Partial<Page>,
): Promise<Paged<CrmJob> & { counts: Record<CrmJobStatus, number> }> {
  const { limit, offset } = clampPage(page);
  let q = db.selectFrom('crm_outbox');
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  const [rows, total, byStatus] = await Promise.all([
    q.selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db
      .selectFrom('crm_outbox')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('status')
      .execute(),
  ]);
  const counts: Record<CrmJobStatus, number> = { pending: 0, delivered: 0, failed: 0 };
  for (const r of byStatus) counts[r.status] = Number(r.n);
  return { items: rows.map(toJob), total: Number(total.n), counts };
}
