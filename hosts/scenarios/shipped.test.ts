import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { CHANNEL_TEXT_KEYS, channelTexts, LANGS, ORDER_TEXT_KEYS, RUNTIME_TEXT_KEYS } from '../../engine/index.ts';
import { loadScenarioText } from './load.ts';
import { ScenarioRegistry } from './registry.ts';
import { SHIPPED_SCENARIO } from './shipped.ts';

/** A designer's scenario saved before the channel words were scenario texts. */
function savedBeforeChannelTexts(edits: (texts: Record<string, Record<string, string>>) => void = () => {}): string {
  const doc = parseDocument(readFileSync(SHIPPED_SCENARIO, 'utf8')).toJS() as {
    id: string;
    texts: Record<string, Record<string, string>>;
  };
  doc.id = 'designer';
  for (const lang of LANGS)
    for (const key of [...CHANNEL_TEXT_KEYS, ...ORDER_TEXT_KEYS, ...RUNTIME_TEXT_KEYS]) delete doc.texts[lang]![key];
  edits(doc.texts);
  return JSON.stringify(doc);
}

describe('a stored scenario without the channel words', () => {
  const shipped = loadScenarioText(readFileSync(SHIPPED_SCENARIO, 'utf8'), 'default.yaml');
  if (!shipped.ok) throw new Error('the shipped scenario does not load');

  it('loads from the database, borrowing every missing channel word from the shipped default', async () => {
    const registry = new ScenarioRegistry({
      files: new Map([['default', shipped.scenario]]),
      overrides: { activeVersions: async () => [{ id: 'designer', content: savedBeforeChannelTexts() }] },
      assignment: () => 'designer',
    });
    expect(await registry.reload()).toEqual([]);
    const designer = registry.forConversation({ channel: 'whatsapp', city: 'almaty', chatId: '1' });
    expect(designer.id).toBe('designer');
    for (const lang of LANGS) expect(channelTexts(designer, lang)).toEqual(channelTexts(shipped.scenario, lang));
    expect(channelTexts(designer, 'kk').channelInStock).toBe('Қоймада бар');
    // the order news came later still: borrowed the same way
    for (const lang of LANGS)
      for (const key of ORDER_TEXT_KEYS) expect(designer.texts[lang][key]).toBe(shipped.scenario.texts[lang][key]);
    // and the runtime's own words (the calm text of a dead-lettered message)
    for (const lang of LANGS)
      for (const key of RUNTIME_TEXT_KEYS) expect(designer.texts[lang][key]).toBe(shipped.scenario.texts[lang][key]);
  });

  it('keeps the channel words a designer did write', () => {
    const loaded = loadScenarioText(
      savedBeforeChannelTexts((texts) => {
        texts.en!.channelSku = 'Item code';
      }),
      'designer.json',
    );
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    expect(channelTexts(loaded.scenario, 'en')).toMatchObject({ channelSku: 'Item code', channelInStock: 'In stock' });
  });
});
