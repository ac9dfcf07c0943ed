import { describe, expect, it } from 'vitest';
import type { Effect } from './effects.ts';
import type { EngineEvent } from './events.ts';
import { runEffectLoop, type EffectAnswer } from './effectLoop.ts';

const AT = '2026-11-26T10:00:00.000Z';

describe('the effect loop the runtime and transcript replay share', () => {
  it('steps the engine with each result in the order the effects were answered; a reply adds none', async () => {
    const stepped: string[] = [];
    const end = await runEffectLoop(
      {
        maxSteps: 20,
        step(event) {
          stepped.push(event.type === 'text' ? event.text : event.type);
          if (event.type !== 'text' || event.text !== 'a') return [];
          return [
            { type: 'reply', reply: { type: 'text', text: 'ищу' } },
            { type: 'warning', message: 'first' },
            { type: 'track', name: 'second' },
          ] as Effect[];
        },
        perform(effect: Effect, cause: EngineEvent): EffectAnswer {
          if (effect.type === 'reply') return null;
          return { type: 'text', text: effect.type === 'warning' ? 'then a' : 'then b', at: cause.at };
        },
      },
      { type: 'text', text: 'a', at: AT },
    );
    expect(end).toEqual({ kind: 'done' });
    expect(stepped).toEqual(['a', 'then a', 'then b']);
  });

  it('stops at maxSteps when results keep feeding each other, and when an answer says stop', async () => {
    const ping: EngineEvent = { type: 'timer.fired', timerId: 't', at: AT };
    const endless = await runEffectLoop(
      { maxSteps: 3, step: () => [{ type: 'warning', message: 'again' }], perform: () => ping },
      ping,
    );
    expect(endless).toEqual({ kind: 'tooManySteps' });

    let steps = 0;
    const stopped = await runEffectLoop(
      {
        maxSteps: 3,
        step: () => {
          steps++;
          return [{ type: 'warning', message: 'a' }];
        },
        perform: () => ({ stop: 'recorded result does not fit' }),
      },
      ping,
    );
    expect(stopped).toEqual({ kind: 'stopped', reason: 'recorded result does not fit' });
    expect(steps).toBe(1);
  });
});
