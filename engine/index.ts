/** The engine's public surface: contracts, `step`, scenario parsing. Pure: no I/O, no clock. */
export * from './catalog.ts';
export * from './intent.ts';
export * from './replies.ts';
export * from './events.ts';
export * from './effects.ts';
export { step, type Persisted, type StepInit, type StepResult } from './step.ts';
export { runEffectLoop, type EffectAnswer, type EffectLoop, type EffectLoopEnd } from './effectLoop.ts';
export * from './scenario/index.ts';
export {
  ContextSchema,
  initialContext,
  clip,
  HISTORY_TEXT_MAX,
  INPUT_TEXT_MAX,
  type ConversationContext,
  type Focus,
  type Pending,
} from './context.ts';
export { machineFor, buildMachine, type EngineMachine } from './machine/machine.ts';
export {
  scenarioGraph,
  ROOT_STATE,
  ALWAYS,
  type ScenarioGraph,
  type GraphTransition,
  type GraphState,
} from './machine/graph.ts';
export { skuFromText } from './flows/skuFromText.ts';
export { managerForward } from './flows/escalation.ts';
export { criteriaFromDescription } from './flows/imageLookup.ts';
