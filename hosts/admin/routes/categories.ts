import * as v from 'valibot';
import {
  createCategory,
  deleteCategory,
  getCategory,
  listCategories,
  mergeCategories,
  updateCategory,
  type CategoryNode,
} from '../../../storage/taxonomy/index.ts';
import { notifyCatalogChanged } from '../catalogChanged.ts';
import type { Api } from '../http/context.ts';
import { arr, obj, ref } from '../http/docs.ts';
import { notFound } from '../http/errors.ts';
import { route, type Route } from '../http/route.ts';
import { qText } from '../http/validate.ts';
import { ROLE_SETS } from '../auth/roles.ts';
import { requireCity } from './lookup.ts';
import { NamesBody, Position, SlugBody, SynonymsBody, slugParam, taxonomyCall } from './taxonomyFields.ts';

const CreateBody = v.strictObject({
  slug: v.optional(SlugBody),
  parent: v.optional(v.nullable(SlugBody)),
  names: NamesBody,
  synonyms: v.optional(SynonymsBody),
  position: v.optional(Position),
});
const UpdateBody = v.pipe(
  v.strictObject({
    parent: v.optional(v.nullable(SlugBody)),
    names: v.optional(NamesBody),
    synonyms: v.optional(SynonymsBody),
    position: v.optional(Position),
  }),
  v.check((p) => Object.keys(p).length > 0, 'nothing to change'),
);
const MergeBody = v.strictObject({ from: SlugBody, into: SlugBody });
const ListQuery = v.object({ city: qText(64) });

/** the tree depth-first (children after their parent, in display order), with counts including subcategories */
export type CategoryEntry = CategoryNode & { depth: number; total: number };

export function inTreeOrder(categories: CategoryNode[]): CategoryEntry[] {
  const known = new Set(categories.map((c) => c.slug));
  const children = new Map<string | undefined, CategoryNode[]>();
  for (const c of categories) {
    const parent = c.parent && known.has(c.parent) ? c.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), c]);
  }
  const out: CategoryEntry[] = [];
  const walk = (parent: string | undefined, depth: number): number => {
    let sum = 0;
    for (const c of children.get(parent) ?? []) {
      const entry: CategoryEntry = { ...c, depth, total: c.products };
      out.push(entry);
      entry.total += walk(c.slug, depth + 1);
      sum += entry.total;
    }
    return sum;
  };
  walk(undefined, 0);
  return out;
}

export function categoryRoutes(api: Api): Route[] {
  const { db } = api;
  const changed = (reason: 'edit' | 'merge') => notifyCatalogChanged(api.deps.state.pubsub, { reason }, api.deps.log);
  return [
    route({
      method: 'get',
      path: '/categories',
      roles: ROLE_SETS.anyone,
      tag: 'taxonomy',
      summary: "The retailer's category tree, depth-first, with product counts",
      description:
        '`products`: products filed directly under the category; `total`: with its subcategories. With `city`, counts are of that city only.',
      query: ListQuery,
      response: obj({ items: arr(ref('Category')) }),
      handler: async (c, { query }) => {
        const city = query.city ? await requireCity(db, query.city) : undefined;
        const items = inTreeOrder(await listCategories(db, city ? { cityId: city.id } : {}));
        return c.json({ items });
      },
    }),
    route({
      method: 'post',
      path: '/categories',
      roles: ROLE_SETS.admins,
      tag: 'taxonomy',
      summary: 'Create a category (the slug is made from the Russian name when not given)',
      body: CreateBody,
      response: obj({ category: ref('Category') }),
      responseStatus: 201,
      errors: { 404: 'unknown parent', 409: 'the slug is taken' },
      handler: async (c, { body }) => {
        const category = await taxonomyCall(() => createCategory(db, body));
        await api.audit(c, { action: 'category.create', entity: 'category', entityId: category.slug, after: category });
        await changed('edit');
        return c.json({ category }, 201);
      },
    }),
    route({
      method: 'post',
      path: '/categories/merge',
      roles: ROLE_SETS.admins,
      tag: 'taxonomy',
      summary: 'Merge one category into another',
      description:
        "In one transaction: `from`'s products (every city), subcategories and saved alert criteria move to `into`, its names and synonyms become synonyms of `into`, and `from` is deleted. Then the criteria persisted conversations remember are rewritten (`conversations` in the answer; `skipped` lists conversations that stayed busy).",
      body: MergeBody,
      response: obj({
        merged: obj(
          {
            from: { type: 'string' },
            into: { type: 'string' },
            products: { type: 'integer' },
            children: { type: 'integer' },
            alerts: { type: 'integer' },
            conversations: obj({
              conversations: { type: 'integer' },
              preferences: { type: 'integer' },
              skipped: arr({ type: 'string' }),
            }),
          },
          ['from', 'into', 'products', 'children', 'alerts'],
        ),
      }),
      errors: { 400: 'a category into itself', 404: 'no such category' },
      handler: async (c, { body }) => {
        const before = await getCategory(db, body.from);
        const { snapshots, locks } = api.deps.state;
        const merged = await taxonomyCall(() =>
          mergeCategories(db, body, snapshots && locks ? { state: { snapshots, locks } } : {}),
        );
        await api.audit(c, {
          action: 'category.merge',
          entity: 'category',
          entityId: body.from,
          before,
          after: merged,
        });
        await changed('merge');
        return c.json({ merged });
      },
    }),
    route({
      method: 'patch',
      path: '/categories/:slug',
      roles: ROLE_SETS.admins,
      tag: 'taxonomy',
      summary: 'Rename, re-file or re-order a category (its slug stays; merge to replace it)',
      body: UpdateBody,
      response: obj({ category: ref('Category') }),
      errors: { 400: 'it would sit inside itself', 404: 'no such category or parent' },
      handler: async (c, { body }) => {
        const slug = slugParam(c, 'slug', 'category');
        const before = await getCategory(db, slug);
        if (!before) throw notFound(`category "${slug}"`);
        const category = await taxonomyCall(() => updateCategory(db, slug, body));
        await api.audit(c, { action: 'category.update', entity: 'category', entityId: slug, before, after: category });
        await changed('edit');
        return c.json({ category });
      },
    }),
    route({
      method: 'delete',
      path: '/categories/:slug',
      roles: ROLE_SETS.admins,
      tag: 'taxonomy',
      summary: 'Delete a category no product is in (its subcategories move up)',
      responseStatus: 204,
      errors: { 404: 'no such category', 409: 'products are in it: merge it instead' },
      handler: async (c) => {
        const slug = slugParam(c, 'slug', 'category');
        const before = await taxonomyCall(() => deleteCategory(db, slug));
        await api.audit(c, { action: 'category.delete', entity: 'category', entityId: slug, before });
        await changed('edit');
        return c.body(null, 204);
      },
    }),
  ];
}
