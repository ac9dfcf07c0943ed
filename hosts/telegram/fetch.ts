import { createRequire } from 'node:module';
import { Agent, request } from 'undici';

/**
 * grammY's HTTP client for Bot API calls. JSON calls — nearly all of them — go through
 * `undici.request` on a keep-alive pool, several times cheaper in CPU than a `fetch`
 * implementation; multipart uploads keep grammY's own node-fetch, which streams them.
 */
const nodeFetch = createRequire(createRequire(import.meta.url).resolve('grammy'))('node-fetch') as {
  default: typeof fetch;
};

export function createBotApiFetch(opts: { connections?: number } = {}): typeof fetch {
  const dispatcher = new Agent({ connections: opts.connections ?? 64, keepAliveTimeout: 30_000, pipelining: 1 });
  return (async (input: string | URL | Request, init?: RequestInit) => {
    if (typeof init?.body !== 'string') return nodeFetch.default(input as string, init);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) {
      // undici manages the connection itself and refuses a hop-by-hop header
      if (name.toLowerCase() !== 'connection') headers[name] = value;
    }
    const response = await request(String(input), {
      method: (init.method ?? 'POST') as 'POST',
      headers,
      body: init.body,
      dispatcher,
      ...(init.signal ? { signal: init.signal } : {}),
    });
    return {
      ok: response.statusCode >= 200 && response.statusCode < 300,
      status: response.statusCode,
      json: () => response.body.json(),
      text: () => response.body.text(),
    } as unknown as Response;
  }) as typeof fetch;
}
