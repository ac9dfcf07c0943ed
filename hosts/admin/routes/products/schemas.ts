import * as v from 'valibot';
import { MAX_SKU_LENGTH, SKU_TEXT_PATTERN } from '../../../../engine/skuKey.ts';
import type { ProductInput } from '../../../../storage/repos/products.ts';
import { ProductTermFields } from '../productTerms.ts';
import { Paging, qBool, qNumber, qPicklist, qText } from '../../http/validate.ts';

/**
 * What the product routes accept: a product's fields (a new field is added here once and is then
 * both created and updated), and the filters of the list and of the shopper-style search.
 */
const Dim = v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(10_000)));

const ProductFields = {
  sku: v.pipe(
    v.string(),
    v.trim(),
    v.toUpperCase(),
    v.minLength(1, 'sku is required'),
    v.maxLength(MAX_SKU_LENGTH),
    v.regex(SKU_TEXT_PATTERN, 'sku may hold only letters, digits, spaces, "/", "." and "-"'),
    v.description("the retailer's own code (УД-0042, 000123456, КГ 17/3), trimmed and upper-cased"),
  ),
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'name is required'), v.maxLength(200)),
  description: v.optional(v.pipe(v.string(), v.maxLength(5000))),
  price: v.pipe(
    v.number('price must be a number'),
    v.finite(),
    v.minValue(0, 'price cannot be negative'),
    v.maxValue(1_000_000_000),
  ),
  currency: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, 'currency is a 3-letter ISO code'))),
  // slugs of the retailer's taxonomy, checked against it by checkProductTerms
  ...ProductTermFields,
  dimensions: v.optional(
    v.nullable(v.strictObject({ width: Dim, depth: Dim, height: Dim, unit: v.optional(v.literal('cm')) })),
  ),
  imageUrl: v.optional(
    v.nullable(
      v.pipe(
        v.string(),
        v.maxLength(1000),
        v.regex(/^(https?:\/\/|\/)\S+$/, 'imageUrl must be an http(s) URL or a path starting with /'),
      ),
    ),
  ),
  available: v.optional(v.boolean()),
};

export const CreateBody = v.strictObject({
  city: v.pipe(v.string(), v.minLength(1), v.description('city id or slug')),
  ...ProductFields,
});
export const UpdateBody = v.pipe(
  v.strictObject({
    ...ProductFields,
    sku: v.optional(ProductFields.sku),
    name: v.optional(ProductFields.name),
    price: v.optional(ProductFields.price),
  }),
  v.check((p) => Object.keys(p).length > 0, 'nothing to change'),
);

export const ListQuery = v.object({
  q: qText(),
  city: qText(64),
  category: qText(40),
  color: qText(40),
  material: qText(40),
  price_min: qNumber(),
  price_max: qNumber(),
  available: qBool(),
  sort: qPicklist(['sku', 'name', 'price', 'updated'] as const),
  lang: qPicklist(['ru', 'kk', 'en'] as const),
  ...Paging,
});
export const SearchQuery = v.object({
  q: qText(),
  city: v.pipe(v.string(), v.minLength(1, 'city is required')),
  category: qText(40),
  color: qText(40),
  material: qText(40),
  price_min: qNumber(),
  price_max: qNumber(),
  available: qBool(),
  ...Paging,
});

/** the fields the body gives, as the repository takes them */
export function toInput(body: Partial<v.InferOutput<typeof UpdateBody>>): Partial<ProductInput> {
  const out: Partial<ProductInput> = {};
  for (const [key, value] of Object.entries(body))
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
