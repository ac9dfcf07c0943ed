import { describe, expect, it } from 'vitest';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import type { EngineEvent } from '../events.ts';
import type { EffectType } from '../effects.ts';
import { step } from '../step.ts';
import { at, loadDefaultScenario, product, types } from '../../scenarios/engine-testkit.ts';
import { machineFor } from './machine.ts';

/**
 * Model-based tests with xstate/graph: every state is reachable, none is a dead end, and the
 * shortest path to every state is replayed through `step` with its effects checked.
 */
const s = loadDefaultScenario();
const machine = machineFor(s);
const input = { channel: 'telegram' as const, lang: 'ru' as const };
const T = at(0);
const u = (intent: Extract<EngineEvent, { type: 'understand.done' }>['understanding']['intent']): EngineEvent => ({
  type: 'understand.done',
  understanding: { intent, source: 'replay' },
  at: T,
});
const fail = (effect: EffectType): EngineEvent => ({ type: 'effect.failed', effect, reason: 'down', at: T });

const EVENTS: EngineEvent[] = [
  { type: 'text', text: 'диван', at: T },
  { type: 'text', text: '', at: T },
  { type: 'voice', ref: 'voice-1', at: T },
  { type: 'image', ref: 'photo-1', at: T },
  { type: 'location', latitude: 43.2, longitude: 76.9, at: T },
  { type: 'unsupported', kind: 'sticker', at: T },
  ...[
    'p:SOFA-001',
    'a:SOFA-001',
    'u:SOFA-001',
    'm',
    'more',
    'menu',
    'menu:sofas',
    'menu:catalog',
    'menu:delivery',
    'relax',
    'alert:search',
    'lang:kk',
    'bot',
    'zzz',
    // designer flows of the shipped scenario: the measurer from the menu, the way out of a question, a rating
    'menu:measure',
    'cancel',
    'f:good',
    // the cart and the checkout: add from a card, look, clear; delivery or pickup, a store, a way to pay, confirm
    'c:SOFA-001',
    'cart',
    'menu:cart',
    'cart:clear',
    'checkout',
    'f:delivery',
    'f:pickup',
    'f:dostyk',
    'f:kaspi',
    'f:confirm',
    'f:order-confirm',
  ].map((id): EngineEvent => ({ type: 'choice', id, at: T })),
  { type: 'text', text: 'завтра 10-12', at: T },
  { type: 'text', text: '8 701 123 45 67', at: T },
  { type: 'text', text: 'Айгерим', at: T },
  { type: 'contact', phone: '+77011234567', own: true, at: T },
  { type: 'command', command: 'start', at: T },
  { type: 'command', command: 'help', at: T },
  u({ name: 'search_products', args: { category: 'sofa', color: 'pink' }, mode: 'new' }),
  u({ name: 'more' }),
  u({ name: 'get_product', args: { sku: 'SOFA-001' } }),
  u({ name: 'create_price_alert', args: {} }),
  u({ name: 'escalate_to_manager', args: { reason: 'asked' } }),
  u({ name: 'unknown' }),
  u({ name: 'greeting' }),
  u({ name: 'designer', args: { intent: 'installment' } }),
  u({ name: 'add_to_cart', args: {} }),
  u({ name: 'add_to_cart', args: { sku: 'SOFA-001', quantity: 0 } }),
  u({ name: 'view_cart' }),
  u({ name: 'checkout' }),
  u({ name: 'order_status', args: { number: 3 } }),
  {
    type: 'checkout.ready',
    lines: [
      { productId: 'id-SOFA-001', sku: 'SOFA-001', name: 'Диван', price: 250_000, currency: 'KZT', available: true },
    ],
    stores: [{ id: 'dostyk', name: 'Dostyk Plaza' }],
    methods: ['kaspi', 'on_delivery', 'at_pickup'],
    at: T,
  },
  { type: 'checkout.ready', lines: [], stores: [], methods: [], at: T },
  {
    type: 'order.placed',
    orderId: 'o-1',
    number: 1,
    total: 250_000,
    currency: 'KZT',
    payment: { kind: 'kaspi_manual' },
    at: T,
  },
  {
    type: 'order.refused',
    reason: 'changed',
    lines: [
      { productId: 'id-SOFA-001', sku: 'SOFA-001', name: 'Диван', price: 260_000, currency: 'KZT', available: true },
    ],
    at: T,
  },
  {
    type: 'orders.found',
    orders: [{ number: 3, status: 'paid', total: 250_000, currency: 'KZT', createdAt: T }],
    at: T,
  },
  { type: 'search.done', items: [1, 2, 3, 4, 5].map((i) => product(`SOFA-00${i}`, 100_000 * i)), total: 12, at: T },
  { type: 'search.done', items: [], total: 0, at: T },
  { type: 'lookupSku.done', sku: 'SOFA-001', product: product('SOFA-001', 250_000), at: T },
  { type: 'lookupSku.done', sku: 'SOFA-001', product: null, at: T },
  { type: 'readImage.done', text: 'Артикул: SOFA-001', at: T },
  { type: 'readImage.done', text: '', at: T },
  { type: 'describeImage.done', description: { category: 'sofa' }, at: T },
  { type: 'describeImage.done', description: null, at: T },
  { type: 'transcribe.done', text: 'диван', at: T },
  { type: 'transcribe.done', text: null, at: T },
  { type: 'escalate.done', escalationId: 'esc-1', at: T },
  { type: 'createAlert.done', alertId: 'al-1', at: T },
  { type: 'recommend.done', items: [product('BED-001', 90_000)], at: T },
  { type: 'recommend.done', items: [], at: T },
  ...(
    [
      'understand',
      'search',
      'lookupSku',
      'readImage',
      'describeImage',
      'transcribe',
      'escalate',
      'createAlert',
      'recommend',
      'prepareCheckout',
      'placeOrder',
      'findOrders',
    ] as const
  ).map(fail),
  { type: 'timer.fired', timerId: 'sla:1', at: T },
  { type: 'timer.fired', timerId: 'idle:1', at: T },
  { type: 'timer.fired', timerId: 'silence:2', at: T },
  { type: 'manager.replied', text: 'Здравствуйте!', at: T },
  { type: 'manager.resolved', at: T },
  { type: 'price.dropped', product: product('SOFA-001', 250_000), oldPrice: 250_000, newPrice: 220_000, at: T },
  {
    type: 'alert.digest',
    hits: [{ alertId: 'al-1', kind: 'search', reason: 'new', product: product('SOFA-002', 90_000) }],
    at: T,
  },
  { type: 'order.status', orderId: 'o-1', number: 7, status: 'shipped', total: 90_000, currency: 'KZT', at: T },
];

type Snap = ReturnType<typeof machine.resolveState>;
/** state value plus the few context facts guards read; history and ids do not change behaviour */
const signature = (snap: Snap) => {
  const c = snap.context;
  return JSON.stringify([
    snap.value,
    c.criteria !== null,
    c.total > c.page * s.search.pageSize,
    c.focus !== null,
    c.escalationId !== null,
    c.timers.map((t) => t.split(':')[0]),
    c.pending?.ref !== undefined,
    Math.min(c.failedTurns, s.escalation.maxFailedTurns),
    (c.cart ?? []).length > 0,
    c.flow?.slots.delivery ?? null,
  ]);
};
const valueKey = (value: unknown) => JSON.stringify(value);

/** every leaf state the conversation can rest in, as its state value (a step that moves on at once is passed through) */
function leafValues(): string[] {
  const out: string[] = [];
  const walk = (
    node: { key: string; states: Record<string, unknown>; type: string; always?: unknown[] },
    path: string[],
  ) => {
    const children = Object.values(node.states) as Array<typeof node>;
    if (children.length === 0) {
      if ((node.always ?? []).length > 0) return;
      const value = path.reduceRight<unknown>((acc, key) => (acc === undefined ? key : { [key]: acc }), undefined);
      out.push(valueKey(value));
      return;
    }
    for (const child of children) walk(child, [...path, child.key]);
  };
  walk(machine.root as never, []);
  return out.sort();
}

/** what a state is waiting for: the effect the step into it must have asked for */
const AWAITS: Record<string, EffectType | null> = {
  '"idle"': null,
  '"understanding"': 'understand',
  '"transcribing"': 'transcribe',
  '"recommending"': 'recommend',
  '{"search":"searching"}': 'search',
  '{"search":"details"}': 'lookupSku',
  '{"image":"reading"}': 'readImage',
  '{"image":"lookingUp"}': 'lookupSku',
  '{"image":"describing"}': 'describeImage',
  '{"escalation":"requesting"}': 'escalate',
  '{"escalation":{"withManager":"waiting"}}': 'schedule',
  '{"escalation":{"withManager":"talking"}}': 'reply',
  '{"alerts":"lookingUp"}': 'lookupSku',
  '{"alerts":"creating"}': 'createAlert',
  // designer flows rest only in the steps that wait for the shopper: questions (and says with buttons)
  '{"flows":{"measure":"address"}}': 'reply',
  '{"flows":{"measure":"time"}}': 'reply',
  '{"flows":{"measure":"phone"}}': 'reply',
  '{"flows":{"satisfaction":"rating"}}': 'reply',
  '{"cart":"adding"}': 'lookupSku',
  '{"orders":"finding"}': 'findOrders',
  // the checkout: its questions, the summary, and the acts that wait for the shop
  '{"flows":{"checkout":"start"}}': 'prepareCheckout',
  '{"flows":{"checkout":"delivery"}}': 'reply',
  '{"flows":{"checkout":"address"}}': 'reply',
  '{"flows":{"checkout":"store"}}': 'reply',
  '{"flows":{"checkout":"name"}}': 'reply',
  '{"flows":{"checkout":"phone"}}': 'reply',
  '{"flows":{"checkout":"payment"}}': 'reply',
  '{"flows":{"checkout":"summary"}}': 'reply',
  '{"flows":{"checkout":{"place":"placing"}}}': 'placeOrder',
  '{"flows":{"checkout":{"place":"confirming"}}}': 'reply',
};

const paths = getShortestPaths(machine, {
  events: EVENTS,
  input,
  serializeState: (snap) => signature(snap as Snap),
  limit: 2_000_000,
});
const shortestByValue = new Map<string, (typeof paths)[number]>();
for (const p of paths) {
  const key = valueKey(p.state.value);
  const known = shortestByValue.get(key);
  if (!known || p.steps.length < known.steps.length) shortestByValue.set(key, p);
}

describe('model: state graph', () => {
  it('lists every state the test knows what it awaits', () => {
    expect(leafValues()).toEqual(Object.keys(AWAITS).sort());
  });

  it('every state is reachable', () => {
    expect([...shortestByValue.keys()].sort()).toEqual(leafValues());
  });

  it('no dead ends: from every reachable state there is a way back to idle', () => {
    // reverse reachability over the whole graph: which states can get to idle?
    const adjacency = getAdjacencyMap(machine, {
      events: EVENTS,
      input,
      serializeState: (snap) => signature(snap as Snap),
      limit: 2_000_000,
    });
    const incoming = new Map<string, Set<string>>();
    const nodes = Object.keys(adjacency);
    for (const from of nodes) {
      for (const { state } of Object.values(adjacency[from as keyof typeof adjacency]?.transitions ?? {})) {
        const to = signature(state as Snap);
        if (!incoming.has(to)) incoming.set(to, new Set());
        incoming.get(to)?.add(from);
      }
    }
    const canReturn = new Set(
      nodes.filter((n) => valueKey(adjacency[n as keyof typeof adjacency]?.state.value) === '"idle"'),
    );
    const queue = [...canReturn];
    while (queue.length > 0) {
      const to = queue.pop() ?? '';
      for (const from of incoming.get(to) ?? [])
        if (!canReturn.has(from)) {
          canReturn.add(from);
          queue.push(from);
        }
    }
    expect(nodes.length).toBeGreaterThan(20);
    expect(nodes.filter((n) => !canReturn.has(n))).toEqual([]);
  });
});

describe('model: the shortest path to every state, replayed through step', () => {
  it.each([...shortestByValue.entries()].map(([key, p]) => [key, p] as const))('%s', (key, p) => {
    let persisted: unknown;
    let last: ReturnType<typeof step> | undefined;
    for (const { event } of p.steps) {
      if ((event as { type: string }).type === 'xstate.init') continue;
      last = step(s, persisted, event, { channel: 'telegram', lang: 'ru' });
      expect(types(last.effects)).not.toContain('warning');
      persisted = last.persisted;
    }
    const finalValue = (persisted as { snapshot: { value: unknown } } | undefined)?.snapshot.value ?? 'idle';
    expect(valueKey(finalValue)).toBe(key);
    const awaited = AWAITS[key];
    if (awaited && last) expect(types(last.effects)).toContain(awaited);
  });
});
