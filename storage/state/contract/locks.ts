import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateBackend } from '../types.ts';
import { sleep, uniqueKey, type BackendHarness, type StateEnv } from './harness.ts';

export function lockContract(harness: BackendHarness) {
  describe(`ConversationLock (${harness.name})`, () => {
    let env: StateEnv;
    let state: StateBackend;
    let other: StateBackend;
    beforeAll(async () => {
      env = await harness.env();
      state = await env.open();
      // a second process where locks are shared; the same backend otherwise
      other = harness.crossProcess ? await env.open() : state;
    });
    afterAll(async () => {
      if (other !== state) await other?.close();
      await state?.close();
      await env?.cleanup();
    });

    it('grants one holder; a second acquirer without patience gets nothing', async () => {
      const key = uniqueKey('lock');
      const lease = await state.locks.acquire(key, 5_000, 0);
      expect(lease).toBeDefined();
      expect(await other.locks.acquire(key, 5_000, 0)).toBeUndefined();
      expect(await state.locks.acquire(uniqueKey('lock'), 5_000, 0)).toBeDefined();
      expect(await lease!.release()).toBe(true);
      expect(await lease!.release()).toBe(false);
      const next = await other.locks.acquire(key, 5_000, 0);
      expect(next).toBeDefined();
      expect(next!.token).toBeGreaterThan(lease!.token);
      await next!.release();
    });

    it('keeps 20 contenders mutually exclusive, with fencing tokens increasing in grant order', async () => {
      const key = uniqueKey('lock');
      let inside = 0;
      let maxInside = 0;
      const grants: number[] = [];
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const backend = i % 2 === 0 ? state : other;
          const lease = await backend.locks.acquire(key, 10_000, 20_000);
          expect(lease).toBeDefined();
          inside++;
          maxInside = Math.max(maxInside, inside);
          grants.push(lease!.token);
          await sleep(2);
          inside--;
          expect(await lease!.release()).toBe(true);
        }),
      );
      expect(maxInside).toBe(1);
      expect(grants).toHaveLength(20);
      for (let i = 1; i < grants.length; i++) expect(grants[i]).toBeGreaterThan(grants[i - 1]!);
    });

    it('expires an abandoned lease; the old holder can then neither release nor extend', async () => {
      const key = uniqueKey('lock');
      const first = await state.locks.acquire(key, 150, 0);
      expect(first).toBeDefined();
      const second = await other.locks.acquire(key, 5_000, 5_000);
      expect(second).toBeDefined();
      expect(second!.token).toBeGreaterThan(first!.token);
      expect(await first!.release()).toBe(false);
      expect(await first!.extend(5_000)).toBe(false);
      expect(await state.locks.acquire(key, 5_000, 0)).toBeUndefined();
      expect(await second!.release()).toBe(true);
    });

    it('extend keeps the lease beyond its first TTL', async () => {
      const key = uniqueKey('lock');
      const lease = await state.locks.acquire(key, 200, 0);
      expect(await lease!.extend(5_000)).toBe(true);
      await sleep(350);
      expect(await other.locks.acquire(key, 5_000, 0)).toBeUndefined();
      expect(await lease!.release()).toBe(true);
    });

    it('gives up after waitMs when the holder keeps the lock', async () => {
      const key = uniqueKey('lock');
      const lease = await state.locks.acquire(key, 10_000, 0);
      expect(await other.locks.acquire(key, 10_000, 120)).toBeUndefined();
      await lease!.release();
      const after = await other.locks.acquire(key, 10_000, 0);
      expect(after).toBeDefined();
      await after!.release();
    });

    it('hands the lock to a waiter as soon as it is released', async () => {
      const key = uniqueKey('lock');
      const lease = await state.locks.acquire(key, 10_000, 0);
      const waiting = other.locks.acquire(key, 10_000, 10_000);
      await sleep(30);
      await lease!.release();
      const next = await waiting;
      expect(next).toBeDefined();
      expect(next!.token).toBeGreaterThan(lease!.token);
      await next!.release();
    });
  });
}
