import type { JsonSchema } from '../jsonSchema.ts';
import { s, n, int, obj, arr, opt } from '../docs.ts';

/** What happened: the audit log and the statistics. */
export const RECORDS_COMPONENTS: Record<string, JsonSchema> = {
  AuditEntry: opt(
    obj({
      id: s('uuid'),
      userId: s('uuid'),
      userEmail: s(),
      action: s(),
      entity: s(),
      entityId: s(),
      before: {},
      after: {},
      ip: s(),
      createdAt: s('date-time'),
    }),
    'userId',
    'userEmail',
    'entityId',
    'ip',
  ),
  Stats: obj({
    from: s('date-time'),
    to: s('date-time'),
    timezone: s(undefined, 'days are counted in this zone'),
    totals: obj({
      messages: int,
      activeShoppers: int,
      searches: int,
      zeroResults: int,
      productViews: int,
      alerts: int,
      escalations: int,
      leads: int,
    }),
    byDay: arr(
      obj({
        day: s('date'),
        channel: s(undefined, "telegram | whatsapp | web | '' (no channel)"),
        messages: int,
        activeShoppers: int,
        searches: int,
        zeroResults: int,
        productViews: int,
        alerts: int,
        escalations: int,
        leads: int,
      }),
    ),
    topQueries: arr(obj({ query: s(), count: int })),
    zeroResultQueries: arr(obj({ query: s(), count: int })),
    funnel: obj({
      shoppers: int,
      greeting: int,
      search: int,
      productView: int,
      alertOrEscalation: int,
      cart: { ...int, description: 'conversations that put something in the cart' },
      order: { ...int, description: 'orders placed in the period' },
      paid: {
        ...int,
        description:
          'orders paid in the period (by a provider, marked paid by a manager, or paid on receipt and completed)',
      },
    }),
    sales: obj({
      currency: s(undefined, "revenue's currency: the city's (all cities: the one most of them sell in)"),
      byDay: arr(
        obj({
          day: s('date'),
          orders: { ...int, description: 'orders placed that day' },
          paid: { ...int, description: 'orders paid that day (paid on receipt: the day it was completed)' },
          refunded: { ...int, description: 'orders cancelled that day after they were paid' },
          revenue: { ...n, description: 'the totals of the orders paid that day less those refunded that day' },
        }),
      ),
      totals: obj({ orders: int, paid: int, refunded: int, revenue: n }),
    }),
    responseTime: obj({
      p50Ms: { anyOf: [n, { type: 'null' }] },
      p95Ms: { anyOf: [n, { type: 'null' }] },
      samples: int,
    }),
    escalationFirstResponse: obj({
      p50Ms: { anyOf: [n, { type: 'null' }] },
      p95Ms: { anyOf: [n, { type: 'null' }] },
      samples: int,
    }),
  }),
};
