import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eventually, sleep } from './harness.ts';
import type { StateBackend, StateBackendOptions } from '../index.ts';

/**
 * Crash scenarios: a child process is SIGKILLed (no close, no flush) holding accepted messages and
 * timers — once between turns, once in the middle of a timer handler. The next process must lose
 * nothing and fire each timer once.
 */

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
export const FAST_RECOVERY: StateBackendOptions['timers'] = {
  pollMs: 100,
  claimMs: 600,
  retryMs: 200,
  retryDelayMs: 200,
};

function runChild(config: object, until: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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

export type CrashCase = {
  name: string;
  /** start-up is slow (PGlite on disk): run only the first scenario; the SQL is covered on PostgreSQL */
  slow?: boolean;
  setup(): Promise<{ childConfig: object; open(): Promise<StateBackend>; cleanup(): Promise<void> }>;
};

export function crashSuite(c: CrashCase) {
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
    }, 90_000);

    // PGlite on disk runs the same SQL as embedded PostgreSQL but starts in ~20 s: this one runs on the faster backends only
    (c.slow ? () => undefined : it)(
      're-runs, once, a timer whose handler was running when the process died',
      async () => {
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
      },
      90_000,
    );
  });
}
