import { botLines, remember, type ConversationContext } from '../context.ts';
import type { EngineEvent } from '../events.ts';
import { alertActions } from '../flows/priceAlert.ts';
import { dialogueActions } from '../flows/dialogue.ts';
import { escalationActions } from '../flows/escalation.ts';
import { imageActions } from '../flows/imageLookup.ts';
import { orderLookupActions, orderStatusActions } from '../flows/orderStatus.ts';
import { cartActions } from '../flows/cart.ts';
import { checkoutActions } from '../flows/checkout.ts';
import { searchActions } from '../flows/search.ts';
import { turnActions } from '../flows/turn.ts';
import { designerActions } from '../flows/designer/actions.ts';
import { rememberShown } from './handles.ts';
import { outcomeAction } from './pure.ts';
import type { Kit, Outcome } from './kit.ts';
import type { Ctx } from './setup.ts';

/**
 * Every thing a transition can do, by name. A named action is a plain function from the
 * scenario's kit, the context, the event and its params to an Outcome; the flows define them
 * (`<flow>Actions`) and the machine config refers to them by name — with params where one action
 * serves several transitions (`{ type: 'replyWithMenu', params: { text: 'help' } }`), so the built
 * machine reads as a chart. `setup` declares the names and params; `actionsFor` binds them to one
 * scenario, and the machine of that scenario is given them with `provide`.
 */
export type ActionTable = Record<string, (k: Kit, ctx: Ctx, ev: never, params: never) => Outcome>;

const ACTIONS = {
  ...turnActions,
  ...dialogueActions,
  ...searchActions,
  ...alertActions,
  ...orderStatusActions,
  ...orderLookupActions,
  ...cartActions,
  ...checkoutActions,
  ...imageActions,
  ...escalationActions,
  ...designerActions,
} satisfies ActionTable;

type ActionName = keyof typeof ACTIONS;
type ParamsOf<F> = F extends (k: Kit, ctx: Ctx, ev: never, params: infer P) => Outcome
  ? unknown extends P
    ? undefined
    : P
  : never;
/** what `setup` needs to type-check action names and params in the machine config */
export type ActionSignatures = { [N in ActionName]: (args: unknown, params: ParamsOf<(typeof ACTIONS)[N]>) => void };

type Body = (k: Kit, ctx: Ctx, ev: EngineEvent, params: unknown) => Outcome;

/**
 * The bridge from an Outcome to XState: the context patch (plus the bot's words to the bounded
 * history and the cards shown) becomes the new context, and each effect an `effect` action —
 * `step` collects those, so the machine asks for I/O without ever doing it.
 */
function bind(k: Kit, body: Body) {
  return outcomeAction((context, event, params) => {
    const out = body(k, context, event, params);
    const effects = out.effects ?? [];
    let next: ConversationContext = out.context ? { ...context, ...out.context } : context;
    const shownSkus = rememberShown(next, effects);
    if (shownSkus) next = { ...next, shownSkus };
    const said = botLines(effects);
    if (said.length > 0) {
      const at = 'at' in event ? event.at : '';
      next = { ...next, history: remember(next, k.historyLimit(next), out.speaker ?? 'bot', said.join(' '), at) };
    }
    return { context: next, effects };
  });
}

/** every named action, bound to one scenario */
export function actionsFor(k: Kit) {
  const bound: Record<string, ReturnType<typeof bind>> = {};
  for (const [name, body] of Object.entries(ACTIONS)) bound[name] = bind(k, body as Body);
  return bound;
}
