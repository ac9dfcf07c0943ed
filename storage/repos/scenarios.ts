import { sql } from 'kysely';
import type { ScenarioRow } from '../db/types.ts';
import { inTransaction, type Db } from './common.ts';

/** Scenario definitions edited by designers: versioned, one active version per id. */
export type ScenarioVersion = {
  id: string;
  version: number;
  content: string;
  isActive: boolean;
  createdBy?: string;
  createdAt: string;
};

const toScenario = (r: ScenarioRow): ScenarioVersion => ({
  id: r.id,
  version: r.version,
  content: r.content,
  isActive: r.is_active,
  ...(r.created_by ? { createdBy: r.created_by } : {}),
  createdAt: r.created_at.toISOString(),
});

export async function activeScenario(db: Db, id: string): Promise<ScenarioVersion | undefined> {
  const row = await db
    .selectFrom('scenarios')
    .selectAll()
    .where('id', '=', id)
    .where('is_active', '=', true)
    .executeTakeFirst();
  return row && toScenario(row);
}

export async function listActiveScenarios(db: Db): Promise<ScenarioVersion[]> {
  return (await db.selectFrom('scenarios').selectAll().where('is_active', '=', true).orderBy('id').execute()).map(
    toScenario,
  );
}

export async function listScenarioVersions(db: Db, id: string): Promise<ScenarioVersion[]> {
  return (await db.selectFrom('scenarios').selectAll().where('id', '=', id).orderBy('version', 'desc').execute()).map(
    toScenario,
  );
}

export async function saveScenarioVersion(
  db: Db,
  input: { id: string; content: string; activate?: boolean; createdBy?: string | null },
): Promise<ScenarioVersion> {
  return inTransaction(db, async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`scenario:${input.id}`}))`.execute(tx);
    const last = await tx
      .selectFrom('scenarios')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('id', '=', input.id)
      .executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const activate = input.activate ?? true;
    if (activate)
      await tx
        .updateTable('scenarios')
        .set({ is_active: false, updated_at: new Date() })
        .where('id', '=', input.id)
        .where('is_active', '=', true)
        .execute();
    const row = await tx
      .insertInto('scenarios')
      .values({
        id: input.id,
        version,
        content: input.content,
        is_active: activate,
        created_by: input.createdBy ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toScenario(row);
  });
}

export async function activateScenarioVersion(
  db: Db,
  id: string,
  version: number,
): Promise<ScenarioVersion | undefined> {
  return inTransaction(db, async (tx) => {
    const target = await tx
      .selectFrom('scenarios')
      .select('version')
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!target) return undefined;
    await tx
      .updateTable('scenarios')
      .set({ is_active: false, updated_at: new Date() })
      .where('id', '=', id)
      .where('is_active', '=', true)
      .execute();
    const row = await tx
      .updateTable('scenarios')
      .set({ is_active: true, updated_at: new Date() })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toScenario(row);
  });
}
