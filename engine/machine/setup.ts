import { setup } from 'xstate';
import type { Channel, Lang } from '../catalog.ts';
import type { ConversationContext } from '../context.ts';
import type { Effect } from '../effects.ts';
import type { EngineEvent, EngineEventType } from '../events.ts';
import type { ActionSignatures } from './actions.ts';
import { guards } from './guards.ts';

export type MachineInput = { channel: Channel; lang: Lang };

/**
 * The typed XState setup every flow builds on. Guards (guards.ts) and actions (actions.ts) are
 * named and parameterised, so the built machine can be read back as a chart. `effect` is a no-op
 * whose params are the effect itself — `step` collects them from `transition()`'s action list, so
 * the machine asks for I/O without ever doing it. The other actions are declared here (names and
 * params) and implemented per scenario: `buildMachine` provides them bound to the scenario's kit.
 */
export const engine = setup({
  types: {
    context: {} as ConversationContext,
    events: {} as EngineEvent,
    input: {} as MachineInput,
  },
  actions: {
    effect: (_args, _params: Effect) => {},
    ...({} as ActionSignatures),
  },
  guards,
});

export type Ctx = ConversationContext;
export type Ev<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;
export { MACHINE_ID } from './stateIds.ts';
