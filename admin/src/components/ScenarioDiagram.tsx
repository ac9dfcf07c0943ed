import { For, Show, createMemo, type JSX } from 'solid-js';
import { buildScenarioGraph, type GraphNode } from '../lib/scenarioGraph.ts';

const FILL: Record<GraphNode['kind'], [string, string]> = {
  state: ['#4f46e5', '#ffffff'],
  input: ['#e0f2fe', '#075985'],
  intent: ['#f0f2f7', '#1c2033'],
  menu: ['#ecfdf5', '#065f46'],
  route: ['#fff7ed', '#9a3412'],
};

/** the scenario's machine as an SVG: layered columns, curved edges, changed routing highlighted */
export function ScenarioDiagram(props: { scenario: unknown; lang: string; highlight?: string }): JSX.Element {
  const graph = createMemo(() => buildScenarioGraph(props.scenario, props.lang));
  const byId = createMemo(() => new Map(graph().nodes.map((n) => [n.id, n])));
  return (
    <div class="diagram" data-testid="scenario-diagram">
      <svg width="100%" style={{ 'max-width': `${graph().width}px`, display: 'block', margin: '0 auto' }} viewBox={`0 0 ${graph().width} ${graph().height + 10}`} role="img" aria-label="scenario state machine">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0 0L10 5L0 10z" fill="#9aa0b4" />
          </marker>
          <marker id="arrow-hot" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="4.5" markerHeight="4.5" orient="auto-start-reverse">
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
            const back = x2 <= x1;
            const mx = (x1 + x2) / 2;
            const d = back ? `M${x1} ${y1} C${x1 + 60} ${y1 - 80}, ${x2 - 60} ${y2 - 80}, ${x2} ${y2}` : `M${x1} ${y1} C${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`;
            return (
              <g>
                <path d={d} fill="none" stroke={e.changed ? '#c2410c' : e.dashed ? '#ef4444' : '#c3c7d4'} stroke-width={e.changed ? 2 : 1.2} stroke-dasharray={e.dashed ? '5 4' : undefined} marker-end={e.changed ? 'url(#arrow-hot)' : 'url(#arrow)'} />
                {/* the dashed (automatic) edge crosses the whole drawing; its label lives in the caption below */}
                <Show when={e.label && !e.dashed}>
                  <text x={mx} y={(y1 + y2) / 2 - 4} text-anchor="middle" font-size="10" fill="#6b7186">{e.label}</text>
                </Show>
                <title>{`${a.label} → ${b.label}${e.label ? ` (${e.label})` : ''}`}</title>
              </g>
            );
          }}
        </For>
        <For each={graph().nodes}>
          {(n) => (
            <g data-node={n.id}>
              <rect x={n.x} y={n.y} width={n.w} height={n.h} rx={n.kind === 'state' ? 15 : 6} fill={FILL[n.kind][0]} stroke={props.highlight && n.id.endsWith(`:${props.highlight}`) ? '#ef4444' : n.kind === 'state' ? 'none' : '#d6d9e3'} stroke-width={props.highlight && n.id.endsWith(`:${props.highlight}`) ? 2.5 : 1} />
              <text x={n.x + n.w / 2} y={n.y + n.h / 2 + 4} text-anchor="middle" font-size="11" font-weight={n.kind === 'state' ? 600 : 400} fill={FILL[n.kind][1]}>
                {n.label.length > 24 ? `${n.label.slice(0, 23)}…` : n.label}
              </text>
              <title>{`${n.kind}: ${n.label}`}</title>
            </g>
          )}
        </For>
      </svg>
      <For each={graph().edges.filter((e) => e.dashed && e.label)}>
        {(e) => <div class="small" style={{ color: '#ef4444', padding: '0 10px 8px' }}>- - → {byId().get(e.to)?.label}: {e.label}</div>}
      </For>
    </div>
  );
}
