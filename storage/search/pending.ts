import { sql } from 'kysely';
import type { Db } from '../repos/common.ts';

/**
 * Merges what an import just wrote into the text indexes proper. A GIN index queues new entries in
 * a pending list (up to `gin_pending_list_limit`, 4 MB) that every search reads in full, entry by
 * entry, for each word — until a VACUUM merges it, and autovacuum may be far off, turned off, or
 * absent (PGlite has none). After a 100,000-product import the lists held 377 + 246 pages, a few
 * milliseconds on every word of every search. Only the tables' owner may merge; anyone else leaves
 * it to VACUUM.
 */
export async function mergePendingSearchEntries(db: Db): Promise<void> {
  await sql`SELECT gin_clean_pending_list(c.oid) FROM pg_class c
     WHERE c.oid IN ('products_title_tsv_idx'::regclass, 'products_desc_tsv_idx'::regclass)
       AND pg_has_role(c.relowner, 'USAGE')`.execute(db);
}
