import type { Lang, SearchCriteria } from './catalog.ts';
import type { EFFECT_TYPES, PaymentMethod } from './events.ts';
import type { Reply } from './replies.ts';

/**
 * I/O the engine asks for, as data. The host executes each one and feeds the result back as
 * an event (`search` → `search.done`, …). Effects without a result (`reply`, `track`, …) are
 * fire-and-forget from the engine's point of view.
 */

export type HistoryEntry = { role: 'shopper' | 'bot' | 'manager'; text: string; at: string };

/** a product's price (optionally down to a target), or a search that had no results yet */
export type AlertTarget =
  | { kind: 'product'; productId: string; sku: string; price: number; targetPrice?: number }
  | { kind: 'search'; criteria: SearchCriteria };

export type EscalationTrigger = 'request' | 'failures' | 'angry' | 'no_results' | 'image' | 'voice';

export type Effect =
  | { type: 'reply'; reply: Reply }
  /** `criteria` and `focusSku` let a brain tell a refinement («а синий есть?») from a new search */
  | {
      type: 'understand';
      text: string;
      lang: Lang;
      history: HistoryEntry[];
      criteria?: SearchCriteria;
      focusSku?: string;
    }
  | { type: 'search'; criteria: SearchCriteria; page: number; pageSize: number }
  | { type: 'lookupSku'; sku: string }
  | { type: 'readImage'; ref: string }
  | { type: 'describeImage'; ref: string }
  | { type: 'transcribe'; ref: string; lang: Lang }
  | { type: 'escalate'; reason: string; trigger: EscalationTrigger; history: HistoryEntry[] }
  /** `media`: what the shopper sent, for hosts that can show managers the photo or voice note itself */
  | { type: 'forwardToManager'; escalationId: string; text: string; media?: ShopperMedia }
  /** the shopper went back to the bot, or the hand-off fell silent: close it and tell the managers */
  | { type: 'closeEscalation'; escalationId: string; why: 'shopper' | 'silence' }
  | { type: 'createAlert'; target: AlertTarget }
  | { type: 'cancelAlert'; sku?: string }
  /** a designer flow collected a request the staff handle (a lead): its slots and the conversation so far */
  | { type: 'recordLead'; flow: string; slots: Record<string, string>; history: HistoryEntry[] }
  /** read the cart again from the catalog, with the city's stores and payment methods → `checkout.ready` */
  | { type: 'prepareCheckout'; lines: CartRef[] }
  /**
   * place the order → `order.placed` | `order.refused`. `lines` carry the prices the shopper was
   * shown: the host computes the total from the catalog and refuses when any differs or sold out.
   * Idempotent per inbound message.
   */
  | { type: 'placeOrder'; order: OrderRequest }
  /** this conversation's orders (one by its number) → `orders.found` */
  | { type: 'findOrders'; number?: number }
  | { type: 'forgetPreferences' }
  /** products for «Вам может понравиться», from the shopper's learned preferences (may be empty) */
  | { type: 'recommend'; limit: number }
  | { type: 'track'; name: string; props?: Record<string, string | number | boolean | null> }
  /** durable timer; firing delivers `timer.fired` with this id. Ids are per conversation. */
  | { type: 'schedule'; timerId: string; dueAt: string }
  | { type: 'cancel'; timerId: string }
  /** something was wrong but the engine recovered (e.g. an unreadable snapshot was reset) */
  | { type: 'warning'; message: string };

export type CartRef = { productId: string; sku: string; quantity: number };

export type OrderRequest = {
  lines: Array<CartRef & { price: number }>;
  customer: { name: string; phone: string };
  delivery: { kind: 'delivery'; address: string } | { kind: 'pickup'; store: string };
  method: PaymentMethod;
  /** the designer's own questions of the checkout flow (floor, lift…), kept with the order */
  details: Record<string, string>;
  /** the total the shopper confirmed, in the cart's currency */
  total: number;
  currency: string;
};

export type EffectType = Effect['type'];
// compile-time check that the runtime list and the union agree
type _Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const _effectTypesAgree: _Same<EffectType, (typeof EFFECT_TYPES)[number]> = true;

/** a photo or voice note a shopper sent, by the channel's handle (Telegram file_id, WhatsApp media id) */
export type ShopperMedia = { kind: 'photo' | 'voice' | 'document'; ref: string; caption?: string };
