import { ConfigError, loadConfig, type PlatformConfig } from '../platform/config.ts';
import { createPlatform } from '../platform/createPlatform.ts';
import { explainStartupError } from './explain.ts';

/**
 * `npm start` — the whole platform in one process on the embedded default, or one role of it
 * (`--role api|telegram|whatsapp|worker`) beside others sharing PostgreSQL and Redis.
 */

function fail(message: string): never {
  process.stderr.write(`zeta: ${message}\n`);
  process.exit(1);
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
    {
      role: config.role,
      port,
      database: platform.db.kind,
      state: platform.state.kind,
      brain: config.openai.apiKey ? 'openai' : 'rules',
    },
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
  process.on('unhandledRejection', (reason) =>
    platform.log.error({ err: reason instanceof Error ? reason.stack : String(reason) }, 'unhandled rejection'),
  );
}

await main();
