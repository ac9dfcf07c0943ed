import type { Kit } from '../kit.ts';
import { flowEntry, IDLE } from '../stateIds.ts';
import { chose, replyWithMenu, turn, understood } from './refs.ts';

/**
 * Starting the scenario's designer flows: a menu item `{ flow: designer, name }` or a designer
 * intent whose `flow:` names one. Also the flows' reminders, due in any state, and a cancel
 * button tapped after its question is gone.
 */
export function designerDecisions(k: Kit) {
  const flows = Object.keys(k.s.flows);
  const start = (flow: string) => ({ type: 'startFlow', params: { flow } }) as const;
  const menu = flows.flatMap((flow) => {
    const items = k.s.menu.filter((m) => m.action.flow === 'designer' && m.action.name === flow).map((m) => m.id);
    if (items.length === 0) return [];
    const guard = { type: 'menuItem', params: { flow: 'designer', items } } as const;
    return [{ guard, target: flowEntry(flow), actions: turn(start(flow)) }];
  });
  // `routing: { designer: fallback }` switches designer intents off like any other route
  const routed = k.s.routing.designer === 'designer';
  const intents = flows.flatMap((flow) => {
    if (!routed) return [];
    const names = Object.entries(k.s.intents)
      .filter(([, spec]) => spec.flow === flow)
      .map(([name]) => name);
    if (names.length === 0) return [];
    const guard = { type: 'designerIntent', params: { flow, intents: names } } as const;
    return [{ guard, target: flowEntry(flow), actions: understood(start(flow)) }];
  });
  return {
    choice: [...menu, { guard: chose('cancel'), target: IDLE, actions: turn(replyWithMenu('menuPrompt')) }],
    'understand.done': intents,
    'timer.fired': [{ guard: { type: 'ownTimer', params: { kind: 'remind' } }, actions: 'remind' }],
  };
}
