import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('runs everything on the embedded default with no variables at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      role: 'all',
      port: 3000,
      dataDir: '.data',
      defaultCity: 'almaty',
      demoData: true,
      ocrWorkers: 1,
      databasePoolSize: 10,
      maxConcurrentTurns: 64,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.openai.apiKey).toBeUndefined();
    expect(config.escalationMedia).toEqual({ maxBytes: 10 * 1024 * 1024, retentionDays: 30 });
    expect(loadConfig({ ESCALATION_MEDIA_MAX_MB: '2', ESCALATION_MEDIA_RETENTION_DAYS: '7' }).escalationMedia).toEqual({
      maxBytes: 2 * 1024 * 1024,
      retentionDays: 7,
    });
  });

  it('reads roles from the command line', () => {
    const env = { DATABASE_URL: 'postgres://db/zeta', REDIS_URL: 'redis://cache:6379' };
    expect(loadConfig(env, ['--role', 'telegram']).role).toBe('telegram');
    expect(loadConfig(env, ['--role=worker']).role).toBe('worker');
  });

  it.each([
    [{}, ['--role', 'telegram'], 'REDIS_URL'],
    [{ REDIS_URL: 'redis://x:6379' }, ['--role', 'worker'], 'DATABASE_URL'],
    [{}, ['--role', 'cook'], '--role'],
    [{ PORT: 'eighty' }, [], 'PORT'],
    [{ PORT: '70000' }, [], 'PORT'],
    [{ OPENAI_BASE_URL: 'not a url' }, [], 'OPENAI_BASE_URL'],
    [{ WHATSAPP_TOKEN: 't' }, [], 'WHATSAPP_APP_SECRET'],
    [{ WHATSAPP_TOKEN: 't', WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 'v' }, [], 'WHATSAPP_PHONE_ID'],
    // half a channel: without the verify token the webhook would silently not be mounted
    [{ WHATSAPP_TOKEN: 't', WHATSAPP_APP_SECRET: 's', WHATSAPP_PHONE_ID: '1' }, [], 'WHATSAPP_VERIFY_TOKEN'],
    [{ METRICS_TOKEN: 'short' }, [], 'METRICS_TOKEN'],
    [{ MEDIA_RATE_LIMIT_PER_MINUTE: '0' }, [], 'MEDIA_RATE_LIMIT_PER_MINUTE'],
    [{ ESCALATION_MEDIA_MAX_MB: '0' }, [], 'ESCALATION_MEDIA_MAX_MB'],
    [{ ADMIN_EMAIL: 'a@b.kz' }, [], 'ADMIN_PASSWORD'],
    [{ ADMIN_PASSWORD: 'long-enough' }, [], 'ADMIN_EMAIL'],
    [{ JWT_SECRET: 'short' }, [], 'JWT_SECRET'],
    [{ REDIS_URL: 'redis://x:6379', DATABASE_URL: 'postgres://db/zeta' }, ['--role', 'api'], 'JWT_SECRET'],
    [{ TRUST_PROXY: 'yes' }, [], 'TRUST_PROXY'],
    [{ OCR_WORKERS: '0' }, [], 'OCR_WORKERS'],
    [{ DATABASE_POOL_SIZE: '1' }, [], 'DATABASE_POOL_SIZE'],
    [{ MAX_CONCURRENT_TURNS: 'lots' }, [], 'MAX_CONCURRENT_TURNS'],
    [{ CHAT_RATE_LIMIT_PER_MINUTE: '0' }, [], 'CHAT_RATE_LIMIT_PER_MINUTE'],
    [{ SECRETS_KEY: 'correct-horse-battery-staple' }, [], 'SECRETS_KEY'],
    [{ SECRETS_KEY_PREVIOUS: '0'.repeat(64) }, [], 'SECRETS_KEY'],
    [{ SECRETS_KEY: '0'.repeat(64), SECRETS_KEY_PREVIOUS: 'short' }, [], 'SECRETS_KEY_PREVIOUS'],
    [{ REDIS_URL: 'cache:6379' }, [], 'REDIS_URL'],
    [{ REDIS_URL: 'http://cache:6379' }, [], 'REDIS_URL'],
    // no socket path: ioredis would quietly connect to 127.0.0.1:6379 instead
    [{ REDIS_URL: 'redis+unix://' }, [], 'REDIS_URL'],
  ] as const)('names the variable that is missing or wrong: %j %j → %s', (env, argv, variable) => {
    try {
      loadConfig(env, argv);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as Error).message.startsWith(`${variable}:`)).toBe(true);
    }
  });

  it('takes Redis over TCP, TLS or a Unix socket', () => {
    for (const url of [
      'redis://cache:6379/2',
      'rediss://user:pw@cache.example:6380',
      'redis+unix:///run/redis/redis.sock?db=1',
    ]) {
      expect(loadConfig({ REDIS_URL: url }).redisUrl).toBe(url);
    }
  });

  it('treats empty variables as unset and trims the public URL', () => {
    const config = loadConfig({
      DATABASE_URL: '',
      PUBLIC_BASE_URL: 'https://bot.example.kz/',
      CORS_ORIGINS: 'https://a.kz, https://b.kz',
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.publicBaseUrl).toBe('https://bot.example.kz');
    expect(config.admin.corsOrigins).toEqual(['https://a.kz', 'https://b.kz']);
  });

  describe('NODE_ENV=production', () => {
    const production = {
      NODE_ENV: 'production',
      DEMO_DATA: 'off',
      PUBLIC_BASE_URL: 'https://bot.example.kz',
      ADMIN_EMAIL: 'owner@example.kz',
      ADMIN_PASSWORD: 'a-long-password',
    };

    it('starts when nothing demo-like or insecure is asked for, and always marks cookies Secure', () => {
      const config = loadConfig(production);
      expect(config.production).toBe(true);
      expect(config.admin.secureCookies).toBe(true);
      expect(loadConfig({}).admin.secureCookies).toBe(false);
    });

    it.each([
      [{ DEMO_DATA: undefined }, 'DEMO_DATA'],
      [{ DEMO_DATA: 'on' }, 'DEMO_DATA'],
      [{ PUBLIC_BASE_URL: 'http://bot.example.kz' }, 'PUBLIC_BASE_URL'],
      [{ PUBLIC_BASE_URL: undefined }, 'PUBLIC_BASE_URL'],
      [{ ADMIN_PASSWORD: 'nine-char' }, 'ADMIN_PASSWORD'],
    ] as const)('refuses %j', (change, variable) => {
      expect(() => loadConfig({ ...production, ...change })).toThrow(new RegExp(`^${variable}:`));
    });
  });
});
