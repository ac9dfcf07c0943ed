export {
  importCatalog,
  IMPORT_COLUMNS,
  type ImportOptions,
  type ImportResult,
  type ImportError,
  type ImportProgress,
} from './import.ts';
export { upsertProducts } from './upsert.ts';
export { parseCsv } from './csv.ts';
