import * as v from 'valibot';
import {
  ChannelSchema,
  LangSchema,
  SearchCriteriaSchema,
  type Channel,
  type Lang,
  type SearchCriteria,
} from './catalog.ts';
import type { Effect, HistoryEntry } from './effects.ts';
import { PAYMENT_METHODS, PaymentMethodSchema, StoreSchema } from './events.ts';

/**
 * The conversation's memory: small plain JSON, bounded whatever the conversation length.
 * The scenario is not in here — machines close over it.
 */

/** text kept per history entry; enough for an NLU prompt, small enough for a 4 KB snapshot */
export const HISTORY_TEXT_MAX = 160;
/** all history texts together: keeps the snapshot ≤ 4 KB even when every message is long */
export const HISTORY_BUDGET = 1_200;
/** text passed to `understand` / `forwardToManager` */
export const INPUT_TEXT_MAX = 1_000;

/** one slot answer: an address, a phone, a time window, a photo's handle */
export const SLOT_VALUE_MAX = 300;

const Str = (max: number) => v.pipe(v.string(), v.maxLength(max));
const Num = v.pipe(v.number(), v.finite());

/** one line of the cart; prices are what the shopper was shown, read again at checkout */
export const MAX_CART_LINES = 20;
export const MAX_LINE_QUANTITY = 99;
export const CartLineSchema = v.object({
  productId: Str(200),
  sku: Str(40),
  name: Str(300),
  price: Num,
  currency: v.pipe(v.string(), v.length(3)),
  quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_LINE_QUANTITY)),
});
export type CartLine = v.InferOutput<typeof CartLineSchema>;

export const FocusSchema = v.object({ productId: Str(200), sku: Str(40), name: Str(300), price: Num });
export type Focus = v.InferOutput<typeof FocusSchema>;

/** data a waiting state needs when its result arrives */
export const PendingSchema = v.object({
  ref: v.optional(Str(2_000)),
  caption: v.optional(Str(HISTORY_TEXT_MAX)),
  sku: v.optional(Str(40)),
  targetPrice: v.optional(Num),
  alert: v.optional(v.picklist(['product', 'search'])),
  /** the product looked up goes into the cart, `quantity` of it (as the shopper said it, checked when it arrives) */
  cart: v.optional(v.object({ quantity: v.optional(Num), more: v.optional(v.literal(true)) })),
  /** the order number the shopper asked about («статус заказа № 12») */
  orderNumber: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** results come from a relaxed / image search: the header text differs */
  via: v.optional(v.picklist(['text', 'relax', 'image', 'menu'])),
  /** the search to run when the code being looked up is not in the catalog («есть 000123456?» as a price) */
  otherwise: v.optional(SearchCriteriaSchema),
});
export type Pending = v.InferOutput<typeof PendingSchema>;

export const HistoryEntrySchema = v.object({
  role: v.picklist(['shopper', 'bot', 'manager']),
  text: Str(HISTORY_TEXT_MAX + 1),
  at: Str(40),
});

export const ContextSchema = v.object({
  lang: LangSchema,
  channel: ChannelSchema,
  history: v.pipe(v.array(HistoryEntrySchema), v.maxLength(50)),
  criteria: v.nullable(SearchCriteriaSchema),
  /** 1-based page of `criteria` last asked for */
  page: v.pipe(v.number(), v.integer(), v.minValue(1)),
  total: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** `total` is a lower bound: the catalog stopped counting there */
  totalCapped: v.optional(v.boolean()),
  /** cheapest and dearest price on the last page shown — «подешевле» / «подороже» move from there */
  shownMin: v.nullable(Num),
  shownMax: v.nullable(Num),
  focus: v.nullable(FocusSchema),
  failedTurns: v.pipe(v.number(), v.integer(), v.minValue(0)),
  escalationId: v.nullable(Str(200)),
  /** the managers were out at the hand-off: when they are in again (silence is counted from then) */
  managersFrom: v.optional(v.nullable(Str(40))),
  /** timer ids this conversation still expects; any other `timer.fired` is stale */
  timers: v.pipe(v.array(Str(64)), v.maxLength(8)),
  /** monotonic counter that makes every scheduled timer id unique */
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  pending: v.nullable(PendingSchema),
  /** codes of the product cards shown lately, newest last: card buttons name them by a short handle */
  shownSkus: v.optional(v.pipe(v.array(Str(40)), v.maxLength(30))),
  lastEventAt: v.nullable(Str(40)),
  /** the designer flow in progress: its name and the slots answered so far */
  flow: v.optional(
    v.nullable(
      v.object({
        name: Str(64),
        slots: v.pipe(
          v.record(Str(64), Str(SLOT_VALUE_MAX)),
          v.check((slots) => Object.keys(slots).length <= 20, 'at most 20 slots'),
        ),
      }),
    ),
  ),
  /**
   * answers to questions marked `remember` (a name, a phone, an address), by slot: offered as a
   * button when a flow asks that slot again; kept across scenario versions like the cart
   */
  known: v.optional(
    v.pipe(
      v.record(Str(64), Str(SLOT_VALUE_MAX)),
      v.check((known) => Object.keys(known).length <= 10, 'at most 10 known answers'),
    ),
  ),
  /** the shopper's cart: kept for days, across replicas and across scenario versions (a reset keeps it) */
  cart: v.optional(v.pipe(v.array(CartLineSchema), v.maxLength(MAX_CART_LINES))),
  /** a checkout under way: the city's pickup stores and payment methods, as `checkout.ready` said */
  checkout: v.optional(
    v.nullable(
      v.object({
        stores: v.pipe(v.array(StoreSchema), v.maxLength(20)),
        methods: v.pipe(v.array(PaymentMethodSchema), v.maxLength(PAYMENT_METHODS.length)),
      }),
    ),
  ),
  /** the reminder a designer flow scheduled: its timer and its words, said when it fires */
  reminder: v.optional(v.nullable(v.object({ timerId: Str(64), text: Str(1_000) }))),
});
export type ConversationContext = v.InferOutput<typeof ContextSchema>;

export function initialContext(channel: Channel, lang: Lang): ConversationContext {
  return {
    lang,
    channel,
    history: [],
    criteria: null,
    page: 1,
    total: 0,
    shownMin: null,
    shownMax: null,
    focus: null,
    failedTurns: 0,
    escalationId: null,
    timers: [],
    seq: 0,
    pending: null,
    lastEventAt: null,
  };
}

/** at most `max` characters (an ellipsis included) without splitting a surrogate pair; strips zero-width noise */
export function clip(text: string, max: number): string {
  // zero-width noise and control characters (JSON would escape each to six bytes)
  const clean = text.replace(/[\u200B-\u200D\u2060\uFEFF]|[\u0000-\u0008\u000B-\u001F\u007F]/g, '').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, Math.max(0, max - 1));
  const last = cut.charCodeAt(cut.length - 1);
  const safe = last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
  return `${safe}…`;
}

export function remember(
  ctx: ConversationContext,
  limit: number,
  role: HistoryEntry['role'],
  text: string,
  at: string,
): HistoryEntry[] {
  const entry = { role, text: clip(text, HISTORY_TEXT_MAX), at };
  if (entry.text === '') return ctx.history;
  let next = [...ctx.history, entry];
  if (next.length > limit) next = next.slice(next.length - limit);
  let size = next.reduce((n, e) => n + e.text.length, 0);
  while (size > HISTORY_BUDGET && next.length > 1) {
    size -= next[0]?.text.length ?? 0;
    next = next.slice(1);
  }
  return next;
}

/** what the bot said, as one history line (products by SKU, so a model can refer to them) */
export function botLines(effects: readonly Effect[]): string[] {
  const lines: string[] = [];
  for (const e of effects) {
    if (e.type !== 'reply') continue;
    const r = e.reply;
    if (r.type === 'text') lines.push(r.text);
    else if (r.type === 'choices' && r.text) lines.push(r.text);
    else if (r.type === 'products') lines.push(`[${r.items.map((i) => `${i.sku} ${i.name}`).join('; ')}]`);
  }
  return lines;
}

export function hasCriteria(c: SearchCriteria | null): c is SearchCriteria {
  return c !== null && Object.values(c).some((x) => x !== undefined);
}
