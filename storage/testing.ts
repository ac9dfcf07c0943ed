/**
 * Test helpers: a fresh, migrated database per suite on either backend, cheap enough that
 * test files can run in parallel.
 *
 * - PostgreSQL: `CREATE DATABASE zeta_t_<random>` on 127.0.0.1:5432 (user from PGUSER or
 *   `postgres`), dropped on close.
 * - PGlite: start-up plus migrations cost several seconds, so the migrated data directory is
 *   dumped once to the OS temp dir (keyed by a hash of the migrations) and every suite gets its
 *   own in-memory instance loaded from that dump (~0.5 s).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { createPGlite, openDatabase, type DatabaseKind, type OpenedDatabase } from './db/open.ts';
import { migrateToLatest } from './db/migrate.ts';
import { MIGRATIONS } from './db/migrations/index.ts';
import { TAXONOMY_SEED } from './db/migrations/0017_taxonomy.seed.ts';
import {
  DummyDriver,
  Kysely,
  PGliteDialect,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import { postgresAdminUrl } from './testServices.ts';

export const TEST_BACKENDS: readonly DatabaseKind[] = ['pglite', 'postgres'];

export { postgresAdminUrl };

export type TestDatabase = OpenedDatabase & { name: string };

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  return kind === 'postgres' ? createPostgresTestDatabase() : createPGliteTestDatabase();
}

async function createPostgresTestDatabase(): Promise<TestDatabase> {
  const name = `zeta_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  let opened: OpenedDatabase;
  try {
    opened = await openDatabase({ databaseUrl: postgresAdminUrl(name), dataDir: tmpdir(), poolSize: 5 });
  } catch (error) {
    await adminQuery(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    throw error;
  }
  return {
    ...opened,
    name,
    close: async () => {
      await opened.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

let templatePromise: Promise<Blob> | undefined;

async function createPGliteTestDatabase(): Promise<TestDatabase> {
  templatePromise ??= loadOrBuildTemplate();
  const template = await templatePromise;
  const instance = await createPGlite(undefined, template);
  const opened = await openDatabase({ dataDir: tmpdir(), pglite: instance });
  return { ...opened, name: 'pglite-memory' };
}

/**
 * Names the migrated template by what produced it: the SQL the migrations send (their `up` is
 * often a loop over a constant the function's text does not show, so it is run against a driver
 * that only records), the data they seed and PGlite's version. Worktrees sharing /tmp reused
 * templates of another branch's migration 0020 while this read only the functions' text.
 */
async function migrationsFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(pgliteVersion()).update(JSON.stringify(TAXONOMY_SEED));
  const recorder = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      hash.update(event.query.sql).update(JSON.stringify(event.query.parameters));
    },
  });
  for (const [name, migration] of Object.entries(MIGRATIONS)) {
    hash.update(name).update(String(migration.up));
    // a migration that reads rows sees none here; its text above still names it
    await migration.up(recorder).catch(() => undefined);
  }
  await recorder.destroy();
  return hash.digest('hex').slice(0, 16);
}

function pgliteVersion(): string {
  // the package does not export its package.json: walk up from its entry point
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite') return pkg.version ?? '?';
    }
    const parent = dirname(dir);
    if (parent === dir) return '?';
    dir = parent;
  }
}

async function loadOrBuildTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `zeta-pglite-template-${await migrationsFingerprint()}.tar.gz`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const instance: PGlite = await createPGlite(undefined);
  const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite: instance }) });
  await migrateToLatest(db);
  const dump = await instance.dumpDataDir('gzip');
  await db.destroy();
  const bytes = Buffer.from(await dump.arrayBuffer());
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(partial, bytes);
  renameSync(partial, file); // atomic: parallel workers never read half a file
  return new Blob([bytes]);
}
