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
    const user = await insertUser(database.db, {
      email: `h-${kind}@zeta.test`,
      passwordHash: 'x',
      name: 'H',
      role: 'viewer',
    });
    const now = new Date('2026-11-26T12:00:00Z');
    await issueRefreshToken(database.db, user.id, 60, new Date(now.getTime() - 3 * 86_400_000));
    const live = await issueRefreshToken(database.db, user.id, 3600, now);
    expect(await deleteExpiredRefreshTokens(database.db, new Date(now.getTime() - 86_400_000))).toBe(1);
    expect(await deleteExpiredRefreshTokens(database.db, new Date(now.getTime() - 86_400_000))).toBe(0);
    const rotated = await rotateRefreshToken(database.db, live.token, 3600, now);
    expect(rotated).toMatchObject({ ok: true });
  });

  it('a spent token presented again within the grace of its rotation gets a sibling; after it, the login is revoked', async () => {
    const user = await insertUser(database.db, {
      email: `g-${kind}@zeta.test`,
      passwordHash: 'x',
      name: 'G',
      role: 'viewer',
    });
    const t0 = new Date('2026-11-26T12:00:00Z');
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    const grace = { reuseGraceSeconds: 30 };
    const login = await issueRefreshToken(database.db, user.id, 3600, t0);
    const first = await rotateRefreshToken(database.db, login.token, 3600, t0, grace);
    if (!first.ok) throw new Error('first rotation refused');
    const sibling = await rotateRefreshToken(database.db, login.token, 3600, at(29), grace);
    expect(sibling).toMatchObject({ ok: true, userId: user.id });
    if (!sibling.ok) throw new Error('unreachable');
    expect(sibling.next.token.split('.')[0]).toBe(login.token.split('.')[0]);
    // without a grace (the default) the same replay is a reuse
    expect(await rotateRefreshToken(database.db, login.token, 3600, at(29))).toEqual({ ok: false, reason: 'reused' });
    expect(await rotateRefreshToken(database.db, first.next.token, 3600, at(29), grace)).toMatchObject({ ok: false });

    const other = await issueRefreshToken(database.db, user.id, 3600, t0);
    const spent = await rotateRefreshToken(database.db, other.token, 3600, t0, grace);
    if (!spent.ok) throw new Error('rotation refused');
    expect(await rotateRefreshToken(database.db, other.token, 3600, at(31), grace)).toEqual({
      ok: false,
      reason: 'reused',
    });
    // the whole login went with it
    expect(await rotateRefreshToken(database.db, spent.next.token, 3600, at(32), grace)).toMatchObject({ ok: false });
  });
});
