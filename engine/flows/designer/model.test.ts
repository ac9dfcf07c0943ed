import { describe, expect, it } from 'vitest';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import { at, loadDefaultScenario, product, types } from '../../../scenarios/engine-testkit.ts';
import type { EngineEvent } from '../../events.ts';
import { machineFor } from '../../machine/machine.ts';
import { parseScenario, type Scenario } from '../../scenario/index.ts';
import type { AskSpec } from '../../scenario/flowSchema.ts';
import { step } from '../../step.ts';

/**
 * Model-based path tests over designer flows, for any scenario: the events are derived from the
 * scenario's own flows (every answer a question accepts and one it does not, every button and
 * choice, cancel, the manager, the menu items and intents that start a flow), xstate/graph walks
 * the compiled machine with them, and then: every step a conversation can rest in is reached, from
 * every state the conversation can get back to idle, and the shortest path to each flow step,
 * replayed through `step`, ends there without a warning and with the question asked.
 */
const T = at(0);
const L = (t: string) => ({ ru: t, kk: t, en: t });

/** a scenario with one flow of every step kind, beside the shipped ones */
function withSampleFlow(): Scenario {
  const s = loadDefaultScenario();
  const sample = {
    steps: [
      {
        id: 'kind',
        say: L('Что за образец?'),
        buttons: [
          { id: 'fabric', label: L('Ткань'), next: 'color' },
          { id: 'wood', label: L('Дерево'), next: 'find' },
        ],
      },
      {
        id: 'color',
        ask: {
          slot: 'color',
          type: 'choice',
          text: L('Цвет?'),
          reask: L('Кнопкой'),
          choices: [
            { id: 'red', label: L('Красный') },
            { id: 'grey', label: L('Серый') },
          ],
        },
        next: 'pick',
      },
      { id: 'pick', branch: { slot: 'color', cases: [{ equals: 'red', next: 'count' }], else: 'manager' } },
      {
        id: 'count',
        ask: { slot: 'count', type: 'number', min: 1, max: 5, text: L('Сколько?'), reask: L('1–5') },
        next: 'remind',
      },
      { id: 'remind', act: { remind: { after: 'P1D', text: L('Про {count} образца') } }, next: 'room' },
      { id: 'room', ask: { slot: 'room', type: 'photo', text: L('Фото?'), reask: L('Фото!') }, next: 'code' },
      {
        id: 'code',
        ask: { slot: 'code', type: 'text', pattern: '[0-9]{6}', text: L('Индекс?'), reask: L('6 цифр') },
        next: 'lead',
      },
      { id: 'lead', act: { lead: {} }, next: 'done' },
      { id: 'done', say: L('Готово, {count}'), image: 'https://example.com/s.png', next: 'end' },
      { id: 'manager', act: { escalate: {} } },
      { id: 'find', act: { search: { query: 'образец дерева' } } },
    ],
  };
  const raw = JSON.parse(
    JSON.stringify({
      id: s.id,
      version: s.version,
      texts: s.texts,
      menu: [...s.menu, { id: 'sample', label: L('Образец'), action: { flow: 'designer', name: 'sample' } }],
      escalation: { afterResolved: 'satisfaction' },
      intents: s.intents,
      flows: { ...rawShippedFlows(s), sample },
    }),
  );
  const r = parseScenario(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

/** the shipped flows as written (the scenario keeps them compiled; the compiled shape reads back) */
function rawShippedFlows(s: Scenario) {
  const flows: Record<string, unknown> = {};
  for (const flow of Object.values(s.flows))
    flows[flow.name] = {
      steps: flow.steps.map((st) => {
        if (st.kind === 'say') return { id: st.id, say: st.text, next: st.next, buttons: st.buttons };
        if (st.kind === 'ask') return { id: st.id, ask: { ...st.ask, text: st.ask.text }, next: st.next };
        if (st.kind === 'act') {
          const a = st.act;
          const act = a.kind === 'track' ? { track: { name: a.name } } : { [a.kind]: {} };
          return { id: st.id, act, next: st.next };
        }
        return { id: st.id, branch: { slot: st.slot, cases: st.cases, else: st.else } };
      }),
    };
  return flows;
}

/** one answer a question of this type accepts */
function goodAnswer(ask: AskSpec): EngineEvent[] {
  switch (ask.type) {
    case 'text':
      return [{ type: 'text', text: ask.pattern ? '050000' : 'Абая 10', at: T }];
    case 'number':
      return [{ type: 'text', text: String(ask.min ?? 1), at: T }];
    case 'phone':
      return [{ type: 'text', text: '+7 701 123 45 67', at: T }];
    case 'datetime':
      return [{ type: 'text', text: 'завтра 10-12', at: T }];
    case 'choice':
      return (ask.choices ?? []).map((c) => ({ type: 'choice', id: `f:${c.id}`, at: T }));
    case 'photo':
      return [{ type: 'image', ref: 'photo-1', at: T }];
    case 'store':
      return [{ type: 'choice', id: 'f:dostyk', at: T }];
    case 'payment':
      return [{ type: 'choice', id: 'f:kaspi', at: T }];
  }
}

/** every event a scenario's flows react to, and what starts them */
function flowEvents(s: Scenario): EngineEvent[] {
  const events: EngineEvent[] = [
    { type: 'text', text: 'отмена', at: T },
    { type: 'text', text: 'как-нибудь потом', at: T },
    { type: 'choice', id: 'cancel', at: T },
    { type: 'choice', id: 'm', at: T },
    { type: 'escalate.done', escalationId: 'esc-1', at: T },
    { type: 'manager.resolved', at: T },
    { type: 'search.done', items: [], total: 0, at: T },
  ];
  for (const m of s.menu) if (m.action.flow === 'designer') events.push({ type: 'choice', id: `menu:${m.id}`, at: T });
  for (const [intent, spec] of Object.entries(s.intents))
    if (spec.flow)
      events.push({
        type: 'understand.done',
        understanding: { intent: { name: 'designer', args: { intent } }, source: 'replay' },
        at: T,
      });
  // the checkout starts from a cart: a product added, then «оформить»; the shop answers its acts
  if (s.flows.checkout) {
    const line = { productId: 'id-SOFA-001', sku: 'SOFA-001', name: 'Диван', price: 250_000, currency: 'KZT' };
    events.push(
      { type: 'choice', id: 'c:SOFA-001', at: T },
      { type: 'lookupSku.done', sku: 'SOFA-001', product: product('SOFA-001', 250_000), at: T },
      { type: 'choice', id: 'checkout', at: T },
      {
        type: 'checkout.ready',
        lines: [{ ...line, available: true }],
        stores: [{ id: 'dostyk', name: 'Dostyk Plaza' }],
        methods: ['kaspi', 'on_delivery', 'at_pickup'],
        at: T,
      },
      { type: 'contact', phone: '+77011234567', own: true, at: T },
      { type: 'order.refused', reason: 'changed', lines: [{ ...line, price: 260_000, available: true }], at: T },
      { type: 'choice', id: 'f:order-confirm', at: T },
      {
        type: 'order.placed',
        orderId: 'o-1',
        number: 1,
        total: 250_000,
        currency: 'KZT',
        payment: { kind: 'kaspi_manual' },
        at: T,
      },
    );
  }
  for (const flow of Object.values(s.flows))
    for (const st of flow.steps) {
      if (st.kind === 'ask') events.push(...goodAnswer(st.ask));
      if (st.kind === 'say') for (const b of st.buttons ?? []) events.push({ type: 'choice', id: `f:${b.id}`, at: T });
    }
  const seen = new Set<string>();
  return events.filter((e) => {
    const key = JSON.stringify(e);
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

describe.each([
  ['the shipped scenario', loadDefaultScenario()],
  ['a flow of every step kind', withSampleFlow()],
])('designer flows of %s, walked as a model', (_name, s) => {
  const machine = machineFor(s);
  type Snap = ReturnType<typeof machine.resolveState>;
  const signature = (snap: Snap) =>
    JSON.stringify([
      snap.value,
      snap.context.flow ?? null,
      snap.context.escalationId !== null,
      (snap.context.cart ?? []).length > 0,
    ]);
  const options = {
    events: flowEvents(s),
    input: { channel: 'telegram' as const, lang: 'ru' as const },
    serializeState: (snap: unknown) => signature(snap as Snap),
    limit: 500_000,
  };
  const paths = getShortestPaths(machine, options);
  const key = (value: unknown) => JSON.stringify(value);
  /** the flow steps a conversation rests in: questions and says with buttons */
  const resting = Object.values(s.flows).flatMap((flow) =>
    flow.steps
      .filter((st) => st.kind === 'ask' || (st.kind === 'say' && st.buttons))
      .map((st) => key({ flows: { [flow.name]: st.id } })),
  );
  const shortest = new Map<string, (typeof paths)[number]>();
  for (const p of paths) {
    const k = key(p.state.value);
    if (!shortest.has(k) || p.steps.length < shortest.get(k)!.steps.length) shortest.set(k, p);
  }

  it('reaches every step a conversation can rest in', () => {
    expect(resting.length).toBeGreaterThan(0);
    expect(resting.filter((k) => !shortest.has(k))).toEqual([]);
  });

  it('never strands the shopper: from every state reached, idle can be reached again', () => {
    const adjacency = getAdjacencyMap(machine, options) as unknown as Record<
      string,
      { state: { value: unknown }; transitions: Record<string, { state: unknown }> }
    >;
    const incoming = new Map<string, Set<string>>();
    for (const [from, node] of Object.entries(adjacency))
      for (const { state } of Object.values(node.transitions)) {
        const to = signature(state as Snap);
        if (!incoming.has(to)) incoming.set(to, new Set());
        incoming.get(to)!.add(from);
      }
    const back = new Set(Object.keys(adjacency).filter((n) => key(adjacency[n]!.state.value) === '"idle"'));
    const queue = [...back];
    while (queue.length > 0)
      for (const from of incoming.get(queue.pop()!) ?? [])
        if (!back.has(from)) {
          back.add(from);
          queue.push(from);
        }
    expect(Object.keys(adjacency).filter((n) => !back.has(n))).toEqual([]);
  });

  it.each(resting.map((k) => [k]))('the shortest path to %s, replayed through step, asks there', (k) => {
    const path = shortest.get(k)!;
    let persisted: unknown;
    let last: ReturnType<typeof step> | undefined;
    for (const { event } of path.steps) {
      if ((event as { type: string }).type === 'xstate.init') continue;
      last = step(s, persisted, event, { channel: 'telegram', lang: 'ru' });
      expect(types(last.effects)).not.toContain('warning');
      persisted = last.persisted;
    }
    expect(key((persisted as { snapshot: { value: unknown } }).snapshot.value)).toBe(k);
    expect(types(last?.effects ?? [])).toContain('reply');
  });
});
