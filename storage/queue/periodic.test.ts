import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../state/contract/harness.ts';
import { memoryPeriodicJobs, redisPeriodicJobs, type PeriodicJobs, type Tick } from './periodic.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const cases: { name: string; open: (prefix: string) => Promise<PeriodicJobs>; replicas: boolean }[] = [
  { name: 'in-process', open: async () => memoryPeriodicJobs(), replicas: false },
  { name: 'redis/BullMQ', open: (keyPrefix) => redisPeriodicJobs({ redisUrl: REDIS_URL, keyPrefix }), replicas: true },
];

for (const c of cases) {
  describe(`PeriodicJobs (${c.name})`, () => {
    const opened: PeriodicJobs[] = [];
    const prefix = `zp:${randomUUID().slice(0, 8)}:`;
    afterEach(async () => {
      await Promise.allSettled(opened.splice(0).map((j) => j.close()));
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    });

    it('runs a job repeatedly; each tick has its own id', async () => {
      const jobs = await c.open(prefix);
      opened.push(jobs);
      const ticks: Tick[] = [];
      await jobs.every('alert-sweep', 100, async (t) => {
        ticks.push(t);
      });
      await eventually('three ticks', () => ticks.length >= 3);
      expect(new Set(ticks.map((t) => t.tickId)).size).toBe(ticks.length);
      expect(ticks.every((t) => t.name === 'alert-sweep')).toBe(true);
    });

    it('a failing run does not stop later ticks', async () => {
      const jobs = await c.open(prefix);
      opened.push(jobs);
      let runs = 0;
      await jobs.every('flaky-sweep', 100, async () => {
        runs++;
        if (runs === 1) throw new Error('db blip');
      });
      await eventually('later ticks', () => runs >= 3);
    });

    if (c.replicas) {
      it('runs each tick on one replica only', async () => {
        const a = await c.open(prefix);
        const b = await c.open(prefix);
        opened.push(a, b);
        const ticks: string[] = [];
        await a.every('shared-sweep', 100, async (t) => {
          ticks.push(t.tickId);
        });
        await b.every('shared-sweep', 100, async (t) => {
          ticks.push(t.tickId);
        });
        await eventually('several ticks', () => ticks.length >= 5);
        expect(new Set(ticks).size).toBe(ticks.length);
      });
    }
  });
}
