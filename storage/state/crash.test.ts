import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from '../testing.ts';
import { eventually, sleep } from './contract/harness.ts';
import { createStateBackend, type StateBackend, type StateBackendOptions } from './index.ts';

// A process is SIGKILLed (no close, no flush) holding accepted messages and timers — once between
// turns, once in the middle of a timer handler. The next process must lose nothing and fire once.

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CHILD = fileURLToPath(new URL('./contract/crash-child.ts', import.meta.url));
const FAST_RECOVERY: StateBackendOptions['timers'] = { pollMs: 100, claimMs: 600, retryMs: 200, lockDurationMs: 600, stalledIntervalMs: 300 };

function runChild(config: object, until: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(until)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before "${until}": ${out}`)));
  });
}

async function kill(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

type Case = { name: string; setup(): Promise<{ childConfig: object; open(): Promise<StateBackend>; cleanup(): Promise<void> }> };

const pgDatabases: TestDatabase[] = [];
afterAll(async () => {
  await Promise.allSettled(pgDatabases.map((d) => d.close()));
});

const cases: Case[] = [
  {
    name: 'redis',
    async setup() {
      const keyPrefix = `zc:${randomUUID().slice(0, 8)}:`;
      return {
        childConfig: { redisUrl: REDIS_URL, keyPrefix, timers: FAST_RECOVERY },
        open: () => createStateBackend({ redisUrl: REDIS_URL, keyPrefix, timers: FAST_RECOVERY }),
        async cleanup() {
          const redis = new Redis(REDIS_URL);
          const keys = await redis.keys(`${keyPrefix}*`);
          if (keys.length) await redis.del(...keys);
          redis.disconnect();
        },
      };
    },
  },
  {
    name: 'embedded/PostgreSQL',
    async setup() {
      const database = await createTestDatabase('postgres');
      pgDatabases.push(database);
      const keyPrefix = `c${randomUUID().slice(0, 8)}:`;
      const databaseUrl = postgresAdminUrl(database.name);
      return {
        childConfig: { databaseUrl, keyPrefix, timers: FAST_RECOVERY },
        open: async () => {
          const opened = await openDatabase({ databaseUrl, dataDir: tmpdir(), migrate: false, poolSize: 2 });
          const state = await createStateBackend({ db: opened.db, keyPrefix, timers: FAST_RECOVERY });
          return { ...state, close: async () => (await state.close(), await opened.close()) };
        },
        cleanup: async () => {},
      };
    },
  },
];

for (const c of cases) {
  describe(`crash and restart (${c.name})`, () => {
    it('keeps accepted messages and fires a timer that fell due while down, once', async () => {
      const env = await c.setup();
      const child = await runChild({ ...env.childConfig, mode: 'schedule' }, 'ready');
      await kill(child);
      await sleep(300); // the timer falls due while nothing runs
      const state = await env.open();
      try {
        expect(await state.inbox.pendingConversations()).toEqual(['tg:almaty:7']);
        expect(await state.inbox.peek('tg:almaty:7')).toEqual({ id: 'update-1', payload: '{"text":"диван"}' });
        expect(await state.inbox.accept('tg:almaty:7', { id: 'update-1', payload: 'redelivered' })).toBe('duplicate');
        const fired: string[] = [];
        await state.timers.start(async (t) => {
          fired.push(`${t.id}=${t.payload}`);
        });
        await eventually('timer after crash', () => fired.length === 1);
        await sleep(500);
        expect(fired).toEqual(['tg:almaty:7:idle=idle']);
      } finally {
        await state.close();
        await env.cleanup();
      }
    });

    it('re-runs, once, a timer whose handler was running when the process died', async () => {
      const env = await c.setup();
      const child = await runChild({ ...env.childConfig, mode: 'hang' }, 'handling tg:almaty:8:reminder');
      await kill(child);
      const state = await env.open();
      try {
        const fired: string[] = [];
        await state.timers.start(async (t) => {
          fired.push(t.id);
        });
        await eventually('timer re-run after the dead claim expired', () => fired.length === 1, 15_000);
        await sleep(800);
        expect(fired).toEqual(['tg:almaty:8:reminder']);
      } finally {
        await state.close();
        await env.cleanup();
      }
    });
  });
}
