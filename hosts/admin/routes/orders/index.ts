import type { Api } from '../../http/context.ts';
import type { Route } from '../../http/route.ts';
import { orderListRoutes } from './list.ts';
import { orderStatusRoutes } from './status.ts';

/** Orders for managers: the list and one order, status changes, payments recorded by hand. */
export function orderRoutes(api: Api): Route[] {
  return [...orderListRoutes(api), ...orderStatusRoutes(api)];
}
