import type { Api } from '../../http/context.ts';
import type { Route } from '../../http/route.ts';
import { productImportRoute } from './import.ts';
import { productItemRoutes } from './item.ts';
import { productListRoutes } from './list.ts';

/**
 * Products, in the route table's order: the static `/products/search` and `/products/import`
 * before `/products/:id`. Each concept has its file (schemas, list, import, item).
 */
export function productRoutes(api: Api): Route[] {
  return [...productListRoutes(api), productImportRoute(api), ...productItemRoutes(api)];
}
