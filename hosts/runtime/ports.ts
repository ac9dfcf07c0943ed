import type { ScenarioIntents } from '../../engine/scenario/intents.ts';
import type { Channel, Lang, Product, SearchCriteria } from '../../engine/catalog.ts';
import type {
  AlertTarget,
  CartRef,
  Effect,
  EscalationTrigger,
  HistoryEntry,
  OrderRequest,
  ShopperMedia,
} from '../../engine/effects.ts';
import type { EngineEvent, ImageDescription, OrderSummary } from '../../engine/events.ts';
import type { AfterHours } from '../../engine/hours.ts';
import type { Understanding } from '../../engine/intent.ts';
import type { Reply } from '../../engine/replies.ts';
import type { ChannelTexts, Scenario } from '../../engine/index.ts';
import type { ConversationAddress } from './address.ts';
import type { RecordedLead } from './leads.ts';

/**
 * What the conversation runtime needs from the world. Hosts compose these from storage, the AI
 * adapters and the channel clients; tests compose them from real storage and fake servers.
 */

export type Media = { bytes: Uint8Array; mime: string; filename: string };

/** What the runtime tells a channel along with a batch of replies. */
export type SendOptions = {
  /** not an answer to a shopper message (price alert, manager reply) — WhatsApp's 24-hour rule */
  proactive: boolean;
  /** the inbox id of the turn, the same when a crash makes it resend */
  messageId?: string;
  /** the conversation's language (WhatsApp picks the template language by it) */
  lang?: Lang;
  /** the scenario's channel words («В наличии», «Артикул», list buttons) in the conversation's language */
  texts: ChannelTexts;
};

/** One per channel: how replies leave and how shopper media comes in. */
export interface ChannelPort {
  send(address: ConversationAddress, replies: Reply[], opts: SendOptions): Promise<void>;
  /** a hint that slow work is under way (Telegram "typing…") */
  typing?(address: ConversationAddress): Promise<void>;
  /** a file over the channel's download limit fails with an error carrying `mediaTooLarge: true` */
  fetchMedia(address: ConversationAddress, ref: string): Promise<Media>;
}

export const isMediaTooLarge = (error: unknown): boolean =>
  (error as { mediaTooLarge?: unknown } | null)?.mediaTooLarge === true;

/**
 * A send the platform refused for good (Telegram 403 «bot was blocked by the user»): sending again
 * cannot help, so the runtime dead-letters the replies at once instead of retrying them. A channel
 * throws an error carrying `permanentDelivery: true`; anything else it throws is retried.
 */
export const isPermanentDelivery = (error: unknown): boolean =>
  (error as { permanentDelivery?: unknown } | null)?.permanentDelivery === true;

export interface CatalogPort {
  /**
   * `totalCapped`: the count stopped at `total` (a large catalog); there are more. `relaxed`: nothing
   * matched every word, so these of the shopper's words were left out
   */
  search(
    city: string,
    criteria: SearchCriteria,
    page: number,
    pageSize: number,
  ): Promise<{ items: Product[]; total: number; totalCapped?: boolean; relaxed?: { dropped: string[] } }>;
  bySku(city: string, sku: string): Promise<Product | null>;
}

/**
 * Whose a model call is: its city, and the daily model-call budget of the bot asking (the
 * scenario's `limits.modelCallsPerDay`, 0 = none). A port backed by a model answers without it
 * once the city's calls of the day reach the budget.
 */
export type ModelCallScope = { city: string; modelCallsPerDay?: number };

export type UnderstandRequest = ModelCallScope & {
  channel?: string;
  text: string;
  lang: Lang;
  history: HistoryEntry[];
  criteria?: SearchCriteria;
  focusSku?: string;
  /** the scenario's own intents (`scenario.intents`, the object itself: brains cache what they build from it) */
  intents?: ScenarioIntents;
};
export interface BrainPort {
  understand(input: UnderstandRequest): Promise<Understanding>;
}
export interface OcrPort {
  read(image: Media): Promise<string>;
}
export interface VisionPort {
  describe(image: Media, scope?: ModelCallScope): Promise<ImageDescription | null>;
}
export interface TranscriberPort {
  transcribe(audio: Media, lang: Lang, scope?: ModelCallScope): Promise<string | null>;
}

export type EscalationRequest = {
  address: ConversationAddress;
  conversationKey: string;
  reason: string;
  trigger: EscalationTrigger;
  history: HistoryEntry[];
  /** the same request repeated after a crash returns the same escalation */
  idempotencyKey: string;
};
export interface EscalationPort {
  open(request: EscalationRequest): Promise<string>;
  shopperWrote(escalationId: string, text: string, media?: ShopperMedia): Promise<void>;
  /** the shopper went back to the bot or the hand-off fell silent: closed, managers told; closing twice is a no-op */
  close(escalationId: string, why: 'shopper' | 'silence'): Promise<void>;
  /** null while the city's managers are in (or it sets no hours); otherwise when they next are */
  managersAway(city: string, at: Date): Promise<AfterHours | null>;
}

export interface AlertPort {
  create(address: ConversationAddress, conversationKey: string, target: AlertTarget): Promise<string>;
  cancel(conversationKey: string, sku?: string): Promise<void>;
}

export interface ProfilePort {
  recommend(conversationKey: string, city: string, limit: number): Promise<Product[]>;
  /** a turn with these signals was just committed: what `learn` will need may be read now (optional, never fails) */
  willLearn?(conversationKey: string, signals: readonly { name: string }[]): void;
  learn(
    conversationKey: string,
    city: string,
    signal: { name: string; props?: Record<string, unknown> },
  ): Promise<void>;
  forget(conversationKey: string): Promise<void>;
}

export type TrackedEvent = {
  name: string;
  address: ConversationAddress;
  conversationKey: string;
  props?: Record<string, unknown>;
  at: Date;
};
export interface AnalyticsPort {
  track(event: TrackedEvent): Promise<void>;
}

export type RecordedMessage = {
  address: ConversationAddress;
  conversationKey: string;
  direction: 'in' | 'out';
  text: string;
  payload: unknown;
  at: Date;
};

/**
 * What the runtime gave up on: `message`, a message whose turn failed `maxAttempts` times (the
 * shopper got the scenario's `messageFailed` text); `delivery`, a committed turn whose `replies`
 * could not be sent (attempts spent or a permanent refusal). `event` is the message itself.
 */
export type DeadLetterRecord = {
  kind: 'message' | 'delivery';
  address: ConversationAddress;
  conversationKey: string;
  messageId: string;
  system: boolean;
  event: EngineEvent;
  replies: Reply[];
  error: string;
  attempts: number;
  at: Date;
};

/**
 * What one committed turn leaves for the database; `key` (conversation key | inbox item id) names the
 * turn. `testTraffic`: staff talking to the bot (playground, API tokens), not a shopper. `leads`: the
 * leads the turn recorded, for the conversation of `address`.
 */
export type TurnRecords = {
  key: string;
  messages: RecordedMessage[];
  tracked: TrackedEvent[];
  leads?: (RecordedLead & { address: ConversationAddress; conversationKey: string; at: Date })[];
  testTraffic?: boolean;
  /** the turn's message or replies were given up on (see DeadLetterRecord) */
  deadLetter?: DeadLetterRecord;
};

/**
 * Writes turns' message-log rows and analytics events, resolving once they are durable. A turn can
 * be handed over twice (the relay that took it died before marking it done), so rows are keyed by
 * turn and position and a repeated write is a no-op.
 */
export interface RecordPort {
  write(turns: TurnRecords[]): Promise<void>;
}

export interface ScenarioPort {
  /** the active scenario of a city's bot on a channel (hot-reloaded) */
  forConversation(address: ConversationAddress): Promise<Scenario> | Scenario;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * A conversation space whose effects that reach the world (escalations, alerts, leads, CRM) are
 * only pretended: the playground's draft space. `simulate` answers undefined for an effect that is
 * carried out for real (search, replies, model calls); otherwise what the engine gets back.
 */
export interface EffectSimulator {
  simulate(
    effect: Effect,
    turn: { address: ConversationAddress; conversationKey: string },
  ): Promise<{ event?: EngineEvent } | undefined>;
}

/**
 * The shop behind a checkout: the cart read again from the catalog with the city's stores and
 * payment methods, an order placed (idempotent per inbound message: a turn run again after a crash
 * returns the order it already placed) with its payment started, and a conversation's orders.
 * An order placed in a turn of test traffic is a test order: no payment, CRM, 1C or revenue.
 */
export type CheckoutRequest = { address: ConversationAddress; conversationKey: string };
export type PlaceRequest = CheckoutRequest & { idempotencyKey: string; testTraffic: boolean };
export interface CheckoutPort {
  prepare(request: CheckoutRequest, lines: CartRef[]): Promise<Omit<Ev<'checkout.ready'>, 'type' | 'at'>>;
  place(
    request: PlaceRequest,
    order: OrderRequest,
  ): Promise<Omit<Ev<'order.placed'>, 'type' | 'at'> | Omit<Ev<'order.refused'>, 'type' | 'at'>>;
  find(request: CheckoutRequest, number?: number): Promise<OrderSummary[]>;
}
type Ev<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

export type RuntimePorts = {
  scenarios: ScenarioPort;
  /** the language a city's bot speaks: a conversation starts in it unless the platform reports the shopper's */
  cityLanguage?: (city: string) => Lang | undefined;
  catalog: CatalogPort;
  brain: BrainPort;
  ocr: OcrPort | null;
  vision: VisionPort | null;
  transcriber: TranscriberPort | null;
  escalations: EscalationPort;
  alerts: AlertPort;
  profiles: ProfilePort | null;
  records: RecordPort;
  /** cart, checkout and orders; without it a checkout is told it cannot be done here */
  checkout?: CheckoutPort | null;
  channels: Partial<Record<Channel, ChannelPort>>;
  clock: () => Date;
  log: Logger;
  /** set only for the playground's draft space; the live bot carries every effect out */
  simulator?: EffectSimulator;
};
