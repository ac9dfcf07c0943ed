import { ConfigError, loadConfig, type PlatformConfig } from '../platform/config.ts';
import { createPlatform } from '../platform/createPlatform.ts';

/**
 * `npm start` — the whole platform in one process on the embedded default, or one role of it
 * (`--role api|telegram|whatsapp|worker`) beside others sharing PostgreSQL and Redis.
 */

function fail(message: string): never {
  process.stderr.write(`zeta: ${message}\n`);
  process.exit(1);
}

function explainStartupError(error: unknown, config: PlatformConfig): string {
  const text = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  if (name === 'StorageUnavailableError' || /ECONNREFUSED|ENOTFOUND|password authentication|database .* does not exist/i.test(text)) {
    if (config.databaseUrl && !/redis/i.test(text)) return `DATABASE_URL: cannot reach the database (${text})`;
  }
  if (name === 'StateUnavailableError' || /redis/i.test(text)) {
    if (config.redisUrl) return `REDIS_URL: cannot reach Redis (${text})`;
  }
  if (/EADDRINUSE/.test(text)) return `PORT: port ${config.port} is already in use`;
  return text;
}

async function main() {
  let config: PlatformConfig;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  let platform;
  try {
    platform = await createPlatform(config);
    await platform.start();
  } catch (error) {
    await platform?.close().catch(() => undefined);
    fail(explainStartupError(error, config));
  }
  const { port } = await platform.listen();
  const base = config.publicBaseUrl ?? `http://localhost:${port}`;
  platform.log.info(
    { role: config.role, port, database: platform.db.kind, state: platform.state.kind, brain: config.openai.apiKey ? 'openai' : 'rules' },
    `ZETA is up: panel ${base}/admin/ · web chat POST ${base}/api/chat/<city> · health ${base}/health`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    platform.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await platform.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('unhandledRejection', (reason) => platform.log.error({ err: reason instanceof Error ? reason.stack : String(reason) }, 'unhandled rejection'));
}

await main();
