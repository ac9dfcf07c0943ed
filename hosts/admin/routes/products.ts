import * as v from 'valibot';
import { streamSSE } from 'hono/streaming';
import { MAX_SKU_LENGTH, SKU_TEXT_PATTERN } from '../../../engine/skuKey.ts';
import {
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  updateProduct,
  type ProductInput,
} from '../../../storage/repos/products.ts';
import { isUniqueViolation } from '../../../storage/repos/common.ts';
import { searchProducts } from '../../../storage/search/search.ts';
import { importCatalog, type ImportResult } from '../../../storage/import/import.ts';
import { notifyCatalogChanged } from '../catalogChanged.ts';
import { ApiError, badRequest, conflict, notFound } from '../http/errors.ts';
import { obj, paged, ref } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { param, route, type Route } from '../http/route.ts';
import { Paging, parseOr400, qBool, qNumber, qPicklist, qText } from '../http/validate.ts';
import { ROLE_SETS } from '../auth/roles.ts';
import { requireCity } from './lookup.ts';
import { ProductTermFields, checkProductTerms, withTermNames } from './productTerms.ts';

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

const CreateBody = v.strictObject({
  city: v.pipe(v.string(), v.minLength(1), v.description('city id or slug')),
  ...ProductFields,
});
const UpdateBody = v.pipe(
  v.strictObject({
    ...ProductFields,
    sku: v.optional(ProductFields.sku),
    name: v.optional(ProductFields.name),
    price: v.optional(ProductFields.price),
  }),
  v.check((p) => Object.keys(p).length > 0, 'nothing to change'),
);

const ListQuery = v.object({
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
const SearchQuery = v.object({
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
const ImportQuery = v.object({ city: v.pipe(v.string(), v.minLength(1, 'city is required (?city=<slug>)')) });

function toInput(body: Partial<v.InferOutput<typeof UpdateBody>>): Partial<ProductInput> {
  const out: Partial<ProductInput> = {};
  for (const [key, value] of Object.entries(body))
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}

export function productRoutes(api: Api): Route[] {
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
    route({
      method: 'post',
      path: '/products/import',
      roles: ROLE_SETS.admins,
      tag: 'products',
      summary: 'Import a catalog into a city (CSV with a header row, or a JSON array); per-row errors',
      description:
        'Columns/keys: sku,name,description,price,category,color,material,image_url,is_available. Rows are upserted by (city, sku); bad rows are reported with their line (CSV) or 1-based element (JSON) and skipped. With `Accept: text/event-stream` the answer is a stream of `progress` events ({processed, total, imported, updated, errors}) and a final `done` event carrying the ImportResult.',
      query: ImportQuery,
      bodyKind: 'raw',
      rawBody: {
        'text/csv': { schema: { type: 'string' } },
        'application/json': { schema: { type: 'array', items: { type: 'object' } } },
      },
      response: ref('ImportResult'),
      errors: { 404: 'unknown city', 413: 'body too large', 415: 'neither CSV nor JSON' },
      handler: async (c, { query }) => {
        const city = await requireCity(db, query.city);
        const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        const format =
          type === 'application/json' ? 'json' : type === 'text/csv' || type === 'text/plain' ? 'csv' : undefined;
        if (!format) throw new ApiError(415, 'unsupported_media_type', 'send text/csv or application/json');
        const source = await c.req.text();
        if (!source.trim()) throw badRequest('the body is empty');
        // every bot forgets the products it cached; the audit log keeps the counts
        const afterImport = async (result: ImportResult) => {
          await api.reload({ kind: 'catalog', cityId: city.id });
          if (result.created.length > 0)
            await notifyCatalogChanged(api.deps.state.pubsub, { reason: 'import', cityId: city.id }, api.deps.log);
          await api.audit(c, {
            action: 'product.import',
            entity: 'city',
            entityId: city.id,
            after: { format, imported: result.imported, updated: result.updated, errors: result.errors.length },
          });
        };
        if ((c.req.header('accept') ?? '').includes('text/event-stream')) {
          // progress for the panel's bar: read with fetch() and a stream reader (EventSource cannot POST)
          return streamSSE(c, async (stream) => {
            try {
              const result = await importCatalog(db, {
                cityId: city.id,
                source,
                format,
                onProgress: (p) => void stream.writeSSE({ event: 'progress', data: JSON.stringify(p) }),
              });
              await afterImport(result);
              await stream.writeSSE({ event: 'done', data: JSON.stringify(result) });
            } catch (error) {
              api.deps.log?.error({ err: error }, 'catalog import failed');
              await stream.writeSSE({
                event: 'error',
                data: JSON.stringify({
                  error: {
                    code: 'internal',
                    message: 'the import failed; nothing after the last progress event was saved',
                  },
                }),
              });
            }
          });
        }
        const result = await importCatalog(db, { cityId: city.id, source, format });
        await afterImport(result);
        return c.json(result);
      },
    }),
    route({
      method: 'get',
      path: '/products/:id',
      roles: ROLE_SETS.anyone,
      tag: 'products',
      summary: 'One product',
      response: obj({ product: ref('Product') }),
      errors: { 404: 'no such product' },
      handler: async (c) => {
        const product = await getProduct(db, param(c, 'id'));
        if (!product) throw notFound('product');
        return c.json({ product });
      },
    }),
    route({
      method: 'post',
      path: '/products',
      roles: ROLE_SETS.admins,
      tag: 'products',
      summary: 'Create a product',
      body: CreateBody,
      response: obj({ product: ref('Product') }),
      responseStatus: 201,
      errors: { 404: 'unknown city', 409: 'SKU exists in this city' },
      handler: async (c, { body }) => {
        const { city: cityRef, ...fields } = body;
        const city = await requireCity(db, cityRef);
        await checkProductTerms(db, fields);
        let product;
        try {
          product = await createProduct(db, city.id, toInput(fields) as ProductInput);
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict(`SKU ${fields.sku} already exists in ${city.slug}`);
          throw error;
        }
        await api.reload({ kind: 'catalog', cityId: city.id });
        await api.audit(c, { action: 'product.create', entity: 'product', entityId: product.id, after: product });
        return c.json({ product }, 201);
      },
    }),
    route({
      method: 'put',
      path: '/products/:id',
      roles: ROLE_SETS.admins,
      tag: 'products',
      summary: 'Update a product (partial); a price drop notifies shoppers with price alerts',
      body: UpdateBody,
      response: obj({ product: ref('Product'), alertsTriggered: { type: 'integer' } }),
      errors: { 404: 'no such product', 409: 'SKU exists in this city' },
      handler: async (c, { body }) => {
        await checkProductTerms(db, body);
        let changed;
        try {
          changed = await updateProduct(db, param(c, 'id'), toInput(body));
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict(`SKU ${body.sku} already exists in this city`);
          throw error;
        }
        if (!changed) throw notFound('product');
        // before the price-drop notices go out, so a shopper tapping one reads the new price
        await api.reload({ kind: 'catalog', cityId: changed.after.cityId });
        await api.audit(c, {
          action: 'product.update',
          entity: 'product',
          entityId: changed.after.id,
          before: changed.before,
          after: changed.after,
        });
        if (changed.triggeredAlerts.length > 0 && api.deps.onPriceDrop) {
          try {
            await api.deps.onPriceDrop(changed.triggeredAlerts);
          } catch (error) {
            // the periodic sweep retries; the edit itself succeeded
            api.deps.log?.warn({ err: error, productId: changed.after.id }, 'price-drop notification failed');
          }
        }
        return c.json({ product: changed.after, alertsTriggered: changed.triggeredAlerts.length });
      },
    }),
    route({
      method: 'delete',
      path: '/products/:id',
      roles: ROLE_SETS.admins,
      tag: 'products',
      summary: 'Delete a product',
      responseStatus: 204,
      errors: { 404: 'no such product' },
      handler: async (c) => {
        const product = await deleteProduct(db, param(c, 'id'));
        if (!product) throw notFound('product');
        await api.reload({ kind: 'catalog', cityId: product.cityId });
        await api.audit(c, { action: 'product.delete', entity: 'product', entityId: product.id, before: product });
        return c.body(null, 204);
      },
    }),
  ];
}

export { parseOr400 };
