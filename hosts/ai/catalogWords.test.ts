import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_TAXONOMY } from '../../engine/testing/demoTaxonomy.ts';
import type { Taxonomy } from '../../engine/taxonomy.ts';
import { catalogWords, type CatalogWords } from './catalogWords.ts';
import { createAi } from './createAi.ts';
import type { UnderstandInput } from './ports.ts';
import { jsonContentReply, startFakeOpenAI, toolCallReply, type FakeOpenAI } from './testing/fakeOpenAI.ts';
import { TEST_KEY } from './testing/harness.ts';

/**
 * The model is offered the retailer's own categories, colours and materials — the enums of its
 * tools and of the vision answer come from the taxonomy, are rebuilt with it, and an answer naming
 * a slug the catalog does not have is refused (the rules brain answers instead).
 */

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

/** the demo taxonomy with a category and a colour the retailer added */
const RETAILER: Taxonomy = {
  categories: [
    ...DEMO_TAXONOMY.categories,
    { slug: 'bookcases', names: { ru: 'Стеллажи для книг', en: 'Bookcases' }, synonyms: ['стеллаж для книг'] },
  ],
  attributes: DEMO_TAXONOMY.attributes.map((a) =>
    a.kind === 'enum' && a.key === 'color'
      ? { ...a, values: [...a.values, { value: 'graphite', names: { ru: 'Графитовый' }, synonyms: [] }] }
      : a,
  ),
};

type SearchTool = {
  function: {
    name: string;
    parameters: { properties: Record<string, { enum?: string[]; description?: string }> };
  };
};
const searchTool = () =>
  (fake.requests.at(-1)!.json as { tools: SearchTool[] }).tools.find((t) => t.function.name === 'search_products')!
    .function.parameters.properties;
const input = (text: string): UnderstandInput => ({ text, lang: 'ru', history: [], city: 'almaty' });

describe('the OpenAI tools list the catalog’s terms', () => {
  let words: CatalogWords = catalogWords(DEMO_TAXONOMY);
  const connected = () =>
    createAi({
      apiKey: TEST_KEY,
      baseURL: fake.baseURL,
      retryBaseMs: 1,
      words: () => words,
      getSystemPrompt: () => '',
    });

  it('offers the taxonomy’s slugs with their names, and the next call after a catalog change offers the new ones', async () => {
    const brain = connected().brain;
    fake.enqueue('chat', toolCallReply('search_products', { category: 'shelf' }));
    await brain.understand(input('стеллаж'));
    expect(searchTool().category!.enum).toEqual(DEMO_TAXONOMY.categories.map((c) => c.slug));
    expect(searchTool().category!.enum).not.toContain('bookcases');

    words = catalogWords(RETAILER);
    fake.enqueue('chat', toolCallReply('search_products', { category: 'bookcases', color: 'graphite' }));
    const u = await brain.understand(input('графитовый стеллаж для книг'));
    expect(searchTool().category!.enum).toContain('bookcases');
    expect(searchTool().category!.description).toContain('bookcases: Стеллажи для книг / Bookcases');
    expect(searchTool().color!.enum).toContain('graphite');
    expect(searchTool().material!.enum).toEqual(expect.arrayContaining(['velour', 'oak']));
    expect(u).toMatchObject({
      source: 'openai',
      intent: { name: 'search_products', args: { category: 'bookcases', color: 'graphite' } },
    });
  });

  it('refuses a slug the catalog does not have: the rules brain reads the same words instead', async () => {
    words = catalogWords(RETAILER);
    fake.enqueue('chat', toolCallReply('search_products', { category: 'sofa_beds', color: 'graphite' }));
    const u = await connected().brain.understand(input('графитовый стеллаж для книг'));
    expect(u.source).toBe('rules');
    expect(u.usage?.fallback).toBe('invalid_args');
    expect(u.intent).toMatchObject({ name: 'search_products', args: { category: 'bookcases', color: 'graphite' } });
  });

  it('the vision answer’s enums are the taxonomy’s, and an answer outside them is no description', async () => {
    words = catalogWords(RETAILER);
    const vision = connected().vision!;
    fake.enqueue(
      'chat',
      jsonContentReply({ category: 'bookcases', color: 'graphite', material: null, style: null, text: null }),
      jsonContentReply({ category: 'sofa_beds', color: null, material: null, style: null, text: null }),
    );
    expect(await vision.describe(new Uint8Array([0xff, 0xd8, 0xff]), 'image/jpeg')).toEqual({
      category: 'bookcases',
      color: 'graphite',
    });
    const schema = (
      fake.requests.at(-1)!.json as {
        response_format: { json_schema: { schema: { properties: Record<string, { enum: unknown[] }> } } };
      }
    ).response_format.json_schema.schema.properties;
    expect(schema.category!.enum).toContain('bookcases');
    expect(schema.color!.enum).toEqual(expect.arrayContaining(['graphite', null]));
    expect(await vision.describe(new Uint8Array([0xff, 0xd8, 0xff]), 'image/jpeg')).toBeNull();
  });
});
