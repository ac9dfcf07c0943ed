/**
 * Raised when the state store (Redis or the embedded database) cannot be reached in time.
 * Retryable by definition: hosts answer 503 and the webhook sender redelivers later.
 */
export class StateUnavailableError extends Error {
  readonly retryable = true;
  override readonly name = 'StateUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
