import * as v from 'valibot';
import { ConfigError } from '../config/index.ts';
import { parseSecretsKey } from '../../storage/secrets.ts';
import { PASSWORD_MIN } from '../admin/auth/passwords.ts';
import { bitrix24Config, type Bitrix24Config } from '../crm/config.ts';
import { onecConfig, type OnecConfig } from '../onec/config.ts';
import { paymentsConfig, type PaymentsConfig } from '../payments/config.ts';
import { EnvSchema, type Env } from './configEnv.ts';

/**
 * Everything the platform reads from the environment, validated once at start-up. A missing or
 * contradictory setting stops the process with one message that names the variable.
 */

export const ROLES = ['all', 'api', 'telegram', 'whatsapp', 'worker'] as const;
export type Role = (typeof ROLES)[number];

export type PlatformConfig = {
  role: Role;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL connections of this process: the pool, plus half as many for searches */
  databasePoolSize: number;
  /** conversations one process runs turns for at once; the rest wait, accepted, in arrival order */
  maxConcurrentTurns: number;
  /** SECRETS_KEY: bot tokens and webhook secrets in the database are sealed with it (AES-256-GCM) */
  secretsKey?: Buffer;
  /** SECRETS_KEY_PREVIOUS: keys being rotated out; what they sealed is sealed again with secretsKey at start */
  previousSecretsKeys: Buffer[];
  redisUrl?: string;
  publicBaseUrl?: string;
  defaultCity: string;
  logLevel: string;
  demoData: boolean;
  /** price-tag photos read at once (each a tesseract.js worker thread, ~1 core and ~100 MB while reading) */
  ocrWorkers: number;
  openai: { apiKey?: string; baseURL?: string; model: string; timeoutMs: number };
  telegram: {
    defaultToken?: string;
    webhookSecret?: string;
    apiRoot?: string;
    managersChatId?: string;
    polling: boolean;
  };
  whatsapp: {
    token?: string;
    phoneNumberId?: string;
    verifyToken?: string;
    appSecret?: string;
    apiBase?: string;
    apiVersion: string;
    templateName: string;
  };
  admin: {
    email?: string;
    password?: string;
    jwtSecret?: string;
    corsOrigins: string[];
    rateLimitPerMinute: number;
    trustProxy: boolean;
    secureCookies: boolean;
    /** playground messages per minute per API token (or per user for panel sessions) */
    chatRateLimitPerMinute: number;
  };
  /** NODE_ENV=production: no demo data, Secure cookies, an https public address, a strong first password */
  production: boolean;
  /** METRICS_TOKEN: /metrics answers only `Authorization: Bearer <token>` */
  metricsToken?: string;
  /** requests per minute per client to /media (placeholder pictures) */
  mediaRateLimitPerMinute: number;
  /** WhatsApp photos and voice notes sent during escalations: stored up to this size, kept this long */
  escalationMedia: { maxBytes: number; retentionDays: number };
  /** the 1C exchange (ONEC_*) */
  onec: OnecConfig;
  /** payment providers (STRIPE_*, CLOUDPAYMENTS_*, KASPI_APIPAY_*, PAYMENT_PROVIDERS) */
  payments: PaymentsConfig;
  /** Bitrix24 CRM (BITRIX24_*); unset: orders and leads are not sent to a CRM */
  bitrix24?: Bitrix24Config;
};

export { ConfigError };

export function parseArgs(argv: readonly string[]): { role: Role; telegramPolling: boolean } {
  let role: Role = 'all';
  let telegramPolling = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = arg.startsWith('--role=') ? arg.slice(7) : arg === '--role' ? argv[++i] : undefined;
    if (value !== undefined) {
      if (!(ROLES as readonly string[]).includes(value))
        throw new ConfigError('--role', `must be one of ${ROLES.join(', ')} (got "${value}")`);
      role = value as Role;
    } else if (arg === '--telegram-polling') telegramPolling = true;
  }
  return { role, telegramPolling };
}

export function loadConfig(env: Record<string, string | undefined>, argv: readonly string[] = []): PlatformConfig {
  const { role, telegramPolling } = parseArgs(argv);
  const parsed = v.safeParse(EnvSchema, env);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const variable = issue.path?.map((p) => String(p.key)).join('.') ?? 'environment';
    throw new ConfigError(variable, issue.message);
  }
  const e = parsed.output;
  if (role !== 'all') {
    // split roles share nothing but PostgreSQL and Redis, so both must be real servers
    if (!e.REDIS_URL)
      throw new ConfigError(
        'REDIS_URL',
        `--role ${role} runs beside other roles and needs a shared Redis; set REDIS_URL (or run without --role)`,
      );
    if (!e.DATABASE_URL)
      throw new ConfigError(
        'DATABASE_URL',
        `--role ${role} runs beside other roles and needs a shared PostgreSQL; set DATABASE_URL (or run without --role)`,
      );
    // tokens signed by one replica must verify on the others
    if (role === 'api' && !e.JWT_SECRET)
      throw new ConfigError(
        'JWT_SECRET',
        '--role api runs as replicas that must share one signing secret; set JWT_SECRET',
      );
  }
  if (e.WHATSAPP_TOKEN && !e.WHATSAPP_APP_SECRET) {
    throw new ConfigError('WHATSAPP_APP_SECRET', 'is required with WHATSAPP_TOKEN: webhooks must be signature-checked');
  }
  if (e.SECRETS_KEY_PREVIOUS && !e.SECRETS_KEY)
    throw new ConfigError(
      'SECRETS_KEY',
      'is required with SECRETS_KEY_PREVIOUS (the key secrets are sealed again with)',
    );
  if (e.WHATSAPP_TOKEN && !e.WHATSAPP_PHONE_ID)
    throw new ConfigError('WHATSAPP_PHONE_ID', 'is required with WHATSAPP_TOKEN');
  if (e.WHATSAPP_TOKEN && !e.WHATSAPP_VERIFY_TOKEN)
    throw new ConfigError(
      'WHATSAPP_VERIFY_TOKEN',
      'is required with WHATSAPP_TOKEN: without it the WhatsApp webhook is not served',
    );
  if (Boolean(e.ADMIN_EMAIL) !== Boolean(e.ADMIN_PASSWORD)) {
    throw new ConfigError(
      e.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL',
      'ADMIN_EMAIL and ADMIN_PASSWORD go together',
    );
  }
  const production = e.NODE_ENV === 'production';
  if (production) refuseUnsafeProduction(e);
  const onec = onecConfig(env);
  const payments = paymentsConfig(env);
  const bitrix24 = bitrix24Config(env);
  return {
    role,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    databasePoolSize: e.DATABASE_POOL_SIZE,
    maxConcurrentTurns: e.MAX_CONCURRENT_TURNS,
    ...(e.SECRETS_KEY ? { secretsKey: parseSecretsKey(e.SECRETS_KEY)! } : {}),
    previousSecretsKeys: (e.SECRETS_KEY_PREVIOUS ?? '')
      .split(',')
      .filter((k) => k.trim() !== '')
      .map((k) => parseSecretsKey(k)!),
    ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
    ...(e.PUBLIC_BASE_URL ? { publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/$/, '') } : {}),
    defaultCity: e.DEFAULT_CITY,
    logLevel: e.LOG_LEVEL,
    demoData: e.DEMO_DATA === 'on',
    ocrWorkers: e.OCR_WORKERS,
    openai: {
      apiKey: e.OPENAI_API_KEY,
      baseURL: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
    },
    telegram: {
      defaultToken: e.TELEGRAM_BOT_TOKEN,
      webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
      apiRoot: e.TELEGRAM_API_ROOT,
      managersChatId: e.TELEGRAM_MANAGERS_CHAT_ID,
      polling: telegramPolling,
    },
    whatsapp: {
      token: e.WHATSAPP_TOKEN,
      phoneNumberId: e.WHATSAPP_PHONE_ID,
      verifyToken: e.WHATSAPP_VERIFY_TOKEN,
      appSecret: e.WHATSAPP_APP_SECRET,
      apiBase: e.WHATSAPP_API_BASE,
      apiVersion: e.WHATSAPP_API_VERSION,
      templateName: e.WHATSAPP_TEMPLATE,
    },
    admin: {
      email: e.ADMIN_EMAIL,
      password: e.ADMIN_PASSWORD,
      jwtSecret: e.JWT_SECRET,
      corsOrigins: (e.CORS_ORIGINS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      chatRateLimitPerMinute: e.CHAT_RATE_LIMIT_PER_MINUTE,
      trustProxy: e.TRUST_PROXY === 'on',
      secureCookies: production,
    },
    production,
    ...(e.METRICS_TOKEN ? { metricsToken: e.METRICS_TOKEN } : {}),
    mediaRateLimitPerMinute: e.MEDIA_RATE_LIMIT_PER_MINUTE,
    escalationMedia: {
      maxBytes: e.ESCALATION_MEDIA_MAX_MB * 1024 * 1024,
      retentionDays: e.ESCALATION_MEDIA_RETENTION_DAYS,
    },
    onec,
    payments,
    ...(bitrix24 ? { bitrix24 } : {}),
  };
}

/** A production process must not seed a demo shop, hand out cookies over plain http, or guard its owner with a short password. */
function refuseUnsafeProduction(e: Env): void {
  if (e.DEMO_DATA !== 'off')
    throw new ConfigError(
      'DEMO_DATA',
      'NODE_ENV=production would seed demo cities, products and a demo owner into an empty database; set DEMO_DATA=off',
    );
  if (!e.PUBLIC_BASE_URL?.startsWith('https://')) {
    throw new ConfigError(
      'PUBLIC_BASE_URL',
      'NODE_ENV=production needs the public https:// address: session cookies are Secure-only and webhooks are https',
    );
  }
  if (e.ADMIN_PASSWORD !== undefined && e.ADMIN_PASSWORD.length < PASSWORD_MIN) {
    throw new ConfigError('ADMIN_PASSWORD', `NODE_ENV=production needs at least ${PASSWORD_MIN} characters`);
  }
}
