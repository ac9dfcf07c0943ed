import { engine } from '../setup.ts';

/** Orders: a status change reaches the shopper in any state. */
export function orderDecisions() {
  return engine.createStateConfig({
    on: {
      'order.status': [{ actions: 'notifyOrderStatus' }],
    },
  }).on;
}
