import { createActor, type AnyActorScope } from 'xstate';
import type { ConversationContext } from '../context.ts';
import type { Effect } from '../effects.ts';
import type { EngineEvent } from '../events.ts';
import type { EngineMachine } from './machine.ts';

type Snapshot = ReturnType<EngineMachine['resolveState']>;
type Executable = { type: string; params?: unknown };

/**
 * `xstate.transition()` without its per-call overhead. The library builds a throwaway actor —
 * which eagerly computes the machine's initial snapshot — on every call: about half the cost of
 * a step. Our machines spawn no actors and schedule nothing (no invoke, no after, no delayed
 * raise), so one inert scope per machine is equivalent; only the action collector changes per
 * call, and calls are synchronous.
 */
type Scope = AnyActorScope & { actionExecutor: (action: Executable) => void };

/**
 * The scope above and `outcomeAction` below lean on XState internals (the scope's fields,
 * `machine.transition`, the built-in action protocol, the snapshot's shape). They were checked
 * against this version; a test fails on any other until the state table (which compares this path
 * with xstate's own `transition()`) and the action test (which compares `outcomeAction` with
 * `enqueueActions` + `assign`) have been re-run and this line moved.
 */
export const XSTATE_CHECKED = '5.33.3';
const scopes = new WeakMap<EngineMachine, Scope>();

function scopeFor(machine: EngineMachine): Scope {
  let scope = scopes.get(machine);
  if (!scope) {
    const self = createActor(machine, { input: { channel: 'web', lang: 'ru' } });
    scope = {
      self,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      system: self.system,
      emit: () => {},
      actionExecutor: () => {},
    } as unknown as Scope;
    scopes.set(machine, scope);
  }
  return scope;
}

export function pureTransition(
  machine: EngineMachine,
  snapshot: Snapshot,
  event: EngineEvent,
): [Snapshot, Executable[]] {
  const scope = scopeFor(machine);
  const actions: Executable[] = [];
  scope.actionExecutor = (action) => {
    actions.push(action);
  };
  try {
    const next = machine.transition(snapshot, event, scope);
    return [next, actions];
  } finally {
    scope.actionExecutor = () => {};
  }
}

type MachineSnapshot = { context: ConversationContext };
type Resolve = (
  context: ConversationContext,
  event: EngineEvent,
  params: unknown,
) => { context: ConversationContext; effects: readonly Effect[] };

/**
 * A named action as an XState built-in (the protocol `assign` and `enqueueActions` use): `resolve`
 * returns the snapshot with the new context and, to run next, one `effect` action per effect. It
 * does what `enqueueActions` with `enqueue.assign` does, without the dozen closures `enqueueActions`
 * makes per call, the `assign` action made per call and the context copied a second time — so a
 * transition can list several named actions (`['startTurn', 'askUnderstanding']`) for less than
 * one cost that way. A snapshot's `value` and tags follow from its state nodes, which an action
 * does not change: a copy with another context is what `assign` makes.
 */
export function outcomeAction(resolve: Resolve) {
  const action = () => {};
  return Object.assign(action, {
    type: 'zeta.outcome',
    resolve: <S extends MachineSnapshot>(
      _scope: unknown,
      snapshot: S,
      args: { event: EngineEvent },
      params: unknown,
    ): [S, undefined, { type: 'effect'; params: Effect }[]] => {
      const out = resolve(snapshot.context, args.event, params);
      const next = out.context === snapshot.context ? snapshot : { ...snapshot, context: out.context };
      return [next, undefined, out.effects.map((effect) => ({ type: 'effect' as const, params: effect }))];
    },
  });
}
