/**
 * A Bitrix24 REST client for an incoming webhook: `POST <webhook><method>.json` with a JSON body;
 * the answer is `{ result, time }` or `{ error, error_description }`. Errors say whether trying
 * again later can help (the portal down or rate-limited) or not (the request itself is wrong).
 */
export type Bitrix24 = { call<T>(method: string, params: Record<string, unknown>): Promise<T> };

/** Rate limits and overload: Bitrix24 asks to slow down, the same call later succeeds. */
const TRANSIENT_CODES = new Set([
  'QUERY_LIMIT_EXCEEDED',
  'OVERLOAD_LIMIT',
  'OPERATION_TIME_LIMIT',
  'INTERNAL_SERVER_ERROR',
  'ERROR_UNEXPECTED_ANSWER',
]);

export class Bitrix24Error extends Error {
  override readonly name = 'Bitrix24Error';
  constructor(
    readonly method: string,
    /** Bitrix24's error code, or NETWORK / BAD_RESPONSE for answers that never came or are not its JSON */
    readonly code: string,
    readonly description: string,
    readonly httpStatus: number,
    /** true: retry later; false: the request will never succeed as it is */
    readonly transient: boolean,
  ) {
    super(`${method}: ${code || `HTTP ${httpStatus}`}${description ? ` — ${description}` : ''}`);
  }
}

export type Bitrix24ClientOptions = { webhookUrl: string; timeoutMs?: number; fetch?: typeof fetch };

export function bitrix24Client(options: Bitrix24ClientOptions): Bitrix24 {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    async call<T>(method: string, params: Record<string, unknown>): Promise<T> {
      let response: Response;
      try {
        response = await doFetch(`${options.webhookUrl}${method}.json`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(params),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new Bitrix24Error(method, 'NETWORK', String((error as Error).message ?? error), 0, true);
      }
      const status = response.status;
      const body = (await response.json().catch(() => undefined)) as
        | { result?: unknown; error?: unknown; error_description?: unknown }
        | undefined;
      const slowDown = status === 429 || status >= 500;
      if (body && typeof body === 'object' && 'error' in body) {
        const code = String(body.error ?? '');
        const description = String(body.error_description ?? '');
        throw new Bitrix24Error(method, code, description, status, slowDown || TRANSIENT_CODES.has(code));
      }
      if (!body || typeof body !== 'object' || !('result' in body) || status >= 300)
        throw new Bitrix24Error(method, 'BAD_RESPONSE', `HTTP ${status} without a result`, status, slowDown || !body);
      return body.result as T;
    },
  };
}
