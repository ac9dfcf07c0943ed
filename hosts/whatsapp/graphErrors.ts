import * as v from 'valibot';

/**
 * Graph API failures by cause, carrying Meta's code / error_subcode / fbtrace_id. The channel
 * decides from the class: re-engagement → template, rate limit → back off, server → retry later,
 * auth / request → log and drop (repeating will not help).
 */

export type GraphErrorInfo = {
  status: number;
  code?: number | undefined;
  subcode?: number | undefined;
  type?: string | undefined;
  fbtraceId?: string | undefined;
  details?: string | undefined;
};

export class GraphError extends Error {
  readonly status: number;
  readonly code: number | undefined;
  readonly subcode: number | undefined;
  readonly type: string | undefined;
  readonly fbtraceId: string | undefined;
  readonly details: string | undefined;
  /** whether repeating the same request later may succeed */
  readonly retryable: boolean = false;

  constructor(message: string, info: GraphErrorInfo) {
    super(message);
    this.name = new.target.name;
    this.status = info.status;
    this.code = info.code;
    this.subcode = info.subcode;
    this.type = info.type;
    this.fbtraceId = info.fbtraceId;
    this.details = info.details;
  }
}

/** invalid or expired token, missing permission (codes 0, 190, 10, 200–299, 131005) */
export class GraphAuthError extends GraphError {}
/** throughput (130429), pair rate limit (131056), spam / account rate limits (4, 80007, 131048) */
export class GraphRateLimitError extends GraphError {
  override readonly retryable = true;
}
/** more than 24 hours since the shopper last wrote: only a template may be sent (131047) */
export class GraphReEngagementError extends GraphError {}
/** media could not be fetched or is gone (expired id, failed download, too large) */
export class GraphMediaError extends GraphError {}
/** the media is over the download limit: the shopper is told, nothing is retried */
export class GraphMediaTooLargeError extends GraphMediaError {
  readonly mediaTooLarge = true;
}
/** Meta's side failed (5xx, codes 1, 2, 131000, 131016) */
export class GraphServerError extends GraphError {
  override readonly retryable = true;
}
/** anything else Meta refused: bad parameters, unknown recipient, template problems */
export class GraphRequestError extends GraphError {}

/**
 * Refusals of the recipient or the sending account rather than of one message's content:
 * undeliverable (131026), not in the test number's allowed list (131030), account locked
 * (131031), payment issue (131042), number registration (131045), blocked for policy (368).
 */
const REFUSED_FOR_ANY_MESSAGE = new Set([131026, 131030, 131031, 131042, 131045, 368]);

/** whether nothing else could reach the shopper either: the token or the account, or the recipient */
export const refusesEveryMessage = (error: GraphError): boolean =>
  error instanceof GraphAuthError || (error.code !== undefined && REFUSED_FOR_ANY_MESSAGE.has(error.code));

/**
 * A reply Meta refused before any of it went out, for a reason no other message would escape
 * (refusesEveryMessage): sending it again as it is cannot help, so `permanentDelivery` tells the
 * runtime to dead-letter it at once, where admins see the cause and retry it once it is fixed.
 */
export class WhatsAppRefusedError extends Error {
  override readonly name = 'WhatsAppRefusedError';
  readonly permanentDelivery = true;
  readonly code: number | undefined;
  constructor(cause: GraphError) {
    super(`whatsapp: Meta refused the reply (${cause.code ?? cause.status}): ${cause.message}`, { cause });
    this.code = cause.code;
  }
}

export const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131048, 131056]);
export const BACKOFF_CODES = new Set([130429, 131056, 80007, 4]);
const AUTH_CODES = new Set([0, 3, 10, 190, 131005]);
const SERVER_CODES = new Set([1, 2, 131000, 131016]);
const MEDIA_CODES = new Set([131052, 131053]);
export const RE_ENGAGEMENT = 131047;

const ErrorBodySchema = v.object({
  error: v.object({
    message: v.optional(v.string()),
    type: v.optional(v.string()),
    code: v.optional(v.number()),
    error_subcode: v.optional(v.number()),
    fbtrace_id: v.optional(v.string()),
    error_data: v.optional(v.object({ details: v.optional(v.string()) })),
  }),
});

/** Turns a non-2xx Graph response into the error class for its cause. */
export function graphErrorFrom(status: number, body: unknown, what: string): GraphError {
  const parsed = v.safeParse(ErrorBodySchema, body);
  const e = parsed.success ? parsed.output.error : undefined;
  const info: GraphErrorInfo = {
    status,
    code: e?.code,
    subcode: e?.error_subcode,
    type: e?.type,
    fbtraceId: e?.fbtrace_id,
    details: e?.error_data?.details,
  };
  const message = `${what}: Graph API ${status}${e?.code !== undefined ? ` code ${e.code}` : ''}${e?.message ? ` — ${e.message}` : ''}`;
  const code = e?.code;
  if (code === RE_ENGAGEMENT) return new GraphReEngagementError(message, info);
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) return new GraphRateLimitError(message, info);
  if (status === 429) return new GraphRateLimitError(message, info);
  if (status === 401 || (code !== undefined && (AUTH_CODES.has(code) || (code >= 200 && code <= 299))))
    return new GraphAuthError(message, info);
  if (code !== undefined && MEDIA_CODES.has(code)) return new GraphMediaError(message, info);
  if (status >= 500 || (code !== undefined && SERVER_CODES.has(code))) return new GraphServerError(message, info);
  return new GraphRequestError(message, info);
}
