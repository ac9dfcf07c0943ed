import { describe, expect, it } from 'vitest';
import { scenarioGraph } from '../../../engine/index.ts';
import { loadDefaultScenario } from '../../../scenarios/engine-testkit.ts';
import type { ScenarioGraph } from '../api/types.ts';
import { describeCondition, layoutMachine } from './machineDiagram.ts';

// the graph exactly as the server serves it (GET /scenarios/:id)
const served = (patch = {}): ScenarioGraph =>
  JSON.parse(JSON.stringify(scenarioGraph({ ...loadDefaultScenario(), ...patch }))) as ScenarioGraph;
const edgesFrom = (d: ReturnType<typeof layoutMachine>, id: string) =>
  d.edges.filter((e) => e.from === id).map((e) => ({ to: e.to, label: e.label, changed: e.changed }));

describe('layoutMachine', () => {
  const d = layoutMachine(served(), 'en');

  it('draws states, the intents and menu buttons that lead out of them, and where they go, without overlaps', () => {
    const ids = new Set(d.nodes.map((n) => n.id));
    for (const id of [
      'from:*',
      'from:understanding',
      'intent:smalltalk',
      'menu:sofas',
      'to:idle',
      'to:search.searching',
      'to:escalation.requesting',
    ])
      expect(ids).toContain(id);
    expect(d.nodes.find((n) => n.id === 'menu:sofas')?.label).toBe('Sofas');
    expect(edgesFrom(d, 'menu:sofas')).toEqual([{ to: 'to:search.searching', label: undefined, changed: undefined }]);
    expect(edgesFrom(d, 'intent:search_products')).toEqual([
      // a lone bare number: a product code when the catalog has it, else a price
      { to: 'to:search.details', label: 'skuOrPrice + searchCriteria', changed: undefined },
      { to: 'to:search.searching', label: 'searchCriteria', changed: undefined },
      { to: 'to:idle', label: 'otherwise', changed: undefined },
    ]);
    // the manager is only offered after misses in a row: every way out of an unknown intent stays idle, one arrow
    expect(edgesFrom(d, 'intent:unknown')).toEqual([{ to: 'to:idle', label: undefined, changed: undefined }]);
    for (const e of d.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
    for (const a of d.nodes)
      for (const b of d.nodes) if (a !== b && a.x === b.x) expect(Math.abs(a.y - b.y)).toBeGreaterThanOrEqual(a.h);
  });

  it('moves an intent with the routing and marks the change', () => {
    const base = served();
    const changed = layoutMachine(
      served({ routing: { ...Object.fromEntries(base.intents.map((i) => [i.name, i.route])), smalltalk: 'escalate' } }),
      'en',
    );
    expect(edgesFrom(d, 'intent:smalltalk')).toEqual([{ to: 'to:idle', label: undefined, changed: undefined }]);
    expect(edgesFrom(changed, 'intent:smalltalk')).toEqual([
      { to: 'to:escalation.requesting', label: undefined, changed: true },
    ]);
    expect(changed.nodes.find((n) => n.id === 'intent:smalltalk')?.label).toBe('smalltalk → escalate');
  });

  it('draws the designer flows from the compiled machine: their steps, answers and starts', () => {
    const ids = new Set(d.nodes.map((n) => n.id));
    for (const id of [
      'from:flows.measure.phone',
      'to:flows.measure',
      'to:flows.measure.save',
      'intent:designer:installment',
    ])
      expect(ids).toContain(id);
    expect(d.nodes.find((n) => n.id === 'menu:measure')?.label).toBe('Book a measurer');
    expect(edgesFrom(d, 'menu:measure')).toEqual([{ to: 'to:flows.measure', label: undefined, changed: undefined }]);
    expect(edgesFrom(d, 'intent:designer:call_measurer')).toEqual([
      { to: 'to:flows.measure', label: undefined, changed: undefined },
    ]);
    const phoneText = d.edges.filter((e) => e.from === 'on:flows.measure.phone:text').map((e) => [e.to, e.label]);
    expect(phoneText).toContainEqual(['to:flows.measure.save', 'answers phone (phone)']);
    expect(phoneText).toContainEqual(['to:idle', 'cancel']);
  });

  it('says what each condition means in a few words', () => {
    expect(describeCondition({ type: 'flowAnswer', params: { slot: 'phone', type: 'phone' } })).toBe(
      'answers phone (phone)',
    );
    expect(describeCondition({ type: 'slotEquals', params: { slot: 'kind', equals: 'sofa' } })).toBe('kind = sofa');
    expect(describeCondition({ type: 'command', params: { names: ['lang', 'language'] } })).toBe('/lang /language');
    expect(describeCondition({ type: 'effectFailed', params: { effect: 'search' } })).toBe('search failed');
    expect(describeCondition({ type: 'route', params: { route: 'search', intents: [] } })).toBeNull();
  });
});
