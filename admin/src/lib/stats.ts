/**
 * Turns the analytics statistics (`GET /api/analytics/stats`) into what the dashboard draws. The
 * reader is lenient about field names and shapes (rows per day and channel, or totals per day) so a
 * server that adds or renames a field degrades one chart, not the page.
 */

export type DayRow = Record<string, unknown> & { date?: string; day?: string; channel?: string | null };
export type Dashboard = {
  days: string[];
  channels: { name: string; values: number[] }[];
  searches: number[];
  zeroResults: number[];
  escalations: number[];
  alerts: number[];
  totals: {
    messages: number;
    shoppers: number;
    searches: number;
    zeroResults: number;
    escalations: number;
    alerts: number;
    leads: number;
  };
  topQueries: { label: string; value: number }[];
  zeroQueries: { label: string; value: number }[];
  funnel: { key: string; value: number }[];
  /** orders placed and paid per day and the money paid, one value per day of `days` */
  sales: {
    currency: string;
    orders: number[];
    paid: number[];
    revenue: number[];
    totals: { orders: number; paid: number; refunded: number; revenue: number };
  };
  p50?: number;
  p95?: number;
  /** time from an escalation to the manager's first answer */
  managerP50?: number;
  managerP95?: number;
};

const num = (v: unknown): number =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : 0;
const pick = (o: Record<string, unknown> | undefined, ...names: string[]): unknown => {
  if (!o) return undefined;
  for (const n of names) if (o[n] !== undefined) return o[n];
  return undefined;
};
const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const dayOf = (r: DayRow): string => String(r.date ?? r.day ?? '').slice(0, 10);

/** the funnel as the dashboard draws it: every shopper who wrote, then how far they got, to a paid order */
export const FUNNEL_STEPS = [
  'shoppers',
  'search',
  'product_view',
  'cart',
  'order',
  'paid',
  'alert_or_escalation',
] as const;

function queries(v: unknown): { label: string; value: number }[] {
  if (!Array.isArray(v)) return [];
  return v
    .map((q) => {
      const r = asRecord(q) ?? {};
      return {
        label: String(pick(r, 'query', 'text', 'term', 'label') ?? ''),
        value: num(pick(r, 'count', 'n', 'value', 'searches')),
      };
    })
    .filter((q) => q.label !== '')
    .slice(0, 10);
}

function funnelOf(v: unknown): { key: string; value: number }[] {
  if (Array.isArray(v)) {
    return v.map((s) => {
      const r = asRecord(s) ?? {};
      return {
        key: String(pick(r, 'step', 'stage', 'name', 'key') ?? ''),
        value: num(pick(r, 'count', 'value', 'shoppers', 'n')),
      };
    });
  }
  const r = asRecord(v);
  if (!r) return [];
  const alertOrEsc = r.alert_or_escalation ?? r.alertOrEscalation;
  return [
    { key: 'shoppers', value: num(pick(r, 'shoppers', 'activeShoppers')) },
    { key: 'greeting', value: num(pick(r, 'greeting', 'greetings', 'started')) },
    { key: 'search', value: num(pick(r, 'search', 'searches', 'searched')) },
    { key: 'product_view', value: num(pick(r, 'product_view', 'productView', 'productViews', 'viewed')) },
    { key: 'cart', value: num(pick(r, 'cart', 'cartAdd', 'cart_add')) },
    { key: 'order', value: num(pick(r, 'order', 'orders')) },
    { key: 'paid', value: num(pick(r, 'paid', 'paidOrders')) },
    {
      key: 'alert_or_escalation',
      value:
        alertOrEsc !== undefined
          ? num(alertOrEsc)
          : num(pick(r, 'alert', 'alerts')) + num(pick(r, 'escalation', 'escalations')),
    },
  ];
}

/** the days of `sales.byDay` with orders or money: like the other rows, they are days the chart shows */
const salesRows = (v: unknown): DayRow[] => {
  const byDay = asRecord(v)?.byDay;
  return (Array.isArray(byDay) ? byDay : [])
    .map((row) => (asRecord(row) ?? {}) as DayRow)
    .filter((r) => num(r.orders) + num(r.paid) + num(r.refunded) > 0 || num(r.revenue) !== 0);
};

/** `sales` on the dashboard's days (the server sends every day of its period, quiet ones as zeros) */
function salesOf(v: unknown, index: Map<string, number>, length: number): Dashboard['sales'] {
  const s = asRecord(v) ?? {};
  const per = () => Array.from({ length }, () => 0);
  const [orders, paid, revenue] = [per(), per(), per()];
  for (const r of salesRows(v)) {
    const i = index.get(dayOf(r));
    if (i === undefined) continue;
    orders[i] = num(r.orders);
    paid[i] = num(r.paid);
    revenue[i] = num(r.revenue);
  }
  const totals = asRecord(s.totals) ?? {};
  return {
    currency: typeof s.currency === 'string' ? s.currency : 'KZT',
    orders,
    paid,
    revenue,
    totals: {
      orders: num(totals.orders),
      paid: num(totals.paid),
      refunded: num(totals.refunded),
      revenue: num(totals.revenue),
    },
  };
}

/**
 * `period`: the days (YYYY-MM-DD) the dashboard asked for; a day without traffic is a zero on the
 * chart rather than missing from it.
 */
export function toDashboard(raw: unknown, period: string[] = []): Dashboard {
  const s = asRecord(raw) ?? {};
  const rows = (
    Array.isArray(s.days) ? s.days : Array.isArray(s.byDay) ? s.byDay : Array.isArray(s.daily) ? s.daily : []
  ) as DayRow[];
  const byChannelRows = (
    Array.isArray(s.messagesByDay) ? s.messagesByDay : Array.isArray(s.byDayChannel) ? s.byDayChannel : rows
  ) as DayRow[];
  // the server counts days in the city's zone: its today may be after the browser's (Almaty is UTC+5)
  const days = [
    ...new Set([...period, ...[...rows, ...byChannelRows, ...salesRows(s.sales)].map(dayOf)].filter(Boolean)),
  ].sort();
  const index = new Map(days.map((d, i) => [d, i]));
  const zeros = () => days.map(() => 0);

  const channels = new Map<string, number[]>();
  for (const r of byChannelRows) {
    const i = index.get(dayOf(r));
    if (i === undefined) continue;
    const perChannel = asRecord(r.channels) ?? asRecord(r.byChannel);
    if (perChannel) {
      for (const [ch, v] of Object.entries(perChannel)) {
        const arr = channels.get(ch) ?? zeros();
        arr[i] = (arr[i] ?? 0) + num(typeof v === 'object' ? pick(asRecord(v), 'messages', 'count') : v);
        channels.set(ch, arr);
      }
    } else {
      const ch = String(r.channel ?? 'all');
      const arr = channels.get(ch) ?? zeros();
      arr[i] = (arr[i] ?? 0) + num(pick(r, 'messages', 'messageCount', 'count'));
      channels.set(ch, arr);
    }
  }
  const metric = (...names: string[]) => {
    const arr = zeros();
    for (const r of rows) {
      const i = index.get(dayOf(r));
      if (i !== undefined) arr[i] = (arr[i] ?? 0) + num(pick(r, ...names));
    }
    return arr;
  };
  const searches = metric('searches', 'search');
  const zeroResults = metric('zeroResults', 'zero_results', 'zeroResultSearches');
  const escalations = metric('escalations', 'escalation');
  const alerts = metric('alerts', 'alert', 'alertsCreated');
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const totalsRaw = asRecord(s.totals) ?? {};
  const messagesTotal = [...channels.values()].reduce((acc, a) => acc + sum(a), 0);
  const rt = asRecord(s.responseTime) ?? asRecord(s.responseTimeMs) ?? asRecord(s.latency) ?? {};
  const p50 = pick(rt, 'p50', 'p50Ms');
  const p95 = pick(rt, 'p95', 'p95Ms');
  const fr = asRecord(s.escalationFirstResponse) ?? {};
  const m50 = pick(fr, 'p50Ms', 'p50');
  const m95 = pick(fr, 'p95Ms', 'p95');
  return {
    days,
    // a channel with events but no messages (model calls, delivery statuses) is not a series
    channels: [...channels.entries()]
      .filter(([, values]) => sum(values) > 0)
      .map(([name, values]) => ({ name, values }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    searches,
    zeroResults,
    escalations,
    alerts,
    totals: {
      messages: pick(totalsRaw, 'messages') !== undefined ? num(totalsRaw.messages) : messagesTotal,
      shoppers: num(pick(totalsRaw, 'shoppers', 'activeShoppers', 'active_shoppers', 'users')),
      searches: pick(totalsRaw, 'searches') !== undefined ? num(totalsRaw.searches) : sum(searches),
      zeroResults:
        pick(totalsRaw, 'zeroResults', 'zero_results') !== undefined
          ? num(pick(totalsRaw, 'zeroResults', 'zero_results'))
          : sum(zeroResults),
      escalations: pick(totalsRaw, 'escalations') !== undefined ? num(totalsRaw.escalations) : sum(escalations),
      alerts: pick(totalsRaw, 'alerts') !== undefined ? num(totalsRaw.alerts) : sum(alerts),
      leads: num(pick(totalsRaw, 'leads')),
    },
    topQueries: queries(pick(s, 'topQueries', 'top_queries', 'queries')),
    zeroQueries: queries(pick(s, 'zeroResultQueries', 'zero_result_queries', 'zeroQueries')),
    funnel: funnelOf(s.funnel),
    sales: salesOf(s.sales, index, days.length),
    ...(p50 !== undefined && p50 !== null ? { p50: num(p50) } : {}),
    ...(p95 !== undefined && p95 !== null ? { p95: num(p95) } : {}),
    ...(m50 !== undefined && m50 !== null ? { managerP50: num(m50) } : {}),
    ...(m95 !== undefined && m95 !== null ? { managerP95: num(m95) } : {}),
  };
}
