import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../../storage/testing.ts';
import { deleteExpiredRefreshTokens, issueRefreshToken, rotateRefreshToken } from './refreshTokens.ts';
import { insertUser } from './users.ts';

describe.each(TEST_BACKENDS)('refresh-token housekeeping on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => database?.close());

  it('deletes only tokens that expired before the cut-off; live ones keep rotating', async () => {
    const user = await insertUser(database.db, { email: `h-${kind}@zeta.test`, passwordHash: 'x', name: 'H', role: 'viewer' });
    const now = new Date('2026-11-26T12:00:00Z');
    await issueRefreshToken(database.db, user.id, 60, new Date(now.getTime() - 3 * 86_400_000));
    const live = await issueRefreshToken(database.db, user.id, 3600, now);
    expect(await deleteExpiredRefreshTokens(database.db, new Date(now.getTime() - 86_400_000))).toBe(1);
    expect(await deleteExpiredRefreshTokens(database.db, new Date(now.getTime() - 86_400_000))).toBe(0);
    const rotated = await rotateRefreshToken(database.db, live.token, 3600, now);
    expect(rotated).toMatchObject({ ok: true });
  });
});
