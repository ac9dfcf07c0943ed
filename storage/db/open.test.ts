import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
describe.each(TEST_BACKENDS)('%s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => { const s = performance.now(); t = await createTestDatabase(kind); console.log(kind, performance.now() - s); });
  afterAll(async () => { await t.close(); });
  it('works', async () => {
    await t.db.insertInto('cities').values({ name: 'A', slug: 'a', timezone: 'Asia/Almaty' }).execute();
    const r = await t.db.selectFrom('cities').selectAll().execute();
    expect(r).toHaveLength(1);
  });
});
