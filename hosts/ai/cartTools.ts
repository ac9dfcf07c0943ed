import type OpenAI from 'openai';
import * as v from 'valibot';
import { SkuSchema } from '../../engine/catalog.ts';
import type { Intent } from '../../engine/intent.ts';

/**
 * The buying tools: put a product in the cart, look at it, empty it, start the checkout, ask after
 * an order. They are intents like the others: the cart is the shopper's own, an order is placed only
 * when the shopper confirms the checkout's summary, and every price and total is the server's — so a
 * prompt injection can at most pick the wrong step, never a price. A quantity is passed as the
 * shopper said it (0, -1, 10 000 too) so the engine can answer what is wrong with it.
 */

type Tool = OpenAI.Chat.Completions.ChatCompletionTool;

const tool = (name: string, description: string, properties: Record<string, unknown> = {}): Tool => ({
  type: 'function',
  function: {
    name,
    description,
    parameters: { type: 'object', properties, required: [], additionalProperties: false },
  },
});

export const CART_TOOLS: readonly Tool[] = [
  tool(
    'add_to_cart',
    'The shopper takes a product: «беру этот», «в корзину», «хочу купить SOFA-001», «возьму два», «осыны аламын», "add to cart". Omit sku for the product being discussed. «хочу купить диван» (a kind of product, none chosen) is search_products.',
    {
      sku: { type: 'string', description: 'only when the shopper names one (e.g. SOFA-001)' },
      quantity: { type: 'number', description: 'how many, exactly as said, even 0, negative or huge' },
      more: {
        type: 'boolean',
        description: 'true when the quantity is more of it on top of what is in the cart («ещё два», "two more")',
      },
    },
  ),
  tool('view_cart', 'Show the cart («что в корзине», «себет», "my cart"), also to remove one item from it.'),
  tool('clear_cart', 'Empty the whole cart («очисти корзину», «удали всё из корзины», "clear cart").'),
  tool(
    'checkout',
    'Place the order for the cart («оформить заказ», «хочу оплатить», «тапсырыс беру», "checkout"). Not a question about how to pay or installments.',
  ),
  tool('order_status', 'An order already placed: «где мой заказ», «статус заказа № 12», "where is my order #3".', {
    number: { type: 'integer', minimum: 1, description: 'the order number, when given' },
  }),
];

const Sku = v.pipe(v.string(), v.trim(), v.toUpperCase(), SkuSchema);

export const CART_ARG_SCHEMAS = {
  add_to_cart: v.object({
    sku: v.optional(Sku),
    quantity: v.optional(v.pipe(v.number(), v.finite())),
    more: v.optional(v.boolean()),
  }),
  view_cart: v.object({}),
  clear_cart: v.object({}),
  checkout: v.object({}),
  order_status: v.object({ number: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1e9))) }),
} as const;

export type CartToolName = keyof typeof CART_ARG_SCHEMAS;

export const isCartTool = (name: string): name is CartToolName => Object.hasOwn(CART_ARG_SCHEMAS, name);

/** a validated buying call as its Intent; absent arguments stay absent */
export function cartIntent(name: CartToolName, args: Record<string, unknown>): Intent {
  switch (name) {
    case 'add_to_cart': {
      const a = args as v.InferOutput<typeof CART_ARG_SCHEMAS.add_to_cart>;
      return {
        name,
        args: {
          ...(a.sku !== undefined ? { sku: a.sku } : {}),
          ...(a.quantity !== undefined ? { quantity: a.quantity } : {}),
          ...(a.quantity !== undefined && a.more === true ? { more: true as const } : {}),
        },
      };
    }
    case 'order_status': {
      const number = (args as v.InferOutput<typeof CART_ARG_SCHEMAS.order_status>).number;
      return { name, args: number === undefined ? {} : { number } };
    }
    default:
      return { name };
  }
}
