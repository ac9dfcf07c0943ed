import { setup } from 'xstate';
import type { Channel, Lang } from '../catalog.ts';
import type { ConversationContext } from '../context.ts';
import type { Effect } from '../effects.ts';
import type { EngineEvent, EngineEventType } from '../events.ts';
import { guards } from './guards.ts';

export type MachineInput = { channel: Channel; lang: Lang };

/**
 * The typed XState setup every flow builds on. The only named action is `effect`: a no-op whose
 * params are the effect itself — `step` collects them from `transition()`'s action list,
 * so the machine asks for I/O without ever doing it. Guards are named and parameterised
 * (guards.ts), so the built machine can be read back as a diagram.
 */
export const engine = setup({
  types: {
    context: {} as ConversationContext,
    events: {} as EngineEvent,
    input: {} as MachineInput,
  },
  actions: {
    effect: (_args, _params: Effect) => {},
  },
  guards,
});

export type Ctx = ConversationContext;
export type Ev<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;
export { MACHINE_ID } from './stateIds.ts';
