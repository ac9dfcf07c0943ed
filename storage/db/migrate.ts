import type { Kysely } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import { migrationProvider } from './migrations/index.ts';
import { StorageUnavailableError, toStorageError } from './errors.ts';

export type MigrationReport = { applied: string[] };

/** Brings the schema to the latest version; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    const mapped = toStorageError(result.error);
    if (mapped instanceof StorageUnavailableError) throw mapped;
    throw new Error(
      `migration ${failed ?? '?'} failed: ${result.error instanceof Error ? result.error.message : String(result.error)}`,
      { cause: result.error },
    );
  }
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
