import type { Product, SearchCriteria } from '../catalog.ts';
import { searchCatalog } from './catalogSearch.ts';
import { skuKey } from '../skuKey.ts';
import {
  emptyPreferences,
  isEmpty,
  learnSearch,
  learnView,
  recommendationQueries,
  type Preferences,
} from '../preferences.ts';
import type { Effect } from '../effects.ts';
import { afterHours, parseHours, wallTimeAt, type AfterHours, type WeeklyHours } from '../hours.ts';
import { alertHits, seedSearchAlert, type StoredAlert } from './memoryAlerts.ts';
import type { ImageDescription, ResultEvent, SystemEvent } from '../events.ts';
import type { Understanding } from '../intent.ts';
import type { AdminAction, TranscriptHeader } from '../transcript/model.ts';
import type { EffectExecutor } from '../transcript/engineTarget.ts';
import { understandText } from '../understanding/index.ts';
import { demoVocabulary } from './demoTaxonomy.ts';
import { createMemoryShop, type MemoryOrder } from './memoryShop.ts';

/**
 * A pure, in-memory world for the engine: a product array as the catalog, the rules brain,
 * fixture answers for OCR / vision / transcription, deterministic ids and a virtual timer list.
 * Tests, transcripts and the terminal chat run on it; nothing here touches I/O or the clock.
 */

/** What a fixture photo "shows": the OCR text on it and what a vision model would say. */
export type ImageFixture = { ocr?: string; vision?: ImageDescription | null };
/** What a fixture voice note "says". */
export type VoiceFixture = { text: string };

export type MemoryHostOptions = {
  catalog: readonly Product[];
  /** keyed by file name (`tag-sofa-001.png`); refs are matched by their last path segment */
  images?: Readonly<Record<string, ImageFixture>>;
  voices?: Readonly<Record<string, VoiceFixture>>;
  /** the rules brain over the demo taxonomy's words unless given */
  understand?: (text: string, context: Parameters<typeof understandText>[1]) => Understanding;
  /** the scenario's own intents (`scenario.intents`), handed to the rules brain with every message */
  intents?: Parameters<typeof understandText>[1]['intents'];
};

export type Timer = { timerId: string; dueAt: string };

export type MemoryHost = EffectExecutor & {
  readonly catalog: Product[];
  readonly alerts: StoredAlert[];
  readonly timers: Timer[];
  readonly managerInbox: { escalationId: string; text: string }[];
  /** hand-offs the engine closed (the shopper went back to the bot, or silence) */
  readonly closedEscalations: { escalationId: string; why: string }[];
  /** leads designer flows recorded (`recordLead`), as the platform stores them for the staff */
  readonly leads: { flow: string; slots: Record<string, string> }[];
  /** orders placed by checkouts, numbered from 1 */
  readonly orders: MemoryOrder[];
  /** the header's `manager-hours` and `utc-offset`: null while managers are in */
  managersAway(at: string): AfterHours | null;
  readonly tracked: { name: string; props?: Record<string, unknown> }[];
  search(
    criteria: SearchCriteria,
    page: number,
    pageSize: number,
  ): { items: Product[]; total: number; relaxed?: { dropped: string[] } };
  /** the shopper profile learns from a tracked signal (`search`, `zero_results`, `product_view`), as the platform's does */
  learn(name: string, props: Record<string, unknown>): void;
};

export function createMemoryHost(options: MemoryHostOptions): MemoryHost {
  const understand = options.understand ?? ((text, context) => understandText(text, context, demoVocabulary()));
  const images = options.images ?? {};
  const voices = options.voices ?? {};
  const pristine = options.catalog.map((p) => ({ ...p }));
  const shop = createMemoryShop(() => host.catalog);
  let placements = 0;
  const host: MemoryHost = {
    orders: shop.orders,
    catalog: [],
    alerts: [],
    timers: [],
    managerInbox: [],
    closedEscalations: [],
    leads: [],
    tracked: [],
    start(header) {
      world = {
        vision: header.vision,
        voice: header.voice,
        escalations: 0,
        preferences: emptyPreferences(),
        ...cityHours(header),
      };
      host.catalog.splice(0, host.catalog.length, ...pristine.map((p) => ({ ...p })));
      host.alerts.length = 0;
      host.timers.length = 0;
      host.managerInbox.length = 0;
      host.closedEscalations.length = 0;
      host.leads.length = 0;
      host.tracked.length = 0;
      shop.start(header);
      placements = 0;
    },
    managersAway: (at) => (world.hours ? afterHours(world.hours, at, wallTimeAt(at, world.offsetMinutes)) : null),
    execute: (effect, at) => execute(effect, at),
    findSku: (sku) => host.catalog.find((p) => skuKey(p.sku) === skuKey(sku)) ?? null,
    takeDueTimers(until) {
      const due = host.timers.filter((t) => t.dueAt <= until).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
      const remaining = host.timers.filter((t) => t.dueAt > until);
      host.timers.splice(0, host.timers.length, ...remaining);
      return due;
    },
    admin: (action, at) => admin(action, at),
    search: (criteria, page, pageSize) => searchCatalog(host.catalog, criteria, page, pageSize),
    learn: (name, props) => learn(name, props),
  };
  let world: {
    vision: boolean;
    voice: boolean;
    escalations: number;
    preferences: Preferences;
    hours: WeeklyHours | null;
    offsetMinutes: number;
  } = {
    vision: true,
    voice: true,
    escalations: 0,
    preferences: emptyPreferences(),
    hours: null,
    offsetMinutes: 0,
  };
  host.start({
    city: 'almaty',
    channel: 'telegram',
    lang: 'ru',
    at: '2026-01-01T00:00:00.000Z',
    vision: true,
    voice: true,
    extra: {},
  } satisfies TranscriptHeader);

  function execute(effect: Effect, at: string): ResultEvent | null {
    switch (effect.type) {
      case 'understand': {
        const opts: Parameters<typeof understandText>[1] = { lang: effect.lang };
        if (effect.criteria) opts.criteria = effect.criteria;
        if (effect.focusSku) opts.focusSku = effect.focusSku;
        if (options.intents) opts.intents = options.intents;
        const understanding: Understanding = understand(effect.text, opts);
        return { type: 'understand.done', understanding, at };
      }
      case 'search': {
        const { items, total, relaxed } = host.search(effect.criteria, effect.page, effect.pageSize);
        return { type: 'search.done', items, total, ...(relaxed ? { relaxed } : {}), at };
      }
      case 'lookupSku':
        return { type: 'lookupSku.done', sku: effect.sku, product: host.findSku(effect.sku) as Product | null, at };
      case 'readImage': {
        const fixture = images[fileName(effect.ref)];
        if (!fixture)
          return { type: 'effect.failed', effect: 'readImage', reason: `no fixture image ${effect.ref}`, at };
        return { type: 'readImage.done', text: fixture.ocr ?? '', at };
      }
      case 'describeImage': {
        if (!world.vision) return { type: 'describeImage.done', description: null, at };
        const fixture = images[fileName(effect.ref)];
        if (!fixture)
          return { type: 'effect.failed', effect: 'describeImage', reason: `no fixture image ${effect.ref}`, at };
        return { type: 'describeImage.done', description: fixture.vision ?? null, at };
      }
      case 'transcribe': {
        if (!world.voice) return { type: 'transcribe.done', text: null, at };
        const fixture = voices[fileName(effect.ref)];
        if (!fixture)
          return { type: 'effect.failed', effect: 'transcribe', reason: `no fixture voice note ${effect.ref}`, at };
        return { type: 'transcribe.done', text: fixture.text, at };
      }
      case 'escalate': {
        world.escalations += 1;
        const away = host.managersAway(at);
        return {
          type: 'escalate.done',
          escalationId: `esc-${world.escalations}`,
          ...(away ? { afterHours: away } : {}),
          at,
        };
      }
      case 'forwardToManager':
        host.managerInbox.push({ escalationId: effect.escalationId, text: effect.text });
        return null;
      case 'closeEscalation':
        host.closedEscalations.push({ escalationId: effect.escalationId, why: effect.why });
        return null;
      case 'recordLead':
        host.leads.push({ flow: effect.flow, slots: { ...effect.slots } });
        return null;
      case 'prepareCheckout':
        return shop.prepare(effect.lines, at);
      case 'placeOrder':
        // one key per placement asked for: a transcript has no crash to replay
        return shop.place(effect.order, `placement-${++placements}`, at);
      case 'findOrders':
        return shop.find(effect.number, at);
      case 'createAlert': {
        const id = `alert-${host.alerts.length + 1}`;
        const alert: StoredAlert = { id, target: effect.target, active: true };
        seedSearchAlert(alert, host.catalog);
        host.alerts.push(alert);
        return { type: 'createAlert.done', alertId: id, at };
      }
      case 'cancelAlert':
        for (const alert of host.alerts) {
          if (!alert.active) continue;
          if (effect.sku === undefined || (alert.target.kind === 'product' && alert.target.sku === effect.sku))
            alert.active = false;
        }
        return null;
      case 'forgetPreferences':
        world.preferences = emptyPreferences();
        return null;
      case 'recommend':
        return { type: 'recommend.done', items: recommend(effect.limit), at };
      case 'track':
        host.tracked.push(effect.props ? { name: effect.name, props: effect.props } : { name: effect.name });
        learn(effect.name, effect.props ?? {});
        return null;
      case 'schedule': {
        const kept = host.timers.filter((t) => t.timerId !== effect.timerId);
        host.timers.splice(0, host.timers.length, ...kept, { timerId: effect.timerId, dueAt: effect.dueAt });
        return null;
      }
      case 'cancel': {
        const kept = host.timers.filter((t) => t.timerId !== effect.timerId);
        host.timers.splice(0, host.timers.length, ...kept);
        return null;
      }
      case 'reply':
      case 'warning':
        return null;
    }
  }

  function learn(name: string, props: Record<string, unknown>): void {
    if (name === 'search' || name === 'zero_results') world.preferences = learnSearch(world.preferences, props);
    const product =
      name === 'product_view' && typeof props.sku === 'string'
        ? host.catalog.find((p) => p.sku === String(props.sku).toUpperCase())
        : undefined;
    if (product) world.preferences = learnView(world.preferences, product);
  }

  /** the platform's «Вам может понравиться»: the learned taste, most specific first, in stock and not opened yet */
  function recommend(limit: number): Product[] {
    if (limit <= 0 || isEmpty(world.preferences)) return [];
    const seen = new Set(world.preferences.viewed);
    const picked: Product[] = [];
    for (const criteria of recommendationQueries(world.preferences)) {
      for (const item of host.search(criteria, 1, Math.min(50, limit * 4)).items) {
        if (picked.length >= limit) return picked;
        if (!item.available || seen.has(item.sku)) continue;
        seen.add(item.sku);
        picked.push(item);
      }
    }
    return picked;
  }

  /** A catalog change (one product, or an import of several), and the one digest of alert hits it causes. */
  function admin(action: AdminAction, at: string): SystemEvent[] {
    const rows =
      action.kind === 'catalogImport'
        ? action.rows
        : action.kind === 'price'
          ? [{ sku: action.sku, price: action.price }]
          : [{ sku: action.sku, available: action.available }];
    for (const row of rows) {
      const product = host.catalog.find((p) => p.sku === row.sku);
      if (!product) continue;
      if (row.price !== undefined) product.price = row.price;
      if (row.available !== undefined) product.available = row.available;
    }
    const hits = alertHits(host.alerts, host.catalog);
    return hits.length > 0 ? [{ type: 'alert.digest', hits, at }] : [];
  }

  return host;
}

/** `@ manager-hours mon-fri 09:00-18:00 · utc-offset +05:00`: the city's managers' hours on its wall clock */
function cityHours(header: TranscriptHeader): { hours: WeeklyHours | null; offsetMinutes: number } {
  const text = header.extra['manager-hours'];
  const parsed = text ? parseHours(text) : null;
  const offset = /^([+-])(\d\d):?(\d\d)?$/.exec(header.extra['utc-offset'] ?? '+00:00');
  const offsetMinutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3] ?? 0)) : 0;
  return { hours: parsed?.ok ? parsed.hours : null, offsetMinutes };
}

function fileName(ref: string): string {
  return ref.split(/[\\/]/).pop() ?? ref;
}

export { searchCatalog };
