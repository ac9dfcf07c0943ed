import * as v from 'valibot';
import type { ImageDescription } from '../../engine/events.ts';
import type { TaxonomySlugs } from './catalogWords.ts';

/**
 * The vision answer's shape: a strict JSON schema that forces category, colour and material into
 * the taxonomy's slugs, and the same check again on the answer (a model may ignore a schema).
 */

const nullableEnum = (values: readonly string[]) =>
  values.length > 0 ? { type: ['string', 'null'], enum: [...values, null] } : { type: 'null' };

export function imageDescriptionSchema(slugs: TaxonomySlugs) {
  return {
    name: 'image_description',
    strict: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['category', 'color', 'material', 'style', 'text'],
      properties: {
        category: nullableEnum(slugs.category),
        color: nullableEnum(slugs.color),
        material: nullableEnum(slugs.material),
        style: { type: ['string', 'null'], description: 'e.g. modern, classic, loft, scandinavian' },
        text: {
          type: ['string', 'null'],
          description: 'text visible on the photo: a price tag, a label, an article number',
        },
      },
    },
  };
}
export type ImageDescriptionJsonSchema = ReturnType<typeof imageDescriptionSchema>;

const Text = (max: number) => v.nullish(v.pipe(v.string(), v.trim(), v.maxLength(max)));
const DescriptionSchema = v.strictObject({
  category: v.nullish(v.string()),
  color: v.nullish(v.string()),
  material: v.nullish(v.string()),
  style: Text(100),
  text: Text(500),
});

/** Parse and validate the model's JSON against the taxonomy; `null` when it is not a usable description. */
export function parseImageDescription(
  content: string | null | undefined,
  slugs: TaxonomySlugs,
): ImageDescription | null {
  if (!content) return null;
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const parsed = v.safeParse(DescriptionSchema, json);
  if (!parsed.success) return null;
  for (const key of ['category', 'color', 'material'] as const) {
    const value = parsed.output[key];
    if (value && !slugs[key].includes(value)) return null;
  }
  const out: ImageDescription = {};
  for (const key of ['category', 'color', 'material', 'style', 'text'] as const) {
    const value = parsed.output[key];
    if (value) out[key] = value;
  }
  return out;
}
