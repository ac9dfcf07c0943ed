import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/db/types.ts';
import type { PubSub, RateLimiter } from '../../storage/state/types.ts';
import type { ConversationState } from '../../storage/taxonomy/conversations.ts';
import type { TriggeredAlert } from '../../storage/repos/alerts.ts';
import type { DeadLetter } from '../../storage/repos/deadLetters.ts';
import type { DraftSpace } from '../playground/draftSpace.ts';
import type { EscalationService } from '../escalations/service.ts';
import type { PaymentService } from '../payments/service.ts';
import type { ScenarioRegistry } from '../scenarios/registry.ts';
import type { Logger } from '../runtime/ports.ts';
import type { Ctx } from './http/route.ts';
import type { SecretBox } from '../../storage/secrets.ts';

export type AdminApiOptions = {
  /** requests per minute per client IP (default 100) */
  rateLimitPerMinute?: number;
  /** playground messages per minute per API token, or per user for panel sessions (default 300) */
  chatRateLimitPerMinute?: number;
  /** origins allowed to call with credentials; empty → same-origin only (default []) */
  corsOrigins?: readonly string[];
  /** JSON bodies (default 1 MB); the catalog import has its own limit */
  maxBodyBytes?: number;
  /** catalog import bodies (default 20 MB) */
  maxImportBytes?: number;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /**
   * a refresh token spent this recently may be presented again while its login is alive (two tabs
   * refreshing with one cookie at once) and gets a sibling token; later it revokes the login (default 30)
   */
  refreshReuseGraceSeconds?: number;
  invitationTtlSeconds?: number;
  /** bcrypt cost (default 10; tests use 4) */
  bcryptRounds?: number;
  /** take the client IP from X-Forwarded-For (behind Azure's ingress or another proxy) */
  trustProxy?: boolean;
  /** SSE keep-alive comment interval (default 15 s) */
  sseKeepAliveMs?: number;
  /** session cookies are always Secure, whatever protocol the request came in with (production; default false) */
  secureCookies?: boolean;
};

export type AdminApiDeps = {
  db: Kysely<Database>;
  /**
   * the state backend's pub/sub (hot reload, live escalations) and rate limiter; with its snapshots
   * and locks, a category merge also rewrites the criteria persisted conversations remember
   */
  state: { pubsub: PubSub; rateLimiter: RateLimiter } & Partial<ConversationState>;
  jwtSecret: string;
  escalations: EscalationService;
  /** the running scenarios (files + database edits); list/get read it, the platform reloads it on `zeta:reload` */
  scenarios?: ScenarioRegistry;
  /** where the shipped scenario files live, to show their YAML (default: none) */
  scenarioDir?: string;
  /** the playground: the web host's routes (`createWebHost(runtime, …).routes`) — mounted at /api/chat behind designer+ auth */
  chat?: Hono;
  /** the playground's draft space (`DraftSpace`): unsaved scenarios, simulated effects — mounted at /api/chat/:city/draft */
  drafts?: Pick<DraftSpace, 'routes' | 'stage' | 'simulated'>;
  /** a price drop or restock triggered alerts; the platform delivers `price.dropped` to each shopper */
  onPriceDrop?: (alerts: TriggeredAlert[]) => Promise<unknown> | unknown;
  /** an order's status changed (a manager, a manual payment): the platform tells the shopper */
  onOrderChanged?: () => Promise<unknown> | unknown;
  /**
   * enqueues a dead letter's message again (under `messageId`) through the conversation runtime;
   * without it the panel lists dead letters but cannot retry them
   */
  retryDeadLetter?: (letter: DeadLetter, messageId: string) => Promise<'accepted' | 'duplicate'>;
  /** starts payments for orders (a link from the city's providers, or the manual Kaspi instructions) */
  payments?: PaymentService;
  /** a city's Telegram bot was saved (the platform registers or removes its webhook); awaited, failures only logged */
  onTelegramBotSaved?: (change: TelegramBotSaved) => Promise<unknown>;
  /** seals bot tokens and webhook secrets before they are stored (SECRETS_KEY); default: stored as given */
  secrets?: SecretBox;
  options?: AdminApiOptions;
  clock?: () => Date;
  log?: Logger;
  /** override how the client IP is found (tests, unusual proxies) */
  clientIp?: (c: Ctx) => string | undefined;
};

/** the Telegram bot of a city before and after a save in the panel (tokens in clear: never logged) */
export type TelegramBotSaved = {
  city: string;
  before?: { token: string };
  after?: { token: string; webhookSecret?: string };
};

export type ResolvedOptions = Required<Omit<AdminApiOptions, 'corsOrigins'>> & { corsOrigins: readonly string[] };

export function resolveOptions(o: AdminApiOptions = {}): ResolvedOptions {
  return {
    rateLimitPerMinute: o.rateLimitPerMinute ?? 100,
    chatRateLimitPerMinute: o.chatRateLimitPerMinute ?? 300,
    corsOrigins: o.corsOrigins ?? [],
    maxBodyBytes: o.maxBodyBytes ?? 1024 * 1024,
    maxImportBytes: o.maxImportBytes ?? 20 * 1024 * 1024,
    accessTokenTtlSeconds: o.accessTokenTtlSeconds ?? 15 * 60,
    refreshTokenTtlSeconds: o.refreshTokenTtlSeconds ?? 30 * 24 * 3600,
    refreshReuseGraceSeconds: o.refreshReuseGraceSeconds ?? 30,
    invitationTtlSeconds: o.invitationTtlSeconds ?? 7 * 24 * 3600,
    bcryptRounds: o.bcryptRounds ?? 10,
    trustProxy: o.trustProxy ?? false,
    sseKeepAliveMs: o.sseKeepAliveMs ?? 15_000,
    secureCookies: o.secureCookies ?? false,
  };
}
