import { Redis, type RedisOptions } from 'ioredis';
import { StateUnavailableError } from '../errors.ts';

export type RedisTuning = {
  /** a command that got no answer within this many ms fails (never hang forever) */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
};

/**
 * Production settings: a short offline queue so a blip during reconnect is absorbed, but every
 * command is bounded by `commandTimeout`, so a dead Redis turns into StateUnavailableError fast.
 */
export function redisOptions(tuning: RedisTuning = {}): RedisOptions {
  return {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    commandTimeout: tuning.commandTimeoutMs ?? 2_000,
    connectTimeout: tuning.connectTimeoutMs ?? 2_000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    enableAutoPipelining: true,
    lazyConnect: false,
  };
}

/**
 * Where a Redis URL points: `redis://[user:pass@]host:port/db`, `rediss://…` (TLS), or
 * `redis+unix:///run/redis/redis.sock?db=2[&password=…]` — a Redis on this host through its Unix socket,
 * which spares every round trip the TCP loopback.
 */
export function redisTarget(url: string): RedisOptions {
  const problem = redisUrlProblem(url);
  if (problem) throw new TypeError(`not a Redis URL (${problem}): ${url.replace(/\/\/[^@/]*@/, '//***@')}`);
  const parsed = new URL(url);
  const auth = {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
  if (parsed.protocol === 'redis+unix:') {
    // a URL with credentials needs a host, so a socket's password travels as `?password=`
    const db = Number(parsed.searchParams.get('db') ?? 0);
    const password = parsed.searchParams.get('password');
    return {
      path: decodeURIComponent(parsed.pathname),
      db: Number.isInteger(db) && db >= 0 ? db : 0,
      ...(password ? { password } : {}),
    };
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...auth,
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    db: Number.isFinite(db) ? db : 0,
  };
}

/** why `url` cannot name a Redis (undefined when it can): ioredis would quietly use 127.0.0.1 instead */
export function redisUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol === 'redis+unix:') return parsed.pathname.length > 1 ? undefined : 'no socket path';
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    return `${parsed.protocol} is not redis:, rediss: or redis+unix:`;
  return parsed.hostname ? undefined : 'no host';
}

export function openRedis(url: string, tuning: RedisTuning = {}, extra: RedisOptions = {}): Redis {
  const options = { ...redisOptions(tuning), ...extra };
  const target = redisTarget(url);
  const client = target.path ? new Redis({ ...target, ...options }) : new Redis(url, options);
  // ioredis emits 'error' on every failed reconnect; without a listener Node would crash.
  client.on('error', () => {});
  return client;
}

/** Connection settings for BullMQ, which builds its own clients (blocking ones need other options). */
export function bullConnection(url: string, tuning: RedisTuning = {}): RedisOptions {
  return {
    ...redisTarget(url),
    connectTimeout: tuning.connectTimeoutMs ?? 2_000,
    retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
  };
}

/** Script errors are our bugs and stay as they are; everything else means "Redis unavailable". */
function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}

/**
 * Runs Redis calls, turning any failure but a script error into StateUnavailableError. Calls on a
 * client from `openRedis` need no deadline here: each of their commands is bounded by the client's
 * `commandTimeout`, and a per-call timer would cost a setTimeout and a promise race on every
 * command of every turn. Calls that may wait unbounded (BullMQ waiting for its connection, a
 * subscription) pass `timeoutMs`.
 */
export async function guard<T>(what: string, run: () => Promise<T>, timeoutMs?: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    if (timeoutMs === undefined) return await run();
    return await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new StateUnavailableError(`redis: ${what} timed out after ${timeoutMs} ms`)),
          timeoutMs,
        );
        timer.unref();
      }),
    ]);
  } catch (error) {
    if (error instanceof StateUnavailableError || isReplyError(error)) throw error;
    throw new StateUnavailableError(
      `redis: ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  } finally {
    if (timer) clearTimeout(timer);
  }
}
