import { clip, hasCriteria } from '../context.ts';
import type { EngineEvent } from '../events.ts';
import type { IntentName } from '../intent.ts';
import type { MenuFlow, Relaxable, Route } from '../scenario/routes.ts';
import { ocrSku, usableDescription } from '../flows/imageLookup.ts';
import { focusIs } from '../flows/priceAlert.ts';
import { canPage, nextCriteria, relaxCriteria } from '../flows/search.ts';
import { skuFromText } from '../flows/skuFromText.ts';
import { choiceSku } from './handles.ts';
import { alertSkuOf, choiceLang, commandLang, intentOf, isLang, labelWords } from './read.ts';
import type { TimerKind } from './kit.ts';
import { slotValue, type SlotSpec } from '../flows/designer/slotValues.ts';
import type { Ctx } from './setup.ts';
import { goodQuantity } from '../flows/cart.ts';
import { somethingLeft } from '../flows/checkout.ts';

/**
 * Every condition a transition can have, by name. Guards read only context, event and their
 * params: whatever a guard needs from the scenario (which intents lead to a route, the page size,
 * the menu items of a flow) is written into its params when the machine is built, so the machine
 * config itself says where each intent and menu button goes — the scenario diagram reads it there.
 */
type Args = { context: Ctx; event: EngineEvent };
const choiceId = (event: EngineEvent) => (event.type === 'choice' ? event.id : '');

export const guards = {
  // understood intents
  /** the intent is one the scenario routes to `route` */
  route: ({ event }: Args, params: { route: Route; intents: readonly IntentName[] }) =>
    event.type === 'understand.done' && params.intents.includes(event.understanding.intent.name),
  angry: ({ event }: Args) => event.type === 'understand.done' && event.understanding.sentiment === 'angry',
  /** a search intent that, on top of the current criteria, names something to look for */
  searchCriteria: ({ context, event }: Args, params: { cheaperFactor: number }) => {
    const intent = intentOf(event, 'search_products');
    return intent !== null && hasCriteria(nextCriteria(context, intent, params.cheaperFactor));
  },
  /** a price alert for the product on screen: the one named, or the focus when none is named */
  alertOnFocus: ({ context, event }: Args) => {
    const sku = alertSkuOf(event);
    return sku === null ? context.focus !== null : focusIs(context, sku);
  },
  alertNamesSku: ({ event }: Args) => alertSkuOf(event) !== null,
  /** a lone bare number that may be an article code as well as a price */
  skuOrPrice: ({ event }: Args) => event.type === 'understand.done' && event.understanding.skuOrPrice !== undefined,
  /** the code looked up is not in the catalog, and the message also read as a search */
  searchOtherwise: ({ context }: Args) => context.pending?.otherwise !== undefined,
  languageNamed: ({ event }: Args) => isLang(intentOf(event, 'set_language')?.args.lang),
  /** this misunderstanding is the `max`-th in a row */
  failedTurns: ({ context }: Args, params: { max: number }) => context.failedTurns + 1 >= params.max,

  // shopper input
  emptyText: ({ event }: Args) => event.type === 'text' && clip(event.text, 1_000) === '',
  choice: ({ event }: Args, params: { id: string }) => choiceId(event) === params.id,
  choicePrefix: ({ context, event }: Args, params: { prefix: string }) =>
    choiceSku(context, choiceId(event), params.prefix) !== null,
  choiceOnFocus: ({ context, event }: Args, params: { prefix: string }) =>
    focusIs(context, choiceSku(context, choiceId(event), params.prefix) ?? ''),
  /** the words of a button label typed instead of tapped («вернуться к боту»), as WhatsApp shoppers do */
  typedLabel: ({ event }: Args, params: { labels: readonly string[] }) =>
    event.type === 'text' && params.labels.includes(labelWords(event.text)),
  languageChoice: ({ event }: Args) => choiceLang(choiceId(event)) !== null,
  /** a menu button whose item starts `flow`; `items` are the scenario's menu ids for it */
  menuItem: ({ event }: Args, params: { flow: MenuFlow; items: readonly string[] }) => {
    const id = choiceId(event);
    return id.startsWith('menu:') && params.items.includes(id.slice(5));
  },
  command: ({ event }: Args, params: { names: readonly string[] }) =>
    event.type === 'command' && params.names.includes(event.command.toLowerCase()),
  deepLinkSku: ({ event }: Args) => event.type === 'command' && skuFromText(event.args ?? '') !== null,
  languageArg: ({ event }: Args) => event.type === 'command' && commandLang(event.args) !== null,
  /** a timer of this kind that the conversation still waits for */
  ownTimer: ({ context, event }: Args, params: { kind: TimerKind }) =>
    event.type === 'timer.fired' &&
    event.timerId.startsWith(`${params.kind}:`) &&
    context.timers.includes(event.timerId),

  // designer flows
  /** a designer intent the scenario sends to one flow; `intents` are its names, for the chart */
  designerIntent: ({ event }: Args, params: { flow: string; intents: readonly string[] }) =>
    event.type === 'understand.done' &&
    event.understanding.intent.name === 'designer' &&
    params.intents.includes(event.understanding.intent.args.intent),
  /** the message answers the question's slot (slotValues.ts) */
  flowAnswer: ({ context, event }: Args, params: SlotSpec) => slotValue(event, params, context) !== null,
  /** a flow button `f:<id>` tapped, or its label typed */
  flowButton: ({ event }: Args, params: { id: string; labels: readonly string[] }) =>
    choiceId(event) === `f:${params.id}` || (event.type === 'text' && params.labels.includes(labelWords(event.text))),
  /** the cancel button, or a cancel word typed as the whole message */
  flowCancel: ({ event }: Args, params: { words: readonly string[] }) =>
    choiceId(event) === 'cancel' || (event.type === 'text' && params.words.includes(labelWords(event.text))),
  /** a manager asked for in words instead of an answer */
  flowManager: ({ event }: Args, params: { words: readonly string[] }) =>
    event.type === 'text' && params.words.includes(labelWords(event.text)),
  /** the answer kept in `slot` is `equals` (case aside) */
  slotEquals: ({ context }: Args, params: { slot: string; equals: string }) =>
    (context.flow?.slots[params.slot] ?? '').toLowerCase() === params.equals.toLowerCase(),

  // cart and checkout
  cartEmpty: ({ context }: Args) => (context.cart ?? []).length === 0,
  /** an add-to-cart that names a product, or has one on screen */
  cartAddable: ({ context, event }: Args) => {
    const intent = intentOf(event, 'add_to_cart');
    return intent !== null && (intent.args.sku !== undefined || context.focus !== null);
  },
  /** the catalog's answer (checkout.ready, order.refused) still leaves something to buy */
  somethingLeft: ({ event }: Args) => somethingLeft(event),
  /** a quantity no line may have (0, -3, 2.5, 10 000) */
  badQuantity: ({ event }: Args) => !goodQuantity(intentOf(event, 'add_to_cart')?.args.quantity),
  /** a ➕ / ➖ on a line of the cart */
  cartLine: ({ event }: Args, params: { prefix: string }) => choiceId(event).startsWith(params.prefix),

  // search and paging
  canPage: ({ context }: Args, params: { pageSize: number }) => canPage(context, params.pageSize),
  canRelax: ({ context }: Args, params: { order: readonly Relaxable[] }) =>
    relaxCriteria(context.criteria, params.order) !== null,
  hasCriteria: ({ context }: Args) => hasCriteria(context.criteria),

  // results of effects
  /** the effect failed (with `code`, for that reason only) */
  effectFailed: ({ event }: Args, params: { effect: string; code?: string }) =>
    event.type === 'effect.failed' &&
    event.effect === params.effect &&
    (params.code === undefined || event.code === params.code),
  transcribed: ({ event }: Args) => event.type === 'transcribe.done' && (event.text ?? '').trim() !== '',
  found: ({ event }: Args) =>
    (event.type === 'search.done' || event.type === 'recommend.done') && event.items.length > 0,
  productFound: ({ event }: Args) => event.type === 'lookupSku.done' && event.product !== null,
  skuRead: ({ context, event }: Args) => event.type === 'readImage.done' && ocrSku(context, event.text) !== null,
  hasImage: ({ context }: Args) => Boolean(context.pending?.ref),
  usableDescription: ({ event }: Args) => event.type === 'describeImage.done' && usableDescription(event.description),
};

export type GuardName = keyof typeof guards;
