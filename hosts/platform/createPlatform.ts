import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { openDatabase, type OpenedDatabase } from '../../storage/db/open.ts';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import { createPeriodicJobs, createProactiveSendQueue, type PeriodicJobs, type ProactiveSendQueue } from '../../storage/queue/index.ts';
import { listBotConfigs, sealBotSecrets } from '../../storage/repos/bot-configs.ts';
import { PLAIN_SECRETS, secretBox } from '../../storage/secrets.ts';
import { activePrompt } from '../../storage/repos/prompts.ts';
import { listActiveScenarios } from '../../storage/repos/scenarios.ts';
import { seedDemoData } from '../../storage/seed/index.ts';
import { bootstrapOwner, createAdminApi, RELOAD_CHANNEL } from '../admin/index.ts';
import { deleteExpiredRefreshTokens } from '../admin/store/refreshTokens.ts';
import { createAi, dailyModelBudget, runtimeAiPorts } from '../ai/index.ts';
import { EscalationMediaKeeper, EscalationService, telegramManagerNotifier } from '../escalations/index.ts';
import { dropStoredMediaBefore } from '../../storage/repos/escalationMedia.ts';
import { TesseractOcr } from '../ocr/index.ts';
import { createProfilePort, statePreferenceStore } from '../profiles/index.ts';
import { ConversationRuntime } from '../runtime/runtime.ts';
import { isUnavailable } from '../runtime/turn.ts';
import type { ChannelPort, Logger, RuntimePorts } from '../runtime/ports.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import { loadScenarioDir, ScenarioRegistry } from '../scenarios/index.ts';
import { createTelegram, deriveWebhookSecret, syncCityWebhook, type Telegram } from '../telegram/index.ts';
import { chatRoutes, webChannel } from '../web/chat.ts';
import { ChatUploads } from '../web/uploads.ts';
import { createWhatsAppWebhook, GraphClient, NumberDirectory, rateLimitedThrottle, stateSentBatchStore, stateWindowStore, WhatsAppChannel } from '../whatsapp/index.ts';
import { deliverTriggeredAlerts, sweepAndDeliver } from './alertDelivery.ts';
import { CityDirectory } from './cities.ts';
import type { PlatformConfig, Role } from './config.ts';
import { healthRoutes } from './health.ts';
import { createLog } from './log.ts';
import { mediaRoutes, readLocalMedia } from './media.ts';
import { rejectMalformedPaths } from './paths.ts';
import { PlaceholderPictures } from './placeholder.ts';
import { ActiveConversations, createMetrics, type Metrics } from './metrics.ts';
import { BotSettingsDirectory } from './botSettings.ts';
import { alertPort } from './ports/alerts.ts';
import { catalogPort } from './ports/catalog.ts';
import { recordWriters } from './ports/records.ts';
import { telegramBots, whatsappNumbers } from './sources.ts';
import { ROOT_DIR } from './root.ts';
import { adminStatic } from './static.ts';

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
    for (const close of closers.reverse()) await close().catch((error: unknown) => log.warn({ err: String(error) }, 'close failed'));
  };

  try {
    const database = overrides.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, onPoolError: (e) => log.warn({ err: e.message }, 'database pool error') }));
    if (!overrides.database) closers.push(() => database.close());
    const db = database.db;

    const state = overrides.state ?? (await createStateBackend({ redisUrl: config.redisUrl, db, ...(overrides.keyPrefix ? { keyPrefix: overrides.keyPrefix } : {}) }));
    if (!overrides.state) closers.push(() => state.close());

    if (config.demoData) await seedDemoData(db);
    // bot tokens and webhook secrets at rest: sealed with SECRETS_KEY when it is set
    const secrets = config.secretsKey ? secretBox(config.secretsKey, config.previousSecretsKeys) : PLAIN_SECRETS;
    const sealedNow = await sealBotSecrets(db, secrets);
    if (sealedNow > 0) log.info({ rows: sealedNow }, 'bot secrets stored plain or under a previous key are now encrypted with SECRETS_KEY');
    if (config.admin.email && config.admin.password) await bootstrapOwner(db, config.admin.email, config.admin.password);
    else if (config.demoData) await bootstrapDemoOwner(db, config.dataDir, log);

    const cities = new CityDirectory(db);
    await cities.reload();

    const files = await loadScenarioDir(overrides.scenarioDir ?? join(ROOT_DIR, 'scenarios'));
    for (const problem of files.errors) log.error(problem, 'scenario file rejected');
    const scenarioAssignments = new Map<string, string>();
    const scenarios = new ScenarioRegistry({
      files: files.scenarios,
      overrides: { activeVersions: () => listActiveScenarios(db) },
      assignment: (address) => scenarioAssignments.get(`${address.channel}:${address.city}`) ?? scenarioAssignments.get(`*:${address.city}`),
    });
    await scenarios.reload();

    const prompts = new Map<string, string>();
    const reloadPrompts = async () => {
      prompts.clear();
      for (const city of cities.list()) {
        const prompt = (await activePrompt(db, 'system', city.id)) ?? (await activePrompt(db, 'system', null));
        if (prompt) prompts.set(city.slug, prompt.content);
      }
    };
    await reloadPrompts();
    const botSettings = new BotSettingsDirectory(db, cities);
    await botSettings.reload();

    const ai = createAi({
      ...(config.openai.apiKey ? { apiKey: config.openai.apiKey } : {}),
      ...(config.openai.baseURL ? { baseURL: config.openai.baseURL } : {}),
      model: config.openai.model,
      timeoutMs: config.openai.timeoutMs,
      getSystemPrompt: (city) => prompts.get(city) ?? '',
      getCallSettings: ({ city, channel }) => botSettings.get(city, channel),
      onUsage: (usage) => {
        metrics.modelLatency.observe({ kind: usage.op }, usage.latencyMs / 1000);
        if (usage.fallback) metrics.modelFallbacks.inc({ reason: usage.fallback.slice(0, 40) });
        records.analytics.add([{ name: 'model_call', address: { channel: 'web', city: usage.city ?? config.defaultCity, chatId: '-' }, conversationKey: '-', props: { ...usage }, at: clock() }]);
      },
    });
    // the scenario's limits.modelCallsPerDay, counted in the shared state store per city and local day
    const modelBudget = dailyModelBudget({
      limiter: state.rateLimiter,
      timeZoneOf: (city) => cities.bySlug(city)?.timezone,
      now: clock,
      onCall: (city, kind) => metrics.modelCalls.inc({ city, kind }),
      onExhausted: (city, kind) => metrics.modelBudgetExhausted.inc({ city, kind }),
    });
    const aiPorts = runtimeAiPorts(ai, config.openai.apiKey ? { budget: modelBudget } : {});

    const records = recordWriters(db, cities, log);
    closers.push(() => records.close());

    const ocr = overrides.ocr === false ? null : new TesseractOcr({ log, poolSize: config.ocrWorkers });
    if (ocr) closers.push(() => ocr.close());

    const catalog = catalogPort(database, cities, (total) => metrics.searches.inc({ outcome: total > 0 ? 'results' : 'zero' }));

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
      sendQueue = await createProactiveSendQueue(
        config.redisUrl
          ? { redisUrl: config.redisUrl, ...(overrides.keyPrefix ? { keyPrefix: overrides.keyPrefix } : {}) }
          : { db, ...(overrides.keyPrefix ? { namespace: overrides.keyPrefix } : {}) },
      );
      closers.push(() => sendQueue!.close());
      whatsapp = new WhatsAppChannel({
        client: new GraphClient({ token: config.whatsapp.token, ...(config.whatsapp.apiBase ? { apiBase: config.whatsapp.apiBase } : {}), version: config.whatsapp.apiVersion }),
        numbers,
        window,
        // a late 131047 status may reach any replica: proactive batches are remembered in shared state
        sent: stateSentBatchStore(state.snapshots),
        queue: sendQueue,
        // paces every message at the number's limit across replicas; the queue paces batches
        throttle: rateLimitedThrottle(state.rateLimiter),
        // WhatsApp fetches images itself: public PNG links only (the demo's SVGs have PNG twins)
        ...(config.publicBaseUrl ? { mediaUrl: (url: string) => (url.startsWith('/') ? `${config.publicBaseUrl}${url.replace(/\.svg$/, '.png')}` : url) } : {}),
        clock,
        log,
      });
    }

    // channels are put together below; media is only fetched once a turn runs
    const fetchShopperMedia = (address: ConversationAddress, ref: string) => {
      const channel = channels[address.channel];
      if (!channel) throw new Error(`no channel ${address.channel}`);
      return channel.fetchMedia(address, ref);
    };
    const escalations = new EscalationService({
      db,
      pubsub: state.pubsub,
      media: new EscalationMediaKeeper(db, { fetch: fetchShopperMedia, storeChannels: ['whatsapp'], maxBytes: config.escalationMedia.maxBytes }, log),
      deliver: (address, messageId, event) => runtime.deliver(address, messageId, event),
      notifiers: [telegramManagerNotifier(telegram.notifier)],
      clock,
      log,
    });
    telegram.onManagerAction((action) =>
      escalations.recordExternal({ escalationId: action.escalationId, action: action.action, ...(action.text ? { text: action.text } : {}), ...(action.managerName ? { managerName: action.managerName } : {}) }),
    );

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

    const active = new ActiveConversations();
    const channelOf = (key: string) => key.slice(0, key.indexOf(':'));
    runtime.onTurn((report) => {
      const channel = channelOf(report.conversationKey);
      metrics.messages.inc({ channel, direction: 'in' });
      if (report.replies.length > 0) metrics.messages.inc({ channel, direction: 'out' }, report.replies.length);
      if (report.latencyMs !== undefined) metrics.turnDuration.observe({ channel }, report.latencyMs / 1000);
      if (report.rateLimited) metrics.rateLimitedMessages.inc({ channel });
      active.touch(report.conversationKey, Date.now());
    });
    runtime.onFailure((key) => metrics.turnErrors.inc({ channel: channelOf(key) }));
    metrics.onCollect(() => metrics.activeConversations.set(active.count(Date.now())));
    metrics.onCollect(async () => {
      metrics.queueDepth.set({ queue: 'inbox_conversations' }, await runtime.pendingConversations().catch(() => -1));
      metrics.queueDepth.set({ queue: 'turn_slot_waiting' }, runtime.waitingConversations());
      metrics.queueDepth.set({ queue: 'analytics_buffer' }, records.analytics.pending);
      metrics.queueDepth.set({ queue: 'record_outbox' }, await runtime.pendingRecords().catch(() => -1));
    });

    const deliverAlerts = (triggered: Parameters<typeof deliverTriggeredAlerts>[1]) => deliverTriggeredAlerts({ db, runtime, clock, log }, triggered);

    // ---- HTTP ----
    const app = new Hono();
    app.onError((error, c) => {
      if (error instanceof HTTPException) {
        const res = error.getResponse();
        if (res.headers.get('content-type')?.includes('json')) return res;
        return c.json({ error: { code: String(error.status), message: error.message } }, error.status);
      }
      if (isUnavailable(error)) {
        log.warn({ err: (error as Error).message, path: c.req.path }, 'storage unavailable');
        return c.json({ error: { code: 'unavailable', message: 'storage is temporarily unavailable, retry shortly' } }, 503, { 'Retry-After': '2' });
      }
      log.error({ err: error instanceof Error ? (error.stack ?? error.message) : String(error), path: c.req.path }, 'request failed');
      return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
    });
    app.use('*', requestId());
    app.use('*', rejectMalformedPaths);
    app.use('*', async (c, next) => {
      const started = performance.now();
      await next();
      const route = c.req.routePath ?? c.req.path;
      const ms = performance.now() - started;
      metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
      metrics.httpDuration.observe({ method: c.req.method, route }, ms / 1000);
      // every failure and every slow request is logged with its id; the rest only at debug level
      const entry = { requestId: c.get('requestId'), method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(ms) };
      if (c.res.status >= 500 || ms > 1_000) log.warn(entry, 'request');
      else if (c.res.status >= 400) log.info(entry, 'request');
      else (log as { debug?: (o: object, m: string) => void }).debug?.(entry, 'request');
    });
    app.route('/', healthRoutes({ db, state, metrics, role: config.role, ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}) }));
    app.route('/media', mediaRoutes(db, { pictures, rateLimit: { limiter: state.rateLimiter, perMinute: config.mediaRateLimitPerMinute, trustProxy: config.admin.trustProxy } }));
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
      const chat = chatRoutes({ runtime, cityExists: async (slug) => Boolean(await cities.resolve(slug)), uploads, clock, log });
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
          // a bot saved in the panel gets its webhook at once; the claim lets one replica register a change
          ...(config.publicBaseUrl?.startsWith('https://') ? {
            onTelegramBotSaved: async (change) => {
              const after = change.after && { token: change.after.token, secret: change.after.webhookSecret ?? config.telegram.webhookSecret ?? deriveWebhookSecret(change.after.token) };
              const reports = await syncCityWebhook({ city: change.city, ...(change.before ? { before: change.before } : {}), ...(after ? { after } : {}) }, {
                publicBaseUrl: config.publicBaseUrl!, ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
                claim: (key) => state.idempotency.claim(key, 60),
              });
              for (const r of reports) (r.ok ? log.info : log.warn).call(log, { city: r.city, detail: r.detail }, r.ok ? 'telegram webhook updated' : 'telegram webhook not updated');
            },
          } : {}),
          options: { rateLimitPerMinute: config.admin.rateLimitPerMinute, chatRateLimitPerMinute: config.admin.chatRateLimitPerMinute, corsOrigins: config.admin.corsOrigins, trustProxy: config.admin.trustProxy, secureCookies: config.admin.secureCookies },
          clock,
          log,
        }),
      );
      app.route('/admin', adminStatic(join(ROOT_DIR, 'admin', 'dist')));
      app.get('/', (c) => c.redirect('/admin/'));
    }

    // ---- background work ----
    let periodic: PeriodicJobs | undefined;
    let unsubscribe: (() => Promise<void>) | undefined;
    let reloading = Promise.resolve();
    const reloadAll = async (kind?: string) => {
      if (!kind || kind === 'catalog') catalog.invalidate();
      if (kind === 'catalog') return;
      await cities.reload();
      await reloadAssignments(db, cities, scenarioAssignments);
      if (!kind || kind === 'scenario' || kind === 'botConfig') await scenarios.reload();
      if (!kind || kind === 'prompt' || kind === 'city') await reloadPrompts();
      if (!kind || kind === 'botConfig' || kind === 'city') await botSettings.reload();
      if (!kind || kind === 'botConfig') {
        numbers.invalidate();
        await telegram.reload();
      }
    };
    await reloadAssignments(db, cities, scenarioAssignments);

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
        unsubscribe = await state.pubsub.subscribe(RELOAD_CHANNEL, (message) => {
          let kind: string | undefined;
          try {
            kind = (JSON.parse(message) as { kind?: string }).kind;
          } catch {
            kind = undefined;
          }
          // one reload after another: a slow one started before a save must not finish after, and undo, the next
          reloading = reloading.then(() => reloadAll(kind)).catch((error: unknown) => log.error({ err: String(error) }, 'hot reload failed'));
        });
        if (serves(config.role, 'worker')) {
          await runtime.startTimers();
          const recovered = await runtime.recover();
          if (recovered > 0) log.info({ conversations: recovered }, 'resumed conversations with unanswered messages');
          periodic = await createPeriodicJobs(config.redisUrl ? { redisUrl: config.redisUrl, ...(overrides.keyPrefix ? { keyPrefix: overrides.keyPrefix } : {}) } : {});
          await periodic.every('price-alert-sweep', overrides.alertSweepMs ?? 10 * 60_000, async () => {
            const delivered = await sweepAndDeliver({ db, runtime, clock, log });
            if (delivered > 0) log.info({ delivered }, 'price-alert sweep delivered notifications');
          });
          await periodic.every('housekeeping', 60 * 60_000, async () => {
            const removed = await deleteExpiredRefreshTokens(db, new Date(clock().getTime() - 24 * 3600_000));
            if (removed > 0) log.info({ removed }, 'expired refresh tokens removed');
            const uploadsRemoved = await uploads.purgeExpired();
            if (uploadsRemoved > 0) log.info({ removed: uploadsRemoved }, 'expired web chat uploads removed');
            const dropped = await dropStoredMediaBefore(db, new Date(clock().getTime() - config.escalationMedia.retentionDays * 24 * 3600_000));
            if (dropped > 0) log.info({ dropped }, 'escalation media past retention dropped');
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

/**
 * A fresh demo install has no ADMIN_EMAIL: make an owner with a random password, say it once in
 * the log and keep it in DATA_DIR so the panel can be opened right after `npm start`.
 */
async function bootstrapDemoOwner(db: OpenedDatabase['db'], dataDir: string, log: Logger): Promise<void> {
  const email = 'admin@zeta.local';
  const password = randomBytes(9).toString('base64url');
  const { created } = await bootstrapOwner(db, email, password);
  if (!created) return;
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'admin-credentials.txt');
  writeFileSync(file, `${email}\n${password}\n`, { mode: 0o600 });
  log.info({ email, file }, `demo owner created — log in at /admin/ as ${email} with the password in ${file}`);
}

async function reloadAssignments(db: OpenedDatabase['db'], cities: CityDirectory, into: Map<string, string>): Promise<void> {
  const configs = await listBotConfigs(db);
  into.clear();
  for (const config of configs) {
    const city = cities.byId(config.cityId);
    if (city && config.scenarioId) into.set(`${config.channel}:${city.slug}`, config.scenarioId);
  }
}


