/**
 * npm run telegram:webhook -- set <publicBaseUrl> | delete | info
 *
 * Registers (or removes, or shows) `<publicBaseUrl>/webhooks/telegram/<city>` for every city's
 * bot, each with its own secret token. Bots come from TELEGRAM_BOT_TOKEN (default city) plus the
 * bot_configs table when DATABASE_URL is set.
 */
import {
  BotRegistry,
  deleteWebhooks,
  setWebhooks,
  webhookInfo,
  type TelegramBotSource,
  type WebhookReport,
} from '../telegram/index.ts';
import { envBotSource, mergedBotSource } from '../telegram/staticSource.ts';

const USAGE = 'usage: npm run telegram:webhook -- set <publicBaseUrl> | delete | info';

/**
 * Bot configs from PostgreSQL when DATABASE_URL is set. The embedded database is not opened: the
 * running server holds it, and two processes must not share a PGlite directory.
 */
async function databaseSource(): Promise<{ source: TelegramBotSource; close(): Promise<void> } | undefined> {
  if (!process.env.DATABASE_URL) return undefined;
  const [{ loadConfig }, { openDatabase }, { CityDirectory }, { telegramBots }] = await Promise.all([
    import('../platform/config.ts'),
    import('../../storage/db/open.ts'),
    import('../platform/cities.ts'),
    import('../platform/sources.ts'),
  ]);
  const config = loadConfig(process.env);
  const database = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: config.dataDir,
    migrate: false,
  });
  const bots = telegramBots(database.db, new CityDirectory(database.db), config);
  const source: TelegramBotSource = {
    list: () =>
      bots.list().catch((error: unknown) => {
        console.error(
          `bot configs could not be read from the database (${error instanceof Error ? error.message : String(error)}); using the environment only`,
        );
        return [];
      }),
  };
  return { source, close: () => database.close() };
}

async function main(argv: string[]): Promise<number> {
  const [command, base] = argv;
  if (!command || !['set', 'delete', 'info'].includes(command) || (command === 'set' && !base)) {
    console.error(USAGE);
    return 2;
  }
  if (command === 'set' && !/^https:\/\//.test(base!) && !/^http:\/\/(127\.0\.0\.1|localhost)/.test(base!)) {
    console.error('Telegram only calls https:// webhooks: pass the public https base URL');
    return 2;
  }
  const db = await databaseSource();
  const log = {
    info: () => undefined,
    warn: (o: object, m?: string) => console.error(m ?? '', o),
    error: (o: object, m?: string) => console.error(m ?? '', o),
  };
  try {
    const registry = new BotRegistry({
      source: db ? mergedBotSource(envBotSource(), db.source) : envBotSource(),
      log,
      ...(process.env.TELEGRAM_API_ROOT ? { apiRoot: process.env.TELEGRAM_API_ROOT } : {}),
      ...(process.env.TELEGRAM_WEBHOOK_SECRET ? { defaultWebhookSecret: process.env.TELEGRAM_WEBHOOK_SECRET } : {}),
      retry: { maxRetries: 2, baseDelayMs: 500 },
    });
    await registry.load();
    if (registry.all().length === 0) {
      console.error('no Telegram bots configured (set TELEGRAM_BOT_TOKEN or add bot configs in the admin panel)');
      return 1;
    }
    const reports: WebhookReport[] =
      command === 'set'
        ? await setWebhooks(registry, base!)
        : command === 'delete'
          ? await deleteWebhooks(registry)
          : await webhookInfo(registry);
    for (const r of reports) console.log(`${r.ok ? '✓' : '✗'} ${r.city}: ${r.detail}`);
    return reports.every((r) => r.ok) ? 0 : 1;
  } finally {
    await db?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
