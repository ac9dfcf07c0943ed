import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from './events.ts';
import { PersistedSchema } from './scenario/index.ts';
import { step } from './step.ts';
import { at, loadDefaultScenario, product } from '../scenarios/engine-testkit.ts';

/**
 * Random conversations (seeded, so a failure reproduces): whatever arrives, in whatever order,
 * `step` never throws, the snapshot stays readable and small, and the shopper is never stuck —
 * a plain text always gets an answer or a question to the brain.
 */
const s = loadDefaultScenario();

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LONG = [
  'диван '.repeat(2_000),
  '😀'.repeat(5_000),
  '\u200B'.repeat(300),
  '\u0001\u0002"\\'.repeat(500),
  '中文字符'.repeat(500),
  'Сәлеметсіз бе! ' + 'ә'.repeat(3_000),
];

function randomEvent(r: () => number, t: string): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const items = Array.from({ length: Math.floor(r() * 6) }, (_, i) =>
    product(`SOFA-${100 + i}`, 50_000 + Math.floor(r() * 300_000), {
      name: pick(['Диван', 'Кровать «Астана» с подъёмным механизмом и ящиком', LONG[4]!.slice(0, 400)]),
    }),
  );
  const intents = [
    {
      name: 'search_products',
      args: { category: 'sofa', color: pick(['blue', 'red']), price_max: 200_000 },
      mode: pick(['new', 'refine']),
    },
    {
      name: 'search_products',
      args: { query: LONG[0]!.slice(0, 200) },
      mode: 'new',
      adjust: pick(['cheaper', 'pricier']),
    },
    { name: 'more' },
    { name: 'get_product', args: { sku: 'SOFA-101' } },
    { name: 'create_price_alert', args: { target_price: 100_000 } },
    { name: 'cancel_price_alert', args: {} },
    { name: 'escalate_to_manager', args: { reason: 'x' } },
    { name: 'unknown' },
    { name: 'greeting' },
    { name: 'set_language', args: { lang: pick(['ru', 'kk', 'en']) } },
    { name: 'forget_preferences' },
    { name: 'thanks' },
    { name: 'designer', args: { intent: 'call_measurer' } },
    { name: 'designer', args: { intent: 'nope' } },
  ];
  const events: Array<() => unknown> = [
    () => ({
      type: 'text',
      text: pick([...LONG, 'диван', '', 'ещё', '🛋️', '8 701 123 45 67', 'завтра 10-12', 'отмена']),
      at: t,
    }),
    () => ({
      type: 'understand.done',
      understanding: {
        intent: pick(intents),
        source: 'rules',
        sentiment: pick(['neutral', 'angry', undefined]),
        lang: pick(['ru', 'kk', 'en', undefined]),
      },
      at: t,
    }),
    () => ({ type: 'search.done', items, total: items.length + Math.floor(r() * 20), at: t }),
    () => ({
      type: 'lookupSku.done',
      sku: 'SOFA-101',
      product: r() < 0.5 ? null : (items[0] ?? product('SOFA-101', 1)),
      at: t,
    }),
    () => ({
      type: 'choice',
      id: pick([
        'p:SOFA-101',
        'a:SOFA-101',
        'u:SOFA-101',
        'm',
        'more',
        'menu',
        'menu:sofas',
        'menu:catalog',
        'relax',
        'alert:search',
        'lang:en',
        'menu:measure',
        'cancel',
        'f:good',
        'x'.repeat(256),
      ]),
      at: t,
    }),
    () => ({
      type: 'command',
      command: pick(['start', 'help', 'lang', 'stop', 'zzz']),
      args: pick([undefined, 'kk', LONG[1]!.slice(0, 500)]),
      at: t,
    }),
    () => ({
      type: 'image',
      ref: pick(['p1', 'x'.repeat(2_000)]),
      caption: pick([undefined, LONG[5]!.slice(0, 20_000)]),
      at: t,
    }),
    () => ({ type: 'voice', ref: 'v1', at: t }),
    () => ({ type: 'readImage.done', text: pick(['Артикул: SOFA-101', '', LONG[3]!]), at: t }),
    () => ({ type: 'describeImage.done', description: pick([null, { category: 'sofa' }, { color: LONG[2]! }]), at: t }),
    () => ({ type: 'transcribe.done', text: pick([null, 'диван', LONG[0]!.slice(0, 20_000)]), at: t }),
    () => ({ type: 'escalate.done', escalationId: 'e'.repeat(Math.floor(r() * 300) + 1), at: t }),
    () => ({ type: 'createAlert.done', alertId: 'a1', at: t }),
    () => ({ type: 'recommend.done', items, at: t }),
    () => ({
      type: 'effect.failed',
      effect: pick([
        'understand',
        'search',
        'lookupSku',
        'readImage',
        'describeImage',
        'transcribe',
        'escalate',
        'createAlert',
        'recommend',
        'reply',
      ]),
      reason: 'x',
      at: t,
    }),
    () => ({ type: 'timer.fired', timerId: pick(['idle:1', 'idle:2', 'sla:1', 'sla:3', 'nope']), at: t }),
    () => ({
      type: 'manager.replied',
      text: pick(LONG).slice(0, 20_000),
      managerName: pick([undefined, 'Айгерим']),
      at: t,
    }),
    () => ({ type: 'manager.resolved', at: t }),
    () => ({
      type: 'price.dropped',
      product: items[0] ?? product('SOFA-101', 2),
      oldPrice: 300_000,
      newPrice: 250_000,
      at: t,
    }),
    () => ({ type: 'location', latitude: 1, longitude: 2, at: t }),
    () => ({ type: pick(['teleport', 'text']), at: pick([t, 'not a time']) }),
    () => pick([null, 42, 'x', [], {}]),
  ];
  return pick(events)();
}

describe('random conversations', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'seed %i: 400 random events never throw, never bloat, never strand the shopper',
    (seed) => {
      const r = rng(seed);
      let persisted: unknown;
      let maxBytes = 0;
      for (let i = 0; i < 400; i++) {
        const out = step(s, persisted, randomEvent(r, at(i)), { channel: seed % 2 ? 'whatsapp' : 'telegram' });
        const valid = v.safeParse(PersistedSchema, out.persisted);
        expect(valid.issues?.map((x) => `${v.getDotPath(x)} ${x.message}`) ?? []).toEqual([]);
        maxBytes = Math.max(maxBytes, new TextEncoder().encode(JSON.stringify(out.persisted)).length);
        persisted = out.persisted;
        // from wherever we are, a shopper's plain text is always handled (in a designer flow: as an answer)
        const probe = step(s, persisted, { type: 'text', text: 'диван', at: at(i) } satisfies EngineEvent);
        const kinds = probe.effects.map((e) => e.type);
        const inFlow = JSON.stringify(out.persisted.snapshot.value).startsWith('{"flows"');
        expect(
          kinds.includes('understand') || kinds.includes('forwardToManager') || (inFlow && kinds.includes('reply')),
        ).toBe(true);
        expect(kinds).not.toContain('warning');
      }
      expect(maxBytes).toBeLessThanOrEqual(4_096 + 2_048); // pending image ref (≤ 2 000) is the only unbounded-looking part
    },
  );
});
