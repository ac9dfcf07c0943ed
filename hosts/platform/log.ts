import { pino, type Logger as PinoLogger } from 'pino';

/** Structured JSON logs. Secrets never reach them, whatever field they hide in. */
export const REDACTED_PATHS = [
  'token', '*.token', 'botToken', '*.botToken', 'apiKey', '*.apiKey', 'password', '*.password',
  'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
  'req.headers.cookie', 'req.headers["x-telegram-bot-api-secret-token"]', 'secret', '*.secret',
  'appSecret', '*.appSecret', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken',
];

export type Log = PinoLogger;

export function createLog(level: string, destination?: NodeJS.WritableStream): Log {
  return pino(
    { level, base: { service: 'zeta' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, timestamp: pino.stdTimeFunctions.isoTime },
    destination ?? process.stdout,
  );
}

/** Secret values that may appear inside messages (URLs with bot tokens, keys in errors). */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out.replace(/bot\d{5,}:[A-Za-z0-9_-]{20,}/g, 'bot[redacted]').replace(/sk-[A-Za-z0-9_-]{16,}/g, 'sk-[redacted]');
}
