/**
 * Where the tests find PostgreSQL and Redis. Kept apart from storage/testing.ts so the test
 * run's preflight can read the addresses without loading the database drivers and PGlite.
 */

export function postgresAdminUrl(database = 'test'): string {
  const base = process.env.TEST_POSTGRES_URL;
  if (base) {
    const url = new URL(base);
    url.pathname = `/${database}`;
    return url.toString();
  }
  const user = process.env.PGUSER ?? 'postgres';
  return `postgres://${encodeURIComponent(user)}@127.0.0.1:5432/${database}`;
}

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
