import { and } from 'xstate';
import { menuFlow } from '../../flows/menu.ts';
import { CHECKOUT_FLOW } from '../../flows/checkout.ts';
import type { Kit } from '../kit.ts';
import { CART_ADDING, flowEntry, IDLE, ORDERS_FINDING, REQUESTING } from '../stateIds.ts';
import { chose, choseProduct, replyWithMenu, routeTo, turn, understood } from './refs.ts';

/**
 * The cart and the checkout: card buttons `c:<handle>`, the cart's ➕ ➖ (`c+:` `c-:`), `cart`,
 * `cart:clear`, `checkout`; the intents add_to_cart, view_cart, clear_cart, checkout and
 * order_status; the `cart` menu item. Checking out starts the scenario's flow named `checkout`
 * (a manager takes the cart when the scenario has none).
 */
export function cartDecisions(k: Kit) {
  const hasCheckout = Object.hasOwn(k.s.flows, CHECKOUT_FLOW);
  const start = { type: 'startFlow', params: { flow: CHECKOUT_FLOW } } as const;
  const tapped = chose('checkout');
  const asked = routeTo(k, 'checkout');
  const addable = { type: 'cartAddable' } as const;
  return {
    choice: [
      { guard: choseProduct('c:'), target: CART_ADDING, actions: turn('cartLookUp') },
      { guard: { type: 'cartLine', params: { prefix: 'c+:' } }, target: IDLE, actions: turn('cartPlus') },
      { guard: { type: 'cartLine', params: { prefix: 'c-:' } }, target: IDLE, actions: turn('cartMinus') },
      { guard: chose('cart'), target: IDLE, actions: turn('showCart') },
      { guard: menuFlow(k, 'cart'), target: IDLE, actions: turn('showCart') },
      { guard: chose('cart:clear'), target: IDLE, actions: turn('clearCart') },
      { guard: and([tapped, 'cartEmpty']), target: IDLE, actions: turn('checkoutEmpty') },
      hasCheckout
        ? { guard: tapped, target: flowEntry(CHECKOUT_FLOW), actions: turn(start) }
        : { guard: tapped, target: REQUESTING, actions: turn('checkoutByManager') },
    ],
    'understand.done': [
      { guard: and([routeTo(k, 'cart_add'), 'badQuantity']), target: IDLE, actions: understood('cartBadQuantity') },
      { guard: and([routeTo(k, 'cart_add'), addable]), target: CART_ADDING, actions: understood('cartLookUp') },
      { guard: routeTo(k, 'cart_add'), target: IDLE, actions: understood('cartLookUp') },
      { guard: routeTo(k, 'cart'), target: IDLE, actions: understood('showCart') },
      { guard: routeTo(k, 'cart_clear'), target: IDLE, actions: understood('clearCart') },
      { guard: and([asked, 'cartEmpty']), target: IDLE, actions: understood('checkoutEmpty') },
      hasCheckout
        ? { guard: asked, target: flowEntry(CHECKOUT_FLOW), actions: understood(start) }
        : { guard: asked, target: REQUESTING, actions: understood('checkoutByManager') },
      { guard: routeTo(k, 'order_status'), target: ORDERS_FINDING, actions: understood('findOrders') },
    ],
    // a contact shared outside a phone question: thanks, and the menu
    contact: [{ actions: turn(replyWithMenu('menuPrompt')) }],
  };
}
