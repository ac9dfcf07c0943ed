import * as v from 'valibot';
import type { Lang } from '../catalog.ts';

/**
 * Designer flows as a designer writes them (scenario `flows:`), and the shape the engine runs
 * after `checkFlows` (flowChecks.ts) has validated every reference. A flow is a list of steps; the
 * first is its entry. Each step does one thing — say, ask, branch or act — and names where the
 * conversation goes next (`end`: back to the menu).
 */

/** flow names, step ids, designer intent names and button ids: safe in state paths and button ids */
export const NAME = /^[a-z0-9_-]{1,64}$/;
export const SLOT_NAME = /^[a-z0-9_]{1,64}$/;
/** the step id that ends a flow (the conversation goes back to the menu) */
export const END = 'end';
/** one text a shopper sees: Telegram's message limit, so a 1 MB paste is a load error, not a bot that chokes */
export const FLOW_TEXT_MAX = 4_000;
/** how many steps a scenario may have in all its flows; larger is refused before anything else is read */
export const MAX_STEPS = 500;
export const MAX_STEPS_PER_FLOW = 100;
export const MAX_FLOWS = 50;
export const MAX_SLOTS_PER_FLOW = 20;

const Name = (what: string) => v.pipe(v.string(), v.regex(NAME, `${what} must be 1–64 of a-z 0-9 _ -`));
const Text = v.pipe(
  v.string(),
  v.minLength(1, 'text is empty'),
  v.maxLength(FLOW_TEXT_MAX, `text is longer than ${FLOW_TEXT_MAX} characters`),
);
/** a text in every language; a missing one is reported by flowChecks with its path */
const FlowText = v.object({ ru: v.optional(Text), kk: v.optional(Text), en: v.optional(Text) });

/**
 * `store` and `payment` take their choices from the checkout (`act: { checkout: {} }` reads the
 * city's pickup stores and payment methods); `phone` also takes a number the channel vouches for
 * (Telegram's «share my number», the WhatsApp sender's own).
 */
export const SLOT_TYPES = ['text', 'number', 'phone', 'datetime', 'choice', 'photo', 'store', 'payment'] as const;
export type SlotType = (typeof SLOT_TYPES)[number];

const Choice = v.strictObject({ id: Name('choice id'), label: FlowText });
const Button = v.strictObject({ id: Name('button id'), label: FlowText, next: Name('next') });

const Ask = v.strictObject({
  slot: v.pipe(v.string(), v.regex(SLOT_NAME, 'slot must be 1–64 of a-z 0-9 _')),
  type: v.picklist(SLOT_TYPES, `type must be one of ${SLOT_TYPES.join(', ')}`),
  text: FlowText,
  reask: FlowText,
  /** text slots: a regular expression from a safe subset (safePattern.ts) the whole answer must match */
  pattern: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
  min: v.optional(v.pipe(v.number(), v.finite())),
  max: v.optional(v.pipe(v.number(), v.finite())),
  choices: v.optional(v.pipe(v.array(Choice), v.minLength(1), v.maxLength(10))),
  /** a message that does not answer: `reask` (default) asks again; `leave` leaves the flow and is understood as usual */
  otherwise: v.optional(v.picklist(['reask', 'leave'], 'otherwise must be reask or leave')),
  /** text, number and phone questions: the answer is kept for the shopper's next time, offered as a button */
  remember: v.optional(v.boolean('remember must be true or false')),
});

const Branch = v.strictObject({
  slot: v.pipe(v.string(), v.regex(SLOT_NAME, 'slot must be 1–64 of a-z 0-9 _')),
  cases: v.pipe(
    v.array(v.strictObject({ equals: v.pipe(v.string(), v.maxLength(200)), next: Name('next') })),
    v.maxLength(20),
  ),
  else: Name('else'),
});

/** one key, the act's kind; which kinds exist and their arguments is checked by flowChecks (a clear error per kind) */
const Act = v.record(v.string(), v.unknown());

export const RawStepSchema = v.strictObject({
  id: Name('step id'),
  say: v.optional(FlowText),
  buttons: v.optional(v.pipe(v.array(Button), v.minLength(1), v.maxLength(10))),
  image: v.optional(v.pipe(v.string(), v.url('image must be a URL'), v.maxLength(2_000))),
  ask: v.optional(Ask),
  branch: v.optional(Branch),
  act: v.optional(Act),
  next: v.optional(Name('next')),
});
export type RawStep = v.InferOutput<typeof RawStepSchema>;

export const RawFlowSchema = v.strictObject({
  steps: v.pipe(v.array(RawStepSchema), v.minLength(1, 'a flow needs at least one step')),
});
export const RawFlowsSchema = v.record(Name('flow name'), RawFlowSchema);

// --- the checked shape the engine runs

export type PerLang = Readonly<Record<Lang, string>>;
export type FlowChoice = { readonly id: string; readonly label: PerLang };
export type FlowButton = { readonly id: string; readonly label: PerLang; readonly next: string };
export type AskSpec = {
  readonly slot: string;
  readonly type: SlotType;
  readonly text: PerLang;
  readonly reask: PerLang;
  readonly pattern?: string;
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly FlowChoice[];
  readonly otherwise: 'reask' | 'leave';
  /** the answer is kept in the conversation's `known` answers and offered as a button next time */
  readonly remember?: true;
};

/** the slot types whose answer a shopper gives the same way next time (a name, an address, a number) */
export const REMEMBERED_TYPES: readonly SlotType[] = ['text', 'number', 'phone'];
export type FlowAct =
  | { readonly kind: 'lead' }
  | { readonly kind: 'escalate' }
  | { readonly kind: 'remind'; readonly afterMs: number; readonly text: PerLang }
  | { readonly kind: 'search'; readonly query: string }
  | { readonly kind: 'track'; readonly name: string }
  | { readonly kind: 'flow'; readonly flow: string }
  | { readonly kind: 'menu' }
  /** the cart read again from the catalog, the city's stores and payment methods loaded (waits for them) */
  | { readonly kind: 'checkout' }
  /** the order placed from the cart and the answers (waits; a changed price asks to confirm again) */
  | { readonly kind: 'order' };
export type ActKind = FlowAct['kind'];
export const ACT_KINDS = [
  'lead',
  'escalate',
  'remind',
  'search',
  'track',
  'flow',
  'menu',
  'checkout',
  'order',
] as const satisfies readonly ActKind[];
/** acts after which the flow is over: the conversation is elsewhere */
export const FINAL_ACTS: readonly ActKind[] = ['escalate', 'search', 'flow', 'menu', 'order'];
/** the answers an `order` act places the order with (address or store by `delivery`) */
export const ORDER_SLOTS = ['delivery', 'name', 'phone', 'payment'] as const;
/** what a checkout flow's texts may say besides its slots: the cart, its total, the way chosen (its label), where, and the payment */
export const CHECKOUT_VARS = ['cart', 'total', 'delivery_way', 'delivery_place', 'payment_name'] as const;

export type FlowStep =
  | {
      readonly kind: 'say';
      readonly id: string;
      readonly text: PerLang;
      readonly image?: string;
      readonly buttons?: readonly FlowButton[];
      readonly next?: string;
    }
  | { readonly kind: 'ask'; readonly id: string; readonly ask: AskSpec; readonly next: string }
  | {
      readonly kind: 'branch';
      readonly id: string;
      readonly slot: string;
      readonly cases: readonly { readonly equals: string; readonly next: string }[];
      readonly else: string;
    }
  | { readonly kind: 'act'; readonly id: string; readonly act: FlowAct; readonly next?: string };

export type Flow = { readonly name: string; readonly entry: string; readonly steps: readonly FlowStep[] };
