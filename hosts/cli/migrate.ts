/**
 * `npm run migrate` — brings the database (DATABASE_URL, or the embedded PGlite in DATA_DIR) to
 * the latest schema. `-- --seed` also loads the demo data when the database is empty.
 */
import { openDatabase } from '../../storage/db/open.ts';
import { migrateToLatest } from '../../storage/db/migrate.ts';
import { isStorageUnavailable } from '../../storage/db/errors.ts';
import { seedDemoData } from '../../storage/seed/seed.ts';

const databaseUrl = process.env.DATABASE_URL || undefined;
const dataDir = process.env.DATA_DIR || '.data';
const where = databaseUrl
  ? `PostgreSQL ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}`
  : `PGlite in ${dataDir}/pglite`;

try {
  const opened = await openDatabase({ databaseUrl, dataDir, migrate: false });
  try {
    const { applied } = await migrateToLatest(opened.db);
    console.log(applied.length ? `${where}: applied ${applied.join(', ')}` : `${where}: already up to date`);
    if (process.argv.includes('--seed')) {
      const seeded = await seedDemoData(opened.db);
      console.log(
        seeded.seeded
          ? `demo data: ${seeded.cities} cities, ${seeded.products} products`
          : 'demo data: database not empty, skipped',
      );
    }
  } finally {
    await opened.close();
  }
} catch (error) {
  console.error(
    `${where}: ${isStorageUnavailable(error) ? 'unreachable — ' : ''}${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
