import type { AttributeValue, Taxonomy, TaxonomyCategory } from '../../../engine/taxonomy.ts';

/**
 * A retailer-sized taxonomy for the understanding bench: `base` plus `terms` made-up categories,
 * colours and materials with Russian names (nouns, adjectives, two- and three-word names), Kazakh
 * and English names and a synonym each — deterministic, so every run reads the same words.
 */
export function bigTaxonomy(base: Taxonomy, terms: number, seed = 7): Taxonomy {
  let state = seed;
  const rnd = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const syllables = ['ка', 'ро', 'ли', 'ва', 'не', 'то', 'ми', 'су', 'ра', 'де', 'по', 'за', 'лю', 'ше', 'бо', 'гу'];
  const root = () => Array.from({ length: 2 + Math.floor(rnd() * 2) }, () => pick(syllables)).join('');
  const latin = (s: string) =>
    s.replace(/[а-я]/g, (ch) => 'abvgdezzijklmnoprstufhccss_y_eua'[ch.charCodeAt(0) - 1072] ?? '');
  const categories: TaxonomyCategory[] = [...base.categories];
  const colors: AttributeValue[] = [];
  const materials: AttributeValue[] = [];
  for (let i = 0; i < terms; i++) {
    const word = root();
    const kind = i % 4;
    if (kind < 2) {
      const noun = `${word}${pick(['', 'ка', 'ник', 'ер'])}`;
      const ru = kind === 0 ? noun : `${noun} для ${root()}ов`;
      categories.push({
        slug: `c${i}`,
        names: { ru, kk: `${noun}лар`, en: latin(noun) },
        synonyms: [`${root()}ный ${noun}`],
      });
    } else {
      const value: AttributeValue = {
        value: `v${i}`,
        names: { ru: `${word}овый`, kk: word, en: latin(word) },
        synonyms: [`${word}ый`],
      };
      (kind === 2 ? colors : materials).push(value);
    }
  }
  return {
    categories,
    attributes: base.attributes.map((a) =>
      a.kind !== 'enum'
        ? a
        : { ...a, values: [...a.values, ...(a.key === 'color' ? colors : a.key === 'material' ? materials : [])] },
    ),
  };
}
