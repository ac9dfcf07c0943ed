import * as v from 'valibot';
import { parseSecretsKey } from '../../storage/secrets.ts';
import { redisUrlProblem } from '../../storage/state/redis/connection.ts';
import { optionalChecked, optionalText } from '../config/index.ts';

/** The environment variables the platform reads, each with its default and the message naming it when it is wrong. */

const url = (name: string) => optionalChecked(v.url(`${name} must be a URL`));
const redisUrl = (name: string) =>
  optionalChecked(
    v.check(
      (s) => redisUrlProblem(s) === undefined,
      `${name} must be redis://host:port/db, rediss://host:port/db (TLS) or redis+unix:///path/to/redis.sock?db=N`,
    ),
  );
const int = (name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  v.pipe(
    v.optional(v.string(), String(fallback)),
    v.transform((s) => (s.trim() === '' ? fallback : Number(s))),
    v.number(`${name} must be a number`),
    v.integer(`${name} must be a whole number`),
    v.minValue(min, `${name} must be at least ${min}`),
    v.maxValue(max, `${name} must be at most ${max}`),
  );

export const EnvSchema = v.object({
  PORT: int('PORT', 3000, 0, 65535),
  HOST: v.optional(v.string(), '0.0.0.0'),
  DATA_DIR: v.optional(v.string(), '.data'),
  DATABASE_URL: optionalText,
  REDIS_URL: redisUrl('REDIS_URL'),
  PUBLIC_BASE_URL: url('PUBLIC_BASE_URL'),
  DEFAULT_CITY: v.optional(v.string(), 'almaty'),
  LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: url('OPENAI_BASE_URL'),
  OPENAI_MODEL: v.optional(v.string(), 'gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: int('OPENAI_TIMEOUT_MS', 8_000, 100, 120_000),
  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_WEBHOOK_SECRET: optionalText,
  TELEGRAM_API_ROOT: url('TELEGRAM_API_ROOT'),
  TELEGRAM_MANAGERS_CHAT_ID: optionalText,
  WHATSAPP_TOKEN: optionalText,
  WHATSAPP_PHONE_ID: optionalText,
  WHATSAPP_VERIFY_TOKEN: optionalText,
  WHATSAPP_APP_SECRET: optionalText,
  WHATSAPP_API_BASE: url('WHATSAPP_API_BASE'),
  WHATSAPP_API_VERSION: v.optional(v.string(), 'v21.0'),
  WHATSAPP_TEMPLATE: v.optional(v.string(), 'price_alert'),
  ADMIN_EMAIL: optionalText,
  ADMIN_PASSWORD: optionalText,
  JWT_SECRET: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.transform((x) => (x === '' ? undefined : x)),
      v.union([v.undefined(), v.pipe(v.string(), v.minLength(32, 'JWT_SECRET must be at least 32 characters'))]),
    ),
  ),
  CORS_ORIGINS: optionalText,
  RATE_LIMIT_PER_MINUTE: int('RATE_LIMIT_PER_MINUTE', 100, 1),
  CHAT_RATE_LIMIT_PER_MINUTE: int('CHAT_RATE_LIMIT_PER_MINUTE', 300, 1, 1_000_000),
  TRUST_PROXY: v.optional(v.picklist(['on', 'off'], 'TRUST_PROXY must be on or off'), 'off'),
  NODE_ENV: optionalText,
  METRICS_TOKEN: optionalChecked(v.minLength(16, 'METRICS_TOKEN must be at least 16 characters')),
  MEDIA_RATE_LIMIT_PER_MINUTE: int('MEDIA_RATE_LIMIT_PER_MINUTE', 1200, 1),
  ESCALATION_MEDIA_MAX_MB: int('ESCALATION_MEDIA_MAX_MB', 10, 1, 100),
  ESCALATION_MEDIA_RETENTION_DAYS: int('ESCALATION_MEDIA_RETENTION_DAYS', 30, 1, 3650),
  DEMO_DATA: v.optional(v.picklist(['on', 'off']), 'on'),
  OCR_WORKERS: int('OCR_WORKERS', 1, 1, 16),
  DATABASE_POOL_SIZE: int('DATABASE_POOL_SIZE', 10, 2, 500),
  MAX_CONCURRENT_TURNS: int('MAX_CONCURRENT_TURNS', 64, 1, 10_000),
  SECRETS_KEY: optionalChecked(
    v.check(
      (s) => parseSecretsKey(s) !== undefined,
      'SECRETS_KEY must be 32 bytes: 64 hex digits or base64 (openssl rand -base64 32)',
    ),
  ),
  SECRETS_KEY_PREVIOUS: optionalChecked(
    v.check(
      (s) => s.split(',').every((k) => parseSecretsKey(k) !== undefined),
      'SECRETS_KEY_PREVIOUS must be keys like SECRETS_KEY, separated by commas',
    ),
  ),
});

export type Env = v.InferOutput<typeof EnvSchema>;
