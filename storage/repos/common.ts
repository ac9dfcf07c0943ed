import type { Kysely } from 'kysely';
import type { Database } from '../db/types.ts';

/** Any kysely handle on our schema — the database or a transaction. */
export type Db = Kysely<Database>;

/** jsonb columns are written as JSON text; both drivers accept it */
export const json = (value: unknown): string => JSON.stringify(value ?? null);

export const toNumber = (value: string | number | null | undefined): number | undefined =>
  value === null || value === undefined ? undefined : Number(value);

export type Page = { limit: number; offset: number };
export type Paged<T> = { items: T[]; total: number };

export function clampPage(page: Partial<Page> | undefined, maxLimit = 200): Page {
  const limit = Math.min(Math.max(Math.floor(page?.limit ?? 20), 1), maxLimit);
  const offset = Math.max(Math.floor(page?.offset ?? 0), 0);
  return { limit, offset };
}

/** Postgres unique-violation — the caller decides what a duplicate means */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** Runs `fn` in a transaction — or inside the caller's, when `db` already is one. */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
