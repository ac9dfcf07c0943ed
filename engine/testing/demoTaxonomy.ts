import * as v from 'valibot';
import { TaxonomySchema, type Taxonomy } from '../taxonomy.ts';
import { buildVocabulary, type Vocabulary } from '../understanding/vocabulary.ts';
import demo from './demoTaxonomy.json' with { type: 'json' };

/**
 * The demo catalog's taxonomy — the one migration 0017 seeds (storage/taxonomy/demoTaxonomy.test.ts
 * keeps the two equal) — for the pure engine's tests, transcripts and the terminal chat, which
 * have no database to load it from.
 */
export const DEMO_TAXONOMY: Taxonomy = v.parse(TaxonomySchema, demo);

let vocabulary: Vocabulary | undefined;
/** built on first use and kept: the demo taxonomy never changes */
export function demoVocabulary(): Vocabulary {
  vocabulary ??= buildVocabulary(DEMO_TAXONOMY);
  return vocabulary;
}
