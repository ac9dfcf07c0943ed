import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AdminApiDeps } from './deps.ts';
import { resolveOptions } from './deps.ts';
import { createApiContext } from './http/context.ts';
import { ApiError, errorResponse, renderError } from './http/errors.ts';
import {
  authenticate,
  authorize,
  chatRateLimit,
  clientIp,
  corsPolicy,
  rateLimit,
  securityHeaders,
} from './http/middleware.ts';
import { buildOpenApi } from './http/openapi.ts';
import { route, type AdminEnv, type Route } from './http/route.ts';
import { routeTable } from './routes/table.ts';

/**
 * The admin HTTP API, mounted by the platform at `/api`. Routes, their roles and their schemas
 * come from one table (routes/table.ts) that drives the router, the RBAC guard and the OpenAPI
 * document alike.
 */
export function createAdminApi(deps: AdminApiDeps): Hono<AdminEnv> {
  // HS256 is only as strong as its key; a short one can be brute-forced offline from any token
  if (deps.jwtSecret.length < 32)
    throw new Error('JWT_SECRET must be at least 32 characters (e.g. openssl rand -hex 32)');
  const options = resolveOptions(deps.options);
  const api = createApiContext(deps, options);
  const routes = routeTable(api);
  const app = new Hono<AdminEnv>();

  app.onError(renderError(deps.log));
  app.notFound((c) => errorResponse(404, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  app.use('*', securityHeaders, corsPolicy(options), clientIp(deps, options), rateLimit(deps, options));

  const guard = authenticate(deps);
  const tooLarge = (limit: number) => () => {
    throw new ApiError(413, 'payload_too_large', `the body is larger than ${Math.round(limit / 1024)} KB`);
  };
  const all: Route[] = [
    ...routes,
    route({
      method: 'get',
      path: '/openapi.json',
      roles: 'public',
      tag: 'meta',
      summary: 'This OpenAPI document',
      response: { type: 'object' },
      handler: (c) => c.json(document),
    }),
  ];
  const document = buildOpenApi(all);
  for (const r of all) {
    const limit = r.maxBodyBytes ?? (r.path === '/products/import' ? options.maxImportBytes : options.maxBodyBytes);
    const chain: MiddlewareHandler<AdminEnv>[] = [
      ...(r.roles === 'public' ? [] : [guard, authorize(r.roles)]),
      ...(r.path === '/chat/:city' || r.path === '/chat/:city/draft' ? [chatRateLimit(deps, options)] : []),
      ...(r.method === 'get' ? [] : [bodyLimit({ maxSize: limit, onError: tooLarge(limit) })]),
      (c) => r.run(c),
    ];
    app.on([r.method.toUpperCase()], [r.path], ...(chain as [MiddlewareHandler<AdminEnv>]));
  }
  return app;
}
