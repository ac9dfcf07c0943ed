import { and } from 'xstate';
import { engine } from '../setup.ts';
import type { Kit } from '../kit.ts';
import { ALERT_CREATING, ALERT_LOOKUP, IDLE } from '../stateIds.ts';
import { menuFlow } from '../../flows/menu.ts';
import { chose, choseProduct, replyText, replyWithMenu, routeTo, turn, understood } from './refs.ts';

/** Price alerts: subscribing, unsubscribing, and catalog news reaching the shopper in any state. */
export function alertDecisions(k: Kit) {
  return engine.createStateConfig({
    on: {
      choice: [
        {
          guard: and([choseProduct('a:'), { type: 'choiceOnFocus', params: { prefix: 'a:' } }]),
          target: ALERT_CREATING,
          actions: turn('alertFocus'),
        },
        { guard: choseProduct('a:'), target: ALERT_LOOKUP, actions: turn('lookUpChosenForAlert') },
        { guard: choseProduct('u:'), target: IDLE, actions: turn('cancelChosenAlert') },
        { guard: and([chose('alert:search'), 'hasCriteria']), target: ALERT_CREATING, actions: turn('alertSearch') },
        { guard: menuFlow(k, 'alerts'), target: IDLE, actions: turn(replyWithMenu('alertsInfo')) },
      ],
      'understand.done': [
        {
          guard: and([routeTo(k, 'alert'), 'alertOnFocus']),
          target: ALERT_CREATING,
          actions: understood('alertFocus'),
        },
        {
          guard: and([routeTo(k, 'alert'), 'alertNamesSku']),
          target: ALERT_LOOKUP,
          actions: understood('lookUpNamedForAlert'),
        },
        { guard: routeTo(k, 'alert'), target: IDLE, actions: understood(replyText('alertAskProduct')) },
        { guard: routeTo(k, 'unalert'), target: IDLE, actions: understood('cancelNamedAlert') },
      ],
      // catalog notifications, valid in every state (also while a manager is talking)
      'price.dropped': [{ actions: 'notifyDrop' }],
      'alert.matched': [{ actions: 'notifyMatch' }],
      'alert.digest': [{ actions: 'notifyDigest' }],
    },
  }).on;
}
