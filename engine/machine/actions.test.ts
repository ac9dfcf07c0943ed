import { describe, expect, it } from 'vitest';
import { enqueueActions, initialTransition, transition } from 'xstate';
import { at, loadDefaultScenario, product } from '../../scenarios/engine-testkit.ts';
import type { ConversationContext } from '../context.ts';
import type { EngineEvent } from '../events.ts';
import { alertActions } from '../flows/priceAlert.ts';
import { dialogueActions } from '../flows/dialogue.ts';
import { escalationActions } from '../flows/escalation.ts';
import { imageActions } from '../flows/imageLookup.ts';
import { searchActions } from '../flows/search.ts';
import { turnActions } from '../flows/turn.ts';
import { machineFor, type EngineMachine } from './machine.ts';
import type { outcomeAction } from './pure.ts';

/** The chart's actions: every one is named, implemented, and defined by exactly one flow. */
type Node = EngineMachine['root'];
type ActionRef = string | { type: string } | ((...args: never[]) => unknown);

function actionsOf(node: Node): ActionRef[] {
  const own = [...node.transitions.values(), node.always ?? []].flat().flatMap((t) => t.actions as ActionRef[]);
  return [
    ...own,
    ...(node.entry as ActionRef[]),
    ...(node.exit as ActionRef[]),
    ...Object.values(node.states).flatMap(actionsOf),
  ];
}

describe('named actions', () => {
  const machine = machineFor(loadDefaultScenario());
  const used = actionsOf(machine.root);

  it('are referred to by name in the machine config, never inline', () => {
    expect(used.length).toBeGreaterThan(50);
    expect(used.filter((a) => typeof a === 'function')).toEqual([]);
  });

  it('each have an implementation in the built machine, and every one defined is used', () => {
    // a scenario without a checkout flow hands «оформить заказ» to a manager: that branch is only in its machine
    const shipped = loadDefaultScenario();
    const { checkout: _checkout, ...flows } = shipped.flows;
    const all = [...used, ...actionsOf(machineFor({ ...shipped, flows }).root)];
    const names = new Set(all.map((a) => (typeof a === 'string' ? a : (a as { type: string }).type)));
    const implemented = Object.keys(machine.implementations.actions);
    expect([...names].filter((n) => !implemented.includes(n))).toEqual([]);
    // `effect` is what the others enqueue; everything else a flow defines is taken by some transition
    expect(implemented.filter((n) => n !== 'effect' && !names.has(n))).toEqual([]);
  });

  it('are defined by one flow each: no flow shadows another’s action', () => {
    const tables = [turnActions, dialogueActions, searchActions, alertActions, imageActions, escalationActions];
    const all = tables.flatMap((t) => Object.keys(t));
    expect(all.filter((n, i) => all.indexOf(n) !== i)).toEqual([]);
  });
});

describe('outcomeAction', () => {
  type Builtin = ReturnType<typeof outcomeAction>;
  const machine = machineFor(loadDefaultScenario());
  // the oracle: each named action's outcome applied through XState's public enqueueActions + assign
  const viaEnqueue = (builtin: Builtin) =>
    enqueueActions(({ context, event, enqueue }, params) => {
      const [next, , effects] = builtin.resolve(
        undefined,
        { context: context as ConversationContext },
        { event: event as EngineEvent },
        params,
      );
      if (next.context !== context) enqueue.assign(() => next.context);
      for (const effect of effects) enqueue(effect as never);
    });
  const oracle = machine.provide({
    actions: Object.fromEntries(
      Object.entries(machine.implementations.actions).map(([name, a]) => [
        name,
        a && 'resolve' in a ? viaEnqueue(a as unknown as Builtin) : a,
      ]),
    ) as never,
  });
  const T = at(0);
  const understood = (intent: object, extra: object = {}) =>
    ({ type: 'understand.done', understanding: { intent, source: 'replay', ...extra }, at: T }) as EngineEvent;
  const EVENTS: EngineEvent[] = [
    { type: 'text', text: 'диван', at: T },
    { type: 'voice', ref: 'v', at: T },
    { type: 'image', ref: 'i', caption: 'SOFA-001', at: T },
    ...[
      'p:SOFA-001',
      'a:SOFA-001',
      'u:SOFA-001',
      'm',
      'more',
      'relax',
      'alert:search',
      'lang:kk',
      'bot',
      'menu:sofas',
    ].map((id): EngineEvent => ({ type: 'choice', id, at: T })),
    { type: 'command', command: 'start', at: T },
    { type: 'command', command: 'start', args: 'SOFA-001', at: T },
    understood({ name: 'search_products', args: { category: 'sofa' }, mode: 'new' }),
    understood({ name: 'thanks' }, { sentiment: 'angry', lang: 'kk' }),
    understood({ name: 'unknown' }),
    { type: 'search.done', items: [product('SOFA-001', 100_000), product('SOFA-002', 120_000)], total: 12, at: T },
    { type: 'search.done', items: [], total: 0, at: T },
    { type: 'lookupSku.done', sku: 'SOFA-001', product: product('SOFA-001', 250_000), at: T },
    { type: 'readImage.done', text: 'SOFA-001', at: T },
    { type: 'escalate.done', escalationId: 'esc-1', at: T },
    { type: 'manager.replied', text: 'Здравствуйте!', at: T },
    { type: 'timer.fired', timerId: 'idle:1', at: T },
    { type: 'createAlert.done', alertId: 'al-1', at: T },
  ];

  it('moves the conversation exactly as enqueueActions with assign would: same state, context (key order too) and effects', () => {
    const input = { channel: 'telegram' as const, lang: 'ru' as const };
    let frontier = [initialTransition(machine, input)[0]];
    let compared = 0;
    for (let depth = 0; depth < 3; depth++) {
      const next: typeof frontier = [];
      for (const snapshot of frontier)
        for (const event of EVENTS) {
          const [a, aActions] = transition(machine, snapshot, event);
          const [b, bActions] = transition(oracle, snapshot, event);
          expect(JSON.stringify([a.value, a.context])).toBe(JSON.stringify([b.value, b.context]));
          expect(aActions.map((x) => [x.type, x.params])).toEqual(bActions.map((x) => [x.type, x.params]));
          compared++;
          if (depth < 2 && next.length < 60) next.push(a!);
        }
      frontier = next;
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
