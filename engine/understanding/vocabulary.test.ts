import { describe, expect, it } from 'vitest';
import type { SearchArgs } from '../intent.ts';
import type { Taxonomy } from '../taxonomy.ts';
import { DEMO_TAXONOMY } from '../testing/demoTaxonomy.ts';
import { buildVocabulary, understandText, type Vocabulary } from './index.ts';

/** the demo taxonomy with what a retailer added: a category tree branch, a colour, a style attribute */
const RETAILER: Taxonomy = {
  categories: [
    ...DEMO_TAXONOMY.categories,
    {
      slug: 'bookcases',
      parent: 'shelf',
      names: { ru: 'Стеллажи для книг', kk: 'Кітап сөрелері', en: 'Bookcases' },
      synonyms: ['стеллаж для книг'],
    },
    { slug: 'bathroom', names: { ru: 'Мебель для ванной' }, synonyms: [] },
  ],
  attributes: [
    ...DEMO_TAXONOMY.attributes.map((a) =>
      a.kind === 'enum' && a.key === 'color'
        ? {
            ...a,
            values: [
              ...a.values,
              { value: 'graphite', names: { ru: 'Графитовый', kk: 'Графит', en: 'Graphite' }, synonyms: [] },
              { value: 'nordic', names: { ru: 'Nordic' }, synonyms: [] },
            ],
          }
        : a,
    ),
    {
      key: 'style',
      kind: 'enum',
      names: { ru: 'Стиль' },
      values: [{ value: 'loft', names: { ru: 'Лофт' }, synonyms: [] }],
    },
  ],
};
const retailer = buildVocabulary(RETAILER);

const read = (text: string, vocabulary: Vocabulary = retailer, lang: 'ru' | 'kk' | 'en' = 'ru'): SearchArgs => {
  const u = understandText(text, { lang }, vocabulary);
  return u.intent.name === 'search_products' ? u.intent.args : {};
};

describe('buildVocabulary', () => {
  it.each([
    ['графитовый стеллаж для книг', { category: 'bookcases', color: 'graphite' }],
    ['стеллажами для книг графитового цвета', { category: 'bookcases', color: 'graphite' }],
    ['графитовые стеллажи для книг', { category: 'bookcases', color: 'graphite' }],
    ['стелаж для книг', { category: 'bookcases' }],
    ['grafitovyi stellazh dlya knig', { category: 'bookcases', color: 'graphite' }],
    ['graphite bookcases', { category: 'bookcases', color: 'graphite' }],
    ['диван нордик', { category: 'sofa', color: 'nordic' }],
  ])('reads the catalog’s own words, inflected and respelled: %s', (text, args) => {
    expect(read(text)).toEqual(args);
  });

  it('reads Kazakh names through their suffixes', () => {
    expect(read('графит кітап сөрелерін', retailer, 'kk')).toEqual({ category: 'bookcases', color: 'graphite' });
    expect(read('кітап сөресі бар ма', retailer, 'kk')).toEqual({ category: 'bookcases' });
  });

  it('a term’s own name wins over another term’s synonym; the seed’s readings stay otherwise', () => {
    const demo = buildVocabulary(DEMO_TAXONOMY);
    expect(read('графитовый стеллаж', demo)).toEqual({ category: 'shelf', color: 'grey' });
    expect(read('графитовый стеллаж')).toEqual({ category: 'shelf', color: 'graphite' });
    expect(read('стеллаж для книг', demo)).toEqual({ category: 'shelf', query: 'книг' });
  });

  it('a collection by room wins over a kind of furniture, which stays in the query', () => {
    expect(read('белая тумба для ванной')).toEqual({ category: 'bathroom', color: 'white', query: 'тумба' });
  });

  it('values of other attributes are not slots: they stay in the query for search', () => {
    expect(read('диван в стиле лофт')).toEqual({ category: 'sofa', query: 'стиле лофт' });
  });

  it('a word of a retailer’s category name that no other term knows names the category alone', () => {
    const shop = buildVocabulary({
      ...RETAILER,
      categories: [
        ...RETAILER.categories,
        { slug: 'eurobook', parent: 'sofa', names: { ru: 'Диваны-еврокнижки' }, synonyms: [] },
        { slug: 'corner-sofas', parent: 'sofa', names: { ru: 'Угловые диваны' }, synonyms: [] },
        { slug: 'corner-desks', parent: 'desk', names: { ru: 'Угловые столы' }, synonyms: [] },
      ],
    });
    expect(read('еврокнижка', shop)).toEqual({ category: 'eurobook' });
    expect(read('еврокнижку графитовую', shop)).toEqual({ category: 'eurobook', color: 'graphite' });
    expect(read('пенал в ванную', shop)).toEqual({ category: 'bathroom', query: 'пенал' });
    expect(read('что-нибудь для книг', shop)).toEqual({ category: 'bookcases' });
    // «угловой» is in two categories’ names: alone it names neither; with its noun the name does
    expect(read('угловой', shop)).toEqual({});
    expect(read('угловой диван', shop)).toEqual({ category: 'corner-sofas' });
    // words another term knows («диваны», «стол») keep their meaning
    expect(read('диван', shop)).toEqual({ category: 'sofa' });
  });

  it('the same message means what the vocabulary it is given says', () => {
    const before = buildVocabulary(DEMO_TAXONOMY);
    expect(read('мебель для ванной', before)).toEqual({});
    expect(read('мебель для ванной')).toEqual({ category: 'bathroom' });
  });
});
