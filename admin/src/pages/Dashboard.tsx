import { For, Show, createMemo, createResource, createSignal, type JSX } from 'solid-js';
import { api } from '../api/client.ts';
import type { City } from '../api/types.ts';
import { Funnel, HBars, LatencyBars, TimeChart } from '../components/charts.tsx';
import { ErrorBox } from '../components/ui.tsx';
import { formatMoney, formatNumber, t, type MessageKey } from '../i18n.ts';
import { FUNNEL_STEPS, toDashboard } from '../lib/stats.ts';

const CHANNEL_COLORS: Record<string, string> = {
  telegram: '#2AABEE',
  whatsapp: '#25D366',
  web: '#4f46e5',
  all: '#4f46e5',
};
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const formatDuration = (ms?: number) =>
  ms === undefined ? '—' : ms < 60_000 ? `${formatNumber(ms / 1000, 1)} s` : `${formatNumber(ms / 60_000, 1)} min`;

export function DashboardPage(): JSX.Element {
  const [range, setRange] = createSignal(14);
  const [city, setCity] = createSignal('');
  // the playground and API-token traffic: staff, not shoppers, so off by default
  const [includeTest, setIncludeTest] = createSignal(false);
  const [cities] = createResource(() =>
    api
      .get<City[] | { items: City[] }>('/cities')
      .then((r) => (Array.isArray(r) ? r : r.items))
      .catch(() => [] as City[]),
  );
  const [stats] = createResource(
    () => ({ days: range(), city: city(), includeTest: includeTest() }),
    async ({ days, city, includeTest }) => {
      // whole days: from the start of the first day to the end of today (the server counts days in the city's zone)
      const today = new Date(`${isoDay(new Date())}T00:00:00Z`);
      const from = new Date(today.getTime() - (days - 1) * 86_400_000);
      const to = new Date(today.getTime() + 2 * 86_400_000);
      const raw = await api.get<unknown>('/analytics', {
        from: from.toISOString(),
        to: to.toISOString(),
        city: city || undefined,
        includeTest: includeTest ? 'true' : undefined,
      });
      return toDashboard(
        raw,
        Array.from({ length: days }, (_, i) => isoDay(new Date(from.getTime() + i * 86_400_000))),
      );
    },
  );
  // messages and replies the bot gave up on, not yet retried (GET /dead-letters is for admins: for
  // anyone else it answers 403 and the card is not shown)
  const [deadLetters] = createResource(() =>
    api
      .get<{ total: number }>('/dead-letters', { status: 'new', limit: '1' })
      .then((r) => r.total)
      .catch(() => undefined),
  );
  const d = createMemo(() => stats.latest);
  const labels = () => (d()?.days ?? []).map((x) => x.slice(5).replace('-', '.'));
  const kpi = (label: MessageKey, value: number | undefined, testid: string) => (
    <div class="card kpi" data-testid={testid}>
      <div class="label">{t(label)}</div>
      <div class="value">{value === undefined ? '—' : formatNumber(value)}</div>
    </div>
  );
  const zeroRate = () => {
    const x = d();
    return x && x.totals.searches > 0 ? Math.round((x.totals.zeroResults / x.totals.searches) * 100) : 0;
  };
  return (
    <>
      <div class="page-head">
        <h1>{t('nav.dashboard')}</h1>
        <div class="spacer" />
        <select value={city()} onChange={(e) => setCity(e.currentTarget.value)} aria-label={t('common.city')}>
          <option value="">{t('common.allCities')}</option>
          <For each={cities() ?? []}>{(c) => <option value={c.id}>{c.name}</option>}</For>
        </select>
        <select value={range()} onChange={(e) => setRange(Number(e.currentTarget.value))} aria-label={t('dash.range')}>
          <option value="7">{t('dash.days', { n: 7 })}</option>
          <option value="14">{t('dash.days', { n: 14 })}</option>
          <option value="30">{t('dash.days', { n: 30 })}</option>
        </select>
        <label class="check small" title={t('dash.includeTestHint')}>
          <input
            type="checkbox"
            data-testid="dash-include-test"
            checked={includeTest()}
            onChange={(e) => setIncludeTest(e.currentTarget.checked)}
          />{' '}
          {t('dash.includeTest')}
        </label>
      </div>
      <ErrorBox error={stats.error} />
      <div class="grid kpis">
        {kpi('dash.messages', d()?.totals.messages, 'kpi-messages')}
        {kpi('dash.shoppers', d()?.totals.shoppers, 'kpi-shoppers')}
        {kpi('dash.searches', d()?.totals.searches, 'kpi-searches')}
        <div class="card kpi" data-testid="kpi-zero">
          <div class="label">{t('dash.zeroResults')}</div>
          <div class="value">{d() ? formatNumber(d()!.totals.zeroResults) : '—'}</div>
          <div class="sub">{t('dash.ofSearches', { pct: zeroRate() })}</div>
        </div>
        {kpi('dash.alerts', d()?.totals.alerts, 'kpi-alerts')}
        {kpi('dash.escalations', d()?.totals.escalations, 'kpi-escalations')}
        {kpi('nav.leads', d()?.totals.leads, 'kpi-leads')}
        <div class="card kpi" data-testid="kpi-orders">
          <div class="label">{t('dash.orders')}</div>
          <div class="value">{d() ? formatNumber(d()!.sales.totals.orders) : '—'}</div>
          <div class="sub">
            {t('dash.paidOrders', { n: d()?.sales.totals.paid ?? 0 })}
            <Show when={(d()?.sales.totals.refunded ?? 0) > 0}>
              {', '}
              {t('dash.refundedOrders', { n: d()!.sales.totals.refunded })}
            </Show>
          </div>
        </div>
        <div class="card kpi" data-testid="kpi-revenue">
          <div class="label">{t('dash.revenue')}</div>
          <div class="value money">{d() ? formatMoney(d()!.sales.totals.revenue, d()!.sales.currency) : '—'}</div>
        </div>
        <Show when={deadLetters() !== undefined}>{kpi('dash.deadLetters', deadLetters(), 'kpi-dead-letters')}</Show>
      </div>
      <div class="grid two">
        <div class="card">
          <h2>{t('dash.messagesByChannel')}</h2>
          <Show
            when={(d()?.days.length ?? 0) > 0}
            fallback={<div class="empty">{stats.loading ? t('common.loading') : t('dash.noData')}</div>}
          >
            <TimeChart
              testid="chart-messages"
              labels={labels()}
              series={(d()?.channels ?? []).map((c, i) => ({
                name: c.name,
                color: CHANNEL_COLORS[c.name] ?? ['#8b5cf6', '#f59e0b', '#ef4444'][i % 3]!,
                values: c.values,
              }))}
            />
          </Show>
        </div>
        <div class="card">
          <h2>{t('dash.searchesAndEscalations')}</h2>
          <Show
            when={(d()?.days.length ?? 0) > 0}
            fallback={<div class="empty">{stats.loading ? t('common.loading') : t('dash.noData')}</div>}
          >
            <TimeChart
              testid="chart-searches"
              lines
              labels={labels()}
              series={[
                { name: t('dash.searches'), color: 'var(--c2)', values: d()?.searches ?? [] },
                { name: t('dash.zeroResults'), color: 'var(--c4)', values: d()?.zeroResults ?? [] },
                { name: t('dash.escalations'), color: 'var(--c5)', values: d()?.escalations ?? [] },
              ]}
            />
          </Show>
        </div>
        <div class="card">
          <h2>{t('dash.funnel')}</h2>
          <Funnel
            testid="chart-funnel"
            steps={(d()?.funnel ?? [])
              .filter((s) => (FUNNEL_STEPS as readonly string[]).includes(s.key))
              .map((s) => ({ label: t(`funnel.${s.key}` as MessageKey) || s.key, value: s.value }))}
          />
        </div>
        <div class="card">
          <h2>{t('dash.revenuePerDay')}</h2>
          <Show
            when={(d()?.days.length ?? 0) > 0}
            fallback={<div class="empty">{stats.loading ? t('common.loading') : t('dash.noData')}</div>}
          >
            <TimeChart
              testid="chart-revenue"
              labels={labels()}
              format={(v) => formatMoney(v, d()?.sales.currency)}
              series={[{ name: t('dash.revenue'), color: 'var(--c3)', values: d()?.sales.revenue ?? [] }]}
            />
          </Show>
          <p class="muted small">{t('dash.revenueHint', { currency: d()?.sales.currency ?? 'KZT' })}</p>
        </div>
        <div class="card">
          <h2>{t('dash.responseTime')}</h2>
          <LatencyBars testid="chart-latency" p50={d()?.p50} p95={d()?.p95} targetMs={2000} />
          <p class="muted small">{t('dash.responseTimeHint')}</p>
          <Show when={d()?.managerP50 !== undefined}>
            <p class="small" style={{ margin: 0 }} data-testid="manager-first-response">
              {t('dash.managerFirstResponse')}: p50 {formatDuration(d()!.managerP50)} · p95{' '}
              {formatDuration(d()!.managerP95)}
            </p>
          </Show>
        </div>
        <div class="card">
          <h2>{t('dash.topQueries')}</h2>
          <HBars testid="top-queries" items={d()?.topQueries ?? []} empty={t('dash.noData')} />
        </div>
        <div class="card">
          <h2>{t('dash.zeroQueries')}</h2>
          <HBars testid="zero-queries" items={d()?.zeroQueries ?? []} color="var(--c4)" empty={t('dash.noData')} />
        </div>
      </div>
    </>
  );
}
