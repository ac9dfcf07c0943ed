import type { Db } from '../repos/common.ts';
import { ApplyError } from './apply/prices.ts';
import { applyStaged, type ApplyReport, type ApplyRequest } from './apply/run.ts';
import { addToReport } from './sessions.ts';

/**
 * An apply runs in the background of the request that started it: the request waits for it only
 * as long as its step allows and answers `progress` if it is not done; 1C asks again, and the
 * next request (on this replica) waits on the same job. A request on another replica finds the
 * session locked and answers `progress` too. The outcome is written to the files' rows, so it
 * survives the job and is what later requests read.
 */
export type JobResult =
  | { kind: 'applied'; report: ApplyReport; drops: string[] }
  | { kind: 'failed'; reason: string }
  | { kind: 'busy' }
  | { kind: 'already' };
export type AfterApply = (cityId: string, drops: string[]) => Promise<void>;

const jobs = new Map<string, Promise<JobResult>>();

export function applyJob(db: Db, request: ApplyRequest, reportKey: string, after: AfterApply): Promise<JobResult> {
  const key = `${request.sessionId}:${request.files.join('|')}`;
  const running = jobs.get(key);
  if (running) return running;
  const job = run(db, request, reportKey, after).finally(() => jobs.delete(key));
  jobs.set(key, job);
  return job;
}

async function run(db: Db, request: ApplyRequest, reportKey: string, after: AfterApply): Promise<JobResult> {
  try {
    const outcome = await applyStaged(db, request);
    if (outcome.kind !== 'applied') return outcome;
    await addToReport(db, request.sessionId, reportKey, outcome.report);
    // the catalog is updated whatever happens next; a missed price alert is caught by the periodic sweep
    await after(request.cityId, outcome.drops).catch(() => undefined);
    return outcome;
  } catch (error) {
    const reason =
      error instanceof ApplyError ? error.message : `the catalog could not be updated: ${(error as Error).message}`;
    await markFailed(db, request.sessionId, request.files, reason);
    return { kind: 'failed', reason };
  }
}

export async function markFailed(db: Db, sessionId: string, files: readonly string[], reason: string): Promise<void> {
  if (files.length === 0) return;
  await db.deleteFrom('onec_staged').where('session_id', '=', sessionId).where('file_name', 'in', files).execute();
  await db
    .updateTable('onec_files')
    .set({ state: 'failed', error: reason.slice(0, 2000) })
    .where('session_id', '=', sessionId)
    .where('name', 'in', files)
    .execute();
}

/** `job`'s result, or undefined when it is still running at `deadline` */
export async function waitUntil<T>(job: Promise<T>, deadline: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([job, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
