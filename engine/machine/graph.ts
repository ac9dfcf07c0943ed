import { and, not, or } from 'xstate';
import type { Lang } from '../catalog.ts';
import type { IntentName } from '../intent.ts';
import { DEFAULT_ROUTING, INTENT_NAMES, type Route } from '../scenario/routes.ts';
import type { Scenario } from '../scenario/schema.ts';
import { machineFor, type EngineMachine } from './machine.ts';

/**
 * The scenario's machine as data, read from the built XState machine itself: its states, every
 * transition with its event, target and named guard conditions, and — from the guards' params —
 * the intents and menu buttons each transition takes. A change to the scenario's routing moves
 * intents between transitions here because it moves them in the machine.
 */
export type Condition = { type: string; params?: Record<string, unknown>; of?: Condition[] };
export type GraphState = { id: string; key: string; parent: string | null; initial: boolean; leaf: boolean };
export type GraphTransition = {
  /** state id; `ROOT_STATE` for transitions every state takes unless it overrides the event */
  from: string;
  /** null: the conversation stays where it is */
  to: string | null;
  event: string;
  /** position among the event's transitions of `from`: the first whose conditions hold wins */
  order: number;
  /** all must hold (an `and` guard is spread out here) */
  conditions: Condition[];
  /** `understand.done` only: the intents that can reach this transition */
  intents?: IntentName[];
  /** `understand.done` to a designer flow: the scenario's designer intents that start it */
  designerIntents?: string[];
  /** menu buttons this transition answers */
  menu?: string[];
};
export type ScenarioGraph = {
  scenario: { id: string; version: number; name: string };
  states: GraphState[];
  transitions: GraphTransition[];
  intents: { name: IntentName; route: Route; changed: boolean }[];
  menu: { id: string; flow: string; label: Partial<Record<Lang, string>> }[];
};

export const ROOT_STATE = '*';
/** the event name of a transition taken as soon as its state is entered (XState `always`) */
export const ALWAYS = 'always';

type Node = EngineMachine['root'];
type GuardValue = unknown;
type Combinator = { check: unknown; guards?: GuardValue | GuardValue[] };

const COMBINATORS = new Map<unknown, string>([
  [(and([]) as unknown as Combinator).check, 'and'],
  [(or([]) as unknown as Combinator).check, 'or'],
  [(not('x') as unknown as Combinator).check, 'not'],
]);

function conditionsOf(guard: GuardValue): Condition[] {
  if (guard === undefined) return [];
  if (typeof guard === 'string') return [{ type: guard }];
  if (typeof guard === 'function') {
    const combinator = COMBINATORS.get((guard as unknown as Combinator).check);
    const inner = (guard as unknown as Combinator).guards ?? [];
    const parts = (Array.isArray(inner) ? inner : [inner]).flatMap(conditionsOf);
    if (combinator === 'and') return parts;
    if (combinator) return [{ type: combinator, of: parts }];
    // an inline function: legal XState, but it cannot be read back; the test keeps there being none
    return [{ type: 'inline' }];
  }
  const { type, params } = guard as { type: string; params?: Record<string, unknown> };
  return params === undefined ? [{ type }] : [{ type, params: { ...params } }];
}

const idOf = (node: Node) => (node.path.length === 0 ? ROOT_STATE : node.path.join('.'));

export function scenarioGraph(scenario: Scenario, machine: EngineMachine = machineFor(scenario)): ScenarioGraph {
  const states: GraphState[] = [];
  const transitions: GraphTransition[] = [];

  const visit = (node: Node) => {
    const id = idOf(node);
    if (node.path.length > 0) {
      const parent = node.parent;
      states.push({
        id,
        key: node.key,
        parent: parent && parent.path.length > 0 ? idOf(parent) : null,
        initial: parent?.initial?.target.includes(node) ?? false,
        leaf: Object.keys(node.states).length === 0,
      });
    }
    // `always`: a designer flow's step that does its work and moves on without waiting (event ALWAYS)
    const all = node.always ? [...node.transitions, [ALWAYS, node.always] as const] : [...node.transitions];
    for (const [event, list] of all) {
      // intents and menu buttons an earlier transition takes unconditionally never reach later ones
      const claimedIntents = new Set<string>();
      const claimedMenu = new Set<string>();
      list.forEach((t, order) => {
        const conditions = conditionsOf(t.guard);
        const target = t.target?.[0];
        const item: GraphTransition = { from: id, to: target ? idOf(target) : null, event, order, conditions };
        const outright = conditions.length === 1;
        const designer = conditions.find((c) => c.type === 'designerIntent');
        if (designer) {
          item.intents = ['designer'];
          item.designerIntents = [...(designer.params?.intents as string[])];
        } else if (event === 'understand.done') {
          const route = conditions.find((c) => c.type === 'route');
          const intents = route ? (route.params?.intents as IntentName[]) : INTENT_NAMES;
          item.intents = intents.filter((n) => !claimedIntents.has(n));
          if (route && outright) for (const n of intents) claimedIntents.add(n);
        }
        const menu = conditions.find((c) => c.type === 'menuItem');
        if (menu) {
          const items = menu.params?.items as string[];
          item.menu = items.filter((m) => !claimedMenu.has(m));
          if (outright) for (const m of items) claimedMenu.add(m);
        }
        transitions.push(item);
      });
    }
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);

  return {
    scenario: { id: scenario.id, version: scenario.version, name: scenario.name },
    states,
    transitions,
    intents: INTENT_NAMES.map((name) => ({
      name,
      route: scenario.routing[name],
      changed: scenario.routing[name] !== DEFAULT_ROUTING[name],
    })),
    menu: scenario.menu.map((m) => ({ id: m.id, flow: m.action.flow, label: { ...m.label } })),
  };
}
