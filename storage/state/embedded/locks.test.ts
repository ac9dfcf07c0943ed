import { describe, expect, it } from 'vitest';
import { memoryLocks } from './locks.ts';

describe('memoryLocks', () => {
  it('close() answers waiting acquirers instead of leaving them hanging', async () => {
    const locks = memoryLocks();
    const held = await locks.acquire('c', 10_000, 0);
    expect(held).toBeDefined();
    const waiting = locks.acquire('c', 10_000, 60_000);
    locks.close();
    expect(await waiting).toBeUndefined();
  });

  it('fencing tokens keep increasing across a new instance (a restarted process)', async () => {
    const first = await memoryLocks().acquire('c', 1_000, 0);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = await memoryLocks().acquire('c', 1_000, 0);
    expect(second!.token).toBeGreaterThan(first!.token);
  });
});
