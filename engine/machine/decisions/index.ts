import type { Kit } from '../kit.ts';
import type { engine } from '../setup.ts';
import { alertDecisions } from './alerts.ts';
import { dialogueDecisions } from './dialogue.ts';
import { escalationDecisions } from './escalation.ts';
import { designerDecisions } from './designer.ts';
import { fallbackDecisions } from './fallback.ts';
import { imageDecisions } from './image.ts';
import { orderDecisions } from './orders.ts';
import { cartDecisions } from './cart.ts';
import { searchDecisions } from './search.ts';

/**
 * The decisions every state shares: shopper input and catalog news (the machine's root `on`) and
 * where an understood message goes (`understanding`'s `understand.done`). Each flow lists its own
 * branches (this folder); here they are joined per event, flow after flow, and the first branch
 * whose guard holds wins. Flows claim disjoint inputs — button ids, commands, routes — so their
 * order decides only this: escalation comes first (angry wording beats any route), the fallbacks last.
 * Escalation's `withManager` overrides the shopper's input to forward it instead. Button ids are
 * the engine's own: `p:<handle>` `a:<handle>` `u:<handle>` (handles.ts; `p:<SKU>` still works) `m`
 * `more` `menu` `menu:<id>` `lang:<ru|kk|en>` `relax` `alert:search` `bot`.
 */
type On = NonNullable<Parameters<typeof engine.createStateConfig>[0]['on']>;
type Branches = Record<string, unknown[]>;

/** root events, in the order the chart lists them (an event a flow adds comes after these) */
const ROOT_EVENTS = [
  'text',
  'voice',
  'image',
  'location',
  'contact',
  'unsupported',
  'choice',
  'command',
  'manager.replied',
  'timer.fired',
  'price.dropped',
  'alert.matched',
  'alert.digest',
] as const;

export function decisions(k: Kit): { root: On; understood: On['understand.done'] } {
  const flows: Branches[] = [
    escalationDecisions(k),
    designerDecisions(k),
    searchDecisions(k),
    alertDecisions(k),
    cartDecisions(k),
    orderDecisions(),
    imageDecisions(),
    dialogueDecisions(k),
    fallbackDecisions(k),
  ];
  const join = (event: string) => flows.flatMap((flow) => flow[event] ?? []);
  const events = new Set<string>(ROOT_EVENTS);
  for (const flow of flows) for (const event of Object.keys(flow)) if (event !== 'understand.done') events.add(event);
  const root: Branches = {};
  for (const event of events) root[event] = join(event);
  return { root: root as On, understood: join('understand.done') as On['understand.done'] };
}
