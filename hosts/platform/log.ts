import { pino, type Logger as PinoLogger } from 'pino';

/** Structured JSON logs. Secrets never reach them, whatever field they hide in. */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'secret',
  '*.secret',
  'appSecret',
  '*.appSecret',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
];

export type Log = PinoLogger;

export function createLog(level: string, destination?: NodeJS.WritableStream): Log {
  return pino(
    {
      level,
      base: { service: 'zeta' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? process.stdout,
  );
}
