import { hasCriteria } from '../context.ts';
import type { Intent } from '../intent.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import { engine, type Ctx, type Ev } from '../machine/setup.ts';
import type { Route } from '../scenario/routes.ts';
import { forget, greet, languageChoices, RECOMMENDING, replyText, replyWithMenu, switchLanguage, isLang } from './dialogue.ts';
import { REQUESTING, startEscalation } from './escalation.ts';
import { ALERT_CREATING, ALERT_LOOKUP, alertFocus, cancelAlert, focusIs, lookUpForAlert } from './priceAlert.ts';
import { canPage, DETAILS, IDLE, nextCriteria, nextPage, SEARCHING, startDetails, startSearch } from './search.ts';

/**
 * `understand.done` → the scenario's routing table (intent → route) → a flow. Angry wording and
 * repeated misunderstanding escalate first when the scenario says so. Order matters: the first
 * enabled transition wins.
 */
type Done = Ev<'understand.done'>;
type Args = { context: Ctx; event: Done };
type IntentOf<N extends Intent['name']> = Extract<Intent, { name: N }>;

const intentOf = <N extends Intent['name']>(ev: Done, name: N): IntentOf<N> | null =>
  ev.understanding.intent.name === name ? (ev.understanding.intent as IntentOf<N>) : null;

export function routingTransitions(k: Kit) {
  const route = (ev: Done): Route => k.s.routing[ev.understanding.intent.name];
  const is = (r: Route) => ({ event }: Args) => route(event) === r;
  const angry = ({ event }: Args) => k.s.escalation.onAngry && event.understanding.sentiment === 'angry';

  /** language auto-switch first, then the route; any successful route ends a failure streak */
  const routed = (fn: (ctx: Ctx, ev: Done) => Outcome, success = true) =>
    k.act<'understand.done'>((ctx, ev) =>
      k.seq(
        ctx,
        (c) => {
          const lang = ev.understanding.lang;
          return k.s.autoSwitchLanguage && lang && lang !== c.lang && ev.understanding.intent.name !== 'set_language' ? { context: { lang } } : {};
        },
        (c) => (success ? { context: { failedTurns: 0 } } : {}),
        (c) => fn(c, ev),
      ),
    );

  const searchCriteria = (ctx: Ctx, ev: Done) => {
    const intent = intentOf(ev, 'search_products');
    return intent ? nextCriteria(ctx, intent, k.s.search.cheaperFactor) : null;
  };
  const alertSku = (ctx: Ctx, ev: Done) => intentOf(ev, 'create_price_alert')?.args.sku ?? null;
  const alertTarget = (ev: Done) => intentOf(ev, 'create_price_alert')?.args.target_price;

  return engine.createStateConfig({
    on: {
      'understand.done': [
        { guard: angry, target: REQUESTING, actions: routed((c) => startEscalation(k, c, 'angry', 'angry wording')) },
        {
          guard: is('escalate'),
          target: REQUESTING,
          actions: routed((c, ev) => startEscalation(k, c, 'request', intentOf(ev, 'escalate_to_manager')?.args.reason || 'shopper asked for a manager')),
        },
        {
          guard: (a) => is('search')(a) && hasCriteria(searchCriteria(a.context, a.event)),
          target: SEARCHING,
          actions: routed((c, ev) => startSearch(k, c, searchCriteria(c, ev) ?? {}, 1, 'text')),
        },
        { guard: is('search'), target: IDLE, actions: routed(replyText(k, 'askWhat')) },
        { guard: is('product'), target: DETAILS, actions: routed((c, ev) => startDetails(c, intentOf(ev, 'get_product')?.args.sku ?? '')) },
        { guard: (a) => is('more')(a) && canPage(k, a.context), target: SEARCHING, actions: routed((c) => nextPage(k, c)) },
        { guard: is('more'), target: IDLE, actions: routed(replyWithMenu(k, 'noMoreResults')) },
        {
          guard: (a) => is('alert')(a) && (alertSku(a.context, a.event) === null ? a.context.focus !== null : focusIs(a.context, alertSku(a.context, a.event) ?? '')),
          target: ALERT_CREATING,
          actions: routed((c, ev) => alertFocus(k, c, alertTarget(ev))),
        },
        {
          guard: (a) => is('alert')(a) && alertSku(a.context, a.event) !== null,
          target: ALERT_LOOKUP,
          actions: routed((c, ev) => lookUpForAlert(k, c, { sku: alertSku(c, ev) ?? '', ...(alertTarget(ev) !== undefined ? { targetPrice: alertTarget(ev) } : {}) })),
        },
        { guard: is('alert'), target: IDLE, actions: routed(replyText(k, 'alertAskProduct')) },
        { guard: is('unalert'), target: IDLE, actions: routed((c, ev) => cancelAlert(k, c, intentOf(ev, 'cancel_price_alert')?.args.sku ?? c.focus?.sku)) },
        {
          guard: (a) => is('language')(a) && isLang(intentOf(a.event, 'set_language')?.args.lang),
          target: IDLE,
          actions: routed((c, ev) => switchLanguage(k, c, intentOf(ev, 'set_language')?.args.lang ?? c.lang)),
        },
        { guard: is('language'), target: IDLE, actions: routed((c) => languageChoices(k, c)) },
        { guard: (a) => is('greeting')(a) && k.s.recommend.limit > 0, target: RECOMMENDING, actions: routed((c) => greet(k, c, true)) },
        { guard: is('greeting'), target: IDLE, actions: routed((c) => greet(k, c, false)) },
        { guard: is('menu'), target: IDLE, actions: routed(replyWithMenu(k, 'menuPrompt')) },
        { guard: is('help'), target: IDLE, actions: routed(replyWithMenu(k, 'help')) },
        { guard: is('thanks'), target: IDLE, actions: routed(replyText(k, 'thanks')) },
        { guard: is('bye'), target: IDLE, actions: routed(replyText(k, 'bye')) },
        { guard: is('smalltalk'), target: IDLE, actions: routed(replyText(k, 'smalltalk')) },
        { guard: is('forget'), target: IDLE, actions: routed((c) => forget(k, c)) },
        // fallback: the N-th misunderstanding in a row calls a manager
        {
          guard: ({ context }) => context.failedTurns + 1 >= k.s.escalation.maxFailedTurns,
          target: REQUESTING,
          actions: routed((c) => startEscalation(k, c, 'failures', `${c.failedTurns + 1} misunderstood messages in a row`), false),
        },
        {
          target: IDLE,
          actions: routed(
            (c) => ({ context: { failedTurns: c.failedTurns + 1 }, effects: [k.withMenu(c, 'fallback'), { type: 'track', name: 'fallback', props: { failedTurns: c.failedTurns + 1 } }] }),
            false,
          ),
        },
      ],
    },
  }).on;
}
