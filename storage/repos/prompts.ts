import { sql } from 'kysely';
import type { PromptRow } from '../db/types.ts';
import { inTransaction, type Db } from './common.ts';

/** Versioned prompts; exactly one active version per (city, name) — a partial unique index says so. */
export type Prompt = {
  id: string;
  cityId?: string;
  name: string;
  content: string;
  version: number;
  isActive: boolean;
  createdAt: string;
};

const toPrompt = (r: PromptRow): Prompt => ({
  id: r.id,
  ...(r.city_id ? { cityId: r.city_id } : {}),
  name: r.name,
  content: r.content,
  version: r.version,
  isActive: r.is_active,
  createdAt: r.created_at.toISOString(),
});

const sameScope = (cityId: string | null | undefined) =>
  cityId ? sql<boolean>`city_id = ${cityId}::uuid` : sql<boolean>`city_id IS NULL`;

export async function listPromptVersions(db: Db, name: string, cityId?: string | null): Promise<Prompt[]> {
  const rows = await db
    .selectFrom('prompts')
    .selectAll()
    .where('name', '=', name)
    .where(sameScope(cityId))
    .orderBy('version', 'desc')
    .execute();
  return rows.map(toPrompt);
}

export async function listPrompts(db: Db, cityId?: string | null): Promise<Prompt[]> {
  let q = db.selectFrom('prompts').selectAll().where('is_active', '=', true).orderBy('name');
  if (cityId !== undefined) q = q.where(sameScope(cityId));
  return (await q.execute()).map(toPrompt);
}

/** The active prompt for a city, falling back to the global (city-less) one. */
export async function activePrompt(db: Db, name: string, cityId?: string | null): Promise<Prompt | undefined> {
  const rows = await db
    .selectFrom('prompts')
    .selectAll()
    .where('name', '=', name)
    .where('is_active', '=', true)
    .where((eb) =>
      cityId ? eb.or([eb('city_id', '=', cityId), eb('city_id', 'is', null)]) : eb('city_id', 'is', null),
    )
    .execute();
  const row = rows.find((r) => r.city_id === (cityId ?? null)) ?? rows.find((r) => r.city_id === null);
  return row && toPrompt(row);
}

/** Adds version n+1; activates it when `activate` (default true). */
export async function createPromptVersion(
  db: Db,
  input: { cityId?: string | null; name: string; content: string; activate?: boolean; createdBy?: string | null },
): Promise<Prompt> {
  return inTransaction(db, async (tx) => {
    // serialises concurrent writers of the same prompt
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`prompt:${input.cityId ?? ''}:${input.name}`}))`.execute(tx);
    const last = await tx
      .selectFrom('prompts')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('name', '=', input.name)
      .where(sameScope(input.cityId))
      .executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const activate = input.activate ?? true;
    if (activate) {
      await tx
        .updateTable('prompts')
        .set({ is_active: false })
        .where('name', '=', input.name)
        .where(sameScope(input.cityId))
        .where('is_active', '=', true)
        .execute();
    }
    const row = await tx
      .insertInto('prompts')
      .values({
        city_id: input.cityId ?? null,
        name: input.name,
        content: input.content,
        version,
        is_active: activate,
        created_by: input.createdBy ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPrompt(row);
  });
}

/** Makes the given version the active one (also how rollback works). */
export async function activatePromptVersion(
  db: Db,
  name: string,
  version: number,
  cityId?: string | null,
): Promise<Prompt | undefined> {
  return inTransaction(db, async (tx) => {
    const target = await tx
      .selectFrom('prompts')
      .selectAll()
      .where('name', '=', name)
      .where(sameScope(cityId))
      .where('version', '=', version)
      .executeTakeFirst();
    if (!target) return undefined;
    await tx
      .updateTable('prompts')
      .set({ is_active: false })
      .where('name', '=', name)
      .where(sameScope(cityId))
      .where('is_active', '=', true)
      .execute();
    const row = await tx
      .updateTable('prompts')
      .set({ is_active: true })
      .where('id', '=', target.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPrompt(row);
  });
}

/** Re-activates the version before the active one. */
export async function rollbackPrompt(db: Db, name: string, cityId?: string | null): Promise<Prompt | undefined> {
  const versions = await listPromptVersions(db, name, cityId);
  const active = versions.find((p) => p.isActive);
  const previous = versions.find((p) => (active ? p.version < active.version : true));
  return previous ? activatePromptVersion(db, name, previous.version, cityId) : undefined;
}
