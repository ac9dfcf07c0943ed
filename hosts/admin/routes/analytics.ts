import * as v from 'valibot';
import { sql } from 'kysely';
import { analyticsStats, recordEvent } from '../../../storage/repos/analytics.ts';
import { salesStats } from '../../../storage/orders/sales.ts';
import { badRequest } from '../http/errors.ts';
import { obj, ref } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { route, type Route } from '../http/route.ts';
import { qBool, qDate, qPicklist, qText } from '../http/validate.ts';
import { ROLE_SETS } from '../auth/roles.ts';
import { findCity, requireCity } from './lookup.ts';

const EventBody = v.strictObject({
  type: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_.]{0,63}$/, 'type is snake_case, e.g. search or product_view')),
  channel: v.optional(v.picklist(['telegram', 'whatsapp', 'web'])),
  city: v.optional(v.pipe(v.string(), v.maxLength(64))),
  userId: v.optional(v.pipe(v.string(), v.maxLength(255))),
  conversationKey: v.optional(v.pipe(v.string(), v.maxLength(300))),
  metadata: v.optional(
    v.pipe(
      v.record(v.string(), v.unknown()),
      v.check((m) => JSON.stringify(m).length <= 16_000, 'metadata is larger than 16 KB'),
    ),
  ),
  at: v.optional(v.pipe(v.string(), v.isoTimestamp('at is an ISO timestamp'))),
});
const StatsQuery = v.object({
  from: qDate(),
  to: qDate(),
  city: qText(64),
  channel: qPicklist(['telegram', 'whatsapp', 'web'] as const),
  tz: qText(64),
  includeTest: qBool(),
});

const DAY = 24 * 3600 * 1000;

export function analyticsRoutes(api: Api): Route[] {
  const { db } = api;
  return [
    route({
      method: 'post',
      path: '/analytics/event',
      roles: ROLE_SETS.staff,
      tag: 'analytics',
      summary: 'Log an analytics event',
      body: EventBody,
      responseStatus: 202,
      response: obj({ accepted: { type: 'boolean' } }),
      handler: async (c, { body }) => {
        const city = body.city ? await findCity(db, body.city) : undefined;
        if (body.city && !city) throw badRequest(`unknown city "${body.city}"`);
        await recordEvent(db, {
          type: body.type,
          channel: body.channel ?? null,
          cityId: city?.id ?? null,
          userId: body.userId ?? null,
          conversationKey: body.conversationKey ?? null,
          metadata: body.metadata ?? {},
          ...(body.at ? { at: new Date(body.at) } : {}),
        });
        return c.json({ accepted: true }, 202);
      },
    }),
    route({
      method: 'get',
      path: '/analytics',
      roles: ROLE_SETS.anyone,
      tag: 'analytics',
      summary:
        'Statistics by day and channel: messages, shoppers, searches, zero results, top queries, alerts, escalations, funnel to paid orders, revenue per day, response times',
      description:
        "Default period: the last 7 days. Days are counted in the city's time zone (or `tz`, default Asia/Almaty). " +
        'Staff talking to the bot (the playground, API tokens) is left out unless `includeTest=true`. ' +
        "The funnel's `cart` counts conversations that put something in the cart; `order` and `paid` count orders placed and orders paid in the period, " +
        "read from the orders ledger, as `sales` does per day (revenue: the totals of the orders paid that day — paid on receipt: the day it was completed — less those cancelled that day after they were paid, in the city's currency).",
      query: StatsQuery,
      response: ref('Stats'),
      handler: async (c, { query }) => {
        const to = query.to ?? api.now();
        const from = query.from ?? new Date(to.getTime() - 7 * DAY);
        if (from >= to) throw badRequest('from must be before to');
        if (to.getTime() - from.getTime() > 400 * DAY) throw badRequest('the period is limited to 400 days');
        const city = query.city ? await requireCity(db, query.city) : undefined;
        const timezone = query.tz ?? city?.timezone ?? 'Asia/Almaty';
        const scope = {
          from,
          to,
          timezone,
          ...(city ? { cityId: city.id } : {}),
          ...(query.channel ? { channel: query.channel } : {}),
          includeTest: query.includeTest === true,
        };
        const [stats, sales] = await Promise.all([
          analyticsStats(db, scope),
          salesStats(db, { ...scope, ...(city ? { currency: city.currency } : {}) }),
        ]);
        const firstResponse = await sql<{
          p50: string | number | null;
          p95: string | number | null;
          samples: string | number;
        }>`
          SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at) * 1000) AS p50,
                 percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at) * 1000) AS p95,
                 count(*) AS samples
            FROM escalations
           WHERE first_response_at IS NOT NULL AND created_at >= ${from} AND created_at < ${to}
             ${city ? sql`AND city_id = ${city.id}::uuid` : sql``}
             ${query.channel ? sql`AND channel = ${query.channel}` : sql``}`.execute(db);
        const fr = firstResponse.rows[0];
        return c.json({
          from: from.toISOString(),
          to: to.toISOString(),
          timezone,
          totals: stats.totals,
          byDay: stats.days,
          topQueries: stats.topQueries,
          zeroResultQueries: stats.zeroResultQueries,
          funnel: { ...stats.funnel, order: sales.totals.orders, paid: sales.totals.paid },
          sales,
          responseTime: {
            p50Ms: stats.responseTimeMs.p50,
            p95Ms: stats.responseTimeMs.p95,
            samples: stats.responseTimeMs.samples,
          },
          escalationFirstResponse: {
            p50Ms: fr?.p50 == null ? null : Number(fr.p50),
            p95Ms: fr?.p95 == null ? null : Number(fr.p95),
            samples: Number(fr?.samples ?? 0),
          },
        });
      },
    }),
  ];
}
