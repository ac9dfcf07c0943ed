import { For, Show, createMemo, type JSX } from 'solid-js';
import type { ScenarioGraph } from '../api/types.ts';
import { layoutMachine, type DiagramNode } from '../lib/machineDiagram.ts';

const FILL: Record<DiagramNode['kind'], [string, string]> = {
  state: ['#4f46e5', '#ffffff'],
  input: ['#e0f2fe', '#075985'],
  intent: ['#f0f2f7', '#1c2033'],
  menu: ['#ecfdf5', '#065f46'],
};

/** the scenario's machine, as the server read it from the engine: layered columns, curved edges, changed routing highlighted */
export function ScenarioDiagram(props: { graph: ScenarioGraph; lang: string; highlight?: string }): JSX.Element {
  const graph = createMemo(() => layoutMachine(props.graph, props.lang));
  const byId = createMemo(() => new Map(graph().nodes.map((n) => [n.id, n])));
  return (
    <div class="diagram" data-testid="scenario-diagram">
      <svg
        width="100%"
        style={{ 'max-width': `${graph().width}px`, display: 'block', margin: '0 auto' }}
        viewBox={`0 0 ${graph().width} ${graph().height + 10}`}
        role="img"
        aria-label="scenario state machine"
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0 0L10 5L0 10z" fill="#9aa0b4" />
          </marker>
          <marker
            id="arrow-hot"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="4.5"
            markerHeight="4.5"
            orient="auto-start-reverse"
          >
            <path d="M0 0L10 5L0 10z" fill="#c2410c" />
          </marker>
        </defs>
        <For each={graph().edges}>
          {(e) => {
            const a = byId().get(e.from)!;
            const b = byId().get(e.to)!;
            const x1 = a.x + a.w;
            const y1 = a.y + a.h / 2;
            const x2 = b.x;
            const y2 = b.y + b.h / 2;
            const mx = (x1 + x2) / 2;
            const d = `M${x1} ${y1} C${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`;
            // a fifth of the way along the curve, where edges leaving one node have begun to fan out
            const label = e.label && e.label.length > 40 ? `${e.label.slice(0, 39)}…` : e.label;
            return (
              <g data-edge={`${e.from}>${e.to}`}>
                <path
                  d={d}
                  fill="none"
                  stroke={e.changed ? '#c2410c' : '#c3c7d4'}
                  stroke-width={e.changed ? 2 : 1.2}
                  marker-end={e.changed ? 'url(#arrow-hot)' : 'url(#arrow)'}
                />
                <Show when={label}>
                  <text
                    x={x1 + 0.25 * (x2 - x1) + 2}
                    y={y1 + 0.1 * (y2 - y1) - 3}
                    font-size="9"
                    fill="#6b7186"
                    stroke="#fcfcff"
                    stroke-width="3"
                    paint-order="stroke"
                  >
                    {label}
                  </text>
                </Show>
                <title>{`${a.label} → ${b.label}${e.label ? ` (${e.label})` : ''}`}</title>
              </g>
            );
          }}
        </For>
        <For each={graph().nodes}>
          {(n) => (
            <g data-node={n.id}>
              <rect
                x={n.x}
                y={n.y}
                width={n.w}
                height={n.h}
                rx={n.kind === 'state' ? 11 : 5}
                fill={FILL[n.kind][0]}
                stroke={
                  props.highlight && n.id.endsWith(`:${props.highlight}`)
                    ? '#ef4444'
                    : n.kind === 'state'
                      ? 'none'
                      : '#d6d9e3'
                }
                stroke-width={props.highlight && n.id.endsWith(`:${props.highlight}`) ? 2.5 : 1}
              />
              <text
                x={n.x + n.w / 2}
                y={n.y + n.h / 2 + 4}
                text-anchor="middle"
                font-size="10.5"
                font-weight={n.kind === 'state' ? 600 : 400}
                fill={FILL[n.kind][1]}
              >
                {n.label.length > 32 ? `${n.label.slice(0, 31)}…` : n.label}
              </text>
              <title>{`${n.kind}: ${n.label}`}</title>
            </g>
          )}
        </For>
      </svg>
    </div>
  );
}
