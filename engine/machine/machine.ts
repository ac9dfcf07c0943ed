import { alertRootOn, alertStates } from '../flows/priceAlert.ts';
import { dialogueStates } from '../flows/dialogue.ts';
import { escalationStates } from '../flows/escalation.ts';
import { imageStates } from '../flows/imageLookup.ts';
import { inputTransitions } from '../flows/input.ts';
import { routingTransitions } from '../flows/routing.ts';
import { searchStates } from '../flows/search.ts';
import { initialContext } from '../context.ts';
import type { Scenario } from '../scenario/schema.ts';
import { makeKit } from './kit.ts';
import { engine, MACHINE_ID } from './setup.ts';

/** One machine per scenario object; guards and actions close over the scenario. */
export function buildMachine(scenario: Scenario) {
  const k = makeKit(scenario);
  const dialogue = dialogueStates(k);
  return engine.createMachine({
    id: MACHINE_ID,
    // XState builds a throwaway initial snapshot (without input) on every pure `transition()`
    context: ({ input }) => initialContext(input?.channel ?? 'web', input?.lang ?? scenario.defaultLang),
    initial: 'idle',
    on: { ...inputTransitions(k), ...alertRootOn(k) },
    states: {
      idle: dialogue.idle,
      understanding: { ...dialogue.understanding, on: { ...dialogue.understanding.on, ...routingTransitions(k) } },
      transcribing: dialogue.transcribing,
      recommending: dialogue.recommending,
      search: searchStates(k),
      image: imageStates(k),
      escalation: escalationStates(k),
      alerts: alertStates(k),
    },
  });
}

export type EngineMachine = ReturnType<typeof buildMachine>;

const cache = new WeakMap<Scenario, EngineMachine>();

export function machineFor(scenario: Scenario): EngineMachine {
  let machine = cache.get(scenario);
  if (!machine) {
    machine = buildMachine(scenario);
    cache.set(scenario, machine);
  }
  return machine;
}
