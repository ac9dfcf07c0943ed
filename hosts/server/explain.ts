import type { PlatformConfig } from '../platform/config.ts';

/** Turns a start-up failure into one line that names the setting to fix. */
export function explainStartupError(error: unknown, config: PlatformConfig): string {
  const text = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  if (
    name === 'StorageUnavailableError' ||
    /ECONNREFUSED|ENOTFOUND|password authentication|database .* does not exist/i.test(text)
  ) {
    if (config.databaseUrl && !/redis/i.test(text)) return `DATABASE_URL: cannot reach the database (${text})`;
  }
  if (name === 'StateUnavailableError' || /redis/i.test(text)) {
    if (config.redisUrl) return `REDIS_URL: cannot reach Redis (${text})`;
  }
  if (/EADDRINUSE/.test(text)) return `PORT: port ${config.port} is already in use`;
  return text;
}
