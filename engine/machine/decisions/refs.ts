import type { IntentName } from '../../intent.ts';
import type { Route } from '../../scenario/routes.ts';
import type { TextKey } from '../../scenario/textKeys.ts';
import type { Kit } from '../kit.ts';

/**
 * The words decisions are written in: references to named guards (guards.ts) and actions
 * (actions.ts) with their params, so a branch reads as `when → where, doing what`.
 */

// guards
export const chose = (id: string) => ({ type: 'choice', params: { id } }) as const;
/** a card button `<prefix><handle>` for a product the conversation knows */
export const choseProduct = (prefix: string) => ({ type: 'choicePrefix', params: { prefix } }) as const;
export const command = (...names: string[]) => ({ type: 'command', params: { names } }) as const;
export const canPage = (k: Kit) => ({ type: 'canPage', params: { pageSize: k.s.search.pageSize } }) as const;

/** an understood intent the scenario routes to `route`; the intents go into the guard's params, for the chart */
export function routeTo<R extends Route>(k: Kit, route: R) {
  const intents = (Object.keys(k.s.routing) as IntentName[]).filter((intent) => k.s.routing[intent] === route);
  return { type: 'route', params: { route, intents } } as const;
}

// actions
/** a shopper message: the turn starts (remember it, drop half-done work), then the flow acts */
export const turn = <const A extends readonly unknown[]>(...actions: A) => ['startTurn', ...actions] as const;
/** an understood message a route claims: follow the shopper's language, end a misunderstanding streak */
export const understood = <const A extends readonly unknown[]>(...actions: A) => ['understood', ...actions] as const;
export const replyText = (text: TextKey) => ({ type: 'replyText', params: { text } }) as const;
export const replyWithMenu = (text: TextKey) => ({ type: 'replyWithMenu', params: { text } }) as const;
export const greet = (recommend: boolean) => ({ type: 'greet', params: { recommend } }) as const;
