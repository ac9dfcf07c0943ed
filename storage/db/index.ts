export {
  openDatabase,
  createPGlite,
  type OpenedDatabase,
  type OpenDatabaseOptions,
  type DatabaseKind,
} from './open.ts';
export { migrateToLatest, type MigrationReport } from './migrate.ts';
export { StorageUnavailableError, isStorageUnavailable, toStorageError } from './errors.ts';
export type * from './types.ts';
