import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { LANGS, LATER_TEXT_KEYS, scenarioGraph } from '../../engine/index.ts';
import { loadScenarioText } from './load.ts';
import { ScenarioRegistry } from './registry.ts';
import { SHIPPED_SCENARIO } from './shipped.ts';

/**
 * Designer flows as hosts load them: a broken flow saved by a designer is reported with the file,
 * path and reason, and the bots keep the scenario they had; a scenario saved before flows existed
 * still loads.
 */
const SHIPPED = readFileSync(SHIPPED_SCENARIO, 'utf8');
const shipped = loadScenarioText(SHIPPED, 'default.yaml');
if (!shipped.ok) throw new Error('the shipped scenario does not load');
const shippedDoc = () => parseDocument(SHIPPED).toJS() as Record<string, any>;

function registryWith(content: () => string) {
  if (!shipped.ok) throw new Error('unreachable');
  return new ScenarioRegistry({
    files: new Map([['default', shipped.scenario]]),
    overrides: { activeVersions: async () => [{ id: 'default', content: content() }] },
  });
}

describe('a designer flow saved through the panel', () => {
  it('a good edit is served; a broken one is reported and the last good scenario keeps serving', async () => {
    const good = shippedDoc();
    good.version = 2;
    good.flows.measure.steps[4].say.ru = 'Записал! Позвоним на {phone}.';
    let content = JSON.stringify(good);
    const registry = registryWith(() => content);
    expect(await registry.reload()).toEqual([]);
    const served = registry.get('default')!;
    expect(served.version).toBe(2);

    // a question that loops back on itself without asking, and an act that does not exist
    const broken = shippedDoc();
    broken.version = 3;
    broken.flows.installment.steps = [
      { id: 'a', say: { ru: 'a', kk: 'a', en: 'a' }, next: 'b' },
      { id: 'b', act: { sendSms: {} }, next: 'a' },
    ];
    content = JSON.stringify(broken);
    const problems = await registry.reload();
    expect(problems).toContainEqual({
      file: 'database:default',
      path: 'flows.installment.steps.1.act.sendSms',
      message: 'unknown act "sendSms" (known: lead, escalate, remind, search, track, flow, menu, checkout, order)',
    });
    expect(registry.problems).toEqual(problems);
    expect(registry.get('default')).toBe(served);
    expect(registry.forConversation({ channel: 'telegram', city: 'almaty', chatId: '1' })).toBe(served);

    // 10,000 steps: refused, the bots keep running
    const huge = shippedDoc();
    huge.flows.measure.steps = Array.from({ length: 10_000 }, (_, i) => ({
      id: `s${i}`,
      say: { ru: 'x', kk: 'x', en: 'x' },
      next: 'end',
    }));
    content = JSON.stringify(huge);
    const started = performance.now();
    expect(await registry.reload()).toEqual([
      {
        file: 'database:default',
        path: '(document)',
        message: `the scenario is ${content.length} characters; at most 400000 are read`,
      },
    ]);
    expect(performance.now() - started).toBeLessThan(100);
    expect(registry.get('default')).toBe(served);
    // within the document bounds, the engine's own step limit refuses it before checking any step
    huge.flows.measure.steps = huge.flows.measure.steps.slice(0, 2_000);
    content = JSON.stringify(huge);
    expect((await registry.reload()).map((p) => p.path)).toEqual(['flows.measure.steps']);
    expect(registry.get('default')).toBe(served);
  });

  it('a scenario saved before designer flows existed loads, borrowing the way-out words', () => {
    const old = shippedDoc();
    delete old.flows;
    delete old.intents;
    delete old.escalation.afterResolved;
    old.menu = old.menu.filter((m: { action: { flow: string } }) => m.action.flow !== 'designer');
    for (const lang of LANGS) for (const key of LATER_TEXT_KEYS) delete old.texts[lang][key];
    const loaded = loadScenarioText(JSON.stringify(old), 'database:default');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    expect(loaded.scenario.flows).toEqual({});
    expect(loaded.scenario.texts.kk.btnCancel).toBe('✖️ Бас тарту');
    // no flows: the machine has no `flows` state
    expect(scenarioGraph(loaded.scenario).states.some((s) => s.id.startsWith('flows'))).toBe(false);
  });

  it('the diagram draws the shipped flows from the compiled machine', () => {
    if (!shipped.ok) throw new Error('unreachable');
    const graph = scenarioGraph(shipped.scenario);
    const ids = graph.states.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'flows',
        'flows.measure',
        'flows.measure.address',
        'flows.measure.phone',
        'flows.satisfaction.rating',
      ]),
    );
    const from = (state: string, event: string) =>
      graph.transitions.filter((t) => t.from === state && t.event === event).map((t) => t.to);
    expect(graph.transitions.find((t) => t.menu?.includes('measure'))?.to).toBe('flows.measure');
    expect(from('flows.measure.phone', 'text')).toEqual(['idle', 'escalation.requesting', 'flows.measure.save', null]);
    expect(from('flows.measure.save', 'always')).toEqual(['flows.measure.thanks']);
    expect(from('flows.measure.thanks', 'always')).toEqual(['idle']);
    expect(from('escalation.withManager', 'manager.resolved')).toEqual(['flows.satisfaction']);
    expect(graph.transitions.filter((t) => t.designerIntents).map((t) => [t.designerIntents, t.to])).toEqual([
      [['call_measurer'], 'flows.measure'],
      [['installment'], 'flows.installment'],
      [['assembly'], 'flows.assembly'],
    ]);
    const answer = graph.transitions.find((t) => t.from === 'flows.measure.phone' && t.to === 'flows.measure.save');
    expect(answer?.conditions).toEqual([
      { type: 'flowAnswer', params: { slot: 'phone', type: 'phone', remember: true } },
    ]);
  });
});
