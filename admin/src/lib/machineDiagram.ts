import type { GraphCondition, ScenarioGraph } from '../api/types.ts';

/**
 * The served machine graph as a drawing in three columns: the state a transition leaves, what
 * triggers it (an intent, a menu button, an event), and the state it enters. Intents and menu
 * buttons come from the guards' params, so a routing change moves them.
 */
export type NodeKind = 'state' | 'input' | 'intent' | 'menu';
export type DiagramNode = {
  id: string;
  label: string;
  kind: NodeKind;
  layer: number;
  x: number;
  y: number;
  w: number;
  h: number;
};
export type DiagramEdge = { from: string; to: string; label?: string; changed?: boolean };
export type Diagram = { nodes: DiagramNode[]; edges: DiagramEdge[]; width: number; height: number };

const ROOT = '*';
const NODE_W = 168;
/** state ids run long (escalation.withManager.waiting) */
const STATE_W = 196;
const NODE_H = 22;
const GAP_X = 90;
const GAP_Y = 5;

/** emoji make nice buttons but not diagram labels (and not every machine has the font) */
const plain = (s: string) =>
  s
    .replace(/\p{Extended_Pictographic}\uFE0F?/gu, '')
    .replace(/\s+/g, ' ')
    .trim();

/** a condition in a few words; `route` and `menuItem` are drawn as the intents and buttons they carry */
export function describeCondition(c: GraphCondition): string | null {
  const p = c.params ?? {};
  switch (c.type) {
    case 'route':
    case 'menuItem':
    case 'designerIntent':
      return null;
    // designer flows (scenario `flows:`)
    case 'flowAnswer':
      return `answers ${String(p.slot)} (${String(p.type)})`;
    case 'flowButton':
      return `[${String(p.id)}]`;
    case 'flowCancel':
      return 'cancel';
    case 'flowManager':
      return '«manager»';
    case 'slotEquals':
      return `${String(p.slot)} = ${String(p.equals)}`;
    case 'choice':
      return `[${String(p.id)}]`;
    case 'choicePrefix':
      return `[${String(p.prefix)}…]`;
    case 'command':
      return (p.names as string[]).map((n) => `/${n}`).join(' ');
    case 'effectFailed':
      return `${String(p.effect)} failed`;
    case 'failedTurns':
      return `${String(p.max)} misses in a row`;
    case 'ownTimer':
      return `${String(p.kind)} timer`;
    case 'canPage':
      return 'more pages';
    case 'not':
    case 'or':
      return `${c.type}(${(c.of ?? []).map(describeCondition).filter(Boolean).join(', ')})`;
    default:
      return c.type;
  }
}

export function layoutMachine(graph: ScenarioGraph, lang: string): Diagram {
  type Raw = Omit<DiagramNode, 'x' | 'y' | 'w' | 'h'>;
  const nodes = new Map<string, Raw>();
  const edges = new Map<string, DiagramEdge>();
  const add = (id: string, label: string, kind: NodeKind, layer: number) => {
    const node = nodes.get(id);
    if (!node) nodes.set(id, { id, label, kind, layer });
    else if (node.kind === 'input' && !node.label.split(' · ').includes(label)) node.label = `${node.label} · ${label}`;
  };
  /** branches from one trigger to one state merge; if one of them is unconditional, so is the edge */
  const always = new Set<string>();
  const link = (from: string, to: string, label?: string, changed = false) => {
    const key = `${from}>${to}`;
    const old = edges.get(key);
    if (!label) always.add(key);
    const labels = always.has(key) ? [] : [...new Set([...(old?.label ? old.label.split(' / ') : []), label!])];
    edges.set(key, {
      from,
      to,
      ...(labels.length ? { label: labels.join(' / ') } : {}),
      ...(changed || old?.changed ? { changed: true } : {}),
    });
  };
  const stateLabel = (id: string) => (id === ROOT ? 'every state' : id);
  const changed = new Set(graph.intents.filter((i) => i.changed).map((i) => i.name));
  const routeOf = new Map(graph.intents.map((i) => [i.name, i.route]));
  const menuLabel = (id: string) => {
    const l = graph.menu.find((m) => m.id === id)?.label ?? {};
    return plain(l[lang] ?? l.en ?? Object.values(l)[0] ?? id) || id;
  };

  const groups = new Map<string, ScenarioGraph['transitions']>();
  for (const t of graph.transitions)
    groups.set(`${t.from}|${t.event}`, [...(groups.get(`${t.from}|${t.event}`) ?? []), t]);

  for (const list of groups.values()) {
    const { from, event } = list[0]!;
    const source = `from:${from}`;
    add(source, stateLabel(from), 'state', 0);
    const plainEvent = list.length === 1 && list[0]!.conditions.length === 0;
    list.forEach((t) => {
      const target = t.to === null ? `stay:${from}` : `to:${t.to}`;
      add(target, t.to === null ? `${stateLabel(from)} (stays)` : t.to, 'state', 2);
      const said = t.conditions
        .map(describeCondition)
        .filter((d): d is string => d !== null)
        .join(' + ');
      const label = said || undefined;
      const everyIntent =
        t.intents !== undefined &&
        !t.conditions.some((c) => c.type === 'route') &&
        t.intents.length === graph.intents.length;
      if (t.designerIntents) {
        // a designer intent starts one flow: each is its own trigger
        for (const intent of t.designerIntents) {
          add(`intent:designer:${intent}`, intent, 'intent', 1);
          link(source, `intent:designer:${intent}`);
          link(`intent:designer:${intent}`, target, label);
        }
      } else if (t.intents && !everyIntent) {
        for (const intent of t.intents) {
          const route = routeOf.get(intent);
          add(`intent:${intent}`, route && route !== intent ? `${intent} → ${route}` : intent, 'intent', 1);
          link(source, `intent:${intent}`);
          link(`intent:${intent}`, target, label, changed.has(intent));
        }
      } else if (t.menu) {
        for (const id of t.menu) {
          add(`menu:${id}`, menuLabel(id), 'menu', 1);
          link(source, `menu:${id}`);
          link(`menu:${id}`, target, label);
        }
      } else {
        // events with one plain transition each share a node per target; the rest get one per event
        const trigger = plainEvent
          ? `on:${from}>${t.to ?? from}`
          : everyIntent
            ? `on:${from}:${event}:${t.order}`
            : `on:${from}:${event}`;
        add(trigger, everyIntent ? said : event, 'input', 1);
        link(source, trigger);
        link(trigger, target, everyIntent ? undefined : label);
      }
    });
  }
  // a plain branch beside guarded ones is the one taken when none of theirs hold
  const out = [...edges.values()];
  for (const e of out) {
    if (!e.label && nodes.get(e.from)?.layer === 1 && out.filter((x) => x.from === e.from).length > 1)
      e.label = 'otherwise';
  }
  return layout([...nodes.values()], out);
}

/**
 * The trigger column keeps the machine's order (grouped by the state they leave); each state sits
 * level with the middle of the triggers it connects to, pushed apart where they would overlap.
 */
function layout(raw: Omit<DiagramNode, 'x' | 'y' | 'w' | 'h'>[], edges: DiagramEdge[]): Diagram {
  const ROW = NODE_H + GAP_Y;
  const y = new Map<string, number>();
  raw.filter((n) => n.layer === 1).forEach((n, i) => y.set(n.id, i * ROW + GAP_Y / 2));
  const place = (layer: number, neighbours: (id: string) => string[]) => {
    const wanted = raw
      .filter((n) => n.layer === layer)
      .map((n, i) => {
        const near = neighbours(n.id).flatMap((id) => (y.has(id) ? [y.get(id)!] : []));
        return { id: n.id, at: near.length ? near.reduce((a, b) => a + b, 0) / near.length : i * ROW, i };
      });
    wanted.sort((a, b) => a.at - b.at || a.i - b.i);
    let next = GAP_Y / 2;
    for (const w of wanted) {
      const at = Math.max(next, w.at);
      y.set(w.id, at);
      next = at + ROW;
    }
  };
  place(0, (id) => edges.filter((e) => e.from === id).map((e) => e.to));
  place(2, (id) => edges.filter((e) => e.to === id).map((e) => e.from));
  const x = (layer: number) => 10 + (layer === 0 ? 0 : STATE_W + GAP_X + (layer === 2 ? NODE_W + GAP_X * 2 : 0));
  const nodes: DiagramNode[] = raw.map((n) => ({
    ...n,
    w: n.layer === 1 ? NODE_W : STATE_W,
    h: NODE_H,
    x: x(n.layer),
    y: y.get(n.id) ?? 0,
  }));
  const height = Math.max(ROW, ...nodes.map((n) => n.y + ROW));
  const width = x(2) + STATE_W + 10;
  return { nodes, edges, width, height };
}
