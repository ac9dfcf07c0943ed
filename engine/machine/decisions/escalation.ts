import { engine } from '../setup.ts';
import type { Kit } from '../kit.ts';
import { REQUESTING } from '../stateIds.ts';
import { menuFlow } from '../../flows/menu.ts';
import { chose, command, routeTo, turn, understood } from './refs.ts';

/** Handing the conversation to a manager: asked for by button, menu, command or in words, or angry wording. */
export function escalationDecisions(k: Kit) {
  const escalate = (reason: string) => turn({ type: 'escalate', params: { reason } });
  return engine.createStateConfig({
    on: {
      choice: [
        { guard: chose('m'), target: REQUESTING, actions: escalate('shopper tapped the manager button') },
        {
          guard: menuFlow(k, 'escalation'),
          target: REQUESTING,
          actions: escalate('shopper chose the manager menu item'),
        },
      ],
      command: [
        { guard: command('manager', 'operator'), target: REQUESTING, actions: escalate('shopper used /manager') },
      ],
      // a manager writing outside an open hand-off (late, or proactively): relay, the bot keeps the conversation
      'manager.replied': [{ actions: 'relayManagerMessage' }],
      'understand.done': [
        // angry wording escalates whatever was asked, when the scenario says so
        ...(k.s.escalation.onAngry
          ? [{ guard: 'angry', target: REQUESTING, actions: understood('escalateAngry') } as const]
          : []),
        { guard: routeTo(k, 'escalate'), target: REQUESTING, actions: understood('escalateAsked') },
      ],
    },
  }).on;
}
