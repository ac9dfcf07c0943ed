import type { Attribute, Names, Taxonomy, TaxonomyCategory } from '../../engine/taxonomy.ts';
import type { Db } from '../repos/common.ts';

/** the names of a taxonomy row (columns name_ru, name_kk, name_en) */
export const names = (r: { name_ru: string; name_kk: string | null; name_en: string | null }): Names => ({
  ru: r.name_ru,
  ...(r.name_kk ? { kk: r.name_kk } : {}),
  ...(r.name_en ? { en: r.name_en } : {}),
});

/** The whole taxonomy in display order: small (hundreds of rows), read whole and cached by callers. */
export async function loadTaxonomy(db: Db): Promise<Taxonomy> {
  const [categoryRows, attributeRows, valueRows] = await Promise.all([
    db.selectFrom('categories').selectAll().orderBy('position').orderBy('slug').execute(),
    db.selectFrom('attributes').selectAll().orderBy('position').orderBy('key').execute(),
    db.selectFrom('attribute_values').selectAll().orderBy('position').orderBy('value').execute(),
  ]);
  const categories: TaxonomyCategory[] = categoryRows.map((r) => ({
    slug: r.slug,
    ...(r.parent_slug ? { parent: r.parent_slug } : {}),
    names: names(r),
    synonyms: r.synonyms,
  }));
  const attributes: Attribute[] = attributeRows.map((r): Attribute => {
    if (r.kind === 'enum') {
      const values = valueRows
        .filter((v) => v.attribute_key === r.key)
        .map((v) => ({ value: v.value, names: names(v), synonyms: v.synonyms }));
      return { key: r.key, kind: 'enum', names: names(r), values };
    }
    if (r.kind === 'number')
      return { key: r.key, kind: 'number', names: names(r), ...(r.unit ? { unit: r.unit } : {}) };
    return { key: r.key, kind: 'text', names: names(r) };
  });
  return { categories, attributes };
}
