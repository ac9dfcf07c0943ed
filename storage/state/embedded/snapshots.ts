import { sql, type Kysely } from 'kysely';
import type { CasResult, SnapshotStore } from '../types.ts';
import { dbGuard } from './guard.ts';
import type { StateTables } from './schema.ts';

function expiry(ttlSeconds: number | undefined) {
  return ttlSeconds && ttlSeconds > 0
    ? sql<Date>`now() + make_interval(secs => ${ttlSeconds}::float8)`
    : sql<null>`null`;
}

const live = sql<boolean>`(expires_at is null or expires_at > now())`;

/** Compare-and-set in one statement each, so it holds across processes sharing PostgreSQL. */
export function dbSnapshots(db: Kysely<StateTables>, prefix: string): SnapshotStore {
  const table = 'conversation_snapshots' as const;

  async function currentVersion(key: string): Promise<number | undefined> {
    const row = await db.selectFrom(table).select('version').where('key', '=', key).where(live).executeTakeFirst();
    return row?.version;
  }

  return {
    async read(key) {
      const row = await dbGuard('snapshot read', () =>
        db
          .selectFrom(table)
          .select(['version', 'data'])
          .where('key', '=', prefix + key)
          .where(live)
          .executeTakeFirst(),
      );
      return row ? { version: Number(row.version), data: row.data } : undefined;
    },
    async write(key, data, expectedVersion, ttlSeconds): Promise<CasResult> {
      const full = prefix + key;
      return dbGuard('snapshot write', async () => {
        const row =
          expectedVersion === 0
            ? await db
                .insertInto(table)
                .values({ key: full, version: 1, data, expires_at: expiry(ttlSeconds) })
                .onConflict((oc) =>
                  oc
                    .column('key')
                    .doUpdateSet({ version: 1, data, expires_at: expiry(ttlSeconds) })
                    // an expired row counts as absent
                    .where(
                      sql<boolean>`conversation_snapshots.expires_at is not null and conversation_snapshots.expires_at <= now()`,
                    ),
                )
                .returning('version')
                .executeTakeFirst()
            : await db
                .updateTable(table)
                .set({ version: sql<number>`version + 1`, data, expires_at: expiry(ttlSeconds) })
                .where('key', '=', full)
                .where('version', '=', expectedVersion)
                .where(live)
                .returning('version')
                .executeTakeFirst();
        if (row) return { ok: true, version: Number(row.version) };
        const current = await currentVersion(full);
        return { ok: false, currentVersion: current === undefined ? undefined : Number(current) };
      });
    },
    async delete(key) {
      await dbGuard('snapshot delete', () =>
        db
          .deleteFrom(table)
          .where('key', '=', prefix + key)
          .execute(),
      );
    },
    async replace(key, data, expectedVersion): Promise<CasResult> {
      const full = prefix + key;
      return dbGuard('snapshot replace', async () => {
        const row = await db
          .updateTable(table)
          .set({ version: sql<number>`version + 1`, data })
          .where('key', '=', full)
          .where('version', '=', expectedVersion)
          .where(live)
          .returning('version')
          .executeTakeFirst();
        if (row) return { ok: true, version: Number(row.version) };
        const current = await currentVersion(full);
        return { ok: false, currentVersion: current === undefined ? undefined : Number(current) };
      });
    },
    async *scan(pageSize = 500) {
      // keyset pages: rows written meanwhile are seen or not, none twice
      let after = '';
      for (;;) {
        const rows = await dbGuard('snapshot scan', () =>
          db
            .selectFrom(table)
            .select('key')
            .where(sql<boolean>`starts_with(key, ${prefix})`)
            .where('key', '>', after)
            .where(live)
            .orderBy('key')
            .limit(pageSize)
            .execute(),
        );
        if (rows.length === 0) return;
        yield rows.map((r) => r.key.slice(prefix.length));
        after = rows.at(-1)!.key;
        if (rows.length < pageSize) return;
      }
    },
  };
}
