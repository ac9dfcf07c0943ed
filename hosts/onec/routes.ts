import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import * as v from 'valibot';
import type { City } from '../../storage/repos/cities.ts';
import type { Db } from '../../storage/repos/common.ts';
import { OnecExchange, type AfterApply, type Answer } from '../../storage/onec/index.ts';
import type { Logger } from '../runtime/ports.ts';
import { checkBasic } from './auth.ts';
import type { OnecConfig } from './config.ts';
import { answer, COOKIE_NAME, failure, reply } from './reply.ts';
import { saleHandler } from './sale.ts';

/**
 * `GET|POST /1c/exchange/:city?type=catalog&mode=checkauth|init|file|import|deactivate|complete` —
 * the site exchange 1C:Enterprise drives (CommerceML 2). HTTP Basic opens a session at
 * `checkauth`; every later request carries the session's cookie (and may repeat Basic, which must
 * then be right). Answers are plain text lines, as 1C reads them. `type=sale` (orders to 1C and
 * their statuses back) is sale.ts, on the same login and sessions.
 */
export { COOKIE_NAME };

export type OnecRoutesDeps = {
  db: Db;
  config: OnecConfig;
  cities: { resolve(slug: string): Promise<City | undefined>; byId(id: string): City | undefined };
  afterApply: AfterApply;
  /** an order's status changed through 1C: tell the shopper (orderNews.ts) */
  onOrderChanged?: () => Promise<unknown>;
  clock?: () => Date;
  log: Logger;
  /** items read per `import` request at most (tests make steps small) */
  stepItems?: number;
};

const Query = v.object({
  type: v.optional(v.string(), ''),
  mode: v.optional(v.string(), ''),
  filename: v.optional(v.string()),
});

export function onecRoutes(deps: OnecRoutesDeps): Hono {
  const { config } = deps;
  const exchange = new OnecExchange(
    deps.db,
    {
      fileLimit: config.fileLimit,
      sessionBytes: config.sessionBytes,
      stepMs: config.stepMs,
      stepItems: deps.stepItems ?? Number.POSITIVE_INFINITY,
      idleMs: config.idleMs,
      zip: config.zip,
      priceType: (cityId) => {
        const slug = deps.cities.byId(cityId)?.slug;
        return (slug ? config.priceTypes.byCity[slug] : undefined) ?? config.priceTypes.all;
      },
    },
    deps.afterApply,
    deps.clock,
  );
  const sale = saleHandler({
    db: deps.db,
    config,
    cities: deps.cities,
    exchange,
    ...(deps.onOrderChanged ? { onOrderChanged: deps.onOrderChanged } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    log: deps.log,
  });
  const app = new Hono();
  app.on(['GET', 'POST'], '/exchange/:city', async (c) => {
    if (!config.user || !config.password)
      return failure(c, 'the 1C exchange is not configured: set ONEC_EXCHANGE_USER and ONEC_EXCHANGE_PASSWORD', 503);
    const basic = checkBasic(c.req.header('authorization'), config.user, config.password);
    if (basic === 'wrong' || (basic === 'missing' && c.req.query('mode') === 'checkauth')) {
      c.header('WWW-Authenticate', 'Basic realm="1C exchange", charset="UTF-8"');
      return failure(c, 'wrong user or password', 401);
    }
    const query = v.parse(Query, c.req.query());
    const city = await deps.cities.resolve(c.req.param('city'));
    if (!city) return failure(c, `there is no city ${c.req.param('city')}`, 404);
    if (query.type !== 'catalog' && query.type !== 'sale')
      return failure(c, `type=${query.type} is not served (type=catalog and type=sale are)`);
    try {
      if (query.type === 'sale') return await sale(c, city, query.mode, query.filename);
      if (query.mode === 'checkauth') {
        const opened = await exchange.checkauth(city.id);
        if (!opened.ok) return failure(c, opened.reason);
        if (opened.abandoned > 0)
          deps.log.warn(
            { city: city.slug, abandoned: opened.abandoned },
            '1C exchange took over a quiet unfinished one',
          );
        deps.log.info({ city: city.slug }, '1C exchange session opened');
        return reply(c, 200, ['success', COOKIE_NAME, opened.token]);
      }
      const token = getCookie(c, COOKIE_NAME);
      const session = token ? await exchange.session(city.id, token) : undefined;
      if (!session) return failure(c, 'no exchange session: call mode=checkauth first and send its cookie', 401);
      if (session.kind !== 'catalog')
        return failure(c, 'this session was opened for type=sale; open one with type=catalog');
      switch (query.mode) {
        case 'init': {
          // the one answer without a status line: `zip=…` and `file_limit=…`
          const ready = await exchange.init(session);
          return ready.status === 'success' ? reply(c, 200, ready.lines) : answer(c, ready);
        }
        case 'file': {
          if (query.filename === undefined) return failure(c, 'mode=file needs filename=');
          const declared = Number(c.req.header('content-length') ?? Number.NaN);
          if (declared > config.fileLimit)
            return failure(c, `the part is larger than file_limit (${config.fileLimit} bytes)`);
          return answer(c, await exchange.file(session, query.filename, chunksOf(c.req.raw.body)));
        }
        case 'import':
          if (query.filename === undefined) return failure(c, 'mode=import needs filename=');
          return answer(c, await exchange.import(session, query.filename));
        case 'deactivate':
        case 'complete':
          return answer(c, await exchange.finish(session, query.mode));
        default:
          return failure(c, `mode=${query.mode} is not part of the catalog exchange`);
      }
    } catch (error) {
      deps.log.error({ err: error, city: city.slug, type: query.type, mode: query.mode }, '1C exchange request failed');
      return failure(c, `the server could not finish mode=${query.mode}; nothing half-done was kept`, 500);
    }
  });
  return app;
}

/** the request body as it arrives; stopping early (a part over the limit) stops reading the socket */
async function* chunksOf(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}
