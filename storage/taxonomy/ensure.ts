import type { Db } from '../repos/common.ts';
import type { NewTerm } from './terms.ts';

/**
 * Creates the terms an import or exchange met for the first time, named as the retailer wrote them;
 * ones another writer created meanwhile are left as they are. Returns those this call created.
 */
export async function createTerms(db: Db, terms: readonly NewTerm[]): Promise<NewTerm[]> {
  const created: NewTerm[] = [];
  for (const term of terms) {
    const synonyms = JSON.stringify([term.name]);
    const row =
      term.kind === 'category'
        ? await db
            .insertInto('categories')
            .values({ slug: term.slug, name_ru: term.name, synonyms, position: 1000 })
            .onConflict((oc) => oc.column('slug').doNothing())
            .returning('slug')
            .executeTakeFirst()
        : await db
            .insertInto('attribute_values')
            .values({ attribute_key: term.kind, value: term.slug, name_ru: term.name, synonyms, position: 1000 })
            .onConflict((oc) => oc.columns(['attribute_key', 'value']).doNothing())
            .returning('value')
            .executeTakeFirst();
    if (row) created.push(term);
  }
  return created;
}
