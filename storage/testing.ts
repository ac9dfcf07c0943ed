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
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { createPGlite, openDatabase, type DatabaseKind, type OpenedDatabase } from './db/open.ts';
import { migrateToLatest } from './db/migrate.ts';
import { Kysely, PGliteDialect } from 'kysely';

export const TEST_BACKENDS: readonly DatabaseKind[] = ['pglite', 'postgres'];

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

function migrationsFingerprint(): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'db', 'migrations');
  const hash = createHash('sha256');
  const pkg = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string };
  hash.update(pkg.version);
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  return hash.digest('hex').slice(0, 16);
}

async function loadOrBuildTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `zeta-pglite-template-${migrationsFingerprint()}.tar.gz`);
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
