import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from './contract/harness.ts';
import { tcpProxy, type TcpProxy } from './contract/tcp-proxy.ts';
import { createStateBackend, StateUnavailableError, type StateBackend } from './index.ts';

// The store going away must surface as a typed, retryable error within a bound, never a hang;
// and the backend must work again once the store is back.

const proxies: TcpProxy[] = [];
const backends: StateBackend[] = [];
afterAll(async () => {
  await Promise.allSettled(backends.map((b) => b.close()));
  await Promise.allSettled(proxies.map((p) => p.close()));
});

describe('Redis unavailable', () => {
  it('refuses to open against an unreachable Redis with StateUnavailableError', async () => {
    const proxy = await tcpProxy(6379);
    await proxy.cut();
    await expect(
      createStateBackend({ redisUrl: `redis://127.0.0.1:${proxy.port}`, keyPrefix: 'zt:down:', commandTimeoutMs: 300 }),
    ).rejects.toBeInstanceOf(StateUnavailableError);
  });

  it('fails calls with StateUnavailableError while Redis is away and recovers after', async () => {
    const proxy = await tcpProxy(6379);
    proxies.push(proxy);
    const keyPrefix = `zt:${randomUUID().slice(0, 8)}:`;
    const state = await createStateBackend({ redisUrl: `redis://127.0.0.1:${proxy.port}`, keyPrefix, commandTimeoutMs: 300 });
    backends.push(state);
    expect((await state.snapshots.write('c', 'v1', 0)).ok).toBe(true);

    await proxy.cut();
    const failures = await Promise.allSettled([
      state.snapshots.read('c'),
      state.snapshots.write('c', 'v2', 1),
      state.locks.acquire('c', 1_000, 100),
      state.idempotency.claim('u1', 60),
      state.rateLimiter.hit('ip', 10, 1_000),
      state.inbox.accept('c', { id: 'm1', payload: 'x' }),
      state.timers.schedule('t1', new Date(Date.now() + 60_000), 'x'),
    ]);
    for (const failure of failures) {
      expect(failure.status).toBe('rejected');
      expect((failure as PromiseRejectedResult).reason).toBeInstanceOf(StateUnavailableError);
      expect(((failure as PromiseRejectedResult).reason as StateUnavailableError).retryable).toBe(true);
    }

    await proxy.restore();
    await eventually(
      'redis back',
      async () => (await state.snapshots.read('c').catch(() => undefined))?.data === 'v1',
      15_000,
    );
    expect(await state.snapshots.write('c', 'v2', 1)).toEqual({ ok: true, version: 2 });
  });
});

describe('embedded database unavailable', () => {
  it('fails calls with StateUnavailableError while PostgreSQL is away and recovers after', async () => {
    const proxy = await tcpProxy(5432);
    proxies.push(proxy);
    const pool = new pg.Pool({
      connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
      max: 2,
      connectionTimeoutMillis: 1_000,
    });
    pool.on('error', () => {});
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    const state = await createStateBackend({ db, keyPrefix: `t${randomUUID().slice(0, 8)}:` });
    backends.push(state);
    try {
      await proxy.cut();
      const failures = await Promise.allSettled([
        state.snapshots.read('c'),
        state.idempotency.claim('u1', 60),
        state.inbox.accept('c', { id: 'm1', payload: 'x' }),
        state.timers.schedule('t1', new Date(Date.now() + 60_000), 'x'),
      ]);
      for (const failure of failures) {
        expect(failure.status).toBe('rejected');
        expect((failure as PromiseRejectedResult).reason).toBeInstanceOf(StateUnavailableError);
      }
      await proxy.restore();
      // the tables may not exist in `test`; reaching the server is what counts here
      await eventually('postgres back', async () => {
        try {
          await state.snapshots.read('c');
          return true;
        } catch (error) {
          return !(error instanceof StateUnavailableError);
        }
      }, 15_000);
    } finally {
      await state.close();
      await db.destroy();
    }
  });
});
