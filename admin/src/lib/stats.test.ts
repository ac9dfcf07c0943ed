import { describe, expect, it } from 'vitest';
import { toDashboard } from './stats.ts';

describe('toDashboard', () => {
  it('reads rows per day and channel', () => {
    const d = toDashboard({
      days: [
        { date: '2026-11-02', channel: 'telegram', messages: 5, searches: 2, zeroResults: 1 },
        { date: '2026-11-01', channel: 'whatsapp', messages: 3, escalations: 1 },
        { date: '2026-11-02', channel: 'whatsapp', messages: 4 },
      ],
      topQueries: [{ query: 'диван', count: 7 }],
      funnel: { shoppers: 12, greeting: 10, search: 6, productView: 3, alerts: 1, escalations: 1 },
      responseTime: { p50Ms: 120, p95Ms: 900 },
      escalationFirstResponse: { p50Ms: 60_000, p95Ms: null },
    });
    expect(d.days).toEqual(['2026-11-01', '2026-11-02']);
    expect(d.channels).toEqual([
      { name: 'telegram', values: [0, 5] },
      { name: 'whatsapp', values: [3, 4] },
    ]);
    expect(d.searches).toEqual([0, 2]);
    expect(d.totals).toMatchObject({ messages: 12, searches: 2, zeroResults: 1, escalations: 1 });
    expect(d.topQueries).toEqual([{ label: 'диван', value: 7 }]);
    expect(d.funnel.map((s) => s.value)).toEqual([12, 10, 6, 3, 0, 0, 0, 2]);
    expect(d.p50).toBe(120);
    expect(d.p95).toBe(900);
    expect(d.managerP50).toBe(60_000);
    expect(d.managerP95).toBeUndefined();
  });

  it('shows every day of the period asked for, and no series for a channel without messages', () => {
    const d = toDashboard(
      {
        byDay: [
          { day: '2026-11-02', channel: 'telegram', messages: 2, searches: 1 },
          { day: '2026-11-02', channel: 'web', messages: 0 },
        ],
      },
      ['2026-11-01', '2026-11-02', '2026-11-03'],
    );
    expect(d.days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(d.channels).toEqual([{ name: 'telegram', values: [0, 2, 0] }]);
    expect(d.searches).toEqual([0, 1, 0]);
  });

  it('reads per-day channel maps and a funnel list, and survives junk', () => {
    const d = toDashboard({
      byDay: [{ day: '2026-11-01T00:00:00Z', channels: { web: 2, telegram: '3' } }],
      funnel: [{ step: 'greeting', count: 4 }],
    });
    expect(
      toDashboard({ funnel: { shoppers: 6, greeting: 5, search: 4, productView: 2, alertOrEscalation: 1 } }).funnel.map(
        (s) => s.value,
      ),
    ).toEqual([6, 5, 4, 2, 0, 0, 0, 1]);
    expect(d.channels).toEqual([
      { name: 'telegram', values: [3] },
      { name: 'web', values: [2] },
    ]);
    expect(d.funnel).toEqual([{ key: 'greeting', value: 4 }]);
    expect(toDashboard(null).days).toEqual([]);
    expect(toDashboard({ days: 'x', funnel: 3 }).funnel).toEqual([]);
    expect(toDashboard({ sales: 'x' }).sales).toEqual({
      currency: 'KZT',
      orders: [],
      paid: [],
      revenue: [],
      totals: { orders: 0, paid: 0, refunded: 0, revenue: 0 },
    });
  });

  it('reads the funnel to a paid order and the sales per day on the days asked for', () => {
    const d = toDashboard(
      {
        funnel: { shoppers: 10, search: 8, productView: 5, alertOrEscalation: 1, cart: 3, order: 2, paid: 1 },
        sales: {
          currency: 'KZT',
          // the server counts days in the city's zone: its quiet days beyond the dashboard's are left
          // out, a day with money is shown (Almaty's today while the browser's is still yesterday)
          byDay: [
            { day: '2026-11-02', orders: 2, paid: 1, revenue: 191_980 },
            { day: '2026-11-04', orders: 1, paid: 1, revenue: 50_000 },
            { day: '2026-11-05', orders: 0, paid: 0, revenue: 0 },
            // a day with a refund alone (a paid order cancelled) is shown: its revenue is negative
            { day: '2026-11-06', orders: 0, paid: 0, refunded: 1, revenue: -50_000 },
          ],
          totals: { orders: 3, paid: 2, refunded: 1, revenue: 191_980 },
        },
      },
      ['2026-11-01', '2026-11-02', '2026-11-03'],
    );
    expect(d.funnel.filter((s) => ['cart', 'order', 'paid'].includes(s.key))).toEqual([
      { key: 'cart', value: 3 },
      { key: 'order', value: 2 },
      { key: 'paid', value: 1 },
    ]);
    expect(d.days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-06']);
    expect(d.sales).toEqual({
      currency: 'KZT',
      orders: [0, 2, 0, 1, 0],
      paid: [0, 1, 0, 1, 0],
      revenue: [0, 191_980, 0, 50_000, -50_000],
      totals: { orders: 3, paid: 2, refunded: 1, revenue: 191_980 },
    });
  });
});
