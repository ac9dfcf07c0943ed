import type { Product } from '../catalog.ts';
import { MAX_CART_LINES, MAX_LINE_QUANTITY, type CartLine } from '../context.ts';
import type { EngineEvent } from '../events.ts';
import type { ActionTable } from '../machine/actions.ts';
import { choiceSku, productHandle } from '../machine/handles.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import { intentOf } from '../machine/read.ts';
import { engine, type Ctx, type Ev } from '../machine/setup.ts';
import { IDLE } from '../machine/stateIds.ts';
import type { Option } from '../replies.ts';

/**
 * The cart: «🛒 В корзину» on a card (`c:<handle>`), «беру этот» / «добавь SOFA-001» / «2 штуки»
 * (the product on screen when none is named), the cart shown with ➕ ➖ per line (`c+:<handle>`,
 * `c-:<handle>`), cleared (`cart:clear`). The product is looked up again before it goes in, so the
 * line carries the catalog's price and a sold-out product is refused. The cart lives in the
 * context: it survives days, replicas and scenario-version resets (step.ts carries it over).
 *
 *   idle ── c:<handle> | add_to_cart ──▶ cart.adding ── lookupSku.done ──▶ idle (added | sold out | not found)
 */

/** the cart's lines; an old snapshot has none */
export const cartOf = (ctx: Ctx): CartLine[] => ctx.cart ?? [];
export const cartTotal = (lines: readonly CartLine[]) => lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
export const cartCount = (lines: readonly CartLine[]) => lines.reduce((n, l) => n + l.quantity, 0);

/** a quantity a shopper may ask for: a whole number from 1 to the line limit */
export const goodQuantity = (q: number | undefined) =>
  q === undefined || (Number.isInteger(q) && q >= 1 && q <= MAX_LINE_QUANTITY);

/** «Диван Лофт × 2 — 500 000 ₸», one per line */
export function cartLines(k: Kit, lines: readonly CartLine[]): string {
  return lines
    .map((l, i) => `${i + 1}. ${l.name} × ${l.quantity} — ${k.price(l.price * l.quantity, l.currency)}`)
    .join('\n');
}

export const cartTotalText = (k: Kit, lines: readonly CartLine[]) =>
  k.price(cartTotal(lines), lines[0]?.currency ?? 'KZT');

/** what to do next with a cart: check out, look at it, go on shopping */
const nextOptions = (k: Kit, ctx: Ctx): Option[] => [
  k.button(ctx, 'checkout', 'btnCheckout'),
  k.button(ctx, 'cart', 'btnCart'),
  k.button(ctx, 'menu', 'btnMenu'),
];

type AddRequest = { quantity: number | undefined; more?: true };

function lookUp(ctx: Ctx, sku: string, { quantity, more }: AddRequest): Outcome {
  return {
    context: { pending: { sku, cart: quantity === undefined ? {} : more ? { quantity, more } : { quantity } } },
    effects: [{ type: 'lookupSku', sku }],
  };
}

/** what the shopper asked to add: a named product, else the one on screen, and how many */
function addRequest(ctx: Ctx, ev: EngineEvent): AddRequest & { sku: string | null } {
  if (ev.type === 'choice') return { sku: choiceSku(ctx, ev.id, 'c:'), quantity: undefined };
  const intent = intentOf(ev, 'add_to_cart');
  const more = intent?.args.more ? { more: true as const } : {};
  return { sku: intent?.args.sku ?? ctx.focus?.sku ?? null, quantity: intent?.args.quantity, ...more };
}

/**
 * put the product in: +1 (or the quantity said) on a new line; a quantity said for a line already
 * there replaces it, unless it was said as more («ещё два»): then it is added
 */
function add(k: Kit, ctx: Ctx, p: Product, { quantity: said, more }: AddRequest): Outcome {
  const lines = cartOf(ctx);
  const line = lines.find((l) => l.productId === p.id);
  const quantity = said === undefined ? (line ? line.quantity + 1 : 1) : more && line ? line.quantity + said : said;
  const focus = { productId: p.id, sku: p.sku, name: k.clip(p.name, 120), price: p.price };
  if (!p.available || p.stockQuantity === 0)
    return {
      context: { pending: null, focus },
      effects: [
        k.ask(ctx, k.text(ctx, 'cartUnavailable', { name: p.name }), [
          k.button(ctx, `a:${productHandle(p.sku)}`, 'btnAlert'),
          k.button(ctx, 'menu', 'btnMenu'),
        ]),
      ],
    };
  if (quantity > MAX_LINE_QUANTITY)
    return { context: { pending: null, focus }, effects: [k.say(ctx, 'cartBadQuantity', { max: MAX_LINE_QUANTITY })] };
  if (p.stockQuantity !== undefined && quantity > p.stockQuantity)
    return {
      context: { pending: null, focus },
      effects: [k.say(ctx, 'cartStockLimit', { name: p.name, stock: p.stockQuantity })],
    };
  if (!line && lines.length >= MAX_CART_LINES)
    return { context: { pending: null, focus }, effects: [k.say(ctx, 'cartFull', { max: MAX_CART_LINES })] };
  const fresh: CartLine = {
    productId: p.id,
    sku: p.sku,
    name: k.clip(p.name, 300),
    price: p.price,
    currency: p.currency,
    quantity,
  };
  const next = line ? lines.map((l) => (l === line ? fresh : l)) : [...lines, fresh];
  return {
    context: { pending: null, focus, cart: next },
    effects: [
      k.ask(
        ctx,
        k.text(ctx, 'cartAdded', {
          name: p.name,
          quantity,
          count: cartCount(next),
          total: cartTotalText(k, next),
        }),
        nextOptions(k, ctx),
      ),
      { type: 'track', name: 'cart_add', props: { sku: p.sku, productId: p.id, quantity, price: p.price } },
    ],
  };
}

/** the cart with ➕ ➖ per line (the first few: a message has room for ten buttons), check out and clear */
export function showCart(k: Kit, ctx: Ctx, lines: readonly CartLine[] = cartOf(ctx)): Outcome {
  if (lines.length === 0) return { effects: [k.withMenu(ctx, 'cartEmpty')] };
  const edit = lines.slice(0, 4).flatMap((l) => {
    const name = k.clip(l.name, 20);
    const handle = productHandle(l.sku);
    return [
      { id: `c+:${handle}`, label: `➕ ${name}` },
      { id: `c-:${handle}`, label: `➖ ${name}` },
    ];
  });
  return {
    effects: [
      k.ask(ctx, k.text(ctx, 'cartView', { lines: cartLines(k, lines), total: cartTotalText(k, lines) }), [
        k.button(ctx, 'checkout', 'btnCheckout'),
        ...edit,
        k.button(ctx, 'cart:clear', 'btnClearCart'),
      ]),
    ],
  };
}

/** the cart line a ➕ / ➖ button names */
const lineOf = (ctx: Ctx, id: string, prefix: string) => {
  const rest = id.slice(prefix.length);
  return cartOf(ctx).find((l) => productHandle(l.sku) === rest) ?? null;
};

function change(k: Kit, ctx: Ctx, id: string, by: 1 | -1): Outcome {
  const line = lineOf(ctx, id, by === 1 ? 'c+:' : 'c-:');
  if (!line) return showCart(k, ctx);
  const quantity = line.quantity + by;
  if (quantity > MAX_LINE_QUANTITY) return { effects: [k.say(ctx, 'cartBadQuantity', { max: MAX_LINE_QUANTITY })] };
  const next =
    quantity === 0
      ? cartOf(ctx).filter((l) => l !== line)
      : cartOf(ctx).map((l) => (l === line ? { ...l, quantity } : l));
  return k.seq(
    ctx,
    () => ({
      context: { cart: next },
      effects: [{ type: 'track', name: by === 1 ? 'cart_add' : 'cart_remove', props: { sku: line.sku, quantity: 1 } }],
    }),
    (c) => showCart(k, c),
  );
}

export const cartActions = {
  /** look the product up before it goes in: its price now, and whether it is still sold */
  cartLookUp: (k, c, ev: EngineEvent) => {
    const { sku, ...request } = addRequest(c, ev);
    if (!goodQuantity(request.quantity)) return { effects: [k.say(c, 'cartBadQuantity', { max: MAX_LINE_QUANTITY })] };
    return sku ? lookUp(c, sku, request) : { effects: [k.say(c, 'cartAskProduct')] };
  },
  cartAdd: (k, c, ev: Ev<'lookupSku.done'>) =>
    ev.product ? add(k, c, ev.product, { quantity: c.pending?.cart?.quantity, ...c.pending?.cart }) : {},
  cartNotFound: (k, c, ev: Ev<'lookupSku.done'>) => ({
    context: { pending: null },
    effects: [k.withMenu(c, 'productNotFound', { sku: k.clip(ev.sku, 40) })],
  }),
  cartLookupFailed: (k, c) => ({ context: { pending: null }, effects: [k.withMenu(c, 'error')] }),
  showCart: (k, c) => showCart(k, c),
  cartPlus: (k, c, ev: Ev<'choice'>) => change(k, c, ev.id, 1),
  cartMinus: (k, c, ev: Ev<'choice'>) => change(k, c, ev.id, -1),
  clearCart: (k, c) => ({
    context: { cart: [] },
    effects: [k.withMenu(c, 'cartCleared'), { type: 'track', name: 'cart_clear' }],
  }),
  /** a quantity that cannot be: said what it must be, nothing changes */
  cartBadQuantity: (k, c) => ({ effects: [k.say(c, 'cartBadQuantity', { max: MAX_LINE_QUANTITY })] }),
} satisfies ActionTable;

export function cartStates() {
  return engine.createStateConfig({
    initial: 'adding',
    states: {
      adding: {
        on: {
          'lookupSku.done': [
            { guard: 'productFound', target: IDLE, actions: 'cartAdd' },
            { target: IDLE, actions: 'cartNotFound' },
          ],
          'effect.failed': {
            guard: { type: 'effectFailed', params: { effect: 'lookupSku' } },
            target: IDLE,
            actions: 'cartLookupFailed',
          },
        },
      },
    },
  });
}
