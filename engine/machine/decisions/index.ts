import type { Kit } from '../kit.ts';
import type { engine } from '../setup.ts';
import { alertDecisions } from './alerts.ts';
import { dialogueDecisions } from './dialogue.ts';
import { escalationDecisions } from './escalation.ts';
import { fallbackDecisions } from './fallback.ts';
import { imageDecisions } from './image.ts';
import { searchDecisions } from './search.ts';

/**
 * The decisions every state shares: shopper input and catalog news (the machine's root `on`) and
 * where an understood message goes (`understanding`'s `understand.done`). Each flow lists its own
 * branches (this folder); here they are joined per event, flow after flow, and the first branch
 * whose guard holds wins. Flows claim disjoint inputs — button ids, commands, routes — so their
 * order decides only this: escalation comes first (angry wording beats any route), the fallbacks last.
 * Escalation's `withManager` overrides the shopper's input to forward it instead.
 */
type On = NonNullable<Parameters<typeof engine.createStateConfig>[0]['on']>;
type Branches = Record<string, unknown[]>;

/** root events, in the order the chart lists them */
const ROOT_EVENTS = [
  'text',
  'voice',
  'image',
  'location',
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
    searchDecisions(k),
    alertDecisions(k),
    imageDecisions(),
    dialogueDecisions(k),
    fallbackDecisions(k),
  ];
  const join = (event: string) => flows.flatMap((flow) => flow[event] ?? []);
  const root: Branches = {};
  for (const event of ROOT_EVENTS) root[event] = join(event);
  return { root: root as On, understood: join('understand.done') as On['understand.done'] };
}
