import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { OpenedDatabase } from '../../storage/db/open.ts';
import type { PeriodicJobs } from '../../storage/queue/index.ts';
import { listActiveScenarios } from '../../storage/repos/scenarios.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import { ChannelDirectory } from '../channel/host.ts';
import { createCheckout } from '../checkout/index.ts';
import { createCrmDelivery } from '../crm/index.ts';
import type { EscalationService } from '../escalations/index.ts';
import { TesseractOcr } from '../ocr/index.ts';
import { createProfilePort, statePreferenceStore } from '../profiles/index.ts';
import { DraftSpace } from '../playground/draftSpace.ts';
import type { CheckoutPort, Logger, RuntimePorts } from '../runtime/ports.ts';
import { PaymentService } from '../payments/index.ts';
import { ConversationRuntime } from '../runtime/runtime.ts';
import { loadScenarioDir, ScenarioRegistry } from '../scenarios/index.ts';
import { createTelegramHost, type TelegramHost } from '../telegram/index.ts';
import { createWebHost, type WebHost } from '../web/host.ts';
import { ChatUploads } from '../web/uploads.ts';
import { createWhatsAppHost, type WhatsAppHost } from '../whatsapp/index.ts';
import { deliverTriggeredAlerts } from './alertDelivery.ts';
import { deliverOrderNews } from './orderNews.ts';
import { deadLetterRetry } from './deadLetters.ts';
import { BotSettingsDirectory } from './botSettings.ts';
import { telegramOptions, whatsappOptions, type ChannelParts } from './channelOptions.ts';
import { CityDirectory } from './cities.ts';
import type { PlatformConfig } from './config.ts';
import { connectTelegramManagers, createEscalations } from './escalationWiring.ts';
import { loadScenarioAssignments, loadSystemPrompts, reloaderFor, subscribeToReloads } from './hotReload.ts';
import { createHttpApp, serves } from './httpApp.ts';
import { createLog } from './log.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createModelPorts } from './modelPorts.ts';
import { CatalogWordsDirectory } from './catalogWords.ts';
import { PlaceholderPictures } from './placeholder.ts';
import { alertPort } from './ports/alerts.ts';
import { catalogPort } from './ports/catalog.ts';
import { recordWriters } from './ports/records.ts';
import { ROOT_DIR } from './root.ts';
import { openPlatformStorage } from './storage.ts';
import { recordTurnMetrics } from './turnMetrics.ts';
import { startPeriodicJobs } from './worker.ts';

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
  /** how often the CRM outbox is passed through (default 15 seconds) */
  crmOutboxMs?: number;
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
  telegram: TelegramHost;
  whatsapp: WhatsAppHost | undefined;
  web: WebHost;
  /** starts payments for orders with their city's providers; records the providers' webhooks */
  payments: PaymentService;
  /** the shop behind every channel's checkout (the runtime's checkout port) */
  checkout: CheckoutPort;
  metrics: Metrics;
  log: Logger;
  /** background work of the role: timers, alert sweep, proactive sends, inbox recovery, hot reload */
  start(): Promise<void>;
  /** serve HTTP on config.port (0 = any free port) */
  listen(): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
};

/**
 * Composes storage, state, AI, the runtime, its channels and the HTTP app for one role. Wiring
 * only, in dependency order: the runtime is built first (its channel directory empty), then each
 * channel host is built around it and registers.
 */
export async function createPlatform(config: PlatformConfig, overrides: PlatformOverrides = {}): Promise<Platform> {
  const clock = overrides.clock ?? (() => new Date());
  const log: Logger = overrides.log ?? createLog(config.logLevel);
  const metrics = createMetrics();
  const closers: (() => Promise<unknown>)[] = [];
  const closeLater = (close: () => Promise<unknown>) => void closers.push(close);
  const closeAll = async () => {
    for (const close of closers.reverse())
      await close().catch((error: unknown) => log.warn({ err: String(error) }, 'close failed'));
  };

  try {
    const { database, state, secrets } = await openPlatformStorage(config, overrides, closeLater, log);
    const db = database.db;

    const cities = new CityDirectory(db);
    await cities.reload();

    const scenarioDir = overrides.scenarioDir ?? join(ROOT_DIR, 'scenarios');
    const files = await loadScenarioDir(scenarioDir);
    for (const problem of files.errors) log.error(problem, 'scenario file rejected');
    const scenarioAssignments = new Map<string, string>();
    const scenarios = new ScenarioRegistry({
      files: files.scenarios,
      overrides: { activeVersions: () => listActiveScenarios(db) },
      assignment: (address) =>
        scenarioAssignments.get(`${address.channel}:${address.city}`) ?? scenarioAssignments.get(`*:${address.city}`),
    });
    await scenarios.reload();
    await loadScenarioAssignments(db, cities, scenarioAssignments);

    const prompts = new Map<string, string>();
    await loadSystemPrompts(db, cities, prompts);
    const botSettings = new BotSettingsDirectory(db, cities);
    await botSettings.reload();
    const words = new CatalogWordsDirectory(db);
    await words.reload();

    const records = recordWriters(db, cities, log);
    closeLater(() => records.close());
    const aiPorts = createModelPorts({
      config,
      state,
      cities,
      prompts,
      botSettings,
      words,
      metrics,
      analytics: records.analytics,
      clock,
    });
    const ocr = overrides.ocr === false ? null : new TesseractOcr({ log, poolSize: config.ocrWorkers });
    if (ocr) closeLater(() => ocr.close());
    const catalog = catalogPort(database, cities, (total) =>
      metrics.searches.inc({ outcome: total > 0 ? 'results' : 'zero' }),
    );

    const payments = new PaymentService({
      db,
      config: config.payments,
      citySlug: (cityId) => cities.byId(cityId)?.slug,
      clock,
      log,
      onOrderChanged: () => deliverOrderNews({ db, runtime, clock, log }),
    });
    const checkout = createCheckout({ db, cities, payments, log });

    // ---- the runtime, then the channels registering with it ----
    const channels = new ChannelDirectory();
    const escalations = createEscalations({ config, db, state, channels, clock, log });
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
      checkout,
      channels: channels.ports,
      clock,
      log,
    };
    const runtime = new ConversationRuntime(ports, state, { maxConcurrentTurns: config.maxConcurrentTurns });
    // on close the runtime finishes its turns first, then the channels they send through close
    closeLater(() => channels.close(log));
    closeLater(() => runtime.close());
    escalations.deliverThrough(runtime);
    recordTurnMetrics(runtime, metrics, () => records.analytics.pending);

    const parts: ChannelParts = { config, db, state, cities, clock, log };
    const pictures = new PlaceholderPictures({ onRender: () => metrics.placeholderRenders.inc() });
    const telegram = channels.register(await createTelegramHost(runtime, telegramOptions(parts, secrets, pictures)));
    connectTelegramManagers(escalations, telegram);
    const whatsappWith = await whatsappOptions(parts, records.analyticsPort, overrides.keyPrefix);
    const whatsapp = whatsappWith ? channels.register(await createWhatsAppHost(runtime, whatsappWith)) : undefined;
    const uploads = new ChatUploads({ db, clock });
    const cityExists = async (slug: string) => Boolean(await cities.resolve(slug));
    const web = channels.register(await createWebHost(runtime, { cityExists, uploads, clock, log }));
    // the playground's unsaved scenarios: a runtime of their own on the same world, outward effects simulated
    const drafts = await DraftSpace.open({ live: ports, db, uploads, cityExists, keyPrefix: overrides.keyPrefix });
    closeLater(() => drafts.close());

    const app = createHttpApp({
      config,
      database,
      state,
      metrics,
      pictures,
      cities,
      channels: { telegram, whatsapp, web },
      drafts,
      escalations,
      payments,
      scenarios,
      scenarioDir,
      secrets,
      onPriceDrop: (triggered) => deliverTriggeredAlerts({ db, runtime, clock, log }, triggered),
      onOrderChanged: () => deliverOrderNews({ db, runtime, clock, log }),
      retryDeadLetter: deadLetterRetry(runtime),
      clock,
      log,
    });

    // ---- background work ----
    const reloadAll = reloaderFor({
      db,
      cities,
      scenarios,
      scenarioAssignments,
      prompts,
      botSettings,
      catalog,
      channels: whatsapp ? [telegram, whatsapp] : [telegram],
      taxonomy: words,
    });
    let periodic: PeriodicJobs | undefined;
    let unsubscribe: (() => Promise<void>) | undefined;
    let server: ServerType | undefined;
    return {
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
      web,
      payments,
      checkout,
      metrics,
      log,
      async start() {
        unsubscribe = await subscribeToReloads(state.pubsub, reloadAll, log);
        if (serves(config.role, 'worker')) {
          const crm = config.bitrix24 ? createCrmDelivery({ config: config.bitrix24, db, clock, log }) : undefined;
          // a portal without KZT stops the start here, before anything is sent to it
          await crm?.checkPortalAtStart();
          await runtime.startTimers();
          const recovered = await runtime.recover();
          if (recovered > 0) log.info({ conversations: recovered }, 'resumed conversations with unanswered messages');
          periodic = await startPeriodicJobs({
            config,
            db,
            runtime,
            uploads,
            payments,
            keyPrefix: overrides.keyPrefix,
            alertSweepMs: overrides.alertSweepMs,
            ...(crm ? { crm } : {}),
            crmOutboxMs: overrides.crmOutboxMs,
            clock,
            log,
          });
          await channels.start();
        }
        if (config.telegram.polling) {
          const polling = await telegram.startPolling();
          closeLater(() => polling.stop());
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
  } catch (error) {
    await closeAll();
    throw error;
  }
}
