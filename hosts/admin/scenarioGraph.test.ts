import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioGraph } from '../../engine/index.ts';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { listActiveScenarios } from '../../storage/repos/scenarios.ts';
import { loadScenarioDir } from '../scenarios/load.ts';
import { ScenarioRegistry } from '../scenarios/registry.ts';
import { createAdminHarness, type AdminHarness } from './testing.ts';

const SCENARIO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');
const DEFAULT_YAML = readFileSync(join(SCENARIO_DIR, 'default.yaml'), 'utf8');
/** the default file with one more line in its routing table */
const routing = (line: string) => DEFAULT_YAML.replace(/^routing:\n/m, `routing:\n  ${line}\n`);

/** where an intent can go: each transition of `understand.done` it can reach, as target + conditions */
const pathsOf = (graph: ScenarioGraph, intent: string) =>
  graph.transitions
    .filter((t) => t.event === 'understand.done' && t.intents?.includes(intent as never))
    .map(
      (t) =>
        `${t.conditions.map((c) => (c.type === 'route' ? `route:${String(c.params?.route)}` : c.type)).join('+') || 'otherwise'} → ${t.to}`,
    );

describe.each(TEST_BACKENDS)('the served scenario graph on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await createAdminHarness(kind);
    const { scenarios: files } = await loadScenarioDir(SCENARIO_DIR);
    h.deps.scenarios = new ScenarioRegistry({
      files,
      overrides: { activeVersions: () => listActiveScenarios(h.t.db) },
    });
    h.deps.scenarioDir = SCENARIO_DIR;
  });
  afterAll(async () => h.close());

  const served = async () =>
    (
      (await (await h.call('GET', '/scenarios/default', { as: 'designer' })).json()) as {
        scenario: { graph: ScenarioGraph };
      }
    ).scenario.graph;

  it('follows the routing table: a draft and a saved change move the intent in the machine', async () => {
    const before = await served();
    expect(pathsOf(before, 'smalltalk')).toEqual(['angry → escalation.requesting', 'route:smalltalk → idle']);
    expect(pathsOf(before, 'thanks')).toEqual(['angry → escalation.requesting', 'route:thanks → idle']);

    // a draft is drawn from its own machine, and nothing is saved
    const draft = (await (
      await h.call('POST', '/scenarios/validate', { as: 'designer', body: { content: routing('thanks: fallback') } })
    ).json()) as { ok: boolean; graph: ScenarioGraph };
    expect(draft.ok).toBe(true);
    expect(pathsOf(draft.graph, 'thanks')).toEqual([
      'angry → escalation.requesting',
      'failedTurns → idle',
      'otherwise → idle',
    ]);
    expect(draft.graph.intents.find((i) => i.name === 'thanks')).toEqual({
      name: 'thanks',
      route: 'fallback',
      changed: true,
    });
    expect(pathsOf(await served(), 'thanks')).toEqual(pathsOf(before, 'thanks'));

    // saving the change: the served graph is the new machine's
    const saved = await h.call('PUT', '/scenarios/default', {
      as: 'designer',
      body: { content: DEFAULT_YAML.replace('smalltalk: smalltalk', 'smalltalk: escalate') },
    });
    expect(saved.status).toBe(200);
    const after = await served();
    expect(pathsOf(after, 'smalltalk')).toEqual([
      'angry → escalation.requesting',
      'route:escalate → escalation.requesting',
    ]);
    expect(after.transitions.find((t) => t.conditions[0]?.params?.route === 'smalltalk')?.intents).toEqual([]);
    expect(after.intents.find((i) => i.name === 'smalltalk')).toEqual({
      name: 'smalltalk',
      route: 'escalate',
      changed: true,
    });
    expect(pathsOf(after, 'thanks')).toEqual(pathsOf(before, 'thanks'));
  });

  it('draws designer flows: the shipped ones, a draft with a new flow, and refuses a broken flow with its path', async () => {
    const states = (g: ScenarioGraph) => g.states.map((st) => st.id);
    expect(states(await served())).toEqual(
      expect.arrayContaining(['flows.measure.address', 'flows.satisfaction.rating']),
    );

    // a two-question flow added by a designer, drawn from the draft's own machine
    const flow = [
      '  sample:',
      '    steps:',
      '      - id: fabric',
      '        ask: { slot: fabric, type: text, text: { ru: Ткань?, kk: Мата?, en: Fabric? }, reask: { ru: Ткань!, kk: Мата!, en: Fabric! } }',
      '        next: phone',
      '      - id: phone',
      '        ask: { slot: phone, type: phone, text: { ru: Телефон?, kk: Телефон?, en: Phone? }, reask: { ru: Номер!, kk: Нөмір!, en: Number! } }',
      '        next: save',
      '      - id: save',
      '        act: { lead: {} }',
      '        next: end',
    ].join('\n');
    const draft = DEFAULT_YAML.replace(/^flows:\n/m, `flows:\n${flow}\n`);
    const drawn = (await (
      await h.call('POST', '/scenarios/validate', { as: 'designer', body: { content: draft } })
    ).json()) as { ok: boolean; graph: ScenarioGraph };
    expect(drawn.ok).toBe(true);
    expect(states(drawn.graph)).toEqual(expect.arrayContaining(['flows.sample.fabric', 'flows.sample.phone']));
    expect(drawn.graph.transitions.find((t) => t.from === 'flows.sample.save' && t.event === 'always')?.to).toBe(
      'idle',
    );

    // a step nothing leads to: refused with the file, the path and the reason
    const broken = draft.replace(
      '        next: end\n',
      '        next: end\n      - id: lost\n        act: { menu: {} }\n',
    );
    const refused = (await (
      await h.call('POST', '/scenarios/validate', { as: 'designer', body: { content: broken, file: 'draft.yaml' } })
    ).json()) as { ok: boolean; errors: { file: string; path: string; reason: string }[] };
    expect(refused.ok).toBe(false);
    expect(refused.errors).toEqual([
      {
        file: 'draft.yaml',
        path: 'flows.sample.steps.3',
        reason: 'step "lost" is unreachable: no step of flow "sample" leads to it',
      },
    ]);
  });

  it('is for designers only', async () => {
    expect((await h.call('GET', '/scenarios/default', { as: 'viewer' })).status).toBe(403);
  });
});
