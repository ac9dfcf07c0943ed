/**
 * Test support for the engine's tests (not shipped): loads the default scenario and drives
 * conversations through `step`. It reads a file, so it lives outside engine/, which stays pure.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Channel, Lang, Product } from '../engine/catalog.ts';
import type { Effect } from '../engine/effects.ts';
import type { EngineEvent } from '../engine/events.ts';
import type { Intent, Understanding } from '../engine/intent.ts';
import type { Reply } from '../engine/replies.ts';
import { parseScenario, type Scenario } from '../engine/scenario/index.ts';
import { step, type Persisted } from '../engine/step.ts';

export function loadDefaultScenario(): Scenario {
  const path = fileURLToPath(new URL('./default.yaml', import.meta.url));
  const r = parseScenario(parse(readFileSync(path, 'utf8')));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

export const T0 = Date.parse('2026-03-01T09:00:00.000Z');
/** ISO time `minutes` after T0 */
export const at = (minutes = 0) => new Date(T0 + minutes * 60_000).toISOString();

export const product = (sku: string, price: number, extra: Partial<Product> = {}): Product => ({
  id: `id-${sku}`,
  sku,
  name: `Товар ${sku}`,
  price,
  currency: 'KZT',
  available: true,
  ...extra,
});

export const understood = (intent: Intent, extra: Partial<Understanding> = {}): Understanding => ({
  intent,
  source: 'replay',
  ...extra,
});

type Dist<T> = T extends unknown ? Omit<T, 'at'> : never;
export type EventInput = Dist<EngineEvent>;

export class Convo {
  persisted: Persisted | undefined;
  clock = 0;
  constructor(
    readonly scenario: Scenario,
    readonly init: { channel: Channel; lang?: Lang } = { channel: 'telegram' },
  ) {}

  /** send an event at the current clock; returns its effects */
  send(event: EventInput, minutesLater = 0): Effect[] {
    this.clock += minutesLater;
    const out = step(this.scenario, this.persisted, { ...event, at: at(this.clock) }, this.init);
    this.persisted = out.persisted;
    return out.effects;
  }
  /** shopper text + the brain's answer */
  say(text: string, intent: Intent, extra: Partial<Understanding> = {}): Effect[] {
    const first = this.send({ type: 'text', text });
    if (!first.some((e) => e.type === 'understand')) return first;
    return this.send({ type: 'understand.done', understanding: understood(intent, extra) });
  }
  get value(): unknown {
    return this.persisted?.snapshot.value;
  }
  get ctx() {
    if (!this.persisted) throw new Error('no conversation yet');
    return this.persisted.snapshot.context;
  }
}

export const replies = (effects: Effect[]): Reply[] => effects.flatMap((e) => (e.type === 'reply' ? [e.reply] : []));
export const texts = (effects: Effect[]): string[] =>
  replies(effects).flatMap((r) => (r.type === 'text' ? [r.text] : r.type === 'choices' && r.text ? [r.text] : []));
export const optionIds = (effects: Effect[]): string[] =>
  replies(effects).flatMap((r) =>
    r.type === 'choices'
      ? r.options.map((o) => o.id)
      : r.type === 'products'
        ? r.items.flatMap((i) => (i.options ?? []).map((o) => o.id))
        : [],
  );
export const ofType = <T extends Effect['type']>(effects: Effect[], type: T) =>
  effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
export const types = (effects: Effect[]) => effects.map((e) => e.type);

export const search = (
  args: Extract<Intent, { name: 'search_products' }>['args'],
  mode: 'new' | 'refine' = 'new',
  adjust?: 'cheaper' | 'pricier',
): Intent => (adjust ? { name: 'search_products', args, mode, adjust } : { name: 'search_products', args, mode });
