import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { SearchDb } from '../search/search.ts';
import type { Database } from './types.ts';
import { withUnavailableErrors } from './dialect.ts';
import { migrateToLatest } from './migrate.ts';

export type DatabaseKind = 'postgres' | 'pglite';

export type OpenedDatabase = {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** where catalog searches run (pass it to `searchProducts`): see `SearchDb` */
  search: SearchDb;
  close(): Promise<void>;
};

export type OpenDatabaseOptions = {
  /** PostgreSQL connection string; when absent the embedded PGlite in `<dataDir>/pglite` is used */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** run migrations on open (default true) */
  migrate?: boolean;
  /** pool size for PostgreSQL (default 10) */
  poolSize?: number;
  /** use this PGlite instance instead of opening `<dataDir>/pglite` (tests, in-memory) */
  pglite?: PGlite;
  onPoolError?: (error: Error) => void;
};

/** Opens PGlite in `dir` (`memory://` for a throw-away database) with the extensions the schema needs. */
export async function createPGlite(dir: string | undefined, loadDataDir?: Blob | File): Promise<PGlite> {
  const options = { extensions: { pg_trgm }, ...(loadDataDir ? { loadDataDir } : {}) };
  const instance = dir ? new PGlite(dir, options) : new PGlite(options);
  await instance.waitReady;
  return instance;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const opened = options.databaseUrl ? openPostgres(options.databaseUrl, options) : await openPGlite(options);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(opened.db);
    } catch (error) {
      await opened.close().catch(() => undefined);
      throw error;
    }
  }
  return opened;
}

function openPostgres(databaseUrl: string, options: OpenDatabaseOptions): OpenedDatabase {
  const size = options.poolSize ?? 10;
  const pool = guardedPool(
    new pg.Pool({
      connectionString: databaseUrl,
      max: size,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    }),
    options,
  );
  // Text searches need a planner hint (see storage/search). Sessions opened with it make every
  // search one statement on its own pooled connection instead of a five-round-trip transaction.
  const searchPool = guardedPool(
    new pg.Pool({
      connectionString: databaseUrl,
      max: Math.max(2, Math.ceil(size / 2)),
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      options: '-c enable_seqscan=off',
    }),
    options,
  );
  const db = new Kysely<Database>({ dialect: withUnavailableErrors(new PostgresDialect({ pool })) });
  const searchDb = new Kysely<Database>({ dialect: withUnavailableErrors(new PostgresDialect({ pool: searchPool })) });
  return {
    db,
    kind: 'postgres',
    search: { hinted: searchDb },
    close: async () => {
      await Promise.all([db.destroy(), searchDb.destroy()]);
    },
  };
}

function guardedPool(pool: pg.Pool, options: OpenDatabaseOptions): pg.Pool {
  // an idle client losing its server emits 'error' on the pool; unhandled it would kill the process
  pool.on('error', (error) => options.onPoolError?.(error));
  // a checked-out client whose connection dies emits 'error' on itself, not the pool
  pool.on('connect', (client) => client.on('error', (error) => options.onPoolError?.(error)));
  return pool;
}

async function openPGlite(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  let instance = options.pglite;
  if (!instance) {
    const dir = join(options.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    instance = await createPGlite(dir);
  }
  const db = new Kysely<Database>({ dialect: withUnavailableErrors(new PGliteDialect({ pglite: instance })) });
  // one in-process connection: the search sets its hint per transaction, which costs nothing here
  return { db, kind: 'pglite', search: db, close: () => db.destroy() };
}
