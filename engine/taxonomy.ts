import * as v from 'valibot';

/**
 * The retailer's taxonomy as the engine and understanding see it: plain data loaded from storage
 * (tables `categories`, `attributes`, `attribute_values`) and rebuilt on every catalog change. A slug
 * is the stable id that products, saved alert criteria and conversations refer to.
 */
export const SlugSchema = v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,64}$/, 'a slug is 1–64 of a-z, 0-9, "_", "-"'));

const NamesSchema = v.object({
  ru: v.pipe(v.string(), v.minLength(1)),
  kk: v.optional(v.string()),
  en: v.optional(v.string()),
});
export type Names = v.InferOutput<typeof NamesSchema>;

export const TaxonomyCategorySchema = v.object({
  slug: SlugSchema,
  parent: v.optional(SlugSchema),
  names: NamesSchema,
  /** words shoppers and spreadsheets use for it, any language, any case */
  synonyms: v.array(v.string()),
});
export type TaxonomyCategory = v.InferOutput<typeof TaxonomyCategorySchema>;

export const AttributeValueSchema = v.object({
  value: SlugSchema,
  names: NamesSchema,
  synonyms: v.array(v.string()),
});
export type AttributeValue = v.InferOutput<typeof AttributeValueSchema>;

export const AttributeSchema = v.variant('kind', [
  v.object({ key: SlugSchema, kind: v.literal('enum'), names: NamesSchema, values: v.array(AttributeValueSchema) }),
  v.object({ key: SlugSchema, kind: v.literal('number'), names: NamesSchema, unit: v.optional(v.string()) }),
  v.object({ key: SlugSchema, kind: v.literal('text'), names: NamesSchema }),
]);
export type Attribute = v.InferOutput<typeof AttributeSchema>;

export const TaxonomySchema = v.object({
  categories: v.array(TaxonomyCategorySchema),
  /** `color` and `material` are always present and enumerated */
  attributes: v.array(AttributeSchema),
});
export type Taxonomy = v.InferOutput<typeof TaxonomySchema>;
