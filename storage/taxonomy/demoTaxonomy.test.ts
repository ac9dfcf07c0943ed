import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Taxonomy } from '../../engine/taxonomy.ts';
import { TAXONOMY_SEED } from '../db/migrations/0017_taxonomy.seed.ts';

/** the migration's seed in the engine's taxonomy shape */
function seedAsTaxonomy(): Taxonomy {
  const term = (r: { ru: string; kk: string; en: string; synonyms: readonly string[] }) => ({
    names: { ru: r.ru, kk: r.kk, en: r.en },
    synonyms: [...r.synonyms],
  });
  return {
    categories: TAXONOMY_SEED.categories.map((c) => ({ slug: c.slug, ...term(c) })),
    attributes: [
      {
        key: 'color',
        kind: 'enum',
        names: { ru: 'Цвет', kk: 'Түсі', en: 'Colour' },
        values: TAXONOMY_SEED.colors.map((v) => ({ value: v.slug, ...term(v) })),
      },
      {
        key: 'material',
        kind: 'enum',
        names: { ru: 'Материал', kk: 'Материал', en: 'Material' },
        values: TAXONOMY_SEED.materials.map((v) => ({ value: v.slug, ...term(v) })),
      },
    ],
  };
}

const DEMO = new URL('../../engine/testing/demoTaxonomy.json', import.meta.url);

describe('the engine’s demo taxonomy', () => {
  // to regenerate: DEMO_TAXONOMY_WRITE=1 npx vitest run storage/taxonomy/demoTaxonomy.test.ts
  it('is the taxonomy migration 0017 seeds, so engine tests read the words a new database starts with', () => {
    if (process.env.DEMO_TAXONOMY_WRITE === '1') writeFileSync(DEMO, `${JSON.stringify(seedAsTaxonomy(), null, 2)}\n`);
    expect(JSON.parse(readFileSync(DEMO, 'utf8'))).toEqual(seedAsTaxonomy());
  });
});
