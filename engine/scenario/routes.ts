import type { IntentName } from '../intent.ts';

/**
 * What an understood intent leads to. A designer maps intents to routes in the scenario's
 * `routing` table; the routes themselves are the engine's flows.
 */
export const ROUTES = [
  'search',
  'product',
  'more',
  'alert',
  'unalert',
  'escalate',
  'greeting',
  'menu',
  'help',
  'thanks',
  'bye',
  'smalltalk',
  'language',
  'forget',
  'fallback',
  'cart_add',
  'cart',
  'cart_clear',
  'checkout',
  'order_status',
  /** a designer intent: the flow the scenario's intent names */
  'designer',
] as const;
export type Route = (typeof ROUTES)[number];

export const INTENT_NAMES = [
  'search_products',
  'get_product',
  'create_price_alert',
  'cancel_price_alert',
  'escalate_to_manager',
  'more',
  'greeting',
  'menu',
  'help',
  'thanks',
  'bye',
  'smalltalk',
  'set_language',
  'forget_preferences',
  'unknown',
  'add_to_cart',
  'view_cart',
  'clear_cart',
  'checkout',
  'order_status',
  'designer',
] as const satisfies readonly IntentName[];
// compile-time check that every intent of the contract is listed
type _AllIntents = Exclude<IntentName, (typeof INTENT_NAMES)[number]> extends never ? true : never;
export const _intentsListed: _AllIntents = true;

/** routes that read an intent's own arguments, so only that intent may lead to them */
export const ROUTE_NEEDS_INTENT: Partial<Record<Route, IntentName>> = {
  search: 'search_products',
  product: 'get_product',
  alert: 'create_price_alert',
  unalert: 'cancel_price_alert',
  language: 'set_language',
  designer: 'designer',
  cart_add: 'add_to_cart',
  order_status: 'order_status',
};

export const DEFAULT_ROUTING: Record<IntentName, Route> = {
  search_products: 'search',
  get_product: 'product',
  create_price_alert: 'alert',
  cancel_price_alert: 'unalert',
  escalate_to_manager: 'escalate',
  more: 'more',
  greeting: 'greeting',
  menu: 'menu',
  help: 'help',
  thanks: 'thanks',
  bye: 'bye',
  smalltalk: 'smalltalk',
  set_language: 'language',
  forget_preferences: 'forget',
  unknown: 'fallback',
  add_to_cart: 'cart_add',
  view_cart: 'cart',
  clear_cart: 'cart_clear',
  checkout: 'checkout',
  order_status: 'order_status',
  designer: 'designer',
};

/** menu buttons start one of these */
export const MENU_FLOWS = ['search', 'escalation', 'help', 'language', 'alerts', 'info', 'designer', 'cart'] as const;
export type MenuFlow = (typeof MENU_FLOWS)[number];

/** order in which «relax» drops search criteria after zero results */
export const RELAXABLE = ['color', 'material', 'price', 'query', 'category'] as const;
export type Relaxable = (typeof RELAXABLE)[number];
