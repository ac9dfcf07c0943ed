import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { sql, type Kysely } from 'kysely';
import type { StateBackend } from '../../storage/state/types.ts';
import type { Metrics } from './metrics.ts';

type Check = { ok: boolean; ms: number; error?: string };

async function timed(run: () => Promise<unknown>, timeoutMs: number): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      ms: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `Authorization: Bearer <token>`, compared in constant time */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/**
 * `/ping` says the process is up; `/health` says it can do its job (database and state store
 * answer) — 503 otherwise, so a load balancer stops sending traffic. Both only read: probes call
 * them every few seconds on every replica. `/metrics` for Prometheus, behind `metricsToken` when
 * set (it shows which admin routes are used, and how often).
 */
export function healthRoutes(deps: {
  db: Kysely<any>;
  state: StateBackend;
  metrics: Metrics;
  role: string;
  timeoutMs?: number;
  metricsToken?: string;
}): Hono {
  const app = new Hono();
  const timeoutMs = deps.timeoutMs ?? 2_000;
  app.get('/ping', (c) => c.text('pong'));
  app.get('/health', async (c) => {
    const [database, state] = await Promise.all([
      timed(() => sql`select 1`.execute(deps.db), timeoutMs),
      timed(() => deps.state.snapshots.read('health-probe'), timeoutMs),
    ]);
    const ok = database.ok && state.ok;
    return c.json(
      {
        status: ok ? 'ok' : 'degraded',
        role: deps.role,
        checks: { database, [deps.state.kind === 'redis' ? 'redis' : 'state']: state },
      },
      ok ? 200 : 503,
    );
  });
  app.get('/metrics', async (c) => {
    if (deps.metricsToken !== undefined && !bearerMatches(c.req.header('authorization'), deps.metricsToken)) {
      return c.json(
        { error: { code: 'unauthorized', message: 'send METRICS_TOKEN as Authorization: Bearer <token>' } },
        401,
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    c.header('Content-Type', deps.metrics.registry.contentType);
    return c.body(await deps.metrics.render());
  });
  return app;
}
