import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseScenario } from './index.ts';

const raw = (): Record<string, unknown> =>
  parse(readFileSync(new URL('../../scenarios/default.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
const fixtureIntents = (): Record<string, unknown> =>
  (
    parse(readFileSync(new URL('../understanding/eval/designer-intents.yaml', import.meta.url), 'utf8')) as {
      intents: Record<string, unknown>;
    }
  ).intents;

const intent = (ru: string[], extra: Record<string, unknown> = {}) => ({
  examples: { ru, kk: ['өлшеушіні шақыру'], en: ['book a measurer'] },
  flow: 'measure',
  ...extra,
});

const errorsOf = (intents: unknown) => {
  const r = parseScenario({ ...raw(), intents });
  return r.ok ? [] : r.errors;
};

describe('scenario intents: section', () => {
  it('loads designer intents in the order they are declared, keywords filled per language', () => {
    const r = parseScenario({ ...raw(), intents: fixtureIntents() });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(Object.keys(r.scenario.intents)).toEqual(['call_measurer', 'installment', 'assembly_delivery']);
    expect(r.scenario.intents.call_measurer!.keywords).toEqual({
      ru: ['замерщик', 'замер'],
      kk: ['өлшеуші'],
      en: ['measurer'],
    });
    expect(r.scenario.intents.call_measurer!.flow).toBe('measure');
  });

  it('a scenario without intents has none', () => {
    const { intents: _none, ...withoutIntents } = raw();
    const r = parseScenario(withoutIntents);
    expect(r.ok && r.scenario.intents).toEqual({});
  });

  it('rejects a bad name, a missing language, an empty or 1 MB example, a bad flow name', () => {
    expect(errorsOf({ 'Call Measurer': intent(['вызвать замерщика']) })).toEqual([
      expect.objectContaining({
        path: 'intents.Call Measurer',
        message: expect.stringContaining('intent name is 1–64'),
      }),
    ]);
    expect(errorsOf({ m: { examples: { ru: ['вызвать замерщика'], en: ['book a measurer'] }, flow: 'x' } })).toEqual([
      expect.objectContaining({ path: 'intents.m.examples.kk' }),
    ]);
    expect(errorsOf({ m: intent([]) })).toEqual([
      expect.objectContaining({ path: 'intents.m.examples.ru', message: 'at least one example' }),
    ]);
    expect(errorsOf({ m: intent(['x'.repeat(1_000_000)]) })).toEqual([
      expect.objectContaining({ path: 'intents.m.examples.ru.0', message: 'at most 200 characters' }),
    ]);
    expect(errorsOf({ m: intent(['вызвать замерщика'], { flow: 'Measure!' }) })).toEqual([
      expect.objectContaining({ path: 'intents.m.flow' }),
    ]);
    expect(errorsOf({ m: intent(['вызвать замерщика'], { keywords: { ru: ['x'] } }) })).toEqual([
      expect.objectContaining({ path: 'intents.m.keywords.ru.0' }),
    ]);
  });

  it('at most 100 designer intents', () => {
    const many = Object.fromEntries(
      Array.from({ length: 101 }, (_, i) => [
        `topic${i}`,
        intent([`тема${'абвгдежзиклмнопрстуфхцчшщэюя'[i % 28]}${i}`]),
      ]),
    );
    expect(errorsOf(many)).toEqual([
      expect.objectContaining({ path: 'intents', message: 'at most 100 designer intents' }),
    ]);
  });
});

describe('every example is run through the rules brain at load', () => {
  it('an example a built-in intent takes is an error naming both', () => {
    expect(errorsOf({ call_measurer: intent(['позовите менеджера для замера']) })).toEqual([
      {
        path: 'intents.call_measurer.examples.ru.0',
        message:
          'example "позовите менеджера для замера" of "call_measurer" is understood as built-in intent "escalate_to_manager"',
      },
    ]);
  });

  it('an example another designer intent takes is an error naming both', () => {
    const intents = {
      delivery: intent(['доставка мебели'], { keywords: { ru: ['доставка'] } }),
      assembly: intent(['сборка мебели', 'доставка и сборка']),
    };
    expect(errorsOf(intents)).toEqual([
      expect.objectContaining({
        path: 'intents.assembly.examples.ru.1',
        message: 'example "доставка и сборка" of "assembly" is understood as designer intent "delivery"',
      }),
      // the shared kk/en examples: the earlier intent wins the tie
      expect.objectContaining({
        path: 'intents.assembly.examples.kk.0',
        message: expect.stringContaining('"delivery"'),
      }),
      expect.objectContaining({
        path: 'intents.assembly.examples.en.0',
        message: expect.stringContaining('"delivery"'),
      }),
    ]);
  });

  it('an example of nothing but built-in and filler words is an error', () => {
    expect(errorsOf({ helpdesk: intent(['помощь пожалуйста']) })).toEqual([
      expect.objectContaining({
        path: 'intents.helpdesk.examples.ru.0',
        message: expect.stringContaining('is understood as built-in intent "help"'),
      }),
    ]);
    expect(errorsOf({ vague: intent(['а можно?']) })).toEqual([
      expect.objectContaining({ path: 'intents.vague.examples.ru.0', message: expect.stringContaining('nothing') }),
    ]);
  });

  it('keywords are checked alone the same way', () => {
    expect(errorsOf({ call_measurer: intent(['вызвать замерщика'], { keywords: { ru: ['менеджер'] } }) })).toEqual([
      {
        path: 'intents.call_measurer.keywords.ru.0',
        message: 'keyword "менеджер" of "call_measurer" is understood as built-in intent "escalate_to_manager"',
      },
    ]);
    const both = {
      delivery: intent(['доставка мебели'], { keywords: { ru: ['доставка'] } }),
      assembly: {
        examples: { ru: ['сборка шкафа'], kk: ['жинап беру'], en: ['assembly'] },
        keywords: { ru: ['доставка'] },
      },
    };
    expect(errorsOf(both)).toEqual([
      expect.objectContaining({
        path: 'intents.assembly.keywords.ru.0',
        message: 'keyword "доставка" of "assembly" is understood as designer intent "delivery"',
      }),
    ]);
  });
});
