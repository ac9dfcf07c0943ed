import type { Context } from 'hono';
import * as v from 'valibot';
import type { UserRole } from '../auth/roles.ts';
import type { JsonSchema } from './jsonSchema.ts';
import { parseOr400 } from './validate.ts';
import { badRequest } from './errors.ts';

export type AuthUser = { id: string; email: string; name: string; role: UserRole };

export type AdminEnv = {
  Variables: {
    user: AuthUser;
    authVia: 'bearer' | 'cookie';
    /** when the credential of this request stops being valid (epoch seconds): long streams end then */
    authExpiresAt: number;
    /** set when the caller authenticated with a long-lived API token rather than a login */
    apiToken?: { id: string; name: string };
    clientIp: string;
  };
};
export type Ctx = Context<AdminEnv>;

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** how the request body is read: JSON (default when a schema is given), raw text, or nothing */
export type BodyKind = 'json' | 'raw' | 'none';

type Out<S> = S extends v.GenericSchema ? v.InferOutput<S> : undefined;

export type RouteSpec<B extends v.GenericSchema | undefined, Q extends v.GenericSchema | undefined> = {
  method: Method;
  /** Hono path under /api, e.g. `/products/:id` */
  path: string;
  /** 'public' routes need no login (login, refresh, register) */
  roles: readonly UserRole[] | 'public';
  summary: string;
  tag: string;
  description?: string;
  body?: B;
  bodyKind?: BodyKind;
  /** OpenAPI request body when bodyKind is 'raw' */
  rawBody?: Record<string, { schema: JsonSchema }>;
  /** a larger body than the API's default limit (photos) */
  maxBodyBytes?: number;
  query?: Q;
  /** the success response (OpenAPI) */
  response?: JsonSchema;
  responseStatus?: number;
  responseContentType?: string;
  /** other documented statuses, e.g. { 404: 'no such product' } */
  errors?: Record<number, string>;
  handler: (c: Ctx, input: { body: Out<B>; query: Out<Q> }) => Promise<Response> | Response;
};

/** A route as the table holds it: its declaration plus `run`, which validates and calls the handler. */
export type Route = Omit<RouteSpec<v.GenericSchema | undefined, v.GenericSchema | undefined>, 'handler'> & {
  run: (c: Ctx) => Promise<Response>;
};

export function route<
  B extends v.GenericSchema | undefined = undefined,
  Q extends v.GenericSchema | undefined = undefined,
>(spec: RouteSpec<B, Q>): Route {
  const { handler, ...declaration } = spec;
  const bodyKind: BodyKind = spec.bodyKind ?? (spec.body ? 'json' : 'none');
  return {
    ...declaration,
    bodyKind,
    run: async (c) => {
      const query = (spec.query ? parseOr400(spec.query, c.req.query(), 'query string') : undefined) as Out<Q>;
      let body = undefined as Out<B>;
      if (bodyKind === 'json' && spec.body) {
        const raw: unknown = await c.req.json().catch(() => {
          throw badRequest('body must be JSON (Content-Type: application/json)');
        });
        body = parseOr400(spec.body, raw, 'body') as Out<B>;
      }
      return handler(c, { body, query });
    },
  };
}

/** a path parameter the route's path declares */
export function param(c: Ctx, name: string): string {
  const value = c.req.param(name);
  if (value === undefined) throw badRequest(`missing path parameter ${name}`);
  return value;
}
