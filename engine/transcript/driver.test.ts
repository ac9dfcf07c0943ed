import { describe, expect, it } from 'vitest';
import type { Product } from '../catalog.ts';
import type { Effect } from '../effects.ts';
import type { EngineEvent, ResultEvent } from '../events.ts';
import { formatReplay, replayTranscript } from './driver.ts';
import { createEngineTarget, type EffectExecutor, type StepFn } from './engineTarget.ts';
import { parseTranscript } from './parse.ts';

/** A toy engine (not ZETA's): enough to drive every path of the target and the driver. */
type Toy = { count: number };
const toyStep: StepFn<Toy> = (persisted, event) => {
  const state = { count: (persisted?.count ?? 0) + 1 };
  const say = (text: string): Effect => ({ type: 'reply', reply: { type: 'text', text } });
  const effects: Effect[] = [];
  const e: EngineEvent = event;
  switch (e.type) {
    case 'text':
      if (e.text === 'menu')
        effects.push({
          type: 'reply',
          reply: { type: 'choices', text: 'Меню', options: [{ id: 'menu:search', label: 'Поиск' }] },
        });
      else if (e.text === 'phone')
        effects.push({
          type: 'reply',
          reply: {
            type: 'choices',
            text: 'Ваш номер?',
            options: [
              { id: 'contact', label: '📱 Мой номер', request: 'contact' },
              { id: 'cancel', label: 'Отмена' },
            ],
          },
        });
      else effects.push({ type: 'understand', text: e.text, lang: 'ru', history: [] });
      break;
    case 'understand.done':
      effects.push(say(`intent ${e.understanding.intent.name} from ${e.understanding.source}`));
      effects.push({ type: 'search', criteria: {}, page: 0, pageSize: 2 });
      break;
    case 'search.done':
      effects.push({
        type: 'reply',
        reply: {
          type: 'products',
          items: e.items.map((p) => ({
            id: p.id,
            sku: p.sku,
            name: p.name,
            price: p.price,
            currency: p.currency,
            available: p.available,
          })),
        },
      });
      effects.push({ type: 'schedule', timerId: 'idle', dueAt: new Date(Date.parse(e.at) + 3_600_000).toISOString() });
      break;
    case 'choice':
      effects.push(say(`tapped ${e.id}`));
      break;
    case 'contact':
      effects.push(say(`contact ${e.phone} ${e.own ? 'own' : 'other'}`));
      break;
    case 'timer.fired':
      effects.push(say(`timer ${e.timerId} at ${e.at}`));
      break;
    case 'price.dropped':
      effects.push(say(`🔔 ${e.product.sku} ${e.oldPrice} → ${e.newPrice}`));
      break;
    default:
      break;
  }
  return { persisted: state, effects };
};

const product = (sku: string, price: number): Product => ({
  id: sku.toLowerCase(),
  sku,
  name: sku,
  price,
  currency: 'KZT',
  available: true,
});

function toyExecutor(): EffectExecutor {
  const catalog = [product('SOFA-001', 100), product('SOFA-002', 200)];
  let timers: { timerId: string; dueAt: string }[] = [];
  return {
    start: () => {
      timers = [];
    },
    execute(effect: Effect, at: string): ResultEvent | null {
      if (effect.type === 'understand')
        return { type: 'understand.done', understanding: { intent: { name: 'unknown' }, source: 'rules' }, at };
      if (effect.type === 'search') return { type: 'search.done', items: catalog, total: 2, at };
      if (effect.type === 'schedule')
        timers = [
          ...timers.filter((t) => t.timerId !== effect.timerId),
          { timerId: effect.timerId, dueAt: effect.dueAt },
        ];
      return null;
    },
    findSku: (sku) => catalog.find((p) => p.sku === sku) ?? null,
    takeDueTimers(until) {
      const due = timers.filter((t) => t.dueAt <= until);
      timers = timers.filter((t) => t.dueAt > until);
      return due;
    },
    admin(action, at) {
      if (action.kind !== 'price') return [];
      const p = catalog.find((x) => x.sku === action.sku)!;
      return [
        {
          type: 'price.dropped',
          product: { ...p, price: action.price },
          oldPrice: p.price,
          newPrice: action.price,
          at,
        },
      ];
    },
  };
}

async function replay(text: string) {
  const parsed = parseTranscript(text, 'toy.transcript');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return replayTranscript(parsed.transcript, createEngineTarget({ step: toyStep, executor: toyExecutor() }));
}

describe('replayTranscript on the engine target', () => {
  it('runs effects, uses recorded results, resolves labels, fires timers and admin events', async () => {
    const result = await replay(`# toy
@ at 2026-11-26T10:00:00Z
> привет
< intent unknown from rules
< [products] SOFA-001, SOFA-002
> привет
= understand {"intent":{"name":"greeting"},"source":"openai"}
= search ["SOFA-002"]
< intent greeting from openai
< [products] SOFA-002
> menu
< Меню
< [choices] Поиск
> [tap "поиск"]
< tapped menu:search
~ 2h
< timer idle at 2026-11-26T11:00:01.000Z
! admin: price SOFA-002 = 150
< 🔔 SOFA-002 200 → 150
`);
    expect(formatReplay(result)).toBe('✓ toy.transcript — toy (6 turns)');
  });

  it('shares contacts, and shows a button asking for one as [contact] whatever its label', async () => {
    const result = await replay(`# toy
> phone
< Ваш номер?
< [choices] [contact] | Отмена
> [contact +77011234567]
< contact +77011234567 own
> [contact +77019998877 other]
< contact +77019998877 other
`);
    expect(formatReplay(result)).toBe('✓ toy.transcript — toy (3 turns)');
  });

  it('explains failures: wrong replies, unused recordings, unknown labels, bad recordings', async () => {
    const result = await replay(`# toy
> привет
< intent greeting from rules
< [products] SOFA-001
> menu
= readImage "SOFA-001"
> [tap "Нет такой"]
> hi
= understand {"intent":{"name":"nope"}}
`);
    expect(result.ok).toBe(false);
    const report = formatReplay(result);
    expect(report).toContain('✗ toy.transcript — toy (4 of 4 turns failed)');
    expect(report).toContain('✗ < intent greeting from rules');
    expect(report).toContain('  < intent unknown from rules');
    expect(report).toContain('= readImage SOFA-001  (line 6)');
    expect(report).toContain('no button labelled "Нет такой"');
    expect(report).toContain('recorded understand (line 9): not an Understanding');
  });
});
