import type { Api } from '../http/context.ts';
import type { Route } from '../http/route.ts';
import { authRoutes } from './auth.ts';
import { userRoutes } from './users.ts';

/**
 * THE route table. Order matters where paths overlap: static segments (`/products/search`,
 * `/escalations/stream`) come before `/:id`.
 */
export function routeTable(api: Api): Route[] {
  return [
    ...authRoutes(api),
    ...userRoutes(api),
  ];
}
