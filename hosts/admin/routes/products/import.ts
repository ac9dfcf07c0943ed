import * as v from 'valibot';
import { streamSSE } from 'hono/streaming';
import { importCatalog, type ImportResult } from '../../../../storage/import/import.ts';
import { notifyCatalogChanged } from '../../catalogChanged.ts';
import { ApiError, badRequest } from '../../http/errors.ts';
import { ref } from '../../http/docs.ts';
import type { Api } from '../../http/context.ts';
import { route, type Route } from '../../http/route.ts';
import { ROLE_SETS } from '../../auth/roles.ts';
import { requireCity } from '../lookup.ts';

const ImportQuery = v.object({ city: v.pipe(v.string(), v.minLength(1, 'city is required (?city=<slug>)')) });

/** A whole catalog into one city at once (CSV or JSON), with progress for the panel's bar. */
export function productImportRoute(api: Api): Route {
  const { db } = api;
  return route({
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
  });
}
