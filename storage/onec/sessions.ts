import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { OnecSessionKind, OnecSessionsTable } from '../db/types.ts';
import { inTransaction, json, type Db } from '../repos/common.ts';
import { dropSessionFiles } from './files.ts';

/**
 * Exchange sessions. `checkauth` opens one and hands 1C a random cookie; the database keeps only
 * its SHA-256, so every replica can serve the session's next request and a leaked table cannot be
 * replayed. One session per city runs at a time: a second `checkauth` while the first is still
 * talking is refused; one that went quiet longer than the idle limit is abandoned (nothing it
 * staged was applied) and the newcomer takes over.
 */
export type OnecSession = Selectable<OnecSessionsTable>;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export type OpenResult =
  | { ok: true; session: OnecSession; token: string; abandoned: number }
  | { ok: false; reason: string };

/**
 * A catalog session refuses to start while another catalog session of the city is talking; a sale
 * session (orders, small and quick) takes over the city's previous sale session at once — what
 * that one's `query` sent and was not confirmed is simply sent again.
 */
export async function openSession(
  db: Db,
  cityId: string,
  now: Date,
  idleMs: number,
  kind: OnecSessionKind = 'catalog',
): Promise<OpenResult> {
  return inTransaction(db, async (tx) => {
    // two checkauths at once for one city: the second waits here and then sees the first
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`onec:${kind}:${cityId}`}))`.execute(tx);
    const busy =
      kind === 'sale'
        ? undefined
        : await tx
            .selectFrom('onec_sessions')
            .select(['created_at', 'last_seen_at'])
            .where('city_id', '=', cityId)
            .where('kind', '=', kind)
            .where('status', '=', 'open')
            .where('last_seen_at', '>', new Date(now.getTime() - idleMs))
            .orderBy('last_seen_at', 'desc')
            .executeTakeFirst();
    if (busy) {
      const quiet = Math.max(0, Math.round((now.getTime() - busy.last_seen_at.getTime()) / 1000));
      return {
        ok: false as const,
        reason: `another exchange for this city is running (started ${busy.created_at.toISOString()}, last request ${quiet} s ago); try again when it ends or after ${Math.round(idleMs / 1000)} s of quiet`,
      };
    }
    const abandoned = await abandonOthers(tx, cityId, now, undefined, kind);
    // what a finished exchange did stays readable for a month
    await tx
      .deleteFrom('onec_sessions')
      .where('city_id', '=', cityId)
      .where('status', '<>', 'open')
      .where('created_at', '<', new Date(now.getTime() - KEEP_MS))
      .execute();
    const token = randomBytes(24).toString('hex');
    const session = await tx
      .insertInto('onec_sessions')
      .values({ city_id: cityId, token_hash: hashToken(token), created_at: now, last_seen_at: now, error: null, kind })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ok: true as const, session, token, abandoned };
  });
}

const KEEP_MS = 30 * 24 * 3_600_000;

/**
 * The city's other open sessions (the caller has found them quiet), closed and their files
 * dropped: `done` when everything they sent was applied (schemas before 2.08 have no `complete`, so
 * their sessions end like this), else `abandoned` with what was never applied. Returns how many
 * were abandoned.
 */
export async function abandonOthers(
  db: Db,
  cityId: string,
  now: Date,
  except?: string,
  kind: OnecSessionKind = 'catalog',
): Promise<number> {
  let q = db
    .selectFrom('onec_sessions')
    .select(['id', 'last_seen_at'])
    .where('city_id', '=', cityId)
    .where('kind', '=', kind)
    .where('status', '=', 'open');
  if (except) q = q.where('id', '<>', except);
  const stale = await q.execute();
  let abandoned = 0;
  for (const s of stale) {
    const files = await db.selectFrom('onec_files').select(['name', 'state']).where('session_id', '=', s.id).execute();
    // an XML never imported, or imported and not applied; pictures are used, never imported
    const pending = files
      .filter((f) => f.state !== 'applied' && (f.state !== 'uploaded' || /\.(xml|zip)$/i.test(f.name)))
      .map((f) => f.name);
    if (pending.length === 0) {
      await finishSession(db, s.id, now, { status: 'done' });
      continue;
    }
    abandoned++;
    await finishSession(db, s.id, now, {
      status: 'abandoned',
      error: `abandoned at ${now.toISOString()}: quiet since ${s.last_seen_at.toISOString()} and a new exchange began; ${pending.length} file(s) never applied, the catalog is as before them: ${pending.slice(0, 10).join(', ')}`,
    });
  }
  return abandoned;
}

export async function sessionByToken(db: Db, cityId: string, token: string): Promise<OnecSession | undefined> {
  if (!/^[0-9a-f]{48}$/.test(token)) return undefined;
  return db
    .selectFrom('onec_sessions')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .where('city_id', '=', cityId)
    .executeTakeFirst();
}

/**
 * Marks the session as heard from. While an apply holds the session's row (for minutes on a big
 * package) the mark is skipped rather than waited for: waiting held 1C's next request until the
 * apply committed, past the step time that `progress` exists to keep.
 */
export async function touchSession(db: Db, id: string, now: Date): Promise<void> {
  await sql`UPDATE onec_sessions SET last_seen_at = ${now}
    WHERE id = (SELECT id FROM onec_sessions WHERE id = ${id}::uuid FOR NO KEY UPDATE SKIP LOCKED)`.execute(db);
}

export async function markDeferred(db: Db, id: string): Promise<void> {
  await db.updateTable('onec_sessions').set({ deferred: true }).where('id', '=', id).execute();
}

export async function finishSession(
  db: Db,
  id: string,
  now: Date,
  outcome: { status: 'done' | 'failed' | 'abandoned'; error?: string; report?: Record<string, unknown> },
): Promise<void> {
  await dropSessionFiles(db, id);
  await db
    .updateTable('onec_sessions')
    .set({
      status: outcome.status,
      finished_at: now,
      error: outcome.error ?? null,
      ...(outcome.report ? { report: json(outcome.report) } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .execute();
}

/** adds what one applied file (or the whole package) did to the session's report */
export async function addToReport(db: Db, id: string, key: string, entry: unknown): Promise<void> {
  await sql`UPDATE onec_sessions SET report = jsonb_set(report, ARRAY[${key}]::text[], ${json(entry)}::jsonb)
    WHERE id = ${id}::uuid`.execute(db);
}
