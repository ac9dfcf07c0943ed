import * as v from 'valibot';
import { initialTransition } from 'xstate';
import type { Channel, Lang } from './catalog.ts';
import type { ConversationContext } from './context.ts';
import type { Effect } from './effects.ts';
import { EventSchema, ResultEventSchema, ShopperEventSchema, SystemEventSchema, type EngineEvent } from './events.ts';
import { machineFor, type EngineMachine } from './machine/machine.ts';
import { pureTransition } from './machine/pure.ts';
import { readPersisted, type Salvaged } from './scenario/migrate.ts';
import type { Scenario } from './scenario/schema.ts';

export type Persisted = {
  scenarioId: string;
  scenarioVersion: number;
  snapshot: { value: unknown; context: ConversationContext };
};
/** used only when there is no persisted conversation yet */
export type StepInit = { channel: Channel; lang?: Lang };
export type StepResult = { persisted: Persisted; effects: Effect[] };

type Snapshot = ReturnType<EngineMachine['resolveState']>;

/**
 * Persisted objects this module made itself, with the machine snapshot they were made from: a host
 * looping effect results back within one turn hands them straight back, and re-validating and
 * re-resolving what was just produced is wasted work. Objects read from storage are new objects
 * and are always validated and resolved. (A cache, not state: `step` stays pure.)
 */
const produced = new WeakMap<object, { scenario: Scenario; snapshot: Snapshot }>();

function persist(scenario: Scenario, snapshot: Snapshot): Persisted {
  const out: Persisted = {
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    snapshot: { value: snapshot.value, context: snapshot.context },
  };
  produced.set(out, { scenario, snapshot });
  return out;
}

/** the machine snapshot `persisted` was made from, when this module made it for `scenario` */
function madeHere(scenario: Scenario, persisted: unknown): Snapshot | undefined {
  if (typeof persisted !== 'object' || persisted === null) return undefined;
  const made = produced.get(persisted);
  return made?.scenario === scenario ? made.snapshot : undefined;
}

/** a new conversation; one that was reset keeps the shopper's cart and known answers */
function fresh(
  machine: EngineMachine,
  scenario: Scenario,
  channel: Channel | undefined,
  lang: Lang | undefined,
  kept: Pick<Salvaged, 'cart' | 'known'> = {},
): Snapshot {
  const [snapshot] = initialTransition(machine, { channel: channel ?? 'web', lang: lang ?? scenario.defaultLang });
  const { cart, known } = kept;
  if (!cart?.length && !known) return snapshot;
  return machine.resolveState({
    value: snapshot.value as never,
    context: { ...snapshot.context, ...(cart?.length ? { cart } : {}), ...(known ? { known } : {}) },
  });
}

function collect(actions: ReadonlyArray<{ type: string; params?: unknown }>): Effect[] {
  const effects: Effect[] = [];
  for (const a of actions) if (a.type === 'effect' && a.params) effects.push(a.params as Effect);
  return effects;
}

type Node = { states: Record<string, Node> };
/** a persisted state value names one path of existing states (our machine has no parallel states) */
function knownValue(node: Node, value: unknown): boolean {
  if (typeof value === 'string') return Object.hasOwn(node.states, value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  const key = keys[0] ?? '';
  return (
    Object.hasOwn(node.states, key) && knownValue(node.states[key] as Node, (value as Record<string, unknown>)[key])
  );
}

const warning = (message: string): Effect => ({ type: 'warning', message });

/** the union's own message is useless ("Expected Object"); ask the family the type belongs to */
function explain(event: unknown): string {
  const type = (event as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') return 'no event type';
  for (const schema of [ShopperEventSchema, ResultEventSchema, SystemEventSchema]) {
    const r = v.safeParse(schema, event);
    const issue = r.issues?.[0];
    const path = issue ? v.getDotPath(issue) : null;
    if (issue && path !== 'type' && path !== null) return `"${type.slice(0, 64)}": ${path} ${issue.message}`;
  }
  return `unknown event type "${type.slice(0, 64)}"`;
}

/**
 * One turn of a conversation: the persisted conversation (or nothing), one event → the new
 * persisted conversation and the effects to execute. Pure and total: it never throws and
 * never reads a clock; bad input becomes a `warning` effect.
 */
export function step(
  scenario: Scenario,
  persisted: Persisted | undefined | unknown,
  event: EngineEvent | unknown,
  init?: StepInit,
): StepResult {
  const machine = machineFor(scenario);
  const warnings: Effect[] = [];

  let snapshot: Snapshot;
  const made = madeHere(scenario, persisted);
  if (made) {
    snapshot = made;
  } else if (persisted === undefined || persisted === null) {
    snapshot = fresh(machine, scenario, init?.channel, init?.lang);
  } else {
    const restored = readPersisted(scenario, persisted);
    if (restored.kind === 'reset') {
      warnings.push(warning(`conversation reset: ${restored.reason}`));
      snapshot = fresh(machine, scenario, restored.channel ?? init?.channel, restored.lang ?? init?.lang, restored);
    } else {
      const what =
        restored.migratedFrom !== undefined
          ? `state of version ${restored.migratedFrom} no longer exists`
          : 'unknown state';
      let resolved: Snapshot | undefined;
      if (knownValue(machine.root as unknown as Node, restored.value)) {
        try {
          resolved = machine.resolveState({ value: restored.value as never, context: restored.context });
        } catch {
          resolved = undefined;
        }
      }
      if (resolved) snapshot = resolved;
      else {
        warnings.push(warning(`conversation reset: ${what} ${JSON.stringify(restored.value)?.slice(0, 120) ?? ''}`));
        snapshot = fresh(machine, scenario, restored.context.channel, restored.context.lang, restored.context);
      }
    }
  }

  const parsed = v.safeParse(EventSchema, event);
  if (!parsed.success) {
    warnings.push(warning(`ignored invalid event: ${explain(event)}`));
    return { persisted: persist(scenario, snapshot), effects: warnings };
  }

  try {
    const [next, actions] = pureTransition(machine, snapshot, parsed.output);
    // a copy with another context is what XState's own `assign` makes of a snapshot
    const stamped: Snapshot = { ...next, context: { ...next.context, lastEventAt: parsed.output.at } };
    return {
      persisted: persist(scenario, stamped),
      effects: [...warnings, ...collect(actions)],
    };
  } catch (error) {
    // a bug in a flow must not take the conversation down: keep the state, say so
    warnings.push(
      warning(`event "${parsed.output.type}" failed: ${String((error as Error).message ?? error).slice(0, 200)}`),
    );
    return { persisted: persist(scenario, snapshot), effects: warnings };
  }
}
