import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

/**
 * Provider failures classified by cause. The cause decides whether we retry, whether the
 * circuit breaker counts it, and what analytics records as the fallback reason.
 */

export type AiFailureCause =
  | 'timeout'
  | 'rate_limit'
  | 'server_error'
  | 'connection'
  | 'auth'
  | 'bad_request'
  | 'invalid_response'
  | 'circuit_open'
  | 'too_large'
  | 'unsupported_media';

export abstract class AiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
  abstract readonly kind: AiFailureCause;
  /** worth one more attempt */
  readonly retryable: boolean = false;
  /** says something about the provider's health, so the breaker counts it */
  readonly countsAsFailure: boolean = true;
}

export class AiTimeoutError extends AiError {
  override readonly kind = 'timeout' as const;
  override readonly retryable = true;
}
export class AiRateLimitError extends AiError {
  override readonly kind = 'rate_limit' as const;
  override readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}
export class AiServerError extends AiError {
  override readonly kind = 'server_error' as const;
  override readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}
export class AiConnectionError extends AiError {
  override readonly kind = 'connection' as const;
  override readonly retryable = true;
}
export class AiAuthError extends AiError {
  override readonly kind = 'auth' as const;
}
export class AiBadRequestError extends AiError {
  override readonly kind = 'bad_request' as const;
  override readonly countsAsFailure = false;
}
/** the provider answered, but not with something we can use (bad JSON, unknown tool, wrong types) */
export class AiInvalidResponseError extends AiError {
  override readonly kind = 'invalid_response' as const;
  override readonly countsAsFailure = false;
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}
export class AiCircuitOpenError extends AiError {
  override readonly kind = 'circuit_open' as const;
  override readonly countsAsFailure = false;
}
export class AiInputRejectedError extends AiError {
  override readonly countsAsFailure = false;
  constructor(
    message: string,
    readonly kind: 'too_large' | 'unsupported_media',
  ) {
    super(message);
  }
}

/** Map anything the SDK (or our own code) throws to an AiError. */
export function classify(err: unknown): AiError {
  if (err instanceof AiError) return err;
  if (err instanceof APIConnectionTimeoutError) return new AiTimeoutError('provider timed out');
  // our own per-call deadline aborts the request through the signal
  if (err instanceof APIUserAbortError) return new AiTimeoutError('provider call aborted by deadline');
  if (err instanceof APIConnectionError) return new AiConnectionError(`provider unreachable: ${err.message}`);
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    const retryAfterMs = parseRetryAfter(err.headers);
    if (status === 429) return new AiRateLimitError(`rate limited: ${err.message}`, retryAfterMs);
    if (status >= 500) return new AiServerError(`provider error ${status}: ${err.message}`, retryAfterMs);
    if (status === 401 || status === 403) return new AiAuthError(`provider refused the key (${status})`);
    return new AiBadRequestError(`provider rejected the request (${status}): ${err.message}`);
  }
  if (err instanceof Error && err.name === 'AbortError') return new AiTimeoutError('provider call aborted by deadline');
  return new AiInvalidResponseError(
    `unexpected failure: ${err instanceof Error ? err.message : String(err)}`,
    'unexpected',
  );
}

function parseRetryAfter(headers: Headers | undefined): number | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const sec = headers.get('retry-after');
  if (sec === null) return undefined;
  if (Number.isFinite(Number(sec))) return Math.max(0, Number(sec) * 1000);
  const at = Date.parse(sec);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/**
 * Remove secrets from text bound for logs, analytics or errors: the configured key and anything
 * shaped like an OpenAI key or a bearer token.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out
    .replace(/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-[redacted]')
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[redacted]');
}
