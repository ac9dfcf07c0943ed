import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildScenarioGraph } from './scenarioGraph.ts';

describe('buildScenarioGraph', () => {
  const scenario = parse(readFileSync(new URL('../../../scenarios/default.yaml', import.meta.url), 'utf8')) as unknown;

  it('draws states, intents, menu buttons and their routes without overlaps', () => {
    const g = buildScenarioGraph(scenario, 'en');
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const id of ['state:idle', 'state:understanding', 'state:search', 'state:escalation', 'intent:search_products', 'menu:sofas', 'route:escalate']) expect(ids).toContain(id);
    expect(g.edges.find((e) => e.from === 'intent:smalltalk')?.to).toBe('route:smalltalk');
    expect(g.edges.find((e) => e.from === 'menu:sofas')).toMatchObject({ to: 'route:search', label: 'sofa' });
    expect(g.edges.find((e) => e.from === 'menu:manager')?.to).toBe('route:escalate');
    expect(g.nodes.find((n) => n.id === 'menu:sofas')?.label).toBe('Sofas');
    for (const a of g.nodes) for (const b of g.nodes) if (a !== b && a.x === b.x) expect(Math.abs(a.y - b.y)).toBeGreaterThanOrEqual(a.h);
    for (const e of g.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
  });

  it('follows a changed routing and flags unknown intents', () => {
    const g = buildScenarioGraph({ routing: { smalltalk: 'fallback', unknown: 'fallback', wat: 'search' }, menu: [] });
    expect(g.edges.find((e) => e.from === 'intent:smalltalk')).toMatchObject({ to: 'route:fallback', changed: true });
    // spelling out the default is no change
    expect(g.edges.find((e) => e.from === 'intent:unknown')?.changed).toBeUndefined();
    expect(g.nodes.find((n) => n.id === 'intent:wat')?.label).toBe('wat ?');
  });

  it('survives junk', () => {
    expect(buildScenarioGraph(null).nodes.length).toBeGreaterThan(5);
    expect(buildScenarioGraph({ menu: 'x', routing: 3 }).edges.length).toBeGreaterThan(5);
  });
});
