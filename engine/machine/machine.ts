import { alertStates } from '../flows/priceAlert.ts';
import { dialogueStates } from '../flows/dialogue.ts';
import { escalationStates } from '../flows/escalation.ts';
import { imageStates } from '../flows/imageLookup.ts';
import { searchStates } from '../flows/search.ts';
import { designerStates } from '../flows/designer/states.ts';
import { cartStates } from '../flows/cart.ts';
import { orderStates } from '../flows/orderStatus.ts';
import { initialContext } from '../context.ts';
import type { Scenario } from '../scenario/schema.ts';
import { actionsFor } from './actions.ts';
import { decisions } from './decisions/index.ts';
import { makeKit } from './kit.ts';
import { engine, MACHINE_ID } from './setup.ts';

/**
 * One machine per scenario object: the root decisions (decisions/) and each flow's states, with
 * the named actions bound to the scenario. Guards read the scenario from their params.
 */
export function buildMachine(scenario: Scenario) {
  const k = makeKit(scenario);
  const dialogue = dialogueStates();
  const { root, understood } = decisions(k);
  const flows = designerStates(k);
  return engine
    .createMachine({
      id: MACHINE_ID,
      // XState builds a throwaway initial snapshot (without input) on every pure `transition()`
      context: ({ input }) => initialContext(input?.channel ?? 'web', input?.lang ?? scenario.defaultLang),
      initial: 'idle',
      on: root,
      states: {
        idle: dialogue.idle,
        understanding: {
          ...dialogue.understanding,
          on: { ...dialogue.understanding.on, 'understand.done': understood },
        },
        transcribing: dialogue.transcribing,
        recommending: dialogue.recommending,
        search: searchStates(),
        image: imageStates(),
        escalation: escalationStates(k),
        alerts: alertStates(),
        cart: cartStates(),
        orders: orderStates(),
        // designer flows (scenario `flows:`), only when the scenario has some
        ...(flows ? { flows } : {}),
      },
    })
    .provide({ actions: actionsFor(k) });
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
