/**
 * The scenario's state machine as a layered graph: engine states (idle → understanding → flows),
 * what a shopper can trigger (intents, menu buttons, photos, voice) and where the scenario's
 * `routing` and `menu` send each of them. Positions come from a simple layered layout: one column
 * per layer, rows ordered by the average row of their sources to keep crossings down.
 */

export type NodeKind = 'state' | 'input' | 'intent' | 'menu' | 'route';
export type GraphNode = { id: string; label: string; kind: NodeKind; layer: number; x: number; y: number; w: number; h: number };
export type GraphEdge = { from: string; to: string; label?: string; dashed?: boolean; changed?: boolean };
export type Graph = { nodes: GraphNode[]; edges: GraphEdge[]; width: number; height: number };

export const INTENTS = [
  'search_products', 'get_product', 'create_price_alert', 'cancel_price_alert', 'escalate_to_manager', 'more', 'greeting', 'menu',
  'help', 'thanks', 'bye', 'smalltalk', 'set_language', 'forget_preferences', 'unknown',
] as const;
export const DEFAULT_ROUTING: Record<string, string> = {
  search_products: 'search', get_product: 'product', create_price_alert: 'alert', cancel_price_alert: 'unalert',
  escalate_to_manager: 'escalate', more: 'more', greeting: 'greeting', menu: 'menu', help: 'help', thanks: 'thanks', bye: 'bye',
  smalltalk: 'smalltalk', set_language: 'language', forget_preferences: 'forget', unknown: 'fallback',
};
/** which machine state a route hands the conversation to (engine/machine/machine.ts) */
const ROUTE_STATE: Record<string, string> = {
  search: 'search', product: 'search', more: 'search', alert: 'alerts', unalert: 'alerts', escalate: 'escalation',
};
const MENU_FLOW_ROUTE: Record<string, string> = { search: 'search', escalation: 'escalate', help: 'help', language: 'language', alerts: 'alerts-info' };

type MenuItem = { id?: unknown; label?: unknown; action?: { flow?: unknown; category?: unknown; query?: unknown; text?: unknown } };
type ScenarioLike = { routing?: unknown; menu?: unknown; escalation?: { maxFailedTurns?: unknown; onAngry?: unknown } };

const NODE_W = 156;
const NODE_H = 24;
const GAP_X = 64;
const GAP_Y = 7;

/** emoji make nice buttons but not diagram labels (and not every machine has the font) */
const plain = (s: string) => s.replace(/\p{Extended_Pictographic}\uFE0F?/gu, '').replace(/\s+/g, ' ').trim();

function labelOf(label: unknown, lang: string): string {
  if (typeof label === 'string') return plain(label);
  if (label && typeof label === 'object') {
    const l = label as Record<string, unknown>;
    return plain(String(l[lang] ?? l.en ?? l.ru ?? Object.values(l)[0] ?? ''));
  }
  return '';
}

export function buildScenarioGraph(raw: unknown, lang = 'en'): Graph {
  const s = (raw && typeof raw === 'object' ? raw : {}) as ScenarioLike;
  const nodes = new Map<string, Omit<GraphNode, 'x' | 'y' | 'w' | 'h'>>();
  const edges: GraphEdge[] = [];
  const add = (id: string, label: string, kind: NodeKind, layer: number) => {
    if (!nodes.has(id)) nodes.set(id, { id, label, kind, layer });
  };
  const link = (from: string, to: string, extra: Partial<GraphEdge> = {}) => edges.push({ from, to, ...extra });

  add('state:idle', 'idle', 'state', 0);
  add('state:understanding', 'understanding', 'state', 1);
  add('input:photo', 'photo', 'input', 1);
  add('input:voice', 'voice', 'input', 1);
  add('state:image', 'image', 'state', 2);
  add('state:transcribing', 'transcribing', 'state', 2);
  link('state:idle', 'state:understanding', { label: 'text' });
  link('state:idle', 'input:photo');
  link('state:idle', 'input:voice');
  link('input:photo', 'state:image');
  link('input:voice', 'state:transcribing');
  link('state:transcribing', 'state:understanding');
  for (const st of ['search', 'alerts', 'escalation']) add(`state:${st}`, st, 'state', 4);
  add('state:reply', 'reply → idle', 'state', 4);
  link('state:image', 'state:search', { label: 'SKU / similar' });

  const routing = { ...DEFAULT_ROUTING, ...(s.routing && typeof s.routing === 'object' ? (s.routing as Record<string, unknown>) : {}) };
  const customised = new Set(Object.keys((s.routing as object) ?? {}));
  for (const intent of INTENTS) {
    const route = String(routing[intent] ?? DEFAULT_ROUTING[intent]);
    add(`intent:${intent}`, intent, 'intent', 2);
    add(`route:${route}`, route, 'route', 3);
    link('state:understanding', `intent:${intent}`);
    link(`intent:${intent}`, `route:${route}`, customised.has(intent) && route !== DEFAULT_ROUTING[intent] ? { changed: true } : {});
  }
  // routes the designer mapped from unknown intents still show, flagged by the validator
  for (const [intent, route] of Object.entries(routing)) {
    if ((INTENTS as readonly string[]).includes(intent)) continue;
    add(`intent:${intent}`, `${intent} ?`, 'intent', 2);
    add(`route:${String(route)}`, String(route), 'route', 3);
    link(`intent:${intent}`, `route:${String(route)}`, { changed: true });
  }

  const menu = Array.isArray(s.menu) ? (s.menu as MenuItem[]) : [];
  add('input:menu', 'menu buttons', 'input', 1);
  link('state:idle', 'input:menu');
  menu.forEach((item, i) => {
    const id = `menu:${String(item.id ?? i)}`;
    add(id, labelOf(item.label, lang) || String(item.id ?? i), 'menu', 2);
    link('input:menu', id);
    const flow = String(item.action?.flow ?? '');
    const target = flow === 'info' ? `route:info:${String(item.action?.text ?? '')}` : `route:${MENU_FLOW_ROUTE[flow] ?? flow}`;
    add(target, flow === 'info' ? `info: ${String(item.action?.text ?? '')}` : (MENU_FLOW_ROUTE[flow] ?? flow), 'route', 3);
    const extra = item.action?.category ?? item.action?.query;
    link(id, target, extra ? { label: String(extra) } : {});
  });

  for (const n of [...nodes.values()]) {
    if (n.kind !== 'route') continue;
    const name = n.id.slice('route:'.length);
    const state = ROUTE_STATE[name];
    link(n.id, state ? `state:${state}` : 'state:reply');
  }
  const maxFailed = s.escalation?.maxFailedTurns;
  link('state:understanding', 'state:escalation', { dashed: true, label: `${typeof maxFailed === 'number' ? maxFailed : 3} failed turns${s.escalation?.onAngry === false ? '' : ' / angry'}` });

  return layout([...nodes.values()], edges);
}

function layout(raw: Omit<GraphNode, 'x' | 'y' | 'w' | 'h'>[], edges: GraphEdge[]): Graph {
  const layers = new Map<number, typeof raw>();
  for (const n of raw) layers.set(n.layer, [...(layers.get(n.layer) ?? []), n]);
  const row = new Map<string, number>();
  const order = [...layers.keys()].sort((a, b) => a - b);
  for (const layer of order) {
    const list = layers.get(layer)!;
    const score = (n: (typeof raw)[number]) => {
      const sources = edges.filter((e) => e.to === n.id && row.has(e.from)).map((e) => row.get(e.from)!);
      return sources.length ? sources.reduce((a, b) => a + b, 0) / sources.length : list.indexOf(n);
    };
    const sorted = [...list].map((n) => ({ n, s: score(n) })).sort((a, b) => a.s - b.s || a.n.id.localeCompare(b.n.id));
    sorted.forEach(({ n }, i) => row.set(n.id, i));
  }
  const tallest = Math.max(...order.map((l) => layers.get(l)!.length));
  const height = tallest * (NODE_H + GAP_Y) + GAP_Y;
  const nodes: GraphNode[] = raw.map((n) => {
    const count = layers.get(n.layer)!.length;
    const offset = (height - count * (NODE_H + GAP_Y)) / 2;
    return { ...n, w: NODE_W, h: NODE_H, x: n.layer * (NODE_W + GAP_X) + 10, y: offset + row.get(n.id)! * (NODE_H + GAP_Y) + GAP_Y / 2 };
  });
  const width = (order.at(-1)! + 1) * (NODE_W + GAP_X) - GAP_X + 20;
  return { nodes, edges: edges.filter((e) => nodes.some((n) => n.id === e.from) && nodes.some((n) => n.id === e.to)), width, height };
}
