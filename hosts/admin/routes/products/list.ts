import { listProducts } from '../../../../storage/repos/products.ts';
import { searchProducts } from '../../../../storage/search/search.ts';
import { paged, ref } from '../../http/docs.ts';
import type { Api } from '../../http/context.ts';
import { route, type Route } from '../../http/route.ts';
import { ROLE_SETS } from '../../auth/roles.ts';
import { requireCity } from '../lookup.ts';
import { ListQuery, SearchQuery } from './schemas.ts';
import { withTermNames } from '../productTerms.ts';

/** Finding products: the panel's filtered list, and the catalog search as the bots run it. */
export function productListRoutes(api: Api): Route[] {
  const { db } = api;
  return [
    route({
      method: 'get',
      path: '/products',
      roles: ROLE_SETS.anyone,
      tag: 'products',
      summary: 'List products with filters and paging',
      description:
        '`q` matches a substring of the name or SKU. For shopper-style search (stems, typos, ranking) use /products/search. Items carry the human names of their category, colour and material (`categoryName`, …, in `lang`, default ru).',
      query: ListQuery,
      response: paged(ref('Product')),
      handler: async (c, { query }) => {
        const city = query.city ? await requireCity(db, query.city) : undefined;
        const limit = query.limit ?? 20;
        const offset = query.offset ?? 0;
        const page = await listProducts(
          db,
          {
            ...(city ? { cityId: city.id } : {}),
            ...(query.q ? { text: query.q } : {}),
            ...(query.category ? { category: query.category } : {}),
            ...(query.color ? { color: query.color } : {}),
            ...(query.material ? { material: query.material } : {}),
            ...(query.price_min !== undefined ? { priceMin: query.price_min } : {}),
            ...(query.price_max !== undefined ? { priceMax: query.price_max } : {}),
            ...(query.available ? { availableOnly: true } : {}),
            ...(query.sort ? { sort: query.sort } : {}),
          },
          { limit, offset },
        );
        return c.json({ ...page, items: await withTermNames(db, page.items, query.lang), limit, offset });
      },
    }),
    route({
      method: 'get',
      path: '/products/search',
      roles: ROLE_SETS.anyone,
      tag: 'products',
      summary: 'Catalog search as the bots do it (full text, stems, typos, filters, ranked)',
      query: SearchQuery,
      response: paged({ type: 'object', description: 'Product (engine shape)' }),
      handler: async (c, { query }) => {
        const city = await requireCity(db, query.city);
        const limit = query.limit ?? 10;
        const offset = query.offset ?? 0;
        const result = await searchProducts(
          db,
          {
            cityId: city.id,
            ...(query.q ? { query: query.q } : {}),
            ...(query.category ? { category: query.category } : {}),
            ...(query.color ? { color: query.color } : {}),
            ...(query.material ? { material: query.material } : {}),
            ...(query.price_min !== undefined ? { priceMin: query.price_min } : {}),
            ...(query.price_max !== undefined ? { priceMax: query.price_max } : {}),
            ...(query.available ? { availableOnly: true } : {}),
          },
          { limit, offset },
        );
        return c.json({ ...result, limit, offset });
      },
    }),
  ];
}
