import { engine } from '../setup.ts';
import type { Kit } from '../kit.ts';
import { IDLE } from '../stateIds.ts';
import { replyWithMenu, turn } from './refs.ts';

/** What no flow claims: last in every decision, never a dead end. */
export function fallbackDecisions(k: Kit) {
  return engine.createStateConfig({
    on: {
      choice: [{ target: IDLE, actions: turn(replyWithMenu('fallback')) }],
      // /help and anything unknown
      command: [{ target: IDLE, actions: turn(replyWithMenu('help')) }],
      // stale or foreign: forget it quietly
      'timer.fired': [{ actions: 'forgetTimer' }],
      // from the N-th misunderstanding in a row the manager is offered, never handed over unasked
      'understand.done': [
        {
          guard: { type: 'failedTurns', params: { max: k.s.escalation.maxFailedTurns } },
          target: IDLE,
          actions: ['followLanguage', 'offerManager'],
        },
        { target: IDLE, actions: ['followLanguage', 'misunderstood'] },
      ],
    },
  }).on;
}
