import type { Db } from '../repos/common.ts';
import type { Answer, ExchangeSettings } from './exchange.ts';
import { applyJob, markFailed, waitUntil, type AfterApply } from './jobs.ts';
import { markDeferred, type OnecSession } from './sessions.ts';
import { forgetReader, readStep, type OnecFile } from './stage.ts';
import { unpackStep, ZipError } from './unzip.ts';
import { XmlEncodingError } from './xml/decode.ts';
import { CommerceMlError } from './xml/reader.ts';

/**
 * `mode=import&filename=…`, one bounded step per request: first any archive of the session is
 * unpacked, then the file is read into staging, then (schema up to 2.07) applied. Every step
 * that does not finish in its time answers `progress`; 1C asks again and the next request goes on
 * from the cursor the last one committed.
 */
const DEFERRED_FROM = 8;

export async function importFile(
  db: Db,
  session: OnecSession,
  name: string,
  settings: ExchangeSettings,
  afterApply: AfterApply,
): Promise<Answer> {
  const deadline = Date.now() + settings.stepMs;
  const budget = { deadline, maxItems: settings.stepItems };
  const archive = await db
    .selectFrom('onec_files')
    .selectAll()
    .where('session_id', '=', session.id)
    .where('name', 'like', '%.zip')
    .where('origin', '=', 'upload')
    .where('state', 'in', ['uploaded', 'reading'])
    .orderBy('created_at')
    .executeTakeFirst();
  if (archive) {
    try {
      const step = await unpackStep(db, archive, budget, settings.sessionBytes);
      if (step.done)
        await db
          .deleteFrom('onec_file_chunks')
          .where('session_id', '=', session.id)
          .where('name', '=', archive.name)
          .execute();
      return progress(
        step.done ? `unpacked ${archive.name}` : `unpacking ${archive.name}: ${step.entries} entries so far`,
      );
    } catch (error) {
      if (!(error instanceof ZipError)) throw error;
      await markFailed(db, session.id, [archive.name], error.message);
      return failure(error.message);
    }
  }
  const file = await db
    .selectFrom('onec_files')
    .selectAll()
    .where('session_id', '=', session.id)
    .where('name', '=', name)
    .executeTakeFirst();
  if (!file) return failure(`${name} was not uploaded in this exchange (send it with mode=file first)`);
  if (file.state === 'applied') return success();
  if (file.state === 'failed') return failure(file.error ?? `${name} failed`);
  if (file.state === 'staged')
    return session.deferred ? success() : apply(db, session, file, settings, afterApply, deadline);
  let read;
  try {
    read = await readStep(db, file, budget);
  } catch (error) {
    if (!(error instanceof CommerceMlError || error instanceof XmlEncodingError)) {
      forgetReader(session.id, name);
      throw error;
    }
    forgetReader(session.id, name);
    const reason = `${name}: ${error.message}`;
    await markFailed(db, session.id, [name], reason);
    return failure(reason);
  }
  if (!read.done) return progress(`read ${read.items} elements of ${name}`);
  const version = read.schemaVersion ?? file.schema_version ?? '';
  await db
    .updateTable('onec_files')
    .set({ state: 'staged', staged_at: new Date() })
    .where('session_id', '=', session.id)
    .where('name', '=', name)
    .execute();
  const minor = Number(/^2\.(\d+)/.exec(version)?.[1] ?? 0);
  if (minor >= DEFERRED_FROM || session.deferred) {
    // a 2.08+ package is applied whole at deactivate/complete
    if (!session.deferred) await markDeferred(db, session.id);
    return success();
  }
  return apply(db, session, { ...file, state: 'staged' }, settings, afterApply, deadline);
}

async function apply(
  db: Db,
  session: OnecSession,
  file: OnecFile,
  settings: ExchangeSettings,
  afterApply: AfterApply,
  deadline: number,
): Promise<Answer> {
  const priceType = settings.priceType(session.city_id);
  const job = applyJob(
    db,
    { sessionId: session.id, cityId: session.city_id, files: [file.name], ...(priceType ? { priceType } : {}) },
    file.name,
    afterApply,
  );
  const result = await waitUntil(job, deadline);
  if (!result || result.kind === 'busy') return progress(`applying ${file.name} to the catalog`);
  if (result.kind === 'failed') return failure(result.reason);
  return success();
}

const success = (): Answer => ({ status: 'success', lines: [] });
const progress = (message: string): Answer => ({ status: 'progress', lines: [message] });
const failure = (reason: string): Answer => ({ status: 'failure', lines: [reason] });
