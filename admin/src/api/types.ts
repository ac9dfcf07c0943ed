/**
 * Wire shapes of the admin API as the panel reads them (hosts/admin is the source of truth). The
 * panel talks to the server only over HTTP, so the shapes are restated here, not imported.
 */

/** engine/replies.ts, the wire form of `POST /api/chat/:city` */
export type ChatOption = { id: string; label: string };
export type ProductItem = {
  id: string;
  sku: string;
  name: string;
  price: number;
  currency: string;
  imageUrl?: string;
  available: boolean;
  description?: string;
  options?: ChatOption[];
};
export type Reply =
  | { type: 'text'; text: string }
  | { type: 'products'; items: ProductItem[]; view?: 'list' | 'detail' }
  | { type: 'choices'; text?: string; options: ChatOption[] }
  | { type: 'image'; url: string; caption?: string };
export type Role = 'owner' | 'admin' | 'manager' | 'designer' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'manager', 'designer', 'viewer'];

export type User = {
  id: string;
  email: string;
  name: string;
  role: Role;
  isActive?: boolean;
  createdAt?: string;
  updatedAt?: string;
};
export type Paged<T> = { items: T[]; total: number };

export type City = {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  currency: string;
  language: string;
  isActive: boolean;
  createdAt?: string;
  updatedAt?: string;
  /** managers' working hours on the city's clock; absent: always */
  managerHours?: string;
  /** pickup stores and payment on receipt */
  checkout: CityCheckout;
};

export type PickupStore = { id: string; name: string; address?: string };
export type CityCheckout = { stores: PickupStore[]; payOnDelivery: boolean; payAtPickup: boolean };

export type Product = {
  id: string;
  cityId?: string;
  sku: string;
  name: string;
  description?: string;
  price: number;
  currency?: string;
  category?: string | null;
  color?: string | null;
  material?: string | null;
  imageUrl?: string | null;
  available: boolean;
  dimensions?: { width?: number; depth?: number; height?: number } | null;
  /** attributes other than colour and material: key → value slug, number or text */
  attributes?: Record<string, string | number>;
  /** lists: the human names of the category, colour and material */
  categoryName?: string;
  colorName?: string;
  materialName?: string;
  createdAt?: string;
  updatedAt?: string;
};
export type ProductInput = Partial<Omit<Product, 'id' | 'createdAt' | 'updatedAt'>>;

export type ImportRowError = { row: number; message: string; field?: string; sku?: string };
export type ImportResult = {
  imported?: number;
  updated?: number;
  errors?: ImportRowError[];
  created?: ImportedTerm[];
};
/** what an import created: taxonomy terms, attributes (from extra columns) and their values */
export type ImportedTerm = {
  kind: 'category' | 'color' | 'material' | 'attribute' | 'value';
  slug: string;
  name: string;
  type?: 'number' | 'text';
  unit?: string;
  attribute?: string;
};

/** the retailer's taxonomy (GET /api/categories, /api/attributes) */
export type Names = { ru: string; kk?: string; en?: string };
export type Category = {
  slug: string;
  parent?: string;
  names: Names;
  synonyms: string[];
  position: number;
  /** products filed directly under it; `total` with its subcategories */
  products: number;
  total: number;
  /** 0 for a top-level category; the list comes depth-first */
  depth: number;
};
export type AttributeValue = { value: string; names: Names; synonyms: string[] };
export type Attribute =
  | { key: string; kind: 'enum'; names: Names; values: AttributeValue[] }
  | { key: string; kind: 'number'; names: Names; unit?: string }
  | { key: string; kind: 'text'; names: Names };
export type MergeResult = {
  from: string;
  into: string;
  products: number;
  children: number;
  alerts: number;
  conversations?: { conversations: number; preferences: number; skipped: string[] };
};

export type BotConfig = {
  id: string;
  cityId: string;
  channel: 'telegram' | 'whatsapp';
  hasBotToken: boolean;
  hasWebhookSecret?: boolean;
  /** the server may send a masked hint such as `…f3kq` */
  botTokenMasked?: string;
  botTokenHint?: string;
  managersChatId?: string;
  whatsappPhoneNumberId?: string;
  whatsappTemplateName?: string;
  settings: Record<string, unknown>;
  scenarioId?: string;
  version: number;
  updatedAt: string;
};

export type Prompt = {
  id: string;
  cityId?: string;
  name: string;
  content: string;
  version: number;
  isActive: boolean;
  createdAt: string;
  createdBy?: string;
};

export type ScenarioSummary = {
  id: string;
  version: number;
  name?: string;
  source?: 'file' | 'database';
  activeVersion?: number | null;
};
export type ScenarioVersion = {
  version: number;
  isActive: boolean;
  createdAt: string;
  createdBy?: string | null;
  content?: string;
};
export type ScenarioDoc = {
  id: string;
  source?: 'file' | 'database';
  activeVersion?: number | null;
  content?: string;
  file?: string;
  versions?: ScenarioVersion[];
  graph?: ScenarioGraph;
};
/** the scenario's state machine as the server reads it from the engine (GET /scenarios/:id, validate) */
export type GraphCondition = { type: string; params?: Record<string, unknown>; of?: GraphCondition[] };
export type ScenarioGraph = {
  scenario: { id: string; version: number; name: string };
  states: { id: string; key: string; parent: string | null; initial: boolean; leaf: boolean }[];
  transitions: {
    from: string;
    to: string | null;
    event: string;
    order: number;
    conditions: GraphCondition[];
    intents?: string[];
    /** a designer flow's start: the scenario's designer intents that lead to it */
    designerIntents?: string[];
    menu?: string[];
  }[];
  intents: { name: string; route: string; changed: boolean }[];
  menu: { id: string; flow: string; label: Record<string, string> }[];
};
/** the server names the reason `reason` ({ file, path, reason }); older shapes say `message` */
export type ScenarioProblem = { file?: string; path: string; reason?: string; message?: string };
/** what a draft conversation would have done outside it (POST /chat/:city/draft) */
export type SimulatedEffect = { effect: string; summary: string };

export type EscalationStatus = 'pending' | 'in_progress' | 'resolved';
export type EscalationMessage = {
  id: string;
  escalationId?: string;
  author: 'shopper' | 'manager' | 'bot';
  authorUserId?: string;
  text: string;
  createdAt: string;
  media?: 'photo' | 'voice' | 'document';
};
export type HistoryEntry = {
  role?: string;
  author?: string;
  direction?: string;
  text?: string;
  at?: string;
  createdAt?: string;
};
export type Escalation = {
  id: string;
  cityId?: string;
  channel: string;
  chatId: string;
  userId?: string;
  conversationKey: string;
  reason?: string;
  trigger?: string;
  conversationHistory: unknown[];
  status: EscalationStatus;
  assignedTo?: string;
  assignedToName?: string;
  createdAt: string;
  firstResponseAt?: string;
  resolvedAt?: string;
  messages?: EscalationMessage[];
};

export type LeadStatus = 'new' | 'done';
/** a request a designer flow collected (GET /api/leads); `history` only when one is opened */
export type Lead = {
  id: string;
  cityId?: string;
  channel: string;
  userId: string;
  conversationKey: string;
  flow: string;
  slots: Record<string, string>;
  status: LeadStatus;
  doneBy?: string;
  doneAt?: string;
  test: boolean;
  createdAt: string;
  history?: { role: 'shopper' | 'bot' | 'manager'; text: string; at: string }[];
};

export type AuditEntry = {
  id: string;
  userId?: string;
  userEmail?: string;
  action: string;
  entity: string;
  entityId?: string;
  before: unknown;
  after: unknown;
  ip?: string;
  createdAt: string;
};

/** the analytics statistics the dashboard draws; every field optional so a partial server still renders */
export type Stats = {
  from?: string;
  to?: string;
  days?: {
    date: string;
    channel?: string;
    messages?: number;
    shoppers?: number;
    searches?: number;
    zeroResults?: number;
    alerts?: number;
    escalations?: number;
  }[];
  byDay?: Stats['days'];
  totals?: Partial<
    Record<
      | 'messages'
      | 'shoppers'
      | 'activeShoppers'
      | 'searches'
      | 'zeroResults'
      | 'alerts'
      | 'escalations'
      | 'leads'
      | 'productViews',
      number
    >
  >;
  topQueries?: { query: string; count: number }[];
  zeroResultQueries?: { query: string; count: number }[];
  funnel?: { step?: string; stage?: string; name?: string; count: number }[] | Record<string, number>;
  responseTime?: { p50?: number; p95?: number; p50Ms?: number; p95Ms?: number };
  responseTimeMs?: { p50?: number; p95?: number };
};

export type OrderStatus =
  | 'new'
  | 'awaiting_payment'
  | 'paid'
  | 'confirmed'
  | 'shipped'
  | 'ready_for_pickup'
  | 'completed'
  | 'cancelled';
export type OrderAction = 'await_payment' | 'confirm' | 'ship' | 'ready' | 'complete' | 'cancel' | 'mark_paid';

export type OrderItem = {
  productId: string | null;
  sku: string;
  externalId: string | null;
  name: string;
  quantity: number;
  price: number;
};

export type OrderPayment = {
  id: string;
  provider: string;
  reference: string;
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed';
  flaggedReason: string | null;
  recordedBy: string | null;
  createdAt: string;
};

export type OrderEvent = {
  id: string;
  from: OrderStatus | null;
  to: OrderStatus;
  actor: { kind: 'system' | 'shopper' | 'manager' | 'provider'; id: string | null };
  note: string | null;
  at: string;
  notifiedAt: string | null;
};

export type Order = {
  id: string;
  cityId: string;
  number: number;
  channel: string;
  /** null: made in the panel or demo data, nobody to tell */
  conversationKey: string | null;
  customer: { name: string; phone: string };
  delivery: { kind: 'delivery' | 'pickup'; address: string | null; store: string | null };
  paymentMethod: string;
  status: OrderStatus;
  total: number;
  currency: string;
  createdAt: string;
  /** the designer's own checkout questions and the shopper's answers (floor, lift …) */
  details: Record<string, string>;
  /** placed by staff (playground, API tokens): no payment, CRM deal, 1C export or revenue */
  test: boolean;
  items: OrderItem[];
  payments: OrderPayment[];
  actions: OrderAction[];
};

export type OrderDetail = Order & { events: OrderEvent[] };

export type DeadLetterKind = 'message' | 'delivery';
export type DeadLetterStatus = 'new' | 'retried';
/**
 * What the runtime gave up on (GET /api/dead-letters): `message`, a turn that kept failing;
 * `delivery`, replies that could not be sent. `event` is the message as the engine got it.
 */
export type DeadLetter = {
  id: string;
  kind: DeadLetterKind;
  cityId?: string;
  city: string;
  channel: string;
  userId: string;
  conversationKey: string;
  messageId: string;
  /** a timer, a manager's reply, a price drop: not a shopper's message */
  system: boolean;
  event: unknown;
  replies: unknown[];
  error: string;
  attempts: number;
  status: DeadLetterStatus;
  retriedBy?: string;
  retriedAt?: string;
  test: boolean;
  createdAt: string;
};

export type CrmJobKind = 'order' | 'lead';
export type CrmJobStatus = 'pending' | 'delivered' | 'failed';
/** one order or lead on its way to Bitrix24 (GET /api/crm/jobs) */
export type CrmJob = {
  id: string;
  kind: CrmJobKind;
  entityId: string;
  status: CrmJobStatus;
  version: number;
  attempts: number;
  nextAttemptAt: string;
  crmId: string | null;
  syncedStatus: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
};
export type CrmJobsPage = Paged<CrmJob> & { counts: Record<CrmJobStatus, number> };
