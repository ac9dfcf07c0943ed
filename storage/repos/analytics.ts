import { sql } from 'kysely';
import { json, type Db } from './common.ts';

/**
 * Analytics events. Names the stats understand (engine `track` effects plus what the runtime
 * records): message_in (one per shopper message), message_out (one per batch of replies;
 * metadata.responseMs from the message's arrival to its last reply sent), greeting, search
 * (metadata.text: the shopper's own words; metadata.query: what was left for full-text search after
 * category, colour and price were taken out; metadata.total), zero_results, product_view,
 * alert_created, escalation, cart_add.
 */
export type NewAnalyticsEvent = {
  type: string;
  channel?: string | null;
  cityId?: string | null;
  userId?: string | null;
  conversationKey?: string | null;
  metadata?: Record<string, unknown>;
  at?: Date;
  /** unique per relayed row; a row whose key was written before is skipped */
  recordKey?: string;
  /** staff talking to the bot (playground, API tokens), left out of the shopper figures */
  test?: boolean;
};

export async function recordEvent(db: Db, e: NewAnalyticsEvent): Promise<void> {
  await recordEvents(db, [e]);
}

export async function recordEvents(db: Db, events: NewAnalyticsEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('analytics_events')
    .values(
      events.map((e) => ({
        event_type: e.type,
        channel: e.channel ?? null,
        city_id: e.cityId ?? null,
        user_id: e.userId ?? null,
        conversation_key: e.conversationKey ?? null,
        metadata: json(e.metadata ?? {}),
        ...(e.at ? { created_at: e.at } : {}),
        record_key: e.recordKey ?? null,
        is_test: e.test === true,
      })),
    )
    .onConflict((oc) => oc.column('record_key').doNothing())
    .execute();
}

export type StatsQuery = {
  from: Date;
  to: Date;
  cityId?: string;
  channel?: string;
  timezone?: string;
  topN?: number;
  /** count staff's test traffic (playground, API tokens) as well; left out by default */
  includeTest?: boolean;
};

export type DayStats = {
  day: string;
  channel: string;
  messages: number;
  activeShoppers: number;
  searches: number;
  zeroResults: number;
  productViews: number;
  alerts: number;
  escalations: number;
  /** leads designer flows recorded (`lead` events) */
  leads: number;
};
export type AnalyticsStats = {
  days: DayStats[];
  totals: Omit<DayStats, 'day' | 'channel'>;
  topQueries: { query: string; count: number }[];
  zeroResultQueries: { query: string; count: number }[];
  /**
   * distinct conversations that reached each step in the period; `shoppers` wrote at all, `cart` put
   * something in the cart (orders and payments are counted from the orders ledger: storage/orders/sales.ts)
   */
  funnel: {
    shoppers: number;
    greeting: number;
    search: number;
    productView: number;
    alertOrEscalation: number;
    cart: number;
  };
  responseTimeMs: { p50: number | null; p95: number | null; samples: number };
};

export async function analyticsStats(db: Db, q: StatsQuery): Promise<AnalyticsStats> {
  const tz = q.timezone ?? 'Asia/Almaty';
  const topN = q.topN ?? 10;
  const scope = sql`created_at >= ${q.from} AND created_at < ${q.to}
    ${q.cityId ? sql`AND city_id = ${q.cityId}::uuid` : sql``}
    ${q.channel ? sql`AND channel = ${q.channel}` : sql``}
    ${q.includeTest ? sql`` : sql`AND NOT is_test`}`;
  // the shopper's words as typed, folded so «Диван » and «диван» are one query
  const typed = sql`lower(btrim(regexp_replace(metadata->>'text', '\\s+', ' ', 'g')))`;
  const who = sql`coalesce(conversation_key, user_id)`;
  const counters = sql`
    count(*) FILTER (WHERE event_type = 'message_in') AS messages,
    count(DISTINCT ${who}) FILTER (WHERE event_type = 'message_in') AS active_shoppers,
    count(*) FILTER (WHERE event_type = 'search') AS searches,
    count(*) FILTER (WHERE event_type = 'zero_results') AS zero_results,
    count(*) FILTER (WHERE event_type = 'product_view') AS product_views,
    count(*) FILTER (WHERE event_type = 'alert_created') AS alerts,
    count(*) FILTER (WHERE event_type = 'escalation') AS escalations,
    count(*) FILTER (WHERE event_type = 'lead') AS leads`;
  type Counters = {
    messages: string | number;
    active_shoppers: string | number;
    searches: string | number;
    zero_results: string | number;
    product_views: string | number;
    alerts: string | number;
    escalations: string | number;
    leads: string | number;
  };
  const toCounters = (r: Counters) => ({
    messages: Number(r.messages),
    activeShoppers: Number(r.active_shoppers),
    searches: Number(r.searches),
    zeroResults: Number(r.zero_results),
    productViews: Number(r.product_views),
    alerts: Number(r.alerts),
    escalations: Number(r.escalations),
    leads: Number(r.leads),
  });

  const [days, totals, top, zero, funnel, response] = await Promise.all([
    sql<Counters & { day: string; channel: string }>`
      SELECT to_char((created_at AT TIME ZONE ${tz})::date, 'YYYY-MM-DD') AS day, coalesce(channel, '') AS channel, ${counters}
        FROM analytics_events WHERE ${scope} GROUP BY 1, 2 ORDER BY 1, 2`.execute(db),
    sql<Counters>`SELECT ${counters} FROM analytics_events WHERE ${scope}`.execute(db),
    sql<{ query: string; count: string | number }>`
      SELECT ${typed} AS query, count(*) AS count FROM analytics_events
       WHERE ${scope} AND event_type = 'search' AND coalesce(${typed}, '') <> ''
       GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${topN}`.execute(db),
    sql<{ query: string; count: string | number }>`
      SELECT coalesce(nullif(${typed}, ''), nullif(lower(metadata->>'query'), ''), lower(metadata->>'category'), '') AS query, count(*) AS count FROM analytics_events
       WHERE ${scope} AND event_type = 'zero_results'
       GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${topN}`.execute(db),
    sql<{
      shoppers: string | number;
      greeting: string | number;
      search: string | number;
      product_view: string | number;
      converted: string | number;
      cart: string | number;
    }>`
      SELECT count(DISTINCT ${who}) FILTER (WHERE event_type = 'message_in') AS shoppers,
             count(DISTINCT ${who}) FILTER (WHERE event_type = 'greeting') AS greeting,
             count(DISTINCT ${who}) FILTER (WHERE event_type = 'search') AS search,
             count(DISTINCT ${who}) FILTER (WHERE event_type = 'product_view') AS product_view,
             count(DISTINCT ${who}) FILTER (WHERE event_type IN ('alert_created', 'escalation')) AS converted,
             count(DISTINCT ${who}) FILTER (WHERE event_type = 'cart_add') AS cart
        FROM analytics_events WHERE ${scope}`.execute(db),
    sql<{ p50: string | number | null; p95: string | number | null; samples: string | number }>`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (metadata->>'responseMs')::float8) AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY (metadata->>'responseMs')::float8) AS p95,
             count(*) AS samples
        FROM analytics_events WHERE ${scope} AND event_type = 'message_out' AND jsonb_typeof(metadata->'responseMs') = 'number'`.execute(
      db,
    ),
  ]);
  const f = funnel.rows[0];
  const r = response.rows[0];
  return {
    days: days.rows.map((d) => ({ day: d.day, channel: d.channel, ...toCounters(d) })),
    totals: toCounters(totals.rows[0]!),
    topQueries: top.rows.map((t) => ({ query: t.query, count: Number(t.count) })),
    zeroResultQueries: zero.rows.map((t) => ({ query: t.query, count: Number(t.count) })),
    funnel: {
      shoppers: Number(f?.shoppers ?? 0),
      greeting: Number(f?.greeting ?? 0),
      search: Number(f?.search ?? 0),
      productView: Number(f?.product_view ?? 0),
      alertOrEscalation: Number(f?.converted ?? 0),
      cart: Number(f?.cart ?? 0),
    },
    responseTimeMs: {
      p50: r?.p50 == null ? null : Number(r.p50),
      p95: r?.p95 == null ? null : Number(r.p95),
      samples: Number(r?.samples ?? 0),
    },
  };
}
