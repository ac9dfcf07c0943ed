import type { Taxonomy } from '../../engine/taxonomy.ts';
import { buildVocabulary, type Vocabulary } from '../../engine/understanding/index.ts';
import { imageDescriptionSchema, type ImageDescriptionJsonSchema } from './imageSchema.ts';
import { buildTools, type Tool } from './tools.ts';

/** The slugs a model may answer with, by field: the taxonomy's categories, colours and materials. */
export type TaxonomySlugs = {
  readonly category: readonly string[];
  readonly color: readonly string[];
  readonly material: readonly string[];
};

/**
 * Everything the brains read of the retailer's catalog, built together from one taxonomy: the rules
 * brain's vocabulary, the OpenAI tools' and the vision answer's enums. The platform rebuilds it on
 * every catalog change; a brain reads the current one on each call.
 */
export type CatalogWords = {
  readonly taxonomy: Taxonomy;
  readonly vocabulary: Vocabulary;
  readonly slugs: TaxonomySlugs;
  readonly tools: readonly Tool[];
  readonly imageSchema: ImageDescriptionJsonSchema;
};

export function catalogWords(taxonomy: Taxonomy): CatalogWords {
  const valuesOf = (key: string) =>
    taxonomy.attributes.flatMap((a) => (a.kind === 'enum' && a.key === key ? a.values.map((v) => v.value) : []));
  const slugs: TaxonomySlugs = {
    category: taxonomy.categories.map((c) => c.slug),
    color: valuesOf('color'),
    material: valuesOf('material'),
  };
  return {
    taxonomy,
    vocabulary: buildVocabulary(taxonomy),
    slugs,
    tools: buildTools(taxonomy),
    imageSchema: imageDescriptionSchema(slugs),
  };
}
