import { describe, expect, it } from 'vitest';
import { Convo, loadDefaultScenario, texts } from '../../scenarios/engine-testkit.ts';
import type { Scenario } from '../scenario/schema.ts';
import { ROOT_STATE, scenarioGraph, type GraphTransition } from './graph.ts';

const s = loadDefaultScenario();
const edit = (patch: Partial<Scenario>): Scenario => ({ ...s, ...patch });
const routed = (g: ReturnType<typeof scenarioGraph>, intent: string) =>
  g.transitions.filter((t) => t.event === 'understand.done' && t.intents?.includes(intent as never));
const brief = (t: GraphTransition) => ({ to: t.to, conditions: t.conditions.map((c) => c.type) });

describe('scenarioGraph', () => {
  const g = scenarioGraph(s);

  it('lists the machine’s states, nested ones under their parent, with the initial child marked', () => {
    const ids = g.states.map((st) => st.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'idle',
        'understanding',
        'search.searching',
        'search.details',
        'escalation.withManager.talking',
        'alerts.creating',
      ]),
    );
    expect(g.states.find((st) => st.id === 'escalation.withManager.waiting')).toMatchObject({
      parent: 'escalation.withManager',
      initial: true,
      leaf: true,
    });
    expect(g.states.find((st) => st.id === 'idle')).toMatchObject({ parent: null, initial: true });
    // every transition starts and ends at a listed state (or the root, or stays put)
    for (const t of g.transitions) {
      expect([ROOT_STATE, ...ids]).toContain(t.from);
      if (t.to !== null) expect(ids).toContain(t.to);
    }
  });

  it('reads every guard back as a named condition with its params', () => {
    const conditions = g.transitions.flatMap((t) => t.conditions);
    expect(conditions.filter((c) => c.type === 'inline')).toEqual([]);
    expect(g.transitions.find((t) => t.from === 'search.searching' && t.event === 'effect.failed')?.conditions).toEqual(
      [{ type: 'effectFailed', params: { effect: 'search' } }],
    );
    expect(
      g.transitions.find((t) => t.from === ROOT_STATE && t.event === 'command' && t.to === 'escalation.requesting')
        ?.conditions,
    ).toEqual([{ type: 'command', params: { names: ['manager', 'operator'] } }]);
    expect(
      g.transitions.find((t) => t.event === 'understand.done' && t.conditions.some((c) => c.type === 'failedTurns'))
        ?.conditions[0]?.params,
    ).toEqual({ max: s.escalation.maxFailedTurns });
  });

  it('places each intent on the transitions its route leads to, in the machine’s order', () => {
    expect(routed(g, 'search_products').map(brief)).toEqual([
      { to: 'escalation.requesting', conditions: ['angry'] },
      { to: 'search.details', conditions: ['route', 'skuOrPrice', 'searchCriteria'] },
      { to: 'search.searching', conditions: ['route', 'searchCriteria'] },
      { to: 'idle', conditions: ['route'] },
    ]);
    // what no route claims falls to the fallback: the manager offered after too many, the menu otherwise
    expect(routed(g, 'unknown').map(brief)).toEqual([
      { to: 'escalation.requesting', conditions: ['angry'] },
      { to: 'idle', conditions: ['failedTurns'] },
      { to: 'idle', conditions: [] },
    ]);
    expect(g.intents.every((i) => !i.changed)).toBe(true);
  });

  it('follows a change of routing: the intent leaves its route and reaches the fallback', () => {
    const changed = scenarioGraph(edit({ routing: { ...s.routing, smalltalk: 'fallback', thanks: 'escalate' } }));
    expect(routed(changed, 'smalltalk').map(brief)).toEqual([
      { to: 'escalation.requesting', conditions: ['angry'] },
      { to: 'idle', conditions: ['failedTurns'] },
      { to: 'idle', conditions: [] },
    ]);
    expect(changed.transitions.find((t) => t.conditions[0]?.params?.route === 'smalltalk')?.intents).toEqual([]);
    expect(routed(changed, 'thanks').map((t) => t.to)).toEqual(['escalation.requesting', 'escalation.requesting']);
    expect(changed.intents.filter((i) => i.changed)).toEqual([
      { name: 'thanks', route: 'escalate', changed: true },
      { name: 'smalltalk', route: 'fallback', changed: true },
    ]);

    // and the conversation goes where the graph says
    const c = new Convo(edit({ routing: { ...s.routing, smalltalk: 'fallback' } }));
    c.send({ type: 'command', command: 'start' });
    expect(texts(c.say('как дела?', { name: 'smalltalk' }))).toEqual([s.texts.ru.fallback]);
  });

  it('leaves out what the scenario switches off and follows menu buttons to their flow', () => {
    const calm = scenarioGraph(
      edit({ escalation: { ...s.escalation, onAngry: false }, recommend: { ...s.recommend, limit: 0 } }),
    );
    expect(calm.transitions.some((t) => t.conditions.some((c) => c.type === 'angry'))).toBe(false);
    expect(calm.transitions.some((t) => t.to === 'recommending')).toBe(false);
    expect(g.transitions.some((t) => t.to === 'recommending')).toBe(true);

    const searchItems = s.menu.filter((m) => m.action.flow === 'search').map((m) => m.id);
    const menuTo = (graph: typeof g, id: string) =>
      graph.transitions.filter((t) => t.menu?.includes(id)).map((t) => t.to);
    for (const id of searchItems) expect(menuTo(g, id)).toHaveLength(1);
    const manager = s.menu.find((m) => m.action.flow === 'escalation')!;
    expect(menuTo(g, manager.id)).toEqual(['escalation.requesting']);
    const moved = scenarioGraph(
      edit({ menu: s.menu.map((m) => (m.id === manager.id ? { ...m, action: { flow: 'help' as const } } : m)) }),
    );
    expect(menuTo(moved, manager.id)).toEqual(['idle']);
    expect(moved.menu.find((m) => m.id === manager.id)).toMatchObject({ flow: 'help', label: manager.label });
  });
});
