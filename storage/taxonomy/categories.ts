import { sql } from 'kysely';
import type { Names, TaxonomyCategory } from '../../engine/taxonomy.ts';
import { inTransaction, isUniqueViolation, json, type Db } from '../repos/common.ts';
import { TaxonomyError } from './errors.ts';
import { names } from './load.ts';
import { slugFromName } from './slug.ts';
import { cleanSynonyms, nameColumns } from './words.ts';

const SLUG = /^[a-z0-9_-]{1,64}$/;

/** A category as the panel edits it: the taxonomy's shape plus its place and how many products it holds. */
export type CategoryNode = TaxonomyCategory & { position: number; products: number };

export type NewCategory = {
  /** made from the Russian name when absent */
  slug?: string;
  parent?: string | null;
  names: Names;
  synonyms?: string[];
  position?: number;
};
/** the slug is the stable id products, alerts and conversations hold: it never changes (merge instead) */
export type CategoryPatch = Partial<Omit<NewCategory, 'slug'>>;

/** Every category in display order, with the number of products filed directly under it (in `cityId` or all cities). */
export async function listCategories(db: Db, opts: { cityId?: string } = {}): Promise<CategoryNode[]> {
  let counts = db
    .selectFrom('products')
    .select(['category', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('category', 'is not', null)
    .groupBy('category');
  if (opts.cityId) counts = counts.where('city_id', '=', opts.cityId);
  const [rows, counted] = await Promise.all([
    db.selectFrom('categories').selectAll().orderBy('position').orderBy('slug').execute(),
    counts.execute(),
  ]);
  const byCategory = new Map(counted.map((c) => [c.category!, Number(c.n)]));
  return rows.map((r) => ({
    slug: r.slug,
    ...(r.parent_slug ? { parent: r.parent_slug } : {}),
    names: names(r),
    synonyms: r.synonyms,
    position: r.position,
    products: byCategory.get(r.slug) ?? 0,
  }));
}

export async function getCategory(db: Db, slug: string): Promise<CategoryNode | undefined> {
  return (await listCategories(db)).find((c) => c.slug === slug);
}

export async function createCategory(db: Db, input: NewCategory): Promise<CategoryNode> {
  const slug = input.slug ?? slugFromName(input.names.ru);
  if (!SLUG.test(slug)) throw new TaxonomyError('invalid', `"${slug}" is not a slug (1–64 of a-z, 0-9, "_", "-")`);
  await inTransaction(db, async (tx) => {
    await lockTree(tx);
    if (input.parent) await requireCategory(tx, input.parent, 'parent category');
    try {
      await tx
        .insertInto('categories')
        .values({
          slug,
          parent_slug: input.parent ?? null,
          ...nameColumns(input.names),
          synonyms: json(cleanSynonyms(input.synonyms ?? [])),
          position: input.position ?? (await nextPosition(tx)),
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new TaxonomyError('conflict', `a category with the slug "${slug}" exists`);
      throw error;
    }
  });
  return (await getCategory(db, slug))!;
}

/** Renames, re-files or re-orders a category; placing it inside its own subtree is refused. */
export async function updateCategory(db: Db, slug: string, patch: CategoryPatch): Promise<CategoryNode> {
  await inTransaction(db, async (tx) => {
    await lockTree(tx);
    await requireCategory(tx, slug, 'category');
    if (patch.parent) await assertNotInside(tx, slug, patch.parent);
    const set = {
      ...(patch.parent !== undefined ? { parent_slug: patch.parent } : {}),
      ...(patch.names ? nameColumns(patch.names) : {}),
      ...(patch.synonyms ? { synonyms: json(cleanSynonyms(patch.synonyms)) } : {}),
      ...(patch.position !== undefined ? { position: patch.position } : {}),
    };
    await tx
      .updateTable('categories')
      .set({ ...set, updated_at: new Date() })
      .where('slug', '=', slug)
      .execute();
  });
  return (await getCategory(db, slug))!;
}

/**
 * Deletes a category that no product is filed under (one that has products is merged instead, so
 * they keep a category); its subcategories move up to its parent.
 */
export async function deleteCategory(db: Db, slug: string): Promise<CategoryNode> {
  return inTransaction(db, async (tx) => {
    await lockTree(tx);
    const category = await getCategory(tx, slug);
    if (!category) throw new TaxonomyError('not_found', `no category "${slug}"`);
    if (category.products > 0)
      throw new TaxonomyError(
        'conflict',
        `${category.products} product(s) are in «${category.names.ru}»: merge it into another category instead`,
      );
    await tx
      .updateTable('categories')
      .set({ parent_slug: category.parent ?? null, updated_at: new Date() })
      .where('parent_slug', '=', slug)
      .execute();
    await tx.deleteFrom('categories').where('slug', '=', slug).execute();
    return category;
  });
}

/** Tree edits one at a time, so two concurrent moves cannot close a loop between them. */
export async function lockTree(tx: Db): Promise<void> {
  await sql`LOCK TABLE categories IN SHARE ROW EXCLUSIVE MODE`.execute(tx);
}

export async function requireCategory(db: Db, slug: string, what: string): Promise<{ slug: string; name: string }> {
  const row = await db.selectFrom('categories').select(['slug', 'name_ru']).where('slug', '=', slug).executeTakeFirst();
  if (!row) throw new TaxonomyError('not_found', `no ${what} "${slug}"`);
  return { slug: row.slug, name: row.name_ru };
}

/** refuses to file `slug` under `parent` when `parent` is `slug` itself or lies below it */
async function assertNotInside(db: Db, slug: string, parent: string): Promise<void> {
  const target = await requireCategory(db, parent, 'parent category');
  const self = await requireCategory(db, slug, 'category');
  for (const at of await ancestorsOf(db, parent)) {
    if (at === slug)
      throw new TaxonomyError(
        'invalid',
        parent === slug
          ? `«${self.name}» cannot be its own parent`
          : `«${self.name}» cannot go under «${target.name}»: «${target.name}» is inside «${self.name}»`,
      );
  }
}

/** `slug` and its ancestors, nearest first (stops at a loop, should the data hold one) */
export async function ancestorsOf(db: Db, slug: string): Promise<string[]> {
  const rows = await db.selectFrom('categories').select(['slug', 'parent_slug']).execute();
  const parentOf = new Map(rows.map((r) => [r.slug, r.parent_slug]));
  const chain: string[] = [];
  for (let at: string | null | undefined = slug; at && !chain.includes(at); at = parentOf.get(at)) chain.push(at);
  return chain;
}

async function nextPosition(db: Db): Promise<number> {
  const row = await db
    .selectFrom('categories')
    .select((eb) => eb.fn.max('position').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}
