import * as v from 'valibot';
import { SlugSchema, type Names, type Taxonomy } from '../../../engine/taxonomy.ts';
import type { ProductAttributes } from '../../../storage/db/types.ts';
import type { Db } from '../../../storage/repos/common.ts';
import { loadTaxonomy } from '../../../storage/taxonomy/index.ts';
import { validationFailed } from '../http/errors.ts';
import type { Issue } from '../http/validate.ts';

/** A product body names its category, colour and material by slug, and may carry other attributes. */
const TermSlug = v.pipe(v.string(), v.trim(), v.toLowerCase(), SlugSchema);
export const ProductTermFields = {
  category: v.optional(v.nullable(TermSlug)),
  color: v.optional(v.nullable(TermSlug)),
  material: v.optional(v.nullable(TermSlug)),
  attributes: v.optional(
    v.pipe(
      v.record(SlugSchema, v.union([v.pipe(v.string(), v.maxLength(500)), v.pipe(v.number(), v.finite())])),
      v.description('attributes other than colour and material: key → value slug (enumerations), number or text'),
    ),
  ),
};

type Terms = {
  category?: string | null;
  color?: string | null;
  material?: string | null;
  attributes?: ProductAttributes;
};

const listed = (slugs: string[]) => `${slugs.slice(0, 30).join(', ')}${slugs.length > 30 ? ', …' : ''}`;

/**
 * The slugs a product body names must be in the retailer's taxonomy (it grows in the panel's
 * Catalog page or by an import): a 400 names each unknown one and what there is to choose from.
 */
export async function checkProductTerms(db: Db, body: Terms): Promise<void> {
  if (!body.category && !body.color && !body.material && !body.attributes) return;
  const taxonomy = await loadTaxonomy(db);
  const issues: Issue[] = [];
  if (body.category && !taxonomy.categories.some((c) => c.slug === body.category)) {
    const known = taxonomy.categories.map((c) => c.slug);
    issues.push({ path: 'category', message: `unknown category "${body.category}"; one of ${listed(known)}` });
  }
  for (const key of ['color', 'material'] as const) {
    const slug = body[key];
    const values = valuesOf(taxonomy, key);
    if (slug && !values.includes(slug))
      issues.push({ path: key, message: `unknown ${key} "${slug}"; one of ${listed(values)}` });
  }
  for (const [key, value] of Object.entries(body.attributes ?? {})) {
    const attribute = taxonomy.attributes.find((a) => a.key === key);
    const problem = !attribute
      ? `unknown attribute "${key}"`
      : key === 'color' || key === 'material'
        ? `${key} has a field of its own`
        : attribute.kind === 'number' && typeof value !== 'number'
          ? `${key} is a number`
          : attribute.kind === 'enum' && !attribute.values.some((x) => x.value === value)
            ? `unknown ${key} "${value}"; one of ${listed(valuesOf(taxonomy, key))}`
            : attribute.kind === 'text' && typeof value !== 'string'
              ? `${key} is text`
              : undefined;
    if (problem) issues.push({ path: `attributes.${key}`, message: problem });
  }
  if (issues.length > 0)
    throw validationFailed(issues, `body is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
}

function valuesOf(taxonomy: Taxonomy, key: string): string[] {
  const attribute = taxonomy.attributes.find((a) => a.key === key);
  return attribute?.kind === 'enum' ? attribute.values.map((x) => x.value) : [];
}

type Named = { category?: string; color?: string; material?: string };
export type WithNames<T> = T & { categoryName?: string; colorName?: string; materialName?: string };

/** Products with the human names of their category, colour and material, for lists people read. */
export async function withTermNames<T extends Named>(
  db: Db,
  items: T[],
  lang: keyof Names = 'ru',
): Promise<WithNames<T>[]> {
  if (items.length === 0) return [];
  const taxonomy = await loadTaxonomy(db);
  const name = (names: Names) => names[lang] || names.ru;
  const categories = new Map(taxonomy.categories.map((c) => [c.slug, name(c.names)]));
  const values = (key: string) => {
    const attribute = taxonomy.attributes.find((a) => a.key === key);
    return new Map(attribute?.kind === 'enum' ? attribute.values.map((x) => [x.value, name(x.names)]) : []);
  };
  const colors = values('color');
  const materials = values('material');
  return items.map((p) => ({
    ...p,
    ...(p.category && categories.has(p.category) ? { categoryName: categories.get(p.category)! } : {}),
    ...(p.color && colors.has(p.color) ? { colorName: colors.get(p.color)! } : {}),
    ...(p.material && materials.has(p.material) ? { materialName: materials.get(p.material)! } : {}),
  }));
}
