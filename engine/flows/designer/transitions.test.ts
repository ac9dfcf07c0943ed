import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { at, loadDefaultScenario } from '../../../scenarios/engine-testkit.ts';
import { initialContext, type ConversationContext } from '../../context.ts';
import type { Effect } from '../../effects.ts';
import type { EngineEvent } from '../../events.ts';
import { machineFor } from '../../machine/machine.ts';
import { pureTransition } from '../../machine/pure.ts';

/**
 * The shipped designer flows as a state table: from a state value (and a context), an event leads
 * to a state value and asks for these effect types. Each row is also run through `step`'s fast
 * path, which must agree with xstate's own `transition()` — flows pass through steps that act on
 * entry and move on at once (`always`), which the fast path has to treat alike.
 */
const s = loadDefaultScenario();
const machine = machineFor(s);
const T = at(0);
const base = initialContext('telegram', 'ru');
const measuring = (slots: Record<string, string>): ConversationContext => ({
  ...base,
  flow: { name: 'measure', slots },
});
const rating: ConversationContext = { ...base, flow: { name: 'satisfaction', slots: {} } };
const withManager: ConversationContext = { ...base, escalationId: 'esc-1', timers: ['silence:1'], seq: 1 };
const text = (t: string): EngineEvent => ({ type: 'text', text: t, at: T });
const choice = (id: string): EngineEvent => ({ type: 'choice', id, at: T });
const at_ = (flow: string, step: string) => ({ flows: { [flow]: step } });

type Row = [from: unknown, ctx: ConversationContext, event: EngineEvent, to: unknown, effects: Effect['type'][]];
const TABLE: Row[] = [
  // started from the menu or by a designer intent
  ['idle', base, choice('menu:measure'), at_('measure', 'address'), ['track', 'reply']],
  [
    'understanding',
    base,
    {
      type: 'understand.done',
      understanding: { intent: { name: 'designer', args: { intent: 'call_measurer' } }, source: 'replay' },
      at: T,
    },
    at_('measure', 'address'),
    ['track', 'reply'],
  ],
  // a one-step answer: said with the menu, the flow over in the same step
  [
    'understanding',
    base,
    {
      type: 'understand.done',
      understanding: { intent: { name: 'designer', args: { intent: 'installment' } }, source: 'replay' },
      at: T,
    },
    'idle',
    ['track', 'reply', 'track'],
  ],
  // questions: answered, asked again, cancelled, handed to a manager
  [at_('measure', 'address'), measuring({}), text('Абая 10'), at_('measure', 'time'), ['reply']],
  [at_('measure', 'address'), measuring({}), text('   '), at_('measure', 'address'), ['reply']],
  [at_('measure', 'time'), measuring({ address: 'Абая 10' }), text('когда-нибудь'), at_('measure', 'time'), ['reply']],
  [at_('measure', 'time'), measuring({ address: 'Абая 10' }), text('завтра 10-12'), at_('measure', 'phone'), ['reply']],
  [
    at_('measure', 'phone'),
    measuring({ address: 'A', time: 'B' }),
    text('+7 912 000 00 00'),
    at_('measure', 'phone'),
    ['reply'],
  ],
  [
    at_('measure', 'phone'),
    measuring({ address: 'A', time: 'B' }),
    text('8 701 123 45 67'),
    'idle',
    ['recordLead', 'reply', 'track'],
  ],
  [at_('measure', 'phone'), measuring({ address: 'A' }), text('отмена'), 'idle', ['reply', 'track']],
  [at_('measure', 'phone'), measuring({ address: 'A' }), choice('cancel'), 'idle', ['reply', 'track']],
  [
    at_('measure', 'phone'),
    measuring({ address: 'A' }),
    choice('m'),
    { escalation: 'requesting' },
    ['escalate', 'track'],
  ],
  [
    at_('measure', 'phone'),
    measuring({ address: 'A' }),
    text('менеджер'),
    { escalation: 'requesting' },
    ['escalate', 'track'],
  ],
  // what a question does not claim, the root does: a menu button leaves the flow
  [at_('measure', 'phone'), measuring({ address: 'A' }), choice('menu:sofas'), { search: 'searching' }, ['search']],
  [
    at_('measure', 'phone'),
    measuring({ address: 'A' }),
    { type: 'voice', ref: 'v', at: T },
    'transcribing',
    ['transcribe'],
  ],
  // the survey after a resolved hand-off, and its question that lets other words go
  [
    { escalation: { withManager: 'talking' } },
    withManager,
    { type: 'manager.resolved', at: T },
    at_('satisfaction', 'rating'),
    ['cancel', 'reply', 'track', 'track', 'reply'],
  ],
  [at_('satisfaction', 'rating'), rating, choice('f:good'), 'idle', ['track', 'reply', 'track']],
  [at_('satisfaction', 'rating'), rating, text('3'), 'idle', ['track', 'reply', 'track']],
  [at_('satisfaction', 'rating'), rating, text('а диваны есть?'), 'understanding', ['track', 'understand']],
  [at_('satisfaction', 'rating'), rating, text('менеджер'), 'understanding', ['track', 'understand']],
  // a cancel button tapped after its question is gone
  ['idle', base, choice('cancel'), 'idle', ['reply']],
];

describe('designer flows: state table', () => {
  it.each(TABLE.map((row, i) => [i, JSON.stringify(row[0]), row[2].type, JSON.stringify(row[3]), row] as const))(
    '#%i %s --%s--> %s',
    (_i, _from, _event, _to, [from, ctx, event, to, effects]) => {
      const snapshot = machine.resolveState({ value: from as never, context: ctx });
      const [next, actions] = transition(machine, snapshot, event);
      expect(next.value).toEqual(to);
      expect(actions.filter((a) => a.type === 'effect').map((a) => (a.params as Effect).type)).toEqual(effects);
      const [fast, fastActions] = pureTransition(
        machine,
        machine.resolveState({ value: from as never, context: ctx }),
        event,
      );
      expect(fast.value).toEqual(next.value);
      expect(fast.context).toEqual(next.context);
      expect(fastActions.map((a) => a.params)).toEqual(actions.map((a) => a.params));
    },
  );
});
