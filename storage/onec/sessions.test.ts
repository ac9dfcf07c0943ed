import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCity } from '../repos/cities.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { openSession, touchSession } from './sessions.ts';

// PostgreSQL only: on PGlite's single connection no second request runs while an apply holds it
describe('touching an exchange session while an apply holds its row (postgres)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await t.close();
  });

  it('skips the mark instead of waiting for the apply to commit, and marks it once the row is free', async () => {
    const city = await createCity(t.db, { name: 'Алматы', slug: 'almaty' });
    const opened = await openSession(t.db, city.id, new Date('2026-12-07T10:00:00Z'), 60_000);
    if (!opened.ok) throw new Error(opened.reason);
    const id = opened.session.id;
    const lastSeen = async () =>
      (await t.db.selectFrom('onec_sessions').select('last_seen_at').where('id', '=', id).executeTakeFirstOrThrow())
        .last_seen_at;

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const apply = t.db.transaction().execute(async (tx) => {
      // the lock applyStaged takes for the whole apply
      await sql`SELECT id FROM onec_sessions WHERE id = ${id}::uuid FOR UPDATE NOWAIT`.execute(tx);
      locked();
      await held;
    });
    await isLocked;
    const started = Date.now();
    const touched = await Promise.race([
      touchSession(t.db, id, new Date('2026-12-07T10:05:00Z')).then(() => 'answered' as const),
      new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 3_000)),
    ]);
    const elapsed = Date.now() - started;
    const seenDuringApply = await lastSeen();
    release();
    await apply;
    expect(touched).toBe('answered');
    expect(elapsed).toBeLessThan(3_000);
    expect(seenDuringApply.toISOString()).toBe('2026-12-07T10:00:00.000Z');
    await touchSession(t.db, id, new Date('2026-12-07T10:06:00Z'));
    expect((await lastSeen()).toISOString()).toBe('2026-12-07T10:06:00.000Z');
  });
});
