import * as v from 'valibot';
import { ProductSchema, type Product } from '../catalog.ts';
import type { Effect, EffectType } from '../effects.ts';
import { ImageDescriptionSchema, type ResultEvent } from '../events.ts';
import { UnderstandingSchema } from '../intent.ts';
import type { Recorded } from './model.ts';

/** Effects whose result can be recorded in a transcript (`= <effect> <value>`). */
export const RECORDABLE: readonly EffectType[] = [
  'understand',
  'search',
  'lookupSku',
  'readImage',
  'describeImage',
  'transcribe',
  'escalate',
  'createAlert',
  'recommend',
];

/** A turn's recorded results, consumed in order by the next effect of the same type. */
export class RecordedQueue {
  readonly #items: Recorded[];
  constructor(items: readonly Recorded[]) {
    this.#items = [...items];
  }
  take(effect: EffectType): Recorded | undefined {
    const index = this.#items.findIndex((item) => item.effect === effect);
    return index < 0 ? undefined : this.#items.splice(index, 1)[0];
  }
  remaining(): readonly Recorded[] {
    return this.#items;
  }
}

export type SkuResolver = (sku: string) => Product | null;

/** The result event a recorded value stands for, or an error message. */
export function recordedResult(
  effect: Effect,
  recorded: Recorded,
  at: string,
  findSku: SkuResolver,
): ResultEvent | string {
  if (recorded.failure !== undefined)
    return { type: 'effect.failed', effect: effect.type, reason: recorded.failure, at };
  const value = recorded.value;
  const where = `recorded ${effect.type} (line ${recorded.line})`;
  switch (effect.type) {
    case 'understand': {
      const candidate = isObject(value) && !('source' in value) ? { ...value, source: 'replay' } : value;
      const parsed = v.safeParse(UnderstandingSchema, candidate);
      if (!parsed.success) return `${where}: not an Understanding: ${issues(parsed.issues)}`;
      return { type: 'understand.done', understanding: parsed.output, at };
    }
    case 'search': {
      const rawItems = Array.isArray(value)
        ? value
        : isObject(value) && Array.isArray(value.items)
          ? value.items
          : undefined;
      if (!rawItems) return `${where}: expected an array of SKUs/products or {"items": [...], "total": n}`;
      const items = products(rawItems, findSku);
      if (typeof items === 'string') return `${where}: ${items}`;
      const total = isObject(value) && typeof value.total === 'number' ? value.total : items.length;
      const relaxed =
        isObject(value) && isObject(value.relaxed) && Array.isArray(value.relaxed.dropped)
          ? { dropped: value.relaxed.dropped.filter((w): w is string => typeof w === 'string') }
          : undefined;
      return { type: 'search.done', items, total, ...(relaxed ? { relaxed } : {}), at };
    }
    case 'recommend': {
      if (!Array.isArray(value)) return `${where}: expected an array of SKUs or products`;
      const items = products(value, findSku);
      return typeof items === 'string' ? `${where}: ${items}` : { type: 'recommend.done', items, at };
    }
    case 'lookupSku': {
      if (value === null) return { type: 'lookupSku.done', sku: effect.sku, product: null, at };
      const found = products([value], findSku);
      return typeof found === 'string'
        ? `${where}: ${found}`
        : { type: 'lookupSku.done', sku: effect.sku, product: found[0] ?? null, at };
    }
    case 'readImage':
      return typeof value === 'string'
        ? { type: 'readImage.done', text: value, at }
        : `${where}: expected the OCR text as a "string"`;
    case 'describeImage': {
      if (value === null) return { type: 'describeImage.done', description: null, at };
      const parsed = v.safeParse(ImageDescriptionSchema, value);
      return parsed.success
        ? { type: 'describeImage.done', description: parsed.output, at }
        : `${where}: ${issues(parsed.issues)}`;
    }
    case 'transcribe':
      return value === null || typeof value === 'string'
        ? { type: 'transcribe.done', text: value, at }
        : `${where}: expected a "string" or null`;
    case 'escalate':
      return typeof value === 'string'
        ? { type: 'escalate.done', escalationId: value, at }
        : `${where}: expected an escalation id`;
    case 'createAlert':
      return typeof value === 'string'
        ? { type: 'createAlert.done', alertId: value, at }
        : `${where}: expected an alert id`;
    default:
      return `${where}: ${effect.type} has no result to record`;
  }
}

function products(raw: readonly unknown[], findSku: SkuResolver): Product[] | string {
  const out: Product[] = [];
  for (const item of raw) {
    if (typeof item === 'string') {
      const product = findSku(item);
      if (!product) return `unknown SKU ${item} in the catalog`;
      out.push(product);
      continue;
    }
    const parsed = v.safeParse(ProductSchema, item);
    if (!parsed.success) return `not a product: ${issues(parsed.issues)}`;
    out.push(parsed.output);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function issues(list: readonly v.BaseIssue<unknown>[]): string {
  return list
    .slice(0, 3)
    .map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`)
    .join('; ');
}
