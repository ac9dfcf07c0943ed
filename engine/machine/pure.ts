import { createActor, type AnyActorScope } from 'xstate';
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
 * The scope above leans on XState internals (the scope's fields, `machine.transition`). It was
 * checked against this version; a test fails on any other until the state table, which compares
 * this path with xstate's own `transition()`, has been re-run and this line moved.
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
