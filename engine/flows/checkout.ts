import type { CartLine } from '../context.ts';
import type { Effect, OrderRequest } from '../effects.ts';
import { PAYMENT_METHODS, type EngineEvent, type PaymentMethod, type PricedLine } from '../events.ts';
import type { ActionTable } from '../machine/actions.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import type { Ctx, Ev } from '../machine/setup.ts';
import { ORDER_SLOTS } from '../scenario/flowSchema.ts';
import { cartLines, cartOf, cartTotal, cartTotalText } from './cart.ts';
import { startEscalation } from './escalation.ts';
import { METHOD_TEXT } from './designer/spec.ts';
import { phoneForDisplay } from './designer/slotValues.ts';

/**
 * The checkout's own work inside the designer flow named `checkout` (scenario `flows:`): the
 * `checkout` act reads the cart again from the catalog and loads the city's pickup stores and
 * payment methods; the `order` act places the order from the cart and the answers. A changed price
 * or a sold-out product is told before anything is charged — at the start, and again at the
 * confirmation (the host refuses an order whose prices moved since the summary, and the shopper
 * confirms the new total). Totals are the sum of the catalog's prices, computed again by the host.
 */
export const CHECKOUT_FLOW = 'checkout';

const slotsOf = (ctx: Ctx) => ctx.flow?.slots ?? {};
const isMethod = (m: string | undefined): m is PaymentMethod =>
  (PAYMENT_METHODS as readonly string[]).includes(m ?? '');

/** the chosen store as the order and the shopper read it: «Dostyk Plaza, пр. Достык, 111» */
function storeLabel(ctx: Ctx): string {
  const store = ctx.checkout?.stores.find((s) => s.id === slotsOf(ctx).store);
  if (!store) return slotsOf(ctx).store ?? '';
  return store.address ? `${store.name}, ${store.address}` : store.name;
}

/** the label of the choice the delivery question got, «🚚 Доставка» / «🏬 Самовывоз», as the designer wrote it */
function deliveryWay(k: Kit, ctx: Ctx): string {
  const chosen = slotsOf(ctx).delivery;
  const steps = ctx.flow ? (k.s.flows[ctx.flow.name]?.steps ?? []) : [];
  for (const step of steps)
    if (step.kind === 'ask' && step.ask.slot === 'delivery') {
      const choice = step.ask.choices?.find((c) => c.id === chosen);
      if (choice) return choice.label[ctx.lang];
    }
  return chosen ?? '';
}

/** what a checkout flow's texts may say besides its slots */
export function checkoutVars(k: Kit, ctx: Ctx): Record<string, string> {
  const lines = cartOf(ctx);
  const slots = slotsOf(ctx);
  const method = slots.payment;
  return {
    cart: cartLines(k, lines),
    total: cartTotalText(k, lines),
    delivery_way: deliveryWay(k, ctx),
    delivery_place: slots.delivery === 'pickup' ? storeLabel(ctx) : (slots.address ?? ''),
    payment_name: isMethod(method) ? k.text(ctx, METHOD_TEXT[method]) : (method ?? ''),
  };
}

/** the cart as the catalog has it now, and what changed for the shopper: a new price, a product gone */
function reprice(k: Kit, ctx: Ctx, now: readonly PricedLine[]): { cart: CartLine[]; changes: string[] } {
  const cart: CartLine[] = [];
  const changes: string[] = [];
  for (const line of cartOf(ctx)) {
    const p = now.find((x) => x.productId === line.productId);
    if (!p || !p.available) {
      changes.push(k.text(ctx, 'checkoutSoldOut', { name: line.name }));
      continue;
    }
    if (p.price !== line.price)
      changes.push(
        k.text(ctx, 'checkoutPriceChanged', {
          name: line.name,
          old: k.price(line.price, line.currency),
          new: k.price(p.price, p.currency),
        }),
      );
    cart.push({ ...line, name: k.clip(p.name, 300), price: p.price, currency: p.currency });
  }
  return { cart, changes };
}

const changedSay = (k: Kit, ctx: Ctx, changes: string[]): Effect[] =>
  changes.length === 0 ? [] : [k.say(ctx, 'checkoutChanged', { changes: changes.join('\n') })];

/** the `checkout` act: ask for the cart again, with the city's options (an empty cart is told when they arrive) */
export function prepareCheckout(ctx: Ctx): Outcome {
  const lines = cartOf(ctx);
  return {
    effects: [
      {
        type: 'prepareCheckout',
        lines: lines.map((l) => ({ productId: l.productId, sku: l.sku, quantity: l.quantity })),
      },
      { type: 'track', name: 'checkout_started', props: { lines: lines.length, total: cartTotal(lines) } },
    ],
  };
}

/** the order request from the cart and the answers; null when an answer the order needs is missing */
function orderRequest(ctx: Ctx): OrderRequest | null {
  const slots = slotsOf(ctx);
  const lines = cartOf(ctx);
  const method = slots.payment;
  if (!isMethod(method) || !slots.name || !slots.phone || lines.length === 0) return null;
  const pickup = slots.delivery === 'pickup';
  const place = pickup ? storeLabel(ctx) : (slots.address ?? '');
  if (place === '') return null;
  const known = new Set<string>([...ORDER_SLOTS, 'address', 'store']);
  const details = Object.fromEntries(Object.entries(slots).filter(([name]) => !known.has(name)));
  return {
    lines: lines.map((l) => ({ productId: l.productId, sku: l.sku, quantity: l.quantity, price: l.price })),
    customer: { name: slots.name, phone: slots.phone },
    delivery: pickup ? { kind: 'pickup', store: place } : { kind: 'delivery', address: place },
    method,
    details,
    total: cartTotal(lines),
    currency: lines[0]?.currency ?? 'KZT',
  };
}

/** the `order` act: place it (a missing answer cannot happen in a checked flow; it is an error said, not a crash) */
export function placeOrder(k: Kit, ctx: Ctx): Outcome {
  const order = orderRequest(ctx);
  if (!order) return { effects: [{ type: 'warning', message: 'checkout: an answer the order needs is missing' }] };
  return { effects: [{ type: 'placeOrder', order }] };
}

function paymentLine(k: Kit, ctx: Ctx, ev: Ev<'order.placed'>): string {
  const p = ev.payment;
  switch (p.kind) {
    case 'link':
      return k.text(ctx, 'orderPayLink', { url: p.url });
    case 'kaspi_invoice':
      return k.text(ctx, 'orderPayKaspiInvoice', { phone: phoneForDisplay(p.phone ?? slotsOf(ctx).phone ?? '') });
    case 'kaspi_manual':
      return k.text(ctx, 'orderPayKaspiManual');
    case 'on_receipt':
      return k.text(ctx, 'orderPayOnReceipt');
    case 'failed':
      return k.text(ctx, 'orderPayFailed');
    case 'test':
      return k.text(ctx, 'orderPayTest');
  }
}

/** the checkout is over: its answers and options go, the cart stays unless the order took it */
const done = (cart?: CartLine[]): Partial<Ctx> => ({ flow: null, checkout: null, ...(cart ? { cart } : {}) });

export const checkoutActions = {
  /** «оформить заказ» with an empty cart, or a cart emptied by the catalog meanwhile */
  checkoutEmpty: (k, c) => ({ context: done(), effects: [k.withMenu(c, 'cartEmpty')] }),
  checkoutReady: (k, c, ev: Ev<'checkout.ready'>) => {
    const { cart, changes } = reprice(k, c, ev.lines);
    return {
      context: { cart, checkout: { stores: ev.stores, methods: ev.methods } },
      effects: changedSay(k, c, changes),
    };
  },
  checkoutNothingLeft: (k, c) => ({ context: done([]), effects: [k.withMenu(c, 'checkoutNothingLeft')] }),
  checkoutFailed: (k, c) => ({ context: done(), effects: [k.withMenu(c, 'error')] }),
  orderPlaced: (k, c, ev: Ev<'order.placed'>) => {
    const text = `${k.text(c, 'orderPlaced', { number: ev.number, total: k.price(ev.total, ev.currency) })}\n${paymentLine(k, c, ev)}`;
    return {
      context: done([]),
      effects: [
        k.ask(c, text, k.menuOptions(c)),
        {
          type: 'track',
          name: 'order_placed',
          props: { orderId: ev.orderId, number: ev.number, total: ev.total, method: slotsOf(c).payment ?? null },
        },
      ],
    };
  },
  /** prices or stock moved since the summary: tell what, show the new total and ask again */
  orderChanged: (k, c, ev: Ev<'order.refused'>) => {
    const { cart, changes } = reprice(k, c, ev.lines);
    const again = { ...c, cart };
    return {
      context: { cart },
      effects: [
        ...changedSay(k, c, changes),
        k.ask(again, k.text(again, 'checkoutConfirmAgain', { total: cartTotalText(k, cart) }), [
          k.button(again, 'f:order-confirm', 'btnConfirmOrder'),
          k.button(again, 'cancel', 'btnCancel'),
        ]),
      ],
    };
  },
  orderFailed: (k, c) => ({ context: done(), effects: [k.withMenu(c, 'error')] }),
  /** «оформить заказ» where the scenario has no checkout flow: a manager takes the cart */
  checkoutByManager: (k, c) =>
    k.seq(
      c,
      (x) => ({ effects: [k.say(x, 'checkoutUnavailable')] }),
      (x) => startEscalation(k, x, 'request', `checkout: ${cartLines(k, cartOf(x)).replace(/\n/g, '; ')}`),
    ),
} satisfies ActionTable;

/** the event still leaves something to buy */
export const somethingLeft = (event: EngineEvent) =>
  (event.type === 'checkout.ready' || event.type === 'order.refused') && event.lines.some((l) => l.available);
