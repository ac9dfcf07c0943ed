/** Typed failures of the Telegram host. Messages are safe to show in logs (no tokens). */

export const TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

/** Telegram lets bots download files up to 20 MB; the engine answers politely (effect.failed). */
export class MediaTooLargeError extends Error {
  override readonly name = 'MediaTooLargeError';
  readonly mediaTooLarge = true;
  constructor(
    readonly size: number | undefined,
    readonly limit = TELEGRAM_DOWNLOAD_LIMIT,
  ) {
    super(`media is larger than ${Math.round(limit / 1024 / 1024)} MB${size !== undefined ? ` (${size} bytes)` : ''}`);
  }
}

/** The file cannot be had: expired file_id, no file_path, download failed. */
export class MediaUnavailableError extends Error {
  override readonly name = 'MediaUnavailableError';
  constructor(reason: string) {
    super(`media unavailable: ${reason}`);
  }
}

/** No bot is configured for the city an address or webhook names. */
export class UnknownCityError extends Error {
  override readonly name = 'UnknownCityError';
  constructor(readonly city: string) {
    super(`no Telegram bot configured for city "${city}"`);
  }
}

/**
 * Sending failed after the client's bounded retries (API down, 5xx, long 429). The runtime keeps
 * the turn's replies committed-but-unsent and retries the send later; the replies already
 * delivered are remembered, so the retry continues where this one stopped.
 */
export class TelegramDeliveryError extends Error {
  override readonly name = 'TelegramDeliveryError';
  constructor(
    readonly method: string,
    readonly delivered: number,
    readonly total: number,
    cause: unknown,
  ) {
    super(
      `telegram ${method} failed after retries (${delivered}/${total} calls delivered): ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/**
 * The shopper blocked the bot (403 «bot was blocked by the user»): nothing sent to them can arrive
 * until they unblock it, so retrying is pointless. `permanentDelivery` tells the runtime to
 * dead-letter the replies at once (see isPermanentDelivery).
 */
export class TelegramBlockedError extends Error {
  override readonly name = 'TelegramBlockedError';
  readonly permanentDelivery = true;
  constructor(cause: unknown) {
    super(`telegram: the shopper blocked the bot: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}
