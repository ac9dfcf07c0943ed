import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ensureStateTables } from '../../storage/state/contract/tables.ts';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';

/*
 * Conversation-state micro-benchmark: the per-turn state operations on each backend.
 *   npm run bench -- state        (BENCH_N=2000 operations per case)
 * Sequential latency (p50/p99) and throughput, then throughput with 16 conversations in parallel.
 */

type Row = { backend: string; op: string; mode: string; n: number; opsPerSec: number; p50: number; p99: number };

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function measure(n: number, parallel: number, op: (i: number, worker: number) => Promise<void>) {
  const samples: number[] = new Array(n);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async (_, worker) => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        await op(i, worker);
        samples[i] = performance.now() - t;
      }
    }),
  );
  const elapsed = performance.now() - start;
  samples.sort((a, b) => a - b);
  return { opsPerSec: (n / elapsed) * 1000, p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}

async function benchBackend(name: string, state: StateBackend, n: number): Promise<Row[]> {
  const rows: Row[] = [];
  const run = `${Date.now().toString(36)}`;
  const snapshot = JSON.stringify({
    value: { browsing: 'results' },
    context: { city: 'almaty', page: 2, lastQuery: 'диван серый' },
  });
  for (const [mode, parallel] of [
    ['sequential', 1],
    ['16 parallel', 16],
  ] as const) {
    // each parallel worker is one conversation, as the per-conversation lock would arrange
    // warm-up so connections, scripts and prepared paths exist
    for (let i = 0; i < 50; i++) await state.snapshots.read(`warm:${i}`);

    const snap = await measure(n, parallel, async (_i, w) => {
      const key = `bench:${run}:${mode}:snap:${w}`;
      const current = await state.snapshots.read(key);
      const result = await state.snapshots.write(key, snapshot, current?.version ?? 0, 3600);
      if (!result.ok) throw new Error('unexpected CAS conflict in benchmark');
    });
    rows.push({ backend: name, op: 'snapshot read + CAS write', mode, n, ...snap });

    const lock = await measure(n, parallel, async (_i, w) => {
      const lease = await state.locks.acquire(`bench:${run}:${mode}:lock:${w}`, 10_000, 10_000);
      if (!lease) throw new Error('lock not granted');
      await lease.release();
    });
    rows.push({ backend: name, op: 'lock acquire + release', mode, n, ...lock });

    const inbox = await measure(n, parallel, async (i, w) => {
      const conv = `bench:${run}:${mode}:inbox:${w}`;
      const id = `u${i}`;
      if ((await state.inbox.accept(conv, { id, payload: '{"text":"покажи диваны"}' })) !== 'accepted')
        throw new Error('dup');
      await state.inbox.ack(conv, id);
    });
    rows.push({ backend: name, op: 'inbox accept + ack', mode, n, ...inbox });
  }
  return rows;
}

async function withRedis<T>(fn: (state: StateBackend) => Promise<T>): Promise<T> {
  const keyPrefix = `zb:${randomUUID().slice(0, 8)}:`;
  const state = await createStateBackend({ redisUrl: REDIS_URL, keyPrefix });
  try {
    return await fn(state);
  } finally {
    await state.close();
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

async function withPGlite<T>(fn: (state: StateBackend) => Promise<T>): Promise<T> {
  const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite: new PGlite() }) });
  await ensureStateTables(db);
  const state = await createStateBackend({ db });
  try {
    return await fn(state);
  } finally {
    await state.close();
    await db.destroy();
  }
}

async function withPostgres<T>(fn: (state: StateBackend) => Promise<T>): Promise<T> {
  const name = `zeta_bench_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 16 });
  pool.on('error', () => {}); // an idle client dropped by the server must not crash the bench
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    await ensureStateTables(db);
    await sql`select 1`.execute(db);
    const state = await createStateBackend({ db });
    try {
      return await fn(state);
    } finally {
      await state.close();
    }
  } finally {
    await db.destroy();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

export async function runStateBench(
  options: { n?: number; backends?: ('redis' | 'pglite' | 'postgres')[] } = {},
): Promise<Row[]> {
  const n = options.n ?? Number(process.env.BENCH_N ?? 2000);
  const wanted = options.backends ?? ['redis', 'pglite', 'postgres'];
  const rows: Row[] = [];
  const cases = [
    ['redis', 'redis', withRedis],
    ['pglite', 'embedded/PGlite', withPGlite],
    ['postgres', 'embedded/PostgreSQL', withPostgres],
  ] as const;
  for (const [id, label, open] of cases) {
    if (!wanted.includes(id)) continue;
    try {
      rows.push(...(await open((state) => benchBackend(label, state, n))));
    } catch (error) {
      console.error(`${label}: skipped (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  console.log(`state bench, n=${n} per case`);
  console.table(
    rows.map((r) => ({
      backend: r.backend,
      op: r.op,
      mode: r.mode,
      'ops/s': Math.round(r.opsPerSec),
      'p50 ms': r.p50.toFixed(3),
      'p99 ms': r.p99.toFixed(3),
    })),
  );
  return rows;
}
