import { sql, type Kysely } from 'kysely';
import type { RecordOutbox } from '../types.ts';
import { dbGuard } from './guard.ts';
import type { StateTables } from './schema.ts';

/** The record outbox as rows: taking one leases it for `reclaimMs`; done deletes it. */
export function dbOutbox(db: Kysely<StateTables>, namespace: string): RecordOutbox {
  return {
    async take(max, reclaimMs) {
      const rows = await dbGuard('outbox take', () =>
        sql<{ seq: string; data: string }>`
          UPDATE record_outbox SET taken_until = now() + make_interval(secs => ${reclaimMs / 1000}::float8)
           WHERE seq IN (SELECT seq FROM record_outbox
                          WHERE namespace = ${namespace} AND (taken_until IS NULL OR taken_until < now())
                          ORDER BY seq LIMIT ${max} FOR UPDATE SKIP LOCKED)
          RETURNING seq, data`.execute(db),
      );
      return rows.rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => ({ id: String(r.seq), data: r.data }));
    },
    async done(ids) {
      await dbGuard('outbox done', () =>
        db.deleteFrom('record_outbox').where('namespace', '=', namespace).where('seq', 'in', ids).execute(),
      );
    },
    async size() {
      const row = await dbGuard('outbox size', () =>
        db
          .selectFrom('record_outbox')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('namespace', '=', namespace)
          .executeTakeFirst(),
      );
      return Number(row?.n ?? 0);
    },
  };
}
