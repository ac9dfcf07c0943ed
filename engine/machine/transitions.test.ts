import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { initialContext, type ConversationContext } from '../context.ts';
import type { EngineEvent } from '../events.ts';
import type { Effect } from '../effects.ts';
import { at, loadDefaultScenario, product } from '../../scenarios/engine-testkit.ts';
import { machineFor } from './machine.ts';
import { pureTransition, XSTATE_CHECKED } from './pure.ts';

/**
 * Pure transitions as data: from a state value (and a context), an event leads to a state
 * value and asks for these effect types. Read top to bottom, this is the engine's state table.
 */
const s = loadDefaultScenario();
const machine = machineFor(s);
const T = at(0);
const base = initialContext('telegram', 'ru');
const withResults: ConversationContext = {
  ...base,
  criteria: { category: 'sofa' },
  page: 1,
  total: 12,
  shownMin: 100_000,
  shownMax: 190_000,
  timers: ['idle:1'],
  seq: 1,
};
const withFocus: ConversationContext = {
  ...base,
  focus: { productId: 'p1', sku: 'SOFA-001', name: 'Диван', price: 250_000 },
};
const withManager: ConversationContext = { ...base, escalationId: 'esc-1', timers: ['sla:1'], seq: 1 };
const withSilence: ConversationContext = { ...base, escalationId: 'esc-1', timers: ['sla:1', 'silence:2'], seq: 2 };
const understood = (
  intent: Extract<EngineEvent, { type: 'understand.done' }>['understanding']['intent'],
  extra: object = {},
): EngineEvent =>
  ({ type: 'understand.done', understanding: { intent, source: 'replay', ...extra }, at: T }) as EngineEvent;

type Row = [from: unknown, ctx: ConversationContext, event: EngineEvent, to: unknown, effects: Effect['type'][]];
const TABLE: Row[] = [
  ['idle', base, { type: 'text', text: 'диван', at: T }, 'understanding', ['understand']],
  ['idle', withResults, { type: 'text', text: 'ещё', at: T }, 'understanding', ['cancel', 'understand']],
  ['idle', base, { type: 'text', text: '   ', at: T }, 'idle', ['reply']],
  ['idle', base, { type: 'voice', ref: 'v', at: T }, 'transcribing', ['transcribe']],
  ['idle', base, { type: 'image', ref: 'i', at: T }, { image: 'reading' }, ['readImage']],
  ['idle', base, { type: 'command', command: 'start', at: T }, 'recommending', ['reply', 'track', 'recommend']],
  ['idle', base, { type: 'choice', id: 'p:SOFA-001', at: T }, { search: 'details' }, ['lookupSku']],
  ['idle', base, { type: 'choice', id: 'a:SOFA-001', at: T }, { alerts: 'lookingUp' }, ['lookupSku']],
  ['idle', withFocus, { type: 'choice', id: 'a:SOFA-001', at: T }, { alerts: 'creating' }, ['createAlert']],
  ['idle', base, { type: 'choice', id: 'u:SOFA-001', at: T }, 'idle', ['cancelAlert', 'reply', 'track']],
  ['idle', base, { type: 'choice', id: 'm', at: T }, { escalation: 'requesting' }, ['escalate', 'track']],
  ['idle', withResults, { type: 'choice', id: 'more', at: T }, { search: 'searching' }, ['cancel', 'search']],
  ['idle', base, { type: 'choice', id: 'more', at: T }, 'idle', ['reply']],
  ['idle', withResults, { type: 'timer.fired', timerId: 'idle:1', at: T }, 'idle', ['reply', 'track']],
  ['idle', withResults, { type: 'timer.fired', timerId: 'idle:0', at: T }, 'idle', []],
  ['idle', base, { type: 'search.done', items: [], total: 0, at: T }, 'idle', []],
  ['idle', base, { type: 'manager.resolved', at: T }, 'idle', []],
  [
    'understanding',
    base,
    understood({ name: 'search_products', args: { category: 'sofa' }, mode: 'new' }),
    { search: 'searching' },
    ['search'],
  ],
  ['understanding', base, understood({ name: 'search_products', args: {}, mode: 'new' }), 'idle', ['reply']],
  [
    'understanding',
    base,
    understood({ name: 'get_product', args: { sku: 'BED-001' } }),
    { search: 'details' },
    ['lookupSku'],
  ],
  ['understanding', withResults, understood({ name: 'more' }), { search: 'searching' }, ['search']],
  ['understanding', base, understood({ name: 'create_price_alert', args: {} }), 'idle', ['reply']],
  [
    'understanding',
    withFocus,
    understood({ name: 'create_price_alert', args: {} }),
    { alerts: 'creating' },
    ['createAlert'],
  ],
  [
    'understanding',
    base,
    understood({ name: 'create_price_alert', args: { sku: 'BED-001' } }),
    { alerts: 'lookingUp' },
    ['lookupSku'],
  ],
  [
    'understanding',
    base,
    understood({ name: 'escalate_to_manager', args: { reason: 'x' } }),
    { escalation: 'requesting' },
    ['escalate', 'track'],
  ],
  [
    'understanding',
    base,
    understood({ name: 'thanks' }, { sentiment: 'angry' }),
    { escalation: 'requesting' },
    ['escalate', 'track'],
  ],
  ['understanding', base, understood({ name: 'unknown' }), 'idle', ['reply', 'track']],
  ['understanding', { ...base, failedTurns: 2 }, understood({ name: 'unknown' }), 'idle', ['reply', 'track']],
  ['understanding', base, understood({ name: 'forget_preferences' }), 'idle', ['forgetPreferences', 'reply']],
  ['understanding', base, { type: 'effect.failed', effect: 'understand', reason: 'x', at: T }, 'idle', ['reply']],
  ['understanding', base, { type: 'effect.failed', effect: 'track', reason: 'x', at: T }, 'understanding', []],
  [
    { search: 'searching' },
    withResults,
    { type: 'search.done', items: [product('SOFA-001', 1)], total: 12, at: T },
    'idle',
    ['reply', 'reply', 'reply', 'track', 'cancel', 'schedule'],
  ],
  [{ search: 'searching' }, base, { type: 'search.done', items: [], total: 0, at: T }, 'idle', ['reply', 'track']],
  [
    { search: 'details' },
    base,
    { type: 'lookupSku.done', sku: 'SOFA-001', product: product('SOFA-001', 1), at: T },
    'idle',
    ['reply', 'track'],
  ],
  [
    { image: 'reading' },
    { ...base, pending: { ref: 'i' } },
    { type: 'readImage.done', text: 'арт. SOFA-001', at: T },
    { image: 'lookingUp' },
    ['lookupSku'],
  ],
  [
    { image: 'reading' },
    { ...base, pending: { ref: 'i' } },
    { type: 'readImage.done', text: '', at: T },
    { image: 'describing' },
    ['describeImage'],
  ],
  [
    { image: 'lookingUp' },
    { ...base, pending: { ref: 'i', sku: 'SOFA-001' } },
    { type: 'lookupSku.done', sku: 'SOFA-001', product: null, at: T },
    { image: 'describing' },
    ['describeImage'],
  ],
  [
    { image: 'describing' },
    { ...base, pending: { ref: 'i' } },
    { type: 'describeImage.done', description: { category: 'bed' }, at: T },
    { search: 'searching' },
    ['search'],
  ],
  [
    { image: 'describing' },
    { ...base, pending: { ref: 'i' } },
    { type: 'describeImage.done', description: null, at: T },
    'idle',
    ['reply', 'track'],
  ],
  [
    { escalation: 'requesting' },
    base,
    { type: 'escalate.done', escalationId: 'esc-1', at: T },
    { escalation: { withManager: 'waiting' } },
    ['reply', 'schedule', 'schedule'],
  ],
  [
    { escalation: 'requesting' },
    base,
    {
      type: 'escalate.done',
      escalationId: 'esc-1',
      afterHours: { opensAt: at(600), inDays: 1, time: '09:00', date: '02.03' },
      at: T,
    },
    { escalation: { withManager: 'waiting' } },
    ['reply', 'track', 'schedule'],
  ],
  [
    { escalation: 'requesting' },
    base,
    { type: 'effect.failed', effect: 'escalate', reason: 'x', at: T },
    'idle',
    ['reply'],
  ],
  [
    { escalation: { withManager: 'waiting' } },
    withManager,
    { type: 'text', text: 'алло', at: T },
    { escalation: { withManager: 'waiting' } },
    ['forwardToManager', 'schedule'],
  ],
  [
    { escalation: { withManager: 'waiting' } },
    withSilence,
    { type: 'choice', id: 'bot', at: T },
    'idle',
    ['cancel', 'cancel', 'closeEscalation', 'reply', 'track'],
  ],
  [
    { escalation: { withManager: 'talking' } },
    withSilence,
    { type: 'command', command: 'start', at: T },
    'idle',
    ['cancel', 'cancel', 'closeEscalation', 'reply', 'track'],
  ],
  [
    { escalation: { withManager: 'talking' } },
    withSilence,
    { type: 'timer.fired', timerId: 'silence:2', at: T },
    'idle',
    ['cancel', 'closeEscalation', 'reply', 'track'],
  ],
  [
    { escalation: { withManager: 'talking' } },
    withSilence,
    { type: 'timer.fired', timerId: 'silence:1', at: T },
    { escalation: { withManager: 'talking' } },
    [],
  ],
  ['idle', base, { type: 'choice', id: 'bot', at: T }, 'idle', ['reply']],
  [
    { escalation: { withManager: 'waiting' } },
    withManager,
    { type: 'timer.fired', timerId: 'sla:1', at: T },
    { escalation: { withManager: 'waiting' } },
    ['reply', 'track'],
  ],
  [
    { escalation: { withManager: 'waiting' } },
    withManager,
    { type: 'manager.replied', text: 'Здравствуйте', at: T },
    { escalation: { withManager: 'talking' } },
    ['cancel', 'schedule', 'reply'],
  ],
  [
    { escalation: { withManager: 'talking' } },
    { ...withManager, timers: [] },
    { type: 'timer.fired', timerId: 'sla:1', at: T },
    { escalation: { withManager: 'talking' } },
    [],
  ],
  [
    { escalation: { withManager: 'talking' } },
    { ...withManager, timers: [] },
    { type: 'manager.resolved', at: T },
    // the shipped scenario's satisfaction question (escalation.afterResolved)
    { flows: { satisfaction: 'rating' } },
    ['reply', 'track', 'track', 'reply'],
  ],
  [
    { escalation: { withManager: 'talking' } },
    withManager,
    { type: 'price.dropped', product: product('SOFA-001', 1), oldPrice: 2, newPrice: 1, at: T },
    { escalation: { withManager: 'talking' } },
    ['reply', 'reply', 'track'],
  ],
  [
    { alerts: 'lookingUp' },
    { ...base, pending: { alert: 'product', sku: 'SOFA-001' } },
    { type: 'lookupSku.done', sku: 'SOFA-001', product: product('SOFA-001', 1), at: T },
    { alerts: 'creating' },
    ['createAlert'],
  ],
  [{ alerts: 'creating' }, withFocus, { type: 'createAlert.done', alertId: 'a1', at: T }, 'idle', ['reply', 'track']],
  ['transcribing', base, { type: 'transcribe.done', text: 'диван', at: T }, 'understanding', ['understand']],
  ['transcribing', base, { type: 'transcribe.done', text: null, at: T }, 'idle', ['reply']],
  ['recommending', base, { type: 'recommend.done', items: [], at: T }, 'idle', []],
];

describe('state table', () => {
  it.each(TABLE.map((row, i) => [i, JSON.stringify(row[0]), row[2].type, JSON.stringify(row[3]), row] as const))(
    '#%i %s --%s--> %s',
    (_i, _from, _event, _to, [from, ctx, event, to, effects]) => {
      const snapshot = machine.resolveState({ value: from as never, context: ctx });
      const [next, actions] = transition(machine, snapshot, event);
      expect(next.value).toEqual(to);
      expect(actions.filter((a) => a.type === 'effect').map((a) => (a.params as Effect).type)).toEqual(effects);
      // step's faster path gives exactly the same result as xstate's own transition()
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

describe('the fast path', () => {
  it('is pinned to the xstate version it was checked against', () => {
    const installed = (createRequire(import.meta.url)('xstate/package.json') as { version: string }).version;
    expect(installed).toBe(XSTATE_CHECKED);
  });
});
