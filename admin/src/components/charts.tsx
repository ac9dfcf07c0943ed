import { For, Show, createMemo, type JSX } from 'solid-js';
import { formatNumber } from '../i18n.ts';
import { axisTicks, funnelRows } from '../lib/chartScale.ts';

/** Small hand-drawn SVG charts: no chart library, a few hundred bytes each. */

export type Series = { name: string; color: string; values: number[] };

/**
 * stacked columns per day (messages by channel) or lines when `lines` is set; the values are counts
 * unless `format` says how to write them (money: the axis widens to fit its labels)
 */
export function TimeChart(props: {
  labels: string[];
  series: Series[];
  lines?: boolean;
  height?: number;
  testid?: string;
  format?: (v: number) => string;
}): JSX.Element {
  const W = 400;
  const H = () => props.height ?? 200;
  const write = (v: number) => (props.format ?? formatNumber)(v);
  const pad = { l: 34, r: 6, t: 8, b: 22 };
  const innerW = () => W - left() - pad.r;
  const innerH = () => H() - pad.t - pad.b;
  const n = () => Math.max(props.labels.length, 1);
  const ticks = createMemo(() => {
    const highest = props.lines
      ? Math.max(0, ...props.series.flatMap((s) => s.values))
      : Math.max(0, ...props.labels.map((_, i) => props.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)));
    return axisTicks(highest, { integer: true });
  });
  // room for the longest tick label (10px text: about 6px a character)
  const left = () => Math.max(pad.l, 8 + 6 * Math.max(...ticks().map((v) => write(v).length)));
  const max = () => ticks()[ticks().length - 1]!;
  const x = (i: number) => left() + (innerW() / n()) * (i + 0.5);
  const y = (v: number) => pad.t + innerH() - (v / max()) * innerH();
  const labelEvery = () => Math.ceil(n() / 7);
  const barW = () => Math.max(3, (innerW() / n()) * 0.62);
  return (
    <div class="chart" data-testid={props.testid}>
      <svg viewBox={`0 0 ${W} ${H()}`} role="img">
        <For each={ticks()}>
          {(v) => (
            <>
              <line class="grid-line" x1={left()} x2={W - pad.r} y1={y(v)} y2={y(v)} />
              <text x={left() - 6} y={y(v) + 3} text-anchor="end">
                {write(v)}
              </text>
            </>
          )}
        </For>
        <line class="axis" x1={left()} x2={W - pad.r} y1={y(0)} y2={y(0)} />
        <For each={props.labels}>
          {(label, i) => (
            <Show when={i() % labelEvery() === 0}>
              <text x={x(i())} y={H() - 8} text-anchor="middle">
                {label}
              </text>
            </Show>
          )}
        </For>
        <Show
          when={props.lines}
          fallback={
            <For each={props.labels}>
              {(_, i) => (
                <For each={props.series}>
                  {(s, j) => {
                    const v = () => s.values[i()] ?? 0;
                    // stacked on the series before it that day: worked out from the data on every
                    // redraw, never carried over from an earlier one (new data replaces the series)
                    const below = () => props.series.slice(0, j()).reduce((sum, t) => sum + (t.values[i()] ?? 0), 0);
                    const y0 = () => y(below());
                    const y1 = () => y(below() + v());
                    // a quiet day draws nothing, not a bar of height 0
                    return (
                      <Show when={v() > 0}>
                        <rect
                          x={x(i()) - barW() / 2}
                          y={y1()}
                          width={barW()}
                          height={Math.max(0, y0() - y1())}
                          fill={s.color}
                          rx="2"
                        >
                          <title>{`${props.labels[i()]} · ${s.name}: ${write(v())}`}</title>
                        </rect>
                      </Show>
                    );
                  }}
                </For>
              )}
            </For>
          }
        >
          <For each={props.series}>
            {(s) => (
              <>
                <polyline
                  fill="none"
                  stroke={s.color}
                  stroke-width="2.2"
                  stroke-linejoin="round"
                  points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
                />
                <For each={s.values}>
                  {(v, i) => (
                    <circle cx={x(i())} cy={y(v)} r="2.6" fill={s.color}>
                      <title>{`${props.labels[i()]} · ${s.name}: ${write(v)}`}</title>
                    </circle>
                  )}
                </For>
              </>
            )}
          </For>
        </Show>
      </svg>
      <div class="legend">
        <For each={props.series}>
          {(s) => (
            <span>
              <i style={{ background: s.color }} />
              {s.name}
            </span>
          )}
        </For>
      </div>
    </div>
  );
}

export function HBars(props: {
  items: { label: string; value: number }[];
  color?: string;
  empty: string;
  testid?: string;
}): JSX.Element {
  const max = () => Math.max(1, ...props.items.map((i) => i.value));
  return (
    <div class="bars-h" data-testid={props.testid}>
      <Show when={props.items.length > 0} fallback={<div class="empty">{props.empty}</div>}>
        <For each={props.items}>
          {(item) => (
            <div class="bar-row">
              <span class="name" title={item.label}>
                {item.label}
              </span>
              <div class="track">
                <div
                  class="fill"
                  style={{ width: `${(item.value / max()) * 100}%`, background: props.color ?? 'var(--c2)' }}
                />
              </div>
              <span class="right">{formatNumber(item.value)}</span>
            </div>
          )}
        </For>
      </Show>
    </div>
  );
}

/** funnel: each step as a bar (a share of the widest step) with the conversion from the first step */
export function Funnel(props: { steps: { label: string; value: number }[]; testid?: string }): JSX.Element {
  const W = 400;
  const rowH = 34;
  // label column, then the bar's track, then room for «12 345 · 100%» after the widest bar
  const trackX = 115;
  const trackW = W - trackX - 90;
  const colors = ['var(--c1)', 'var(--c2)', 'var(--c3)', 'var(--c4)', 'var(--c5)'];
  return (
    <div class="chart" data-testid={props.testid}>
      <svg viewBox={`0 0 ${W} ${props.steps.length * rowH + 4}`} role="img">
        <For each={funnelRows(props.steps)}>
          {(s, i) => {
            const w = Math.max(6, s.width * trackW);
            return (
              <g transform={`translate(0 ${i() * rowH})`} data-testid="funnel-step">
                <text x="0" y={rowH / 2 + 3} style={{ 'font-size': '12px', fill: 'var(--text)' }}>
                  {s.label}
                </text>
                <rect
                  x={trackX}
                  y="5"
                  width={w}
                  height={rowH - 12}
                  rx="5"
                  fill={colors[i() % colors.length]}
                  opacity="0.9"
                />
                <text x={trackX + w + 6} y={rowH / 2 + 3} style={{ 'font-size': '12px', fill: 'var(--text)' }}>
                  {formatNumber(s.value)}
                  {s.pct === undefined ? '' : ` · ${s.pct}%`}
                </text>
              </g>
            );
          }}
        </For>
      </svg>
    </div>
  );
}

/** response time: two bars (p50, p95) against a target line */
export function LatencyBars(props: { p50?: number; p95?: number; targetMs?: number; testid?: string }): JSX.Element {
  const W = 400;
  const H = 84;
  const max = () => axisTicks(Math.max(props.p95 ?? 0, props.p50 ?? 0, props.targetMs ?? 0, 1)).at(-1)!;
  const sx = (v: number) => 40 + (v / max()) * (W - 100);
  const fmt = (v?: number) =>
    v === undefined ? '—' : v >= 1000 ? `${formatNumber(v / 1000, 2)} s` : `${formatNumber(v)} ms`;
  return (
    <div class="chart" data-testid={props.testid}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img">
        <For
          each={
            [
              ['p50', props.p50, 'var(--c3)'],
              ['p95', props.p95, 'var(--c4)'],
            ] as const
          }
        >
          {([name, v, color], i) => (
            <g transform={`translate(0 ${i() * 38 + 6})`}>
              <text x="0" y="18" style={{ 'font-size': '12px', fill: 'var(--text)' }}>
                {name}
              </text>
              <rect x="40" y="4" width={Math.max(2, sx(v ?? 0) - 40)} height="22" rx="4" fill={color} />
              <text x={sx(v ?? 0) + 8} y="19" style={{ 'font-size': '12px', fill: 'var(--text)' }}>
                {fmt(v)}
              </text>
            </g>
          )}
        </For>
        <Show when={props.targetMs}>
          <line
            x1={sx(props.targetMs!)}
            x2={sx(props.targetMs!)}
            y1="2"
            y2={H - 6}
            stroke="var(--c5)"
            stroke-dasharray="4 3"
          />
        </Show>
      </svg>
    </div>
  );
}
