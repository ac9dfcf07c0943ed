import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { openDatabase, type OpenedDatabase } from '../../storage/db/open.ts';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import type { PeriodicJobs, ProactiveSendQueue } from '../../storage/queue/index.ts';
import { sealBotSecrets } from '../../storage/repos/bot-configs.ts';
import { PLAIN_SECRETS, secretBox } from '../../storage/secrets.ts';
import { listActiveScenarios } from '../../storage/repos/scenarios.ts';
import { seedDemoData } from '../../storage/seed/index.ts';
import { bootstrapOwner, createAdminApi } from '../admin/index.ts';
import type { EscalationService } from '../escalations/index.ts';
import { TesseractOcr } from '../ocr/index.ts';
import { createProfilePort, statePreferenceStore } from '../profiles/index.ts';
import { ConversationRuntime } from '../runtime/runtime.ts';
import type { ChannelPort, Logger, RuntimePorts } from '../runtime/ports.ts';
import { loadScenarioDir, ScenarioRegistry } from '../scenarios/index.ts';
import { createTelegram, type Telegram } from '../telegram/index.ts';
import { chatRoutes, webChannel } from '../web/chat.ts';
import { ChatUploads } from '../web/uploads.ts';
import { onecAfterApply, onecRoutes } from '../onec/index.ts';
import { createWhatsAppWebhook, NumberDirectory, stateWindowStore, type WhatsAppChannel } from '../whatsapp/index.ts';
import { deliverTriggeredAlerts } from './alertDelivery.ts';
import { CityDirectory } from './cities.ts';
import type { PlatformConfig, Role } from './config.ts';
import { bootstrapDemoOwner } from './demoOwner.ts';
import { createEscalations } from './escalationWiring.ts';
import { healthRoutes } from './health.ts';
import { loadScenarioAssignments, loadSystemPrompts, reloaderFor, subscribeToReloads } from './hotReload.ts';
import { accessLog, renderError } from './httpMiddleware.ts';
import { createLog } from './log.ts';
import { mediaRoutes, readLocalMedia } from './media.ts';
import { rejectMalformedPaths } from './paths.ts';
import { PlaceholderPictures } from './placeholder.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createModelPorts } from './modelPorts.ts';
import { BotSettingsDirectory } from './botSettings.ts';
import { alertPort } from './ports/alerts.ts';
import { catalogPort } from './ports/catalog.ts';
import { recordWriters } from './ports/records.ts';
import { telegramBots, whatsappNumbers } from './sources.ts';
import { ROOT_DIR } from './root.ts';
import { adminStatic } from './static.ts';
import { telegramWebhookOnSave } from './telegramWebhookOnSave.ts';
import { recordTurnMetrics } from './turnMetrics.ts';
import { startPeriodicJobs } from './worker.ts';
import { createWhatsAppSending } from './whatsappSending.ts';

export type PlatformOverrides = {
  clock?: () => Date;
  log?: Logger & { child?: unknown };
  /** an already-open database (tests share one PGlite per worker) */
  database?: OpenedDatabase;
  /** an already-open state backend */
  state?: StateBackend;
  /** no tesseract workers (tests that never send photos start faster) */
  ocr?: boolean;
  scenarioDir?: string;
  /** how often the price-alert sweep runs (default 10 minutes) */
  alertSweepMs?: number;
  /** Redis key prefix for state, queues and periodic jobs (default `zeta:`); tests isolate with it */
  keyPrefix?: string;
};

export type Platform = {
  config: PlatformConfig;
  app: Hono;
  db: OpenedDatabase;
  state: StateBackend;
  runtime: ConversationRuntime;
  cities: CityDirectory;
  scenarios: ScenarioRegistry;
  escalations: EscalationService;
  telegram: Telegram;
  whatsapp: WhatsAppChannel | undefined;
  metrics: Metrics;
  log: Logger;
  /** background work of the role: timers, alert sweep, proactive sends, inbox recovery, hot reload */
  start(): Promise<void>;
  /** serve HTTP on config.port (0 = any free port) */
  listen(): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
};

const serves = (role: Role, part: 'api' | 'telegram' | 'whatsapp' | 'worker') => role === 'all' || role === part;

/** Composes storage, state, AI, channels, the runtime and the HTTP app for one role. */
export async function createPlatform(config: PlatformConfig, overrides: PlatformOverrides = {}): Promise<Platform> {
  const clock = overrides.clock ?? (() => new Date());
  const log: Logger = overrides.log ?? createLog(config.logLevel);
  const metrics = createMetrics();
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse())
      await close().catch((error: unknown) => log.warn({ err: String(error) }, 'close failed'));
  };

  try {
    const database =
      overrides.database ??
      (await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        poolSize: config.databasePoolSize,
        onPoolError: (e) => log.warn({ err: e.message }, 'database pool error'),
      }));
    if (!overrides.database) closers.push(() => database.close());
    const db = database.db;

    const state =
      overrides.state ??
      (await createStateBackend({
        redisUrl: config.redisUrl,
        db,
        ...(overrides.keyPrefix ? { keyPrefix: overrides.keyPrefix } : {}),
      }));
    if (!overrides.state) closers.push(() => state.close());

    if (config.demoData) await seedDemoData(db);
    // bot tokens and webhook secrets at rest: sealed with SECRETS_KEY when it is set
    const secrets = config.secretsKey ? secretBox(config.secretsKey, config.previousSecretsKeys) : PLAIN_SECRETS;
    const sealedNow = await sealBotSecrets(db, secrets);
    if (sealedNow > 0)
      log.info(
        { rows: sealedNow },
        'bot secrets stored plain or under a previous key are now encrypted with SECRETS_KEY',
      );
    if (config.admin.email && config.admin.password)
      await bootstrapOwner(db, config.admin.email, config.admin.password);
    else if (config.demoData) await bootstrapDemoOwner(db, config.dataDir, log);

    const cities = new CityDirectory(db);
    await cities.reload();

    const files = await loadScenarioDir(overrides.scenarioDir ?? join(ROOT_DIR, 'scenarios'));
    for (const problem of files.errors) log.error(problem, 'scenario file rejected');
    const scenarioAssignments = new Map<string, string>();
    const scenarios = new ScenarioRegistry({
      files: files.scenarios,
      overrides: { activeVersions: () => listActiveScenarios(db) },
      assignment: (address) =>
        scenarioAssignments.get(`${address.channel}:${address.city}`) ?? scenarioAssignments.get(`*:${address.city}`),
    });
    await scenarios.reload();

    const prompts = new Map<string, string>();
    await loadSystemPrompts(db, cities, prompts);
    const botSettings = new BotSettingsDirectory(db, cities);
    await botSettings.reload();

    const aiPorts = createModelPorts({
      config,
      state,
      cities,
      prompts,
      botSettings,
      metrics,
      analytics: () => records.analytics,
      clock,
    });

    const records = recordWriters(db, cities, log);
    closers.push(() => records.close());

    const ocr = overrides.ocr === false ? null : new TesseractOcr({ log, poolSize: config.ocrWorkers });
    if (ocr) closers.push(() => ocr.close());

    const catalog = catalogPort(database, cities, (total) =>
      metrics.searches.inc({ outcome: total > 0 ? 'results' : 'zero' }),
    );

    const pictures = new PlaceholderPictures({ onRender: () => metrics.placeholderRenders.inc() });

    // the runtime needs channels, and the channels' webhooks need the runtime: a late-bound reference
    let runtime!: ConversationRuntime;
    const telegram = await createTelegram({
      source: telegramBots(db, cities, config, secrets),
      runtime: () => runtime,
      log,
      ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
      ...(config.telegram.webhookSecret ? { defaultWebhookSecret: config.telegram.webhookSecret } : {}),
      ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
      readLocalMedia: (path) => readLocalMedia(db, path, pictures),
      clock,
    });
    closers.push(() => telegram.close());

    let whatsapp: WhatsAppChannel | undefined;
    let sendQueue: ProactiveSendQueue | undefined;
    const numbers = new NumberDirectory(whatsappNumbers(db, cities, config));
    const window = stateWindowStore(state.snapshots);
    if (config.whatsapp.token) {
      ({ channel: whatsapp, sendQueue } = await createWhatsAppSending({
        config,
        db,
        state,
        numbers,
        window,
        keyPrefix: overrides.keyPrefix,
        clock,
        log,
        token: config.whatsapp.token,
      }));
      closers.push(() => sendQueue!.close());
    }

    const escalations = createEscalations({
      config,
      db,
      state,
      telegram,
      channels: () => channels,
      runtime: () => runtime,
      clock,
      log,
    });

    const uploads = new ChatUploads({ db, clock });
    const channels: RuntimePorts['channels'] = { telegram: telegram.channel, web: webChannel(uploads) };
    if (whatsapp) channels.whatsapp = whatsapp as ChannelPort;

    const ports: RuntimePorts = {
      scenarios,
      cityLanguage: (slug) => cities.languageOf(slug),
      catalog,
      brain: aiPorts.brain,
      ocr,
      vision: aiPorts.vision,
      transcriber: aiPorts.transcriber,
      escalations,
      alerts: alertPort(db, cities),
      profiles: createProfilePort({ store: statePreferenceStore(state.snapshots), catalog }),
      records: records.recordPort,
      channels,
      clock,
      log,
    };
    runtime = new ConversationRuntime(ports, state, { maxConcurrentTurns: config.maxConcurrentTurns });
    closers.push(() => runtime.close());

    recordTurnMetrics(runtime, metrics, () => records.analytics.pending);

    const deliverAlerts = (triggered: Parameters<typeof deliverTriggeredAlerts>[1]) =>
      deliverTriggeredAlerts({ db, runtime, clock, log }, triggered);

    // ---- HTTP ----
    const app = new Hono();
    app.onError(renderError(log));
    app.use('*', requestId());
    app.use('*', rejectMalformedPaths);
    app.use('*', accessLog(metrics, log));
    app.route(
      '/',
      healthRoutes({
        db,
        state,
        metrics,
        role: config.role,
        ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
      }),
    );
    app.route(
      '/media',
      mediaRoutes(db, {
        pictures,
        rateLimit: {
          limiter: state.rateLimiter,
          perMinute: config.mediaRateLimitPerMinute,
          trustProxy: config.admin.trustProxy,
        },
      }),
    );
    if (serves(config.role, 'telegram')) app.route('/', telegram.routes);
    if (serves(config.role, 'whatsapp') && config.whatsapp.appSecret && config.whatsapp.verifyToken) {
      app.route(
        '/',
        createWhatsAppWebhook({
          verifyToken: config.whatsapp.verifyToken,
          appSecret: config.whatsapp.appSecret,
          numbers,
          runtime: { accept: (address, id, event) => runtime.accept(address, id, event) },
          window,
          ...(whatsapp ? { channel: whatsapp } : {}),
          analytics: records.analyticsPort,
          clock,
          log,
        }),
      );
    }
    if (serves(config.role, 'api')) {
      const chat = chatRoutes({
        runtime,
        cityExists: async (slug) => Boolean(await cities.resolve(slug)),
        uploads,
        clock,
        log,
      });
      app.route(
        '/api',
        createAdminApi({
          db,
          state,
          jwtSecret: config.admin.jwtSecret ?? randomBytes(32).toString('hex'),
          escalations,
          scenarios,
          scenarioDir: overrides.scenarioDir ?? join(ROOT_DIR, 'scenarios'),
          chat,
          onPriceDrop: deliverAlerts,
          secrets,
          ...telegramWebhookOnSave(config, state, log),
          options: {
            rateLimitPerMinute: config.admin.rateLimitPerMinute,
            chatRateLimitPerMinute: config.admin.chatRateLimitPerMinute,
            corsOrigins: config.admin.corsOrigins,
            trustProxy: config.admin.trustProxy,
            secureCookies: config.admin.secureCookies,
          },
          clock,
          log,
        }),
      );
      const afterApply = onecAfterApply({ db, pubsub: state.pubsub, deliver: deliverAlerts, log });
      app.route('/1c', onecRoutes({ db, config: config.onec, cities, afterApply, clock, log }));
      app.route('/admin', adminStatic(join(ROOT_DIR, 'admin', 'dist')));
      app.get('/', (c) => c.redirect('/admin/'));
    }

    // ---- background work ----
    let periodic: PeriodicJobs | undefined;
    let unsubscribe: (() => Promise<void>) | undefined;
    const reloadAll = reloaderFor({
      db,
      cities,
      scenarios,
      scenarioAssignments,
      prompts,
      botSettings,
      catalog,
      numbers,
      telegram,
    });
    await loadScenarioAssignments(db, cities, scenarioAssignments);

    let server: ServerType | undefined;
    const platform: Platform = {
      config,
      app,
      db: database,
      state,
      runtime,
      cities,
      scenarios,
      escalations,
      telegram,
      whatsapp,
      metrics,
      log,
      async start() {
        unsubscribe = await subscribeToReloads(state.pubsub, reloadAll, log);
        if (serves(config.role, 'worker')) {
          await runtime.startTimers();
          const recovered = await runtime.recover();
          if (recovered > 0) log.info({ conversations: recovered }, 'resumed conversations with unanswered messages');
          periodic = await startPeriodicJobs({
            config,
            db,
            runtime,
            uploads,
            keyPrefix: overrides.keyPrefix,
            alertSweepMs: overrides.alertSweepMs,
            clock,
            log,
          });
          if (sendQueue && whatsapp) await sendQueue.start(whatsapp.queueSender());
        }
        if (config.telegram.polling) {
          const polling = await telegram.startPolling();
          closers.push(() => polling.stop());
        }
      },
      async listen() {
        return new Promise((resolveListen) => {
          server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
            resolveListen({ port: info.port, url: `http://127.0.0.1:${info.port}` });
          });
        });
      },
      async close() {
        await unsubscribe?.().catch(() => undefined);
        await periodic?.close().catch(() => undefined);
        if (server) await new Promise<void>((r) => server!.close(() => r()));
        await closeAll();
      },
    };
    return platform;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
