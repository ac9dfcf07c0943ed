import { afterEach, describe, expect, it } from 'vitest';
import type { DueTimer, StateBackend } from '../types.ts';
import { eventually, sleep, type BackendHarness, type StateEnv } from './harness.ts';

export function timerContract(harness: BackendHarness) {
  describe(`TimerQueue (${harness.name})`, () => {
    // each test gets its own namespace: a started queue handles every timer in it
    const opened: StateBackend[] = [];
    const envs: StateEnv[] = [];
    async function fresh() {
      const env = await harness.env();
      envs.push(env);
      const open = async () => {
        const backend = await env.open();
        opened.push(backend);
        return backend;
      };
      return { env, open };
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((b) => b.close()));
      await Promise.all(envs.splice(0).map((e) => e.cleanup()));
    });
    const inMs = (ms: number) => new Date(Date.now() + ms);

    it('fires a due timer once with its payload and due time', async () => {
      const { open } = await fresh();
      const state = await open();
      const fired: DueTimer[] = [];
      await state.timers.start(async (t) => {
        fired.push(t);
      });
      const dueAt = inMs(150);
      await state.timers.schedule('telegram:almaty:1:idle', dueAt, '{"kind":"idle"}');
      await eventually('timer', () => fired.length === 1);
      await sleep(300);
      expect(fired).toEqual([{ id: 'telegram:almaty:1:idle', payload: '{"kind":"idle"}', dueAt }]);
    });

    it('replaces a timer scheduled again under the same id', async () => {
      const { open } = await fresh();
      const state = await open();
      const fired: string[] = [];
      await state.timers.start(async (t) => {
        fired.push(`${t.id}=${t.payload}`);
      });
      await state.timers.schedule('c1:reminder', inMs(150), 'first');
      await state.timers.schedule('c1:reminder', inMs(250), 'second');
      await eventually('replacement', () => fired.length >= 1);
      await sleep(300);
      expect(fired).toEqual(['c1:reminder=second']);
    });

    it('does not fire a cancelled timer', async () => {
      const { open } = await fresh();
      const state = await open();
      const fired: string[] = [];
      await state.timers.start(async (t) => {
        fired.push(t.id);
      });
      await state.timers.schedule('c2:cancelled', inMs(100), 'x');
      await state.timers.cancel('c2:cancelled');
      await state.timers.cancel('never-scheduled');
      await state.timers.schedule('c2:sentinel', inMs(250), 'y');
      await eventually('sentinel', () => fired.includes('c2:sentinel'));
      expect(fired).toEqual(['c2:sentinel']);
    });

    it('fires timers scheduled before start, including ones already due', async () => {
      const { open } = await fresh();
      const state = await open();
      await state.timers.schedule('c3:past', new Date(Date.now() - 60_000), 'past');
      await state.timers.schedule('c3:soon', inMs(100), 'soon');
      const fired: string[] = [];
      await state.timers.start(async (t) => {
        fired.push(t.id);
      });
      await eventually('both timers', () => fired.length === 2);
      expect(fired.sort()).toEqual(['c3:past', 'c3:soon']);
    });

    it('fires once, after a restart, a timer that fell due while no process ran', async () => {
      const { open } = await fresh();
      const before = await open();
      await before.timers.schedule('c4:while-down', inMs(100), 'down');
      await before.close();
      await sleep(300);
      const fired: string[] = [];
      // two processes come up together: still exactly one firing
      const [a, b] = [await open(), await open()];
      await Promise.all([
        a.timers.start(async (t) => {
          fired.push(`a:${t.id}`);
        }),
        b.timers.start(async (t) => {
          fired.push(`b:${t.id}`);
        }),
      ]);
      await eventually('timer after restart', () => fired.length >= 1);
      await sleep(400);
      expect(fired).toHaveLength(1);
      expect(fired[0]).toMatch(/^[ab]:c4:while-down$/);
    });

    it('retries a timer whose handler failed, then fires it no more', async () => {
      const { open } = await fresh();
      const state = await open();
      let calls = 0;
      await state.timers.start(async () => {
        calls++;
        if (calls === 1) throw new Error('send failed');
      });
      await state.timers.schedule('c5:flaky', inMs(50), 'x');
      await eventually('retry', () => calls === 2, 15_000);
      await sleep(300);
      expect(calls).toBe(2);
    });

    it('stop() halts firing; timers wait for the next start', async () => {
      const { open } = await fresh();
      const state = await open();
      const fired: string[] = [];
      await state.timers.start(async (t) => {
        fired.push(t.id);
      });
      await state.timers.stop();
      await state.timers.schedule('c6:later', inMs(50), 'x');
      await sleep(250);
      expect(fired).toEqual([]);
      await state.timers.start(async (t) => {
        fired.push(t.id);
      });
      await eventually('timer after start', () => fired.length === 1);
    });
  });
}
