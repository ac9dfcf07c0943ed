import { and } from 'xstate';
import type { Intent, IntentName } from '../intent.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import { alertSkuOf } from '../machine/guards.ts';
import { engine, type Ctx, type Ev } from '../machine/setup.ts';
import { ROUTES, type Route } from '../scenario/routes.ts';
import { forget, greet, languageChoices, replyText, replyWithMenu, switchLanguage, isLang } from './dialogue.ts';
import {
  ALERT_CREATING,
  ALERT_LOOKUP,
  DETAILS,
  IDLE,
  RECOMMENDING,
  REQUESTING,
  SEARCHING,
} from '../machine/stateIds.ts';
import { offerManager, startEscalation } from './escalation.ts';
import { alertFocus, cancelAlert, lookUpForAlert } from './priceAlert.ts';
import { nextCriteria, nextPage, startDetails, startSearch } from './search.ts';

/**
 * `understand.done` → the scenario's routing table (intent → route) → a flow. Angry wording and
 * repeated misunderstanding escalate first when the scenario says so. Order matters: the first
 * enabled transition wins. Each `route` guard carries the intents the scenario sends to that route.
 */
type Done = Ev<'understand.done'>;
type IntentOf<N extends Intent['name']> = Extract<Intent, { name: N }>;

const intentOf = <N extends Intent['name']>(ev: Done, name: N): IntentOf<N> | null =>
  ev.understanding.intent.name === name ? (ev.understanding.intent as IntentOf<N>) : null;

export function routingTransitions(k: Kit) {
  const intentsTo = (r: Route) =>
    (Object.keys(k.s.routing) as IntentName[]).filter((intent) => k.s.routing[intent] === r);
  const routeGuards = Object.fromEntries(
    ROUTES.map((r) => [r, { type: 'route', params: { route: r, intents: intentsTo(r) } }] as const),
  ) as {
    [R in Route]: { type: 'route'; params: { route: R; intents: IntentName[] } };
  };
  const is = (r: Route) => routeGuards[r];
  const canPage = { type: 'canPage', params: { pageSize: k.s.search.pageSize } } as const;

  /** language auto-switch first, then the route; any successful route ends a failure streak */
  const routed = (fn: (ctx: Ctx, ev: Done) => Outcome, success = true) =>
    k.act<'understand.done'>((ctx, ev) =>
      k.seq(
        ctx,
        (c) => {
          const lang = ev.understanding.lang;
          return k.s.autoSwitchLanguage && lang && lang !== c.lang && ev.understanding.intent.name !== 'set_language'
            ? { context: { lang } }
            : {};
        },
        (c) => (success ? { context: { failedTurns: 0 } } : {}),
        (c) => fn(c, ev),
      ),
    );

  const searchCriteria = (ctx: Ctx, ev: Done) => {
    const intent = intentOf(ev, 'search_products');
    return intent ? nextCriteria(ctx, intent, k.s.search.cheaperFactor) : null;
  };
  const alertTarget = (ev: Done) => intentOf(ev, 'create_price_alert')?.args.target_price;

  return engine.createStateConfig({
    on: {
      'understand.done': [
        ...(k.s.escalation.onAngry
          ? [
              {
                guard: 'angry' as const,
                target: REQUESTING,
                actions: routed((c) => startEscalation(k, c, 'angry', 'angry wording')),
              },
            ]
          : []),
        {
          guard: is('escalate'),
          target: REQUESTING,
          actions: routed((c, ev) =>
            startEscalation(
              k,
              c,
              'request',
              intentOf(ev, 'escalate_to_manager')?.args.reason || 'shopper asked for a manager',
            ),
          ),
        },
        {
          guard: and([
            is('search'),
            'skuOrPrice',
            { type: 'searchCriteria', params: { cheaperFactor: k.s.search.cheaperFactor } },
          ]),
          target: DETAILS,
          actions: routed((c, ev) =>
            startDetails(c, ev.understanding.skuOrPrice ?? '', searchCriteria(c, ev) ?? undefined),
          ),
        },
        {
          guard: and([is('search'), { type: 'searchCriteria', params: { cheaperFactor: k.s.search.cheaperFactor } }]),
          target: SEARCHING,
          actions: routed((c, ev) => startSearch(k, c, searchCriteria(c, ev) ?? {}, 1, 'text')),
        },
        { guard: is('search'), target: IDLE, actions: routed(replyText(k, 'askWhat')) },
        {
          guard: is('product'),
          target: DETAILS,
          actions: routed((c, ev) => startDetails(c, intentOf(ev, 'get_product')?.args.sku ?? '')),
        },
        { guard: and([is('more'), canPage]), target: SEARCHING, actions: routed((c) => nextPage(k, c)) },
        { guard: is('more'), target: IDLE, actions: routed(replyWithMenu(k, 'noMoreResults')) },
        {
          guard: and([is('alert'), 'alertOnFocus']),
          target: ALERT_CREATING,
          actions: routed((c, ev) => alertFocus(k, c, alertTarget(ev))),
        },
        {
          guard: and([is('alert'), 'alertNamesSku']),
          target: ALERT_LOOKUP,
          actions: routed((c, ev) =>
            lookUpForAlert(k, c, {
              sku: alertSkuOf(ev) ?? '',
              ...(alertTarget(ev) !== undefined ? { targetPrice: alertTarget(ev) } : {}),
            }),
          ),
        },
        { guard: is('alert'), target: IDLE, actions: routed(replyText(k, 'alertAskProduct')) },
        {
          guard: is('unalert'),
          target: IDLE,
          actions: routed((c, ev) => cancelAlert(k, c, intentOf(ev, 'cancel_price_alert')?.args.sku ?? c.focus?.sku)),
        },
        {
          guard: and([is('language'), 'languageNamed']),
          target: IDLE,
          actions: routed((c, ev) => switchLanguage(k, c, intentOf(ev, 'set_language')?.args.lang ?? c.lang)),
        },
        { guard: is('language'), target: IDLE, actions: routed((c) => languageChoices(k, c)) },
        // a greeting brings recommendations too, unless the scenario switches them off
        ...(k.s.recommend.limit > 0
          ? [{ guard: is('greeting'), target: RECOMMENDING, actions: routed((c) => greet(k, c, true)) }]
          : []),
        { guard: is('greeting'), target: IDLE, actions: routed((c) => greet(k, c, false)) },
        { guard: is('menu'), target: IDLE, actions: routed(replyWithMenu(k, 'menuPrompt')) },
        { guard: is('help'), target: IDLE, actions: routed(replyWithMenu(k, 'help')) },
        { guard: is('thanks'), target: IDLE, actions: routed(replyText(k, 'thanks')) },
        { guard: is('bye'), target: IDLE, actions: routed(replyText(k, 'bye')) },
        { guard: is('smalltalk'), target: IDLE, actions: routed(replyText(k, 'smalltalk')) },
        { guard: is('forget'), target: IDLE, actions: routed((c) => forget(k, c)) },
        // fallback (what no route above claims): from the N-th misunderstanding in a row the manager is offered, never handed over unasked
        {
          guard: { type: 'failedTurns', params: { max: k.s.escalation.maxFailedTurns } },
          target: IDLE,
          actions: routed((c) => offerManager(k, c), false),
        },
        {
          target: IDLE,
          actions: routed(
            (c) => ({
              context: { failedTurns: c.failedTurns + 1 },
              effects: [
                k.withMenu(c, 'fallback'),
                { type: 'track', name: 'fallback', props: { failedTurns: c.failedTurns + 1 } },
              ],
            }),
            false,
          ),
        },
      ],
    },
  }).on;
}
