import * as v from 'valibot';
import { COMPONENTS } from './components/index.ts';
import { ref } from './docs.ts';
import { toJsonSchema, type JsonSchema } from './jsonSchema.ts';
import type { Route } from './route.ts';

type Operation = Record<string, unknown>;

/** The OpenAPI 3.1 document, generated from the same route table that drives routing and RBAC. */
export function buildOpenApi(
  routes: readonly Route[],
  info: { title?: string; version?: string } = {},
): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const r of routes) {
    const path = `/api${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`;
    (paths[path] ??= {})[r.method] = operation(r);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: info.title ?? 'ZETA admin API',
      version: info.version ?? '1',
      description: [
        'Admin, manager and designer API of the ZETA platform. Every route lists the roles allowed to call it (`x-roles`).',
        'Authenticate with `Authorization: Bearer <accessToken>` (API clients) or the cookies set by /api/auth/login (browser).',
        'Cookie-authenticated POST/PUT/PATCH/DELETE requests must send the `zeta_csrf` cookie value in `X-CSRF-Token`.',
        'Errors always look like `{ "error": { "code", "message", "details?" } }`. Rate limit: per client IP per minute; 429 carries Retry-After.',
        'Hot reload: saving a bot config, prompt or scenario publishes `{ kind, cityId?, id?, version }` on the `zeta:reload` channel; a taxonomy change (category or attribute edit, merge, an import that created terms) publishes `{ kind: "taxonomy", reason }`.',
      ].join('\n\n'),
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: COMPONENTS,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'zeta_access' },
      },
    },
  };
}

function operation(r: Route): Operation {
  const parameters: Record<string, unknown>[] = [];
  for (const name of r.path.match(/:([A-Za-z_]+)/g) ?? []) {
    parameters.push({ name: name.slice(1), in: 'path', required: true, schema: { type: 'string' } });
  }
  if (r.query) {
    const q = toJsonSchema(r.query);
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      parameters.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema });
    }
  }
  const status = String(r.responseStatus ?? 200);
  const success: Record<string, unknown> = { description: 'OK' };
  if (status !== '204')
    success.content = { [r.responseContentType ?? 'application/json']: { schema: r.response ?? {} } };
  const responses: Record<string, unknown> = { [status]: success };
  const error = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
  if (r.body || r.query) responses['400'] = error('invalid request (details lists each field)');
  if (r.roles !== 'public') {
    responses['401'] = error('not logged in, or the token is invalid/expired');
    responses['403'] = error('the role may not do this, or a cookie request lacks X-CSRF-Token');
  }
  for (const [code, description] of Object.entries(r.errors ?? {})) responses[code] = error(description);
  responses['429'] = error('rate limited; see Retry-After');
  const op: Operation = {
    tags: [r.tag],
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    operationId: operationId(r),
    'x-roles': r.roles === 'public' ? [] : [...r.roles],
    security: r.roles === 'public' ? [] : [{ bearer: [] }, { cookie: [] }],
    ...(parameters.length ? { parameters } : {}),
    responses,
  };
  if (r.body)
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: toJsonSchema(r.body as v.GenericSchema) } },
    };
  else if (r.rawBody) op.requestBody = { required: false, content: r.rawBody };
  return op;
}

function operationId(r: Route): string {
  const words = r.path
    .split('/')
    .filter(Boolean)
    .map((p) => (p.startsWith(':') ? `by-${p.slice(1)}` : p));
  return [r.method, ...words].join('-').replace(/[^a-zA-Z0-9]+(.)/g, (_, ch: string) => ch.toUpperCase());
}

export type { JsonSchema };
