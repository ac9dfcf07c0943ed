import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { USER_ROLES } from './auth/roles.ts';
import { resolveOptions, type AdminApiDeps } from './deps.ts';
import { createApiContext } from './http/context.ts';
import { routeTable } from './routes/table.ts';
import { createAdminHarness, type AdminHarness } from './testing.ts';

const FAKE_ID = '00000000-0000-4000-8000-000000000000';

/** the table that drives the router: method, path, roles */
const describeRoutes = (deps: AdminApiDeps) => routeTable(createApiContext(deps, resolveOptions(deps.options)));

/** Concrete URLs for the table's paths: ids that do not exist, so allowed calls change nothing. */
function concrete(path: string): string {
  return path
    .replace(':city', 'nowhere')
    .replace(':cityId', FAKE_ID)
    .replace(':name', 'no_such_prompt')
    .replace(':slug', 'no-such-category')
    .replace(':key', 'no-such-attribute')
    .replace(':value', 'no-such-value')
    .replace(/:id\b/, FAKE_ID);
}

describe.each(TEST_BACKENDS)('role × route matrix on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await createAdminHarness(kind);
  });
  afterAll(async () => h.close());

  it('walks every route as every role and anonymously', async () => {
    const table = describeRoutes(h.deps);
    expect(table.length).toBeGreaterThan(40);
    const failures: string[] = [];
    for (const r of table) {
      const url = concrete(r.path);
      const method = r.method.toUpperCase();
      // an empty JSON object: allowed callers get 400/404/422, never a change
      const body = method === 'GET' ? undefined : {};
      const anon = await h.call(method, url, body ? { body } : {});
      await anon.body?.cancel();
      if (r.roles === 'public') {
        if (anon.status === 403) failures.push(`${method} ${r.path} anonymous: 403 on a public route`);
      } else if (anon.status !== 401) failures.push(`${method} ${r.path} anonymous: ${anon.status}, expected 401`);
      for (const role of USER_ROLES) {
        const res = await h.call(method, url, { as: role, ...(body ? { body } : {}) });
        await res.body?.cancel();
        if (r.roles === 'public') {
          // public routes judge credentials themselves (refresh without a token is 401 for anyone)
          if (res.status === 403) failures.push(`${method} ${r.path} as ${role}: 403 on a public route`);
          continue;
        }
        const allowed = r.roles.includes(role);
        if (allowed && (res.status === 401 || res.status === 403))
          failures.push(`${method} ${r.path} as ${role}: ${res.status}, expected allowed`);
        if (!allowed && res.status !== 403)
          failures.push(`${method} ${r.path} as ${role}: ${res.status}, expected 403`);
        if (res.status >= 500 && res.status !== 503) failures.push(`${method} ${r.path} as ${role}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('a viewer calling an admin route gets 403 with the error body, and nothing changes', async () => {
    const res = await h.call('POST', '/cities', { as: 'viewer', body: { name: 'Астана', slug: 'astana' } });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('forbidden');
    expect(body.error.message).toMatch(/owner, admin/);
    expect(
      await h.t.db.selectFrom('cities').selectAll().where('slug', '=', 'astana').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('every route of the table is in the OpenAPI document with its roles', async () => {
    const doc = (await (await h.call('GET', '/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { 'x-roles': string[]; responses: Record<string, unknown> }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const r of describeRoutes(h.deps)) {
      const path = `/api${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`;
      const op = doc.paths[path]?.[r.method];
      expect(op, `${r.method} ${path}`).toBeDefined();
      expect(op!['x-roles']).toEqual(r.roles === 'public' ? [] : [...r.roles]);
    }
  });
});
