import { sql } from 'kysely';
import type { Db } from '../repos/common.ts';
import { PAY_ON_RECEIPT_METHODS } from './status.ts';
import { toMinor } from './types.ts';

export type SalesQuery = {
  from: Date;
  to: Date;
  /** days are counted in this zone */
  timezone: string;
  cityId?: string;
  channel?: string;
  /** the currency revenue is summed in: the city's; without one, the currency most cities sell in */
  currency?: string;
  /** count test orders (placed by staff in the playground or with API tokens) as well */
  includeTest?: boolean;
};

/** `refunded`: orders cancelled that day after they were paid; their totals are taken off that day's revenue */
export type SalesDay = { day: string; orders: number; paid: number; refunded: number; revenue: number };
export type SalesStats = {
  currency: string;
  /** every day of the period, a day without orders too */
  byDay: SalesDay[];
  totals: { orders: number; paid: number; refunded: number; revenue: number };
};

/**
 * Orders placed and orders paid per day, and the money taken, read from the orders ledger. An order
 * counts as paid on the day its money came: its `paid` status change, which a provider's
 * notification and a manager marking a Kaspi invoice paid by hand both write (recordPayment), or,
 * paid on receipt (to the courier, at the till), the day it became `completed`. An order
 * cancelled after it was paid is money going back: it counts as refunded that day and its total is
 * subtracted then (the day it was paid keeps its revenue). Revenue sums totals in `currency` (orders in
 * another currency are counted, not summed). A test order (`orders.is_test`, set when it was
 * placed) is left out unless asked for.
 */
export async function salesStats(db: Db, q: SalesQuery): Promise<SalesStats> {
  const tz = q.timezone;
  const currency = q.currency ?? (await commonCurrency(db));
  const scope = sql`${q.cityId ? sql`AND o.city_id = ${q.cityId}::uuid` : sql``}
    ${q.channel ? sql`AND o.channel = ${q.channel}` : sql``}
    ${q.includeTest ? sql`` : sql`AND NOT o.is_test`}`;
  const localDay = (column: string) => sql`to_char((${sql.ref(column)} AT TIME ZONE ${tz})::date, 'YYYY-MM-DD')`;
  type Counted = string | number;
  const rows = await sql<{ day: string; orders: Counted; paid: Counted; refunded: Counted; revenue: Counted }>`
    WITH days AS (
      SELECT to_char(d, 'YYYY-MM-DD') AS day
        FROM generate_series((${q.from}::timestamptz AT TIME ZONE ${tz})::date::timestamp,
                             ((${q.to}::timestamptz - interval '1 millisecond') AT TIME ZONE ${tz})::date::timestamp,
                             interval '1 day') AS d
    ), placed AS (
      SELECT ${localDay('o.created_at')} AS day, count(*) AS orders
        FROM orders o
       WHERE o.created_at >= ${q.from} AND o.created_at < ${q.to} ${scope}
       GROUP BY 1
    ), money AS (
      SELECT ${localDay('e.created_at')} AS day, count(*) FILTER (WHERE m.sign > 0) AS paid,
             count(*) FILTER (WHERE m.sign < 0) AS refunded,
             coalesce(sum(m.sign * o.total) FILTER (WHERE o.currency = ${currency}), 0) AS revenue
        FROM order_events e JOIN orders o ON o.id = e.order_id
        CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM order_events p
                                            WHERE p.order_id = e.order_id AND p.to_status = 'paid') AS ever_paid) h
        CROSS JOIN LATERAL (SELECT CASE
          WHEN e.to_status = 'paid' THEN 1
          -- paid on receipt: the money came with the goods (unless a manager recorded it as a payment)
          WHEN e.to_status = 'completed' AND o.payment_method IN (${sql.join(PAY_ON_RECEIPT_METHODS)})
               AND NOT h.ever_paid THEN 1
          -- cancelled after it was paid: the money goes back
          WHEN e.to_status = 'cancelled' AND h.ever_paid THEN -1
          ELSE 0 END AS sign) m
       WHERE e.to_status IN ('paid', 'completed', 'cancelled') AND m.sign <> 0
         AND e.created_at >= ${q.from} AND e.created_at < ${q.to} ${scope}
       GROUP BY 1
    )
    SELECT days.day, coalesce(placed.orders, 0) AS orders, coalesce(money.paid, 0) AS paid,
           coalesce(money.refunded, 0) AS refunded, coalesce(money.revenue, 0) AS revenue
      FROM days LEFT JOIN placed ON placed.day = days.day LEFT JOIN money ON money.day = days.day
     ORDER BY days.day`.execute(db);
  const byDay = rows.rows.map((r) => ({
    day: r.day,
    orders: Number(r.orders),
    paid: Number(r.paid),
    refunded: Number(r.refunded),
    revenue: Number(r.revenue),
  }));
  const sum = (pick: (d: SalesDay) => number) => byDay.reduce((n, d) => n + pick(d), 0);
  return {
    currency,
    byDay,
    // summed in minor units: tiyn and cents add up exactly
    totals: {
      orders: sum((d) => d.orders),
      paid: sum((d) => d.paid),
      refunded: sum((d) => d.refunded),
      revenue: sum((d) => toMinor(d.revenue)) / 100,
    },
  };
}

/** the currency most cities sell in (KZT when there are none) */
async function commonCurrency(db: Db): Promise<string> {
  const row = await db
    .selectFrom('cities')
    .select('currency')
    .groupBy('currency')
    .orderBy((eb) => eb.fn.countAll(), 'desc')
    .orderBy('currency')
    .executeTakeFirst();
  return row?.currency ?? 'KZT';
}
