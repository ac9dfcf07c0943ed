import type { Db } from '../repos/common.ts';
import { appendToFile, dropSessionFiles } from './files.ts';
import { importFile } from './importFile.ts';
import { applyJob, waitUntil, type AfterApply } from './jobs.ts';
import { exchangePath } from './names.ts';
import {
  abandonOthers,
  finishSession,
  openSession,
  sessionByToken,
  touchSession,
  type OnecSession,
} from './sessions.ts';

/**
 * The 1C:Enterprise site exchange (CommerceML 2, `type=catalog`), one method per `mode`. Answers
 * are the protocol's: `success`, `progress` (ask again), or `failure` with a reason 1C shows in its
 * exchange log. Nothing reaches the catalog before a file is read to its end; schema 2.08+
 * packages (split over several files) are applied together at `deactivate`/`complete`, older
 * ones file by file as each is imported.
 */
export type ExchangeSettings = {
  /** bytes one `file` request may carry (`file_limit`) */
  fileLimit: number;
  /** bytes all files of a session may hold, unpacked archives included */
  sessionBytes: number;
  /** how long one `import` request works before answering `progress` */
  stepMs: number;
  /** at most this many items read per `import` request */
  stepItems: number;
  /** a session quiet this long is abandoned when another begins */
  idleMs: number;
  zip: boolean;
  /** the city's price type (name or Ид) when configured */
  priceType: (cityId: string) => string | undefined;
};

export type Answer = { status: 'success' | 'progress' | 'failure'; lines: string[] };
const success = (...lines: string[]): Answer => ({ status: 'success', lines });
const failure = (reason: string): Answer => ({ status: 'failure', lines: [reason] });

export class OnecExchange {
  constructor(
    private readonly db: Db,
    private readonly settings: ExchangeSettings,
    private readonly afterApply: AfterApply,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** a new session and its cookie; `abandoned`: quiet sessions it took over (their staged files dropped) */
  async checkauth(
    cityId: string,
  ): Promise<{ ok: true; token: string; abandoned: number } | { ok: false; reason: string }> {
    const opened = await openSession(this.db, cityId, this.clock(), this.settings.idleMs);
    return opened.ok ? { ok: true, token: opened.token, abandoned: opened.abandoned } : opened;
  }

  session(cityId: string, token: string): Promise<OnecSession | undefined> {
    return sessionByToken(this.db, cityId, token);
  }

  async init(session: OnecSession): Promise<Answer> {
    const ended = this.#ended(session);
    if (ended) return ended;
    await touchSession(this.db, session.id, this.clock());
    // a repeated init starts the session's files afresh, as 1C expects
    await dropSessionFiles(this.db, session.id);
    await abandonOthers(this.db, session.city_id, this.clock(), session.id);
    return success(`zip=${this.settings.zip ? 'yes' : 'no'}`, `file_limit=${this.settings.fileLimit}`);
  }

  async file(session: OnecSession, filename: string, body: AsyncIterable<Uint8Array>): Promise<Answer> {
    const ended = this.#ended(session);
    if (ended) return ended;
    const name = exchangePath(filename);
    if (!name.ok) return failure(name.reason);
    await touchSession(this.db, session.id, this.clock());
    const existing = await this.db
      .selectFrom('onec_files')
      .select('state')
      .where('session_id', '=', session.id)
      .where('name', '=', name.name)
      .executeTakeFirst();
    if (existing && existing.state !== 'uploaded')
      return failure(`${name.name} was already imported in this exchange; start a new one to send it again`);
    const appended = await appendToFile(this.db, session.id, name.name, body, {
      partBytes: this.settings.fileLimit,
      sessionBytes: this.settings.sessionBytes,
    });
    return appended.ok ? success() : failure(appended.reason);
  }

  async import(session: OnecSession, filename: string): Promise<Answer> {
    const ended = this.#ended(session);
    if (ended) return ended;
    const name = exchangePath(filename);
    if (!name.ok) return failure(name.reason);
    await touchSession(this.db, session.id, this.clock());
    return importFile(this.db, session, name.name, this.settings, this.afterApply);
  }

  /** `deactivate` and `complete`: the end of a package; a deferred package is applied here, whole */
  async finish(session: OnecSession, mode: 'deactivate' | 'complete'): Promise<Answer> {
    if (session.status === 'done') return success();
    const ended = this.#ended(session);
    if (ended) return ended;
    const deadline = Date.now() + this.settings.stepMs;
    await touchSession(this.db, session.id, this.clock());
    const files = await this.db
      .selectFrom('onec_files')
      .select(['name', 'state', 'error'])
      .where('session_id', '=', session.id)
      .where('state', 'in', ['reading', 'staged', 'failed'])
      .execute();
    const broken = files.find((f) => f.state === 'failed');
    const unread = files.find((f) => f.state === 'reading');
    const outcome = session.deferred ? 'nothing of this exchange was applied' : 'the files before it were applied';
    const problem = broken
      ? `${broken.name} failed (${broken.error ?? 'unknown reason'}); ${outcome}`
      : unread
        ? `${unread.name} was not read to its end; ${outcome}`
        : undefined;
    if (problem) {
      await finishSession(this.db, session.id, this.clock(), { status: 'failed', error: problem });
      return failure(problem);
    }
    const staged = files.map((f) => f.name);
    if (staged.length > 0) {
      const job = applyJob(
        this.db,
        {
          sessionId: session.id,
          cityId: session.city_id,
          files: staged,
          priceType: this.settings.priceType(session.city_id),
        },
        'package',
        this.afterApply,
      );
      const result = await waitUntil(job, deadline);
      if (!result || result.kind === 'busy')
        return { status: 'progress', lines: ['applying the package to the catalog'] };
      if (result.kind === 'failed') {
        await finishSession(this.db, session.id, this.clock(), { status: 'failed', error: result.reason });
        return failure(result.reason);
      }
    }
    if (mode === 'complete') await finishSession(this.db, session.id, this.clock(), { status: 'done' });
    return success();
  }

  #ended(session: OnecSession): Answer | undefined {
    if (session.status === 'open') return undefined;
    return failure(
      `this exchange session has ended (${session.status}${session.error ? `: ${session.error}` : ''}); start a new one with mode=checkauth`,
    );
  }
}
