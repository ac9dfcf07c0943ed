import { and } from 'xstate';
import { engine } from '../setup.ts';
import type { Kit } from '../kit.ts';
import { DETAILS, IDLE, SEARCHING } from '../stateIds.ts';
import { menuFlow } from '../../flows/menu.ts';
import { canPage, chose, choseProduct, replyText, replyWithMenu, routeTo, turn, understood } from './refs.ts';

/** Searching the catalog, paging, relaxing a search that found nothing, and opening a product. */
export function searchDecisions(k: Kit) {
  const searchCriteria = { type: 'searchCriteria', params: { cheaperFactor: k.s.search.cheaperFactor } } as const;
  const canRelax = { type: 'canRelax', params: { order: k.s.search.relaxOrder } } as const;
  return engine.createStateConfig({
    on: {
      choice: [
        { guard: choseProduct('p:'), target: DETAILS, actions: turn('lookUpChosenProduct') },
        { guard: and([chose('more'), canPage(k)]), target: SEARCHING, actions: turn('nextPage') },
        { guard: chose('more'), target: IDLE, actions: turn(replyWithMenu('noMoreResults')) },
        { guard: and([canRelax, chose('relax')]), target: SEARCHING, actions: turn('searchRelaxed') },
        { guard: chose('relax'), target: IDLE, actions: turn('repeatNoResults') },
        { guard: menuFlow(k, 'search', true), target: SEARCHING, actions: turn('searchMenuItem') },
        { guard: menuFlow(k, 'search'), target: IDLE, actions: turn(replyText('askWhat')) },
      ],
      'understand.done': [
        {
          guard: and([routeTo(k, 'search'), 'skuOrPrice', searchCriteria]),
          target: DETAILS,
          actions: understood('lookUpSkuOrSearch'),
        },
        { guard: and([routeTo(k, 'search'), searchCriteria]), target: SEARCHING, actions: understood('searchAsked') },
        { guard: routeTo(k, 'search'), target: IDLE, actions: understood(replyText('askWhat')) },
        { guard: routeTo(k, 'product'), target: DETAILS, actions: understood('lookUpNamedProduct') },
        { guard: and([routeTo(k, 'more'), canPage(k)]), target: SEARCHING, actions: understood('nextPage') },
        { guard: routeTo(k, 'more'), target: IDLE, actions: understood(replyWithMenu('noMoreResults')) },
      ],
    },
  }).on;
}
