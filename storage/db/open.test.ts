import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestDatabase, postgresAdminUrl, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import type { Db } from '../repos/common.ts';
import { openDatabase } from './open.ts';
import { StorageUnavailableError } from './errors.ts';

describe.each(TEST_BACKENDS)('openDatabase on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs the migrations: every table exists, pg_trgm is installed', async () => {
    const { rows } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`.execute(
      t.db,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'alert_notifications',
        'analytics_events',
        'audit_log',
        'bot_configs',
        'cities',
        'conversation_messages',
        'conversation_snapshots',
        'escalation_messages',
        'escalations',
        'idempotency_keys',
        'inbox',
        'price_alerts',
        'products',
        'prompts',
        'refresh_tokens',
        'scenarios',
        'search_terms',
        'timers',
        'users',
        'chat_uploads',
      ]),
    );
    const ext = await sql<{ extname: string }>`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`.execute(
      t.db,
    );
    expect(ext.rows).toHaveLength(1);
  });

  it('uuid ids and timestamps are generated', async () => {
    const city = await t.db
      .insertInto('cities')
      .values({ name: 'A', slug: 'a', timezone: 'Asia/Almaty' })
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(city.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(city.created_at).toBeInstanceOf(Date);
    expect(city.currency).toBe('KZT');
  });
});

describe('PostgreSQL pool size', () => {
  it('bounds the connections of the pool and of the search pool', async () => {
    const t = await createTestDatabase('postgres');
    const opened = await openDatabase({
      databaseUrl: postgresAdminUrl(t.name),
      dataDir: '/tmp',
      migrate: false,
      poolSize: 3,
    });
    try {
      const pids = async (db: Db) =>
        new Set(
          await Promise.all(
            Array.from(
              { length: 12 },
              async () =>
                (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid, pg_sleep(0.02)`.execute(db)).rows[0]!.pid,
            ),
          ),
        );
      const main = await pids(opened.db);
      expect(main.size).toBeGreaterThan(1);
      expect(main.size).toBeLessThanOrEqual(3);
      const search = 'hinted' in opened.search ? opened.search.hinted : opened.search;
      expect((await pids(search)).size).toBeLessThanOrEqual(2);
    } finally {
      await opened.close();
      await t.close();
    }
  });
});

describe('unreachable database', () => {
  it('PostgreSQL refusing connections fails with a retryable StorageUnavailableError', async () => {
    const error = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', dataDir: '/tmp' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as StorageUnavailableError).retryable).toBe(true);
    expect((error as StorageUnavailableError).cause).toBeDefined();
  });

  it('a server that goes away mid-session surfaces as StorageUnavailableError, and the pool recovers', async () => {
    const t = await createTestDatabase('postgres');
    try {
      await sql`SELECT 1`.execute(t.db);
      const admin = new pg.Client({ connectionString: postgresAdminUrl() });
      await admin.connect();
      // kill our server-side sessions, as a restart or failover would
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [t.name],
      );
      await admin.end();
      const error = await t.db
        .transaction()
        .execute(async (tx) => {
          await sql`SELECT 1`.execute(tx);
        })
        .catch((e: unknown) => e);
      // the idle connection was dead: either this query failed as unavailable, or the pool replaced it
      if (error) expect(error).toBeInstanceOf(StorageUnavailableError);
      const ok = await sql<{ one: number }>`SELECT 1 AS one`.execute(t.db);
      expect(ok.rows[0]?.one).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('a closed database handle rejects queries instead of hanging', async () => {
    const t = await createTestDatabase('pglite');
    await t.close();
    const error = await sql`SELECT 1`.execute(t.db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
  });
});
