import type { Api } from '../../http/context.ts';
import type { Route } from '../../http/route.ts';
import { escalationHandlingRoutes } from './handling.ts';
import { escalationQueueRoutes } from './queue.ts';
import { escalationStreamRoute } from './stream.ts';
import { escalationViewRoutes } from './view.ts';

/** Escalations, in the route table's order: `/escalations/stream` before `/escalations/:id`. */
export function escalationRoutes(api: Api): Route[] {
  return [
    ...escalationQueueRoutes(api),
    escalationStreamRoute(api),
    ...escalationViewRoutes(api),
    ...escalationHandlingRoutes(api),
  ];
}
