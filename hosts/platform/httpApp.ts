import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { OpenedDatabase } from '../../storage/db/open.ts';
import type { SecretBox } from '../../storage/secrets.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import { createAdminApi } from '../admin/index.ts';
import type { ChannelHost } from '../channel/host.ts';
import type { EscalationService } from '../escalations/index.ts';
import type { DraftSpace } from '../playground/draftSpace.ts';
import type { Logger } from '../runtime/ports.ts';
import { onecAfterApply, onecRoutes } from '../onec/index.ts';
import { paymentRoutes, type PaymentService } from '../payments/index.ts';
import type { ScenarioRegistry } from '../scenarios/index.ts';
import type { CityDirectory } from './cities.ts';
import type { PlatformConfig, Role } from './config.ts';
import { healthRoutes } from './health.ts';
import { accessLog, renderError } from './httpMiddleware.ts';
import { mediaRoutes } from './media.ts';
import type { Metrics } from './metrics.ts';
import { rejectMalformedPaths } from './paths.ts';
import type { PlaceholderPictures } from './placeholder.ts';
import { ROOT_DIR } from './root.ts';
import { adminStatic } from './static.ts';
import { telegramWebhookOnSave } from './telegramWebhookOnSave.ts';

export const serves = (role: Role, part: 'api' | 'telegram' | 'whatsapp' | 'worker') => role === 'all' || role === part;

export type HttpParts = {
  config: PlatformConfig;
  database: OpenedDatabase;
  state: StateBackend;
  metrics: Metrics;
  pictures: PlaceholderPictures;
  cities: CityDirectory;
  /** every channel's routes; each is served by the role of its name, the web chat inside the API */
  channels: { telegram: ChannelHost; whatsapp: ChannelHost | undefined; web: ChannelHost };
  /** the playground's draft space */
  drafts: DraftSpace;
  escalations: EscalationService;
  payments: PaymentService;
  scenarios: ScenarioRegistry;
  scenarioDir: string;
  secrets: SecretBox;
  onPriceDrop: Parameters<typeof createAdminApi>[0]['onPriceDrop'];
  /** an order's status changed: tell the shopper (orderNews.ts) */
  onOrderChanged?: () => Promise<unknown>;
  /** an admin retries a dead letter: its message is enqueued again (deadLetters.ts) */
  retryDeadLetter?: Parameters<typeof createAdminApi>[0]['retryDeadLetter'];
  clock: () => Date;
  log: Logger;
};

/** The role's HTTP app: middleware, health and media, the channels' webhooks, the admin API and panel. */
export function createHttpApp(p: HttpParts): Hono {
  const { config, state, metrics, log } = p;
  const db = p.database.db;
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
      pictures: p.pictures,
      rateLimit: {
        limiter: state.rateLimiter,
        perMinute: config.mediaRateLimitPerMinute,
        trustProxy: config.admin.trustProxy,
      },
    }),
  );
  if (serves(config.role, 'telegram')) app.route('/', p.channels.telegram.routes);
  if (serves(config.role, 'whatsapp') && p.channels.whatsapp) app.route('/', p.channels.whatsapp.routes);
  if (serves(config.role, 'api')) {
    app.route(
      '/api',
      createAdminApi({
        db,
        state,
        jwtSecret: config.admin.jwtSecret ?? randomBytes(32).toString('hex'),
        escalations: p.escalations,
        scenarios: p.scenarios,
        scenarioDir: p.scenarioDir,
        chat: p.channels.web.routes,
        drafts: p.drafts,
        ...(p.onPriceDrop ? { onPriceDrop: p.onPriceDrop } : {}),
        ...(p.onOrderChanged ? { onOrderChanged: p.onOrderChanged } : {}),
        ...(p.retryDeadLetter ? { retryDeadLetter: p.retryDeadLetter } : {}),
        payments: p.payments,
        secrets: p.secrets,
        ...telegramWebhookOnSave(config, state, log),
        options: {
          rateLimitPerMinute: config.admin.rateLimitPerMinute,
          chatRateLimitPerMinute: config.admin.chatRateLimitPerMinute,
          corsOrigins: config.admin.corsOrigins,
          trustProxy: config.admin.trustProxy,
          secureCookies: config.admin.secureCookies,
        },
        clock: p.clock,
        log,
      }),
    );
    // the retailer's 1C exchange; a price it lowers alerts shoppers the way a panel edit does
    const afterApply = onecAfterApply({ db, pubsub: state.pubsub, deliver: async (t) => p.onPriceDrop?.(t), log });
    app.route(
      '/1c',
      onecRoutes({
        db,
        config: config.onec,
        cities: p.cities,
        afterApply,
        ...(p.onOrderChanged ? { onOrderChanged: p.onOrderChanged } : {}),
        clock: p.clock,
        log,
      }),
    );
    // payment providers' webhooks and the page their checkout sends the shopper back to
    app.route('/', paymentRoutes({ payments: p.payments, clock: p.clock, log }));
    app.route('/admin', adminStatic(join(ROOT_DIR, 'admin', 'dist')));
    app.get('/', (c) => c.redirect('/admin/'));
  }
  return app;
}
