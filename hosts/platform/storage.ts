import { openDatabase, type OpenedDatabase } from '../../storage/db/open.ts';
import { sealBotSecrets } from '../../storage/repos/bot-configs.ts';
import { PLAIN_SECRETS, secretBox, type SecretBox } from '../../storage/secrets.ts';
import { seedDemoData } from '../../storage/seed/index.ts';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import { bootstrapOwner } from '../admin/index.ts';
import type { Logger } from '../runtime/ports.ts';
import type { PlatformConfig } from './config.ts';
import { bootstrapDemoOwner } from './demoOwner.ts';

export type PlatformStorage = { database: OpenedDatabase; state: StateBackend; secrets: SecretBox };

/**
 * The database and the state backend (or the ones a test already opened), ready for the platform:
 * demo data seeded when asked, bot secrets sealed with SECRETS_KEY, the first owner in place.
 * What it opens itself it hands to `closeLater`.
 */
export async function openPlatformStorage(
  config: PlatformConfig,
  given: { database?: OpenedDatabase; state?: StateBackend; keyPrefix?: string },
  closeLater: (close: () => Promise<unknown>) => void,
  log: Logger,
): Promise<PlatformStorage> {
  const database =
    given.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.databasePoolSize,
      onPoolError: (e) => log.warn({ err: e.message }, 'database pool error'),
    }));
  if (!given.database) closeLater(() => database.close());
  const db = database.db;

  const state =
    given.state ??
    (await createStateBackend({
      redisUrl: config.redisUrl,
      db,
      ...(given.keyPrefix ? { keyPrefix: given.keyPrefix } : {}),
    }));
  if (!given.state) closeLater(() => state.close());

  if (config.demoData) await seedDemoData(db);
  // bot tokens and webhook secrets at rest: sealed with SECRETS_KEY when it is set
  const secrets = config.secretsKey ? secretBox(config.secretsKey, config.previousSecretsKeys) : PLAIN_SECRETS;
  const sealedNow = await sealBotSecrets(db, secrets);
  if (sealedNow > 0)
    log.info(
      { rows: sealedNow },
      'bot secrets stored plain or under a previous key are now encrypted with SECRETS_KEY',
    );
  if (config.admin.email && config.admin.password) await bootstrapOwner(db, config.admin.email, config.admin.password);
  else if (config.demoData) await bootstrapDemoOwner(db, config.dataDir, log);
  return { database, state, secrets };
}
