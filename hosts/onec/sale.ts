import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { City } from '../../storage/repos/cities.ts';
import type { Db } from '../../storage/repos/common.ts';
import type { OnecExchange } from '../../storage/onec/index.ts';
import { OnecSale } from '../../storage/onec/sale/index.ts';
import type { Logger } from '../runtime/ports.ts';
import type { OnecConfig } from './config.ts';
import { answer, COOKIE_NAME, failure, reply } from './reply.ts';

/**
 * `/1c/exchange/:city?type=sale&mode=checkauth|init|query|success|file|import` — orders to 1C and
 * their status updates back, on the catalog exchange's login and sessions (routes.ts has already
 * checked Basic and found the city). `query` answers XML, every other mode plain text lines.
 */
export type SaleDeps = {
  db: Db;
  config: OnecConfig;
  cities: { byId(id: string): City | undefined };
  /** the session lookup is the catalog exchange's: one cookie table for both kinds */
  exchange: Pick<OnecExchange, 'session'>;
  /** an order changed: tell the shopper now (the worker's sweep catches what this misses) */
  onOrderChanged?: () => Promise<unknown>;
  clock?: () => Date;
  log: Logger;
};

export function saleHandler(deps: SaleDeps) {
  const { config } = deps;
  const sale = new OnecSale(
    deps.db,
    {
      fileLimit: config.fileLimit,
      defaultSchemaVersion: config.orders.schemaVersion,
      encoding: config.orders.encoding,
      currency: () => config.orders.currency,
      timezone: (cityId) => deps.cities.byId(cityId)?.timezone ?? 'Asia/Almaty',
    },
    deps.clock,
  );
  const tellShoppers = () => {
    Promise.resolve(deps.onOrderChanged?.()).catch((error) =>
      deps.log.warn({ err: error }, 'order news after a 1C update not delivered now; the sweep will retry'),
    );
  };

  return async (c: Context, city: City, mode: string, filename: string | undefined) => {
    const version = c.req.query('version') || undefined;
    if (mode === 'checkauth') {
      const opened = await sale.checkauth(city.id, config.idleMs);
      if (!opened.ok) return failure(c, opened.reason);
      deps.log.info({ city: city.slug }, '1C orders exchange session opened');
      return reply(c, 200, ['success', COOKIE_NAME, opened.token]);
    }
    const token = getCookie(c, COOKIE_NAME);
    const session = token ? await deps.exchange.session(city.id, token) : undefined;
    if (!session) return failure(c, 'no exchange session: call mode=checkauth first and send its cookie', 401);
    switch (mode) {
      case 'init': {
        const ready = await sale.init(session, version);
        return ready.status === 'success' ? reply(c, 200, ready.lines) : answer(c, ready);
      }
      case 'query': {
        const result = await sale.query(session, version);
        if (!('xml' in result)) return answer(c, result);
        deps.log.info({ city: city.slug, orders: result.orders }, '1C orders exchange: orders sent');
        const charset = config.orders.encoding === 'utf-8' ? 'utf-8' : 'windows-1251';
        return c.body(new Uint8Array(result.xml), 200, {
          'Content-Type': `application/xml; charset=${charset}`,
          'Cache-Control': 'no-store',
        });
      }
      case 'success': {
        const done = await sale.success(session);
        if (done.exported !== undefined)
          deps.log.info({ city: city.slug, exported: done.exported }, '1C orders exchange: orders confirmed');
        return answer(c, done);
      }
      case 'file': {
        if (filename === undefined) return failure(c, 'mode=file needs filename=');
        const body = await bounded(c.req.raw.body, config.fileLimit);
        if (!body) return failure(c, `the file is larger than file_limit (${config.fileLimit} bytes)`);
        const applied = await sale.file(session, filename, body);
        if (applied.summary) {
          deps.log.info({ city: city.slug, file: filename, ...applied.summary }, '1C orders exchange: updates read');
          if (applied.summary.changed > 0) tellShoppers();
        }
        return answer(c, applied);
      }
      case 'import':
        if (filename === undefined) return failure(c, 'mode=import needs filename=');
        return answer(c, await sale.import(session, filename));
      default:
        return failure(
          c,
          `mode=${mode} is not part of the orders exchange (checkauth, init, query, success, file, import)`,
        );
    }
  };
}

/** the whole body, or undefined as soon as it passes `limit` bytes (the rest is not read) */
async function bounded(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array | undefined> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(parts, size);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    parts.push(value);
  }
}
