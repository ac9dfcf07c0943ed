import {
  claimCrmJobs,
  completeCrmJob,
  failCrmJob,
  deferPendingCrmJobs,
  retryCrmJob,
} from '../../storage/crm/outbox.ts';
import type { Logger } from '../runtime/ports.ts';
import { Bitrix24Error } from './client.ts';
import { CrmRejectedError, syncJob, type SyncContext } from './sync.ts';

/**
 * One pass of the CRM outbox: due rows are sent one after another. When Bitrix24 is down or asks
 * to slow down (QUERY_LIMIT_EXCEEDED, OVERLOAD_LIMIT, 429, 5xx, no answer) the row is due again
 * after an exponential back-off, every other pending row waits as long, and the pass stops: an
 * outage costs one call per back-off step rather than hammering a portal that is refusing. A transient error never fails a row, however long it lasts; only
 * Bitrix24 rejecting the request itself (invalid fields, no access) marks it failed, with why.
 */
export type CrmOutboxWork = SyncContext & {
  clock: () => Date;
  log: Logger;
  /** rows taken per pass */
  batch?: number;
};

export type CrmOutboxPass = { delivered: number; retried: number; failed: number };

export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 15 * 60_000;
/** longer than any one row's calls take (each call times out after 15 s) */
const LEASE_MS = 5 * 60_000;

/** 30 s, 1 min, 2 min … then every 15 minutes until Bitrix24 answers */
export const backoffMs = (attempts: number): number =>
  Math.min(BACKOFF_BASE_MS * 2 ** Math.min(attempts, 20), BACKOFF_MAX_MS);

export async function deliverCrmOutbox(w: CrmOutboxWork): Promise<CrmOutboxPass> {
  const pass: CrmOutboxPass = { delivered: 0, retried: 0, failed: 0 };
  const jobs = await claimCrmJobs(w.db, w.clock(), w.batch ?? 20, LEASE_MS);
  for (const [index, job] of jobs.entries()) {
    try {
      const synced = await syncJob(w, job);
      await completeCrmJob(w.db, job, w.clock(), synced);
      pass.delivered++;
    } catch (error) {
      const now = w.clock();
      if (error instanceof Bitrix24Error && error.transient) {
        const until = new Date(now.getTime() + backoffMs(job.attempts));
        await retryCrmJob(w.db, job, now, until, error.message);
        await deferPendingCrmJobs(w.db, now, until, jobs.slice(index + 1));
        pass.retried++;
        w.log.warn({ job: job.id, kind: job.kind, err: error.message }, 'Bitrix24 unavailable; CRM outbox waits');
        break;
      }
      if (error instanceof Bitrix24Error || error instanceof CrmRejectedError) {
        await failCrmJob(w.db, job, now, error.message);
        pass.failed++;
        w.log.error({ job: job.id, kind: job.kind, entity: job.entityId, err: error.message }, 'CRM refused a row');
        continue;
      }
      // our own fault (database, a bug): the row is tried again later, the pass goes on
      await retryCrmJob(w.db, job, now, new Date(now.getTime() + backoffMs(job.attempts)), String(error));
      pass.retried++;
      w.log.error({ job: job.id, err: String(error) }, 'CRM outbox row could not be sent');
    }
  }
  return pass;
}
