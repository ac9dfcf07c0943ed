import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, request, setUnauthorizedHandler } from './client.ts';

/** the panel's one HTTP path: CSRF echo, one shared refresh on 401, error shape */
type Call = { url: string; method: string; headers: Record<string, string> };

describe('api client', () => {
  let calls: Call[];
  let answers: ((call: Call) => Response)[];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  beforeEach(() => {
    calls = [];
    answers = [];
    vi.stubGlobal('document', { cookie: 'other=1; zeta_csrf=tok%2Ben' });
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      const call = { url, method: init.method ?? 'GET', headers: (init.headers ?? {}) as Record<string, string> };
      calls.push(call);
      const next = answers.shift();
      if (!next) throw new Error(`unexpected ${call.method} ${url}`);
      return next(call);
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('sends the CSRF cookie on unsafe requests only', async () => {
    answers.push(
      () => json(200, { ok: 1 }),
      () => json(201, { ok: 2 }),
    );
    await request('GET', '/cities', { query: { active: true, empty: '' } });
    await request('POST', '/cities', { body: { name: 'x' } });
    expect(calls[0]).toMatchObject({ url: '/api/cities?active=true', method: 'GET' });
    expect(calls[0]!.headers['X-CSRF-Token']).toBeUndefined();
    expect(calls[1]!.headers).toMatchObject({ 'X-CSRF-Token': 'tok+en', 'Content-Type': 'application/json' });
  });

  it('refreshes once on 401 and retries', async () => {
    answers.push(
      () => json(401, { error: { code: 'unauthorized', message: 'expired' } }),
      () => json(200, {}),
      () => json(200, { items: [] }),
    );
    expect(await request('GET', '/products')).toEqual({ items: [] });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/products',
      'POST /api/auth/refresh',
      'GET /api/products',
    ]);
    expect(calls[1]!.headers['X-CSRF-Token']).toBe('tok+en');
  });

  it('goes to login when the refresh fails too', async () => {
    const gone = vi.fn();
    setUnauthorizedHandler(gone);
    answers.push(
      () => json(401, { error: { code: 'unauthorized', message: 'expired' } }),
      () => json(401, { error: { code: 'unauthorized', message: 'reused' } }),
    );
    await expect(request('GET', '/users')).rejects.toMatchObject({ status: 401 });
    expect(gone).toHaveBeenCalledOnce();
  });

  it('turns error bodies into ApiError with validation issues', async () => {
    answers.push(() =>
      json(400, {
        error: {
          code: 'validation_failed',
          message: 'body is invalid',
          details: [{ path: 'price', message: 'price must be a number' }],
        },
      }),
    );
    const error = await request('POST', '/products', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('validation_failed');
    expect((error as ApiError).issues).toEqual([{ path: 'price', message: 'price must be a number' }]);
  });
});
