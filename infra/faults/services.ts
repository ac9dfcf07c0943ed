import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';
import { sleep } from './harness.ts';

/**
 * Stopping and starting the machine's PostgreSQL and Redis — only for `npm run test:faults`,
 * which runs alone (other test files use these servers). Every suite calls `servicesUp()` in
 * afterAll, so the services are back whatever happened.
 */

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const pgVersion = () => readdirSync('/etc/postgresql')[0]!;

export function pgCtl(action: 'start' | 'stop'): void {
  execFileSync(
    'pg_ctlcluster',
    ['--skip-systemctl-redirect', pgVersion(), 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])],
    { stdio: 'ignore' },
  );
}

export async function pgReady(timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 1_000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      await c.end();
      return true;
    } catch {
      await c.end().catch(() => undefined);
      await sleep(250);
    }
  }
  return false;
}

const redisCli = (...args: string[]) =>
  execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', ...args], { encoding: 'utf8' }).trim();

export async function redisReady(timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (redisCli('ping') === 'PONG') return true;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  return false;
}

/**
 * Restarts Redis with its append-only file on — as production runs it (infra/compose.yaml) —
 * so what was acknowledged before the restart is there after it. The machine's Redis runs
 * without persistence; AOF is switched on (and rewritten) first and off again afterwards.
 */
export async function restartRedisDurably(downMs: number): Promise<void> {
  const dir = redisCli('config', 'get', 'dir').split('\n')[1]!;
  redisCli('config', 'set', 'appendonly', 'yes');
  for (let i = 0; i < 200; i++) {
    const info = redisCli('info', 'persistence');
    if (/aof_enabled:1/.test(info) && /aof_rewrite_in_progress:0/.test(info) && !/aof_rewrite_scheduled:1/.test(info))
      break;
    await sleep(50);
  }
  try {
    redisCli('shutdown');
  } catch {
    // the connection drops as the server exits
  }
  await sleep(downMs);
  execFileSync(
    'redis-server',
    ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'yes', '--dir', dir],
    { stdio: 'ignore' },
  );
  if (!(await redisReady())) throw new Error('redis did not come back');
  // loading the AOF may take a moment
  for (let i = 0; i < 100 && /loading:1/.test(redisCli('info', 'persistence')); i++) await sleep(50);
}

/** Both services running, Redis in the machine's usual mode (no persistence). */
export async function servicesUp(): Promise<void> {
  if (!(await pgReady(2_000))) {
    try {
      pgCtl('start');
    } catch {
      // already starting
    }
    await pgReady(60_000);
  }
  if (!(await redisReady(1_000))) {
    execFileSync(
      'redis-server',
      ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await redisReady();
  }
  try {
    redisCli('config', 'set', 'appendonly', 'no');
  } catch {
    // best effort
  }
}

export async function freshDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await c.end();
    },
  };
}

/** deletes a whole Redis database index the suite owns */
export async function flushRedisDb(index: number): Promise<void> {
  const r = new Redis(`redis://127.0.0.1:6379/${index}`, { maxRetriesPerRequest: 1 });
  try {
    await r.flushdb();
  } finally {
    r.disconnect();
  }
}
