import { sql, type Kysely } from 'kysely';
import type { DueTimer, TimerQueue } from '../types.ts';
import { dbGuard } from './guard.ts';
import type { StateTables } from './schema.ts';

export type DbTimerOptions = {
  /** how often the table is polled for due timers (a schedule() in this process also wakes it) */
  pollMs?: number;
  /** a claimed timer whose handler neither finished nor failed is retried after this */
  claimMs?: number;
  /** a timer whose handler threw is retried after this */
  retryMs?: number;
  /** timers claimed per poll */
  batch?: number;
};

/**
 * Durable timers in the database, polled in-process. A poll claims due rows (claimed_until is the
 * claim's identity), runs the handler, and marks the row fired only if the claim still stands; a
 * re-schedule resets the claim, so a handler finishing for the old timer cannot swallow the new one.
 * SKIP LOCKED keeps two processes on one PostgreSQL from claiming the same row.
 */
export function dbTimers(db: Kysely<StateTables>, prefix: string, options: DbTimerOptions = {}): TimerQueue {
  const pollMs = options.pollMs ?? 500;
  const claimMs = options.claimMs ?? 60_000;
  const retryMs = options.retryMs ?? 5_000;
  const batch = options.batch ?? 32;

  let handler: ((timer: DueTimer) => Promise<void>) | undefined;
  let interval: NodeJS.Timeout | undefined;
  let wake: NodeJS.Timeout | undefined;
  let wakeAt = Infinity;
  let polling: Promise<void> | undefined;
  let again = false;
  const running = new Set<Promise<void>>();

  async function claim(): Promise<{ id: string; payload: string; due_at: Date; claimed_until: Date }[]> {
    const now = new Date();
    const until = new Date(now.getTime() + claimMs);
    const result = await sql<{ id: string; payload: string; due_at: Date; claimed_until: Date }>`
      update timers set claimed_until = ${until}
      where id in (
        select id from timers
        where fired_at is null and due_at <= ${now}
          and (claimed_until is null or claimed_until < ${now})
          and starts_with(id, ${prefix})
        order by due_at
        limit ${batch}
        for update skip locked)
      returning id, payload, due_at, claimed_until`.execute(db);
    return result.rows;
  }

  async function fire(row: { id: string; payload: string; due_at: Date; claimed_until: Date }) {
    const current = handler;
    if (!current) return;
    try {
      await current({ id: row.id.slice(prefix.length), payload: row.payload, dueAt: new Date(row.due_at) });
      await db
        .updateTable('timers')
        .set({ fired_at: new Date() })
        .where('id', '=', row.id)
        .where('claimed_until', '=', row.claimed_until)
        .execute();
    } catch {
      await db
        .updateTable('timers')
        .set({ claimed_until: new Date(Date.now() + retryMs) })
        .where('id', '=', row.id)
        .where('claimed_until', '=', row.claimed_until)
        .execute()
        .catch(() => {});
    }
  }

  async function pollOnce(): Promise<void> {
    do {
      again = false;
      let rows: Awaited<ReturnType<typeof claim>> = [];
      try {
        rows = await claim();
      } catch {
        return; // database briefly unavailable: the next poll retries
      }
      for (const row of rows) {
        const job = fire(row).finally(() => running.delete(job));
        running.add(job);
      }
      if (rows.length === batch) again = true;
    } while (again && handler);
  }

  function poll(): Promise<void> {
    if (!handler) return Promise.resolve();
    if (polling) {
      again = true;
      return polling;
    }
    polling = pollOnce().finally(() => {
      polling = undefined;
    });
    return polling;
  }

  function wakeBy(dueAt: Date) {
    if (!handler) return;
    const at = dueAt.getTime();
    if (at >= wakeAt) return;
    if (wake) clearTimeout(wake);
    wakeAt = at;
    wake = setTimeout(
      () => {
        wake = undefined;
        wakeAt = Infinity;
        void poll();
      },
      Math.max(0, at - Date.now()) + 5,
    );
    wake.unref();
  }

  return {
    async schedule(id, dueAt, payload) {
      await dbGuard('timer schedule', () =>
        db
          .insertInto('timers')
          .values({ id: prefix + id, payload, due_at: dueAt, claimed_until: null, fired_at: null })
          .onConflict((oc) =>
            oc.column('id').doUpdateSet({ payload, due_at: dueAt, claimed_until: null, fired_at: null }),
          )
          .execute(),
      );
      wakeBy(dueAt);
    },
    async cancel(id) {
      await dbGuard('timer cancel', () =>
        db
          .deleteFrom('timers')
          .where('id', '=', prefix + id)
          .execute(),
      );
    },
    async start(fn) {
      if (handler) throw new Error('timer queue already started');
      handler = fn;
      interval = setInterval(() => void poll(), pollMs);
      interval.unref();
      await poll();
    },
    async stop() {
      handler = undefined;
      if (interval) clearInterval(interval);
      if (wake) clearTimeout(wake);
      interval = wake = undefined;
      wakeAt = Infinity;
      await polling;
      await Promise.allSettled([...running]);
    },
  };
}
