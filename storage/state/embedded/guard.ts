import { StateUnavailableError } from '../errors.ts';

// SQLSTATE classes 08 (connection exception), 57P (operator intervention: shutdown, crash),
// 53300 too many connections, plus socket-level errors from the driver.
const UNAVAILABLE_CODES = /^(08...|57P0[1-3]|53300|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)$/;
const UNAVAILABLE_MESSAGES =
  /(Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|PGlite is closed|instance is already closed|pool .*ended|Cannot use a pool after calling end)/i;

export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // storage/db's dialect already classified it (StorageUnavailableError)
  if ((error as { retryable?: unknown }).retryable === true) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) return true;
  return UNAVAILABLE_MESSAGES.test(error.message);
}

export async function dbGuard<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUnavailable(error)) {
      throw new StateUnavailableError(`database: ${what} failed: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
}
