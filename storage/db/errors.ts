/**
 * The database could not be reached (refused, reset, shut down, pool exhausted, timed out).
 * Retryable: hosts answer 503 and channel webhooks are redelivered, so no record is lost.
 */
export class StorageUnavailableError extends Error {
  readonly retryable = true;
  override readonly name = 'StorageUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isStorageUnavailable(error: unknown): error is StorageUnavailableError {
  return error instanceof StorageUnavailableError;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** SQLSTATE classes that mean "the server is not there for us right now". */
function isUnavailableSqlState(code: string): boolean {
  return (
    code.startsWith('08') || // connection exception
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' || // admin/crash shutdown, cannot connect now
    code === '53300'
  ); // too many connections
}

export function looksUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || isUnavailableSqlState(code))) return true;
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string') {
    return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|PGlite is closed|instance is already closed/i.test(
      message,
    );
  }
  return false;
}

export function toStorageError(error: unknown): unknown {
  if (error instanceof StorageUnavailableError) return error;
  if (looksUnavailable(error)) {
    const detail = error instanceof Error ? error.message : String(error);
    return new StorageUnavailableError(`database unavailable: ${detail}`, { cause: error });
  }
  return error;
}
