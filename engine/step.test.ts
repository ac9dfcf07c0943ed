import { describe, expect, it } from 'vitest';
import { parseScenario, type Scenario } from './scenario/index.ts';
import { step } from './step.ts';
import { at, Convo, loadDefaultScenario, ofType, search, texts, types } from '../scenarios/engine-testkit.ts';

const s = loadDefaultScenario();
const bytes = (x: unknown) => new TextEncoder().encode(JSON.stringify(x)).length;

describe('step: bad input never throws', () => {
  it('ignores invalid and unknown events with a warning, keeping the conversation', () => {
    const c = new Convo(s);
    c.send({ type: 'command', command: 'start' });
    const before = c.persisted;
    for (const junk of [
      null,
      undefined,
      42,
      'hi',
      {},
      { type: 'teleport', at: at() },
      { type: 'text', text: 5, at: at() },
      { type: 'text', text: 'hi', at: 'yesterday' },
    ]) {
      const out = step(s, before, junk);
      expect(types(out.effects)).toEqual(['warning']);
      expect(out.persisted).toEqual(before);
    }
    const out = step(s, before, { type: 'text', text: 5, at: at() });
    expect(ofType(out.effects, 'warning')[0]?.message).toContain('text');
    expect(ofType(step(s, before, { type: 'teleport', at: at() }).effects, 'warning')[0]?.message).toContain(
      'unknown event type "teleport"',
    );
  });

  it('handles empty, huge, emoji-only, zero-width and mixed-script text', () => {
    const c = new Convo(s);
    expect(texts(c.send({ type: 'text', text: '' }))[0]).toBe(s.texts.ru.fallback);
    expect(texts(c.send({ type: 'text', text: '\u200B\u200D\uFEFF' }))[0]).toBe(s.texts.ru.fallback);
    const huge = c.send({ type: 'text', text: 'диван '.repeat(2_000) });
    const u = ofType(huge, 'understand')[0];
    expect(u?.text.length).toBeLessThanOrEqual(1_001);
    expect(bytes(c.persisted)).toBeLessThan(4_096);
    expect(types(c.send({ type: 'text', text: '🛋️🛋️😍' }))).toContain('understand');
    expect(types(c.send({ type: 'text', text: 'Диван sofa қызыл 💺' }))).toContain('understand');
    const emoji = '😀'.repeat(5_000);
    const e = ofType(c.send({ type: 'text', text: emoji }), 'understand')[0];
    expect(e?.text).toBeDefined();
    expect(() => encodeURIComponent(e?.text ?? '')).not.toThrow(); // no lone surrogate
  });

  it('resets a corrupted or foreign snapshot to a safe state with a warning, and still handles the event', () => {
    const good = new Convo(s);
    good.send({ type: 'command', command: 'start' });
    const cases: unknown[] = [
      'garbage',
      17,
      [],
      {},
      { scenarioId: 'default' },
      { ...good.persisted, scenarioId: 'other-bot' },
      { ...good.persisted, snapshot: { value: 'idle', context: { lang: 'xx' } } },
      { ...good.persisted, snapshot: { value: 'noSuchState', context: good.persisted?.snapshot.context } },
      { ...good.persisted, snapshot: { value: { search: 'nowhere' }, context: good.persisted?.snapshot.context } },
      ...[
        5,
        [],
        null,
        true,
        '__proto__',
        'toString',
        { constructor: 'x' },
        { search: 'searching', image: 'reading' },
        { idle: 'x' },
      ].map((value) => ({ ...good.persisted, snapshot: { value, context: good.persisted?.snapshot.context } })),
    ];
    for (const bad of cases) {
      const out = step(s, bad, { type: 'text', text: 'привет', at: at() }, { channel: 'whatsapp' });
      expect(types(out.effects)[0]).toBe('warning');
      expect(types(out.effects)).toContain('understand');
      expect(out.persisted.scenarioId).toBe('default');
      expect(out.persisted.snapshot.value).toBe('understanding');
    }
    // channel and language survive a reset when they can be read
    const foreign = { ...good.persisted, scenarioId: 'other-bot' };
    expect(step(s, foreign, { type: 'text', text: 'x', at: at() }).persisted.snapshot.context.channel).toBe('telegram');
  });

  it('migrates a snapshot of an older scenario version when its state still exists, else resets', () => {
    const c = new Convo(s);
    c.say('диван', search({ category: 'sofa' }));
    const raw = structuredClone(parseScenarioRaw());
    const v2 = parseScenario({ ...raw, version: 2, context: { telegram: 2 } });
    if (!v2.ok) throw new Error('v2 invalid');
    const out = step(v2.scenario, c.persisted, { type: 'search.done', items: [], total: 0, at: at() });
    expect(types(out.effects)).not.toContain('warning');
    expect(out.persisted.scenarioVersion).toBe(2);
    expect(out.persisted.snapshot.context.criteria).toEqual({ category: 'sofa' });
    expect(out.persisted.snapshot.context.history.length).toBeLessThanOrEqual(3);
    const old = {
      ...c.persisted,
      scenarioVersion: 1,
      snapshot: { ...c.persisted?.snapshot, value: { retired: 'state' } },
    };
    const reset = step(v2.scenario, old, { type: 'text', text: 'hi', at: at() });
    expect(ofType(reset.effects, 'warning')[0]?.message).toContain('version 1');
    expect(reset.persisted.snapshot.value).toBe('understanding');
  });

  it('stays bounded: 1000 turns keep the persisted JSON under 4 KB', () => {
    const c = new Convo(s, { channel: 'whatsapp' });
    for (let i = 0; i < 1_000; i++) {
      c.say(
        `синий диван номер ${i} подешевле пожалуйста`,
        search({ category: 'sofa', color: 'blue' }, 'refine', 'cheaper'),
      );
      c.send({
        type: 'search.done',
        items: [
          {
            id: `${i}`,
            sku: `SOFA-${i}`,
            name: `Диван ${i} с длинным названием для проверки`,
            price: 100_000 + i,
            currency: 'KZT',
            available: true,
          },
        ],
        total: 12,
      });
    }
    expect(c.ctx.history.length).toBeLessThanOrEqual(10);
    expect(c.ctx.timers.length).toBeLessThanOrEqual(1);
    expect(bytes(c.persisted)).toBeLessThanOrEqual(4_096);
  });

  it('is deterministic: same input, same output', () => {
    const a = step(s, undefined, { type: 'command', command: 'start', at: at() }, { channel: 'web', lang: 'en' });
    const b = step(s, undefined, { type: 'command', command: 'start', at: at() }, { channel: 'web', lang: 'en' });
    expect(a).toEqual(b);
    expect(texts(a.effects)[0]).toBe(s.texts.en.greeting);
  });
});

function parseScenarioRaw(): Record<string, unknown> {
  // rebuild a raw scenario from the parsed one (texts, menu, routing are already plain data)
  const x: Scenario = s;
  return {
    id: x.id,
    version: x.version,
    name: x.name,
    defaultLang: x.defaultLang,
    languageNames: x.languageNames,
    // designer flows are kept compiled, not as written: the rebuild leaves their menu items out
    menu: x.menu.filter((m) => m.action.flow !== 'designer'),
    texts: x.texts,
    routing: x.routing,
  };
}
