import type { Context } from 'hono';
import type { Logger } from '../runtime/ports.ts';
import { isUnavailable } from '../runtime/index.ts';

/**
 * One failure policy for every channel. A message that could not be made durable is answered
 * with a non-2xx so the platform delivers it again (Telegram and Meta both redeliver; the web
 * client retries): 503 with Retry-After when the store is down — the usual cause, and one that
 * passes — and 500 for anything else. The body is the same JSON on every channel.
 */

export const RETRY_AFTER_SECONDS = 5;

export type FailureAnswer = { status: 503 | 500; code: 'unavailable' | 'error'; message: string };

export function failureAnswer(error: unknown): FailureAnswer {
  return isUnavailable(error)
    ? { status: 503, code: 'unavailable', message: 'storage is temporarily unavailable, retry shortly' }
    : { status: 500, code: 'error', message: 'internal error' };
}

/** Logs the failure with `fields` (city, message id…) and answers it by the policy above. */
export function answerFailure(c: Context, error: unknown, log: Logger | undefined, fields: object): Response {
  const answer = failureAnswer(error);
  const err = error instanceof Error ? (answer.status === 500 ? (error.stack ?? error.message) : error.message) : error;
  if (answer.status === 503) log?.warn({ ...fields, err: String(err) }, 'store unavailable; the sender will retry');
  else log?.error({ ...fields, err: String(err) }, 'message could not be accepted');
  const body = { error: { code: answer.code, message: answer.message } };
  return answer.status === 503 ? c.json(body, 503, { 'retry-after': String(RETRY_AFTER_SECONDS) }) : c.json(body, 500);
}
