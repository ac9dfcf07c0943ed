import type { Hono } from 'hono';
import type { DatabaseKind } from '../../storage/db/open.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { memoryPubSub } from '../../storage/state/embedded/pubsub.ts';
import { memoryRateLimiter } from '../../storage/state/embedded/rate-limiter.ts';
import { memoryLocks } from '../../storage/state/embedded/locks.ts';
import { dbSnapshots } from '../../storage/state/embedded/snapshots.ts';
import type { SystemEvent } from '../../engine/events.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { EscalationMediaKeeper } from '../escalations/media.ts';
import { EscalationService } from '../escalations/service.ts';
import { createAdminApi } from './api.ts';
import type { AdminApiDeps, AdminApiOptions } from './deps.ts';
import { USER_ROLES, type UserRole } from './auth/roles.ts';
import { hashPassword } from './auth/passwords.ts';
import { signAccessToken } from './auth/tokens.ts';
import { insertUser, type User } from './store/users.ts';
import type { AdminEnv } from './http/route.ts';

export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789';
export const TEST_PASSWORD = 'correct horse battery';

export type Delivered = { address: ConversationAddress; messageId: string; event: SystemEvent };

/** A real admin API on a fresh database (PGlite or PostgreSQL), one user per role, bearer tokens ready. */
export type AdminHarness = {
  t: TestDatabase;
  app: Hono<AdminEnv>;
  deps: AdminApiDeps;
  pubsub: ReturnType<typeof memoryPubSub>;
  delivered: Delivered[];
  users: Record<UserRole, User>;
  tokens: Record<UserRole, string>;
  /** app.request with JSON body and bearer auth for a role (or anonymous) */
  call(
    method: string,
    path: string,
    opts?: { as?: UserRole; body?: unknown; headers?: Record<string, string>; raw?: string; ip?: string },
  ): Promise<Response>;
  close(): Promise<void>;
};

export async function createAdminHarness(
  kind: DatabaseKind,
  extra: {
    options?: AdminApiOptions;
    deps?: Partial<AdminApiDeps>;
    media?: (db: TestDatabase['db']) => EscalationMediaKeeper;
  } = {},
): Promise<AdminHarness> {
  const t = await createTestDatabase(kind);
  const pubsub = memoryPubSub();
  const rateLimiter = memoryRateLimiter();
  // conversations persisted in the test database, as the embedded backend keeps them
  const snapshots = dbSnapshots(t.db as never, 'zeta:');
  const locks = memoryLocks();
  const delivered: Delivered[] = [];
  const escalations = new EscalationService({
    db: t.db,
    pubsub,
    deliver: async (address, messageId, event) => void delivered.push({ address, messageId, event }),
    ...(extra.media ? { media: extra.media(t.db) } : {}),
  });
  const deps: AdminApiDeps = {
    db: t.db,
    state: { pubsub, rateLimiter, snapshots, locks },
    jwtSecret: TEST_SECRET,
    escalations,
    options: { bcryptRounds: 4, trustProxy: true, rateLimitPerMinute: 100_000, ...extra.options },
    ...extra.deps,
  };
  const app = createAdminApi(deps);
  const hash = await hashPassword(TEST_PASSWORD, 4);
  const users = {} as Record<UserRole, User>;
  const tokens = {} as Record<UserRole, string>;
  for (const role of USER_ROLES) {
    users[role] = await insertUser(t.db, { email: `${role}@zeta.test`, name: `The ${role}`, role, passwordHash: hash });
    tokens[role] = await signAccessToken(
      TEST_SECRET,
      { sub: users[role].id, role, email: users[role].email },
      new Date(),
      900,
    );
  }
  return {
    t,
    app,
    deps,
    pubsub,
    delivered,
    users,
    tokens,
    call: (method, path, opts = {}) => {
      const headers: Record<string, string> = { 'x-forwarded-for': opts.ip ?? '10.0.0.1', ...opts.headers };
      if (opts.as) headers.authorization = `Bearer ${tokens[opts.as]}`;
      let body: string | undefined = opts.raw;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      return Promise.resolve(app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) }));
    },
    close: async () => {
      pubsub.close();
      rateLimiter.close();
      locks.close();
      await t.close();
    },
  };
}

/** cookies from Set-Cookie headers, as a Cookie header value */
export function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    out[pair!.slice(0, eq)] = decodeURIComponent(pair!.slice(eq + 1));
  }
  return out;
}
export const cookieHeader = (cookies: Record<string, string>): string =>
  Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
