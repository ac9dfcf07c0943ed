import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_DIR } from '../../hosts/platform/root.ts';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../../hosts/platform/config.ts';
import { createPlatform, type Platform } from '../../hosts/platform/createPlatform.ts';
import { openDatabase } from '../../storage/db/open.ts';
import { listCities, updateCity } from '../../storage/repos/cities.ts';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import type { Plan, PhaseResult } from './harness/generator.ts';
import { fmt, LatencyRecorder, table } from './harness/latency.ts';
import { ProcessSampler, type ProcessSample } from './harness/process.ts';
import { countRoundTrips, perMessage, roundTrips, roundTripsSince, type RoundTrips } from './harness/roundTrips.ts';
import { DEFAULT_MIX } from './harness/shoppers.ts';
import { byTurnKind } from './harness/turnKinds.ts';

/*
 * Load benchmark: the real platform (createPlatform, all roles in one process, demo data, rules
 * brain) listening on 127.0.0.1, driven by simulated shoppers — searching, and some of them
 * buying: cart, the checkout's questions and orders placed through the real checkout port and
 * storage (paid on receipt or by a manager's Kaspi invoice, so no payment server) — over the real webhook paths —
 * Telegram Update JSON with the secret header to /webhooks/telegram/:city, signed WhatsApp
 * envelopes to /webhooks/whatsapp — from a separate generator process that also hosts the fake
 * Bot API and Graph API and stamps every reply. Once on PostgreSQL + Redis (fresh database,
 * own Redis DB index and key prefix), once on the embedded default (PGlite + in-process state).
 *
 *   npm run bench -- load
 *   BENCH_LOAD_BACKENDS=postgres,embedded   BENCH_LOAD_RATES=200,300,500,700,1000 (open-loop ladder, PostgreSQL)
 *   BENCH_LOAD_EMBEDDED_RATES=50,100,150   BENCH_LOAD_SECONDS=10 (per rate)
 *   BENCH_LOAD_CLOSED=5000 / BENCH_LOAD_EMBEDDED_CLOSED=2000 (closed-loop messages, 0 = skip)
 *   MAX_CONCURRENT_TURNS, DATABASE_POOL_SIZE, OCR_WORKERS: passed to the platform when set
 *   BENCH_LOAD_THINK=3 (s between a shopper's messages)   BENCH_LOAD_PG_POOL=30 (pg pool size; default: the platform's)
 *   BENCH_LOAD_PHOTO_SHARE=0.002 (sessions with a price-tag photo; OCR, reported separately)
 *   BENCH_LOAD_CART_SHARE=0.2, BENCH_LOAD_ORDER_SHARE=0.05 (sessions that add to the cart; that go on
 *     to place an order — 0,0 is the search-only mix of earlier runs)
 *   BENCH_LOAD_WARMUP_SECONDS (the second warm-up; default 10 think times with buyers in the mix, else 3)
 *   BENCH_LOAD_WA_STATUSES=sent,delivered (status webhooks posted back for every WhatsApp message the
 *     server sends, as the Cloud API does; '' = none, add `read` for shoppers who read everything)
 *   BENCH_LOAD_REPLICAS=1 (PostgreSQL + Redis only: this process plus N-1 child processes of the
 *     platform, sharing only the database and Redis; the generator spreads webhooks round-robin
 *     over them as a load balancer would)
 *
 * Numbers are printed, never asserted. The target: ≥ 1,000 messages/s sustained, p99 ≤ 50 ms.
 */

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/7';
const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// forked through tsx from their sources, whether this file runs from them or from dist/bench.mjs
const GENERATOR = join(ROOT_DIR, 'infra', 'bench', 'harness', 'generator.ts');
const REPLICA = join(ROOT_DIR, 'infra', 'bench', 'harness', 'replica.ts');

/** configuration a run may set in its environment to measure its effect (README, Configuration) */
const TUNING = ['MAX_CONCURRENT_TURNS', 'DATABASE_POOL_SIZE', 'OCR_WORKERS'] as const;

const TELEGRAM_SECRET = 'load-bench-secret';
const WHATSAPP_APP_SECRET = 'load-bench-app-secret';
const WHATSAPP_PHONE_ID = '100200300400';

export type LoadBackend = 'postgres' | 'embedded';

/** A process's name and CPU seconds from /proc (`children`: plus those of its reaped children); undefined once it ended. */
function procCpu(pid: number | string, children = false): { comm: string; seconds: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
    return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), seconds: ticks / 100 };
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by the machine's PostgreSQL and Redis processes (they share the 2 cores) */
export function serviceCpuSeconds(): { postgres: number; redis: number } {
  const out = { postgres: 0, redis: 0 };
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return out; // no /proc: reported as 0
  }
  for (const pid of pids) {
    // own time plus that of reaped children (backends whose connection closed mid-phase)
    const cpu = procCpu(pid, true);
    const kind = cpu?.comm.startsWith('postgres') ? 'postgres' : cpu?.comm.startsWith('redis') ? 'redis' : undefined;
    if (cpu && kind) out[kind] += cpu.seconds;
  }
  return out;
}
export type LoadResult = {
  backend: LoadBackend;
  replicas: number;
  phases: (PhaseResult & {
    server: ProcessSample;
    replicaCpu: number[];
    services: { postgres: number; redis: number };
    /** statements and commands this process sent to PostgreSQL and Redis over the phase */
    trips: RoundTrips;
    /** orders the phase placed (rows in the database) */
    orders: number;
  })[];
  startupS: number;
};

const env = (name: string, fallback: string) => process.env[name] ?? fallback;

/**
 * What one run offers: open-loop rates of `seconds` each, then `closed` messages back to back
 * (0 = none), on `replicas` processes, with price-tag photos in `photoShare` of the sessions.
 */
export type Ladder = {
  rates: number[];
  seconds: number;
  closed: number;
  replicas: number;
  photoShare: number;
  /** shares of sessions that add to the cart and that place an order; DEFAULT_MIX's when left out */
  cartShare?: number;
  orderShare?: number;
  /** the second warm-up phase; by default long enough for buyers to reach every checkout step (see plan) */
  warmupSeconds?: number;
};

function ladderFromEnv(backend: LoadBackend): Ladder {
  // the embedded default (PGlite in the server's own thread) is a laptop setup: a lower ladder
  const rates = (
    backend === 'embedded'
      ? env('BENCH_LOAD_EMBEDDED_RATES', '50,100,150')
      : env('BENCH_LOAD_RATES', '200,300,500,700,1000')
  )
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  return {
    rates,
    seconds: Number(env('BENCH_LOAD_SECONDS', '10')),
    closed:
      backend === 'embedded'
        ? Number(env('BENCH_LOAD_EMBEDDED_CLOSED', '2000'))
        : Number(env('BENCH_LOAD_CLOSED', '5000')),
    replicas: backend === 'postgres' ? Math.max(1, Number(env('BENCH_LOAD_REPLICAS', '1'))) : 1,
    photoShare: Number(env('BENCH_LOAD_PHOTO_SHARE', String(DEFAULT_MIX.photoShare))),
    cartShare: Number(env('BENCH_LOAD_CART_SHARE', String(DEFAULT_MIX.cartShare))),
    orderShare: Number(env('BENCH_LOAD_ORDER_SHARE', String(DEFAULT_MIX.orderShare))),
    ...(process.env.BENCH_LOAD_WARMUP_SECONDS ? { warmupSeconds: Number(process.env.BENCH_LOAD_WARMUP_SECONDS) } : {}),
  };
}

function plan(serverUrls: string[], ladder: Ladder): Plan {
  const { rates, seconds, closed, photoShare, cartShare, orderShare } = ladder;
  const mix = {
    ...DEFAULT_MIX,
    photoShare,
    ...(cartShare !== undefined ? { cartShare } : {}),
    ...(orderShare !== undefined ? { orderShare } : {}),
  };
  const thinkSeconds = Number(env('BENCH_LOAD_THINK', '3'));
  // shoppers join mid-visit but never mid-purchase (shoppers.ts, joinAt): a buyer needs ~10 messages
  // from the product card to the order, one per think time, before every checkout step is in the mix
  const warmupSeconds = ladder.warmupSeconds ?? (mix.orderShare > 0 ? Math.max(3, 10 * thinkSeconds) : 3);
  return {
    serverUrls,
    channels: {
      telegramSecret: TELEGRAM_SECRET,
      telegramCity: 'almaty',
      whatsappPhoneId: WHATSAPP_PHONE_ID,
      whatsappAppSecret: WHATSAPP_APP_SECRET,
    },
    thinkSeconds,
    whatsappStatuses: env('BENCH_LOAD_WA_STATUSES', 'sent,delivered')
      .split(',')
      .map((x) => x.trim())
      .filter((x): x is 'sent' | 'delivered' | 'read' => x === 'sent' || x === 'delivered' || x === 'read'),
    mix,
    phases: [
      // a gentle ramp: JIT warm-up at a rate the cold process keeps up with, so no backlog
      // spills into the first measured phase
      {
        kind: 'open',
        name: 'warm-up',
        rate: Math.max(10, Math.round((rates[0] ?? 100) / 2)),
        seconds: LOAD_RAMP_SECONDS,
        measured: false,
      },
      { kind: 'open', name: 'warm-up 2', rate: rates[0] ?? 100, seconds: warmupSeconds, measured: false },
      ...rates.map((rate) => ({ kind: 'open' as const, name: `open ${rate}/s`, rate, seconds, measured: true })),
      ...(closed > 0 ? [{ kind: 'closed' as const, name: 'closed max', messages: closed, concurrency: 64 }] : []),
    ],
  };
}

/** the first warm-up: half the first rate, before the second warm-up at the rate */
export const LOAD_RAMP_SECONDS = 3;

/** a database of its own for one benchmark run, dropped afterwards */
export async function freshDatabase(prefix = 'zeta_load'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await c.end();
    },
  };
}

/** the platform under one ladder of load on `backend` (PostgreSQL + Redis, or the embedded default) */
export async function runLoad(backend: LoadBackend, ladder: Ladder = ladderFromEnv(backend)): Promise<LoadResult> {
  countRoundTrips();
  const child: ChildProcess = fork(GENERATOR, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: { type: string; [k: string]: unknown }[] = [];
  const waiters: (() => void)[] = [];
  child.on('message', (m: { type: string }) => {
    messages.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const next = async (type: string | string[], timeoutMs: number) => {
    const types = Array.isArray(type) ? type : [type];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`load generator exited with ${child.exitCode}`);
      const i = messages.findIndex((m) => types.includes(m.type));
      if (i >= 0) return messages.splice(i, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`load generator: no '${type}' within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };

  const dataDir = mkdtempSync(join(tmpdir(), 'zeta-load-'));
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  let state: StateBackend | undefined;
  let platform: Platform | undefined;
  let closeExtra: (() => Promise<void>) | undefined;
  const prefix = `zbench:load:${Date.now().toString(36)}:`;
  const replicaCount = ladder.replicas;
  const replicas: ChildProcess[] = [];
  try {
    const { sinkUrl } = (await next('ready', 30_000)) as unknown as { sinkUrl: string };
    if (backend === 'postgres') {
      database = await freshDatabase();
      state = await createStateBackend({ redisUrl: REDIS_URL, keyPrefix: prefix });
    }
    const settings: Record<string, string> = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: env('BENCH_LOAD_LOG_LEVEL', 'warn'),
      DEMO_DATA: 'on',
      ...(database ? { DATABASE_URL: database.url, REDIS_URL } : {}),
      TELEGRAM_BOT_TOKEN: '123456:LOAD-BENCH',
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      TELEGRAM_API_ROOT: sinkUrl,
      TELEGRAM_MANAGERS_CHAT_ID: '-1001000000001',
      WHATSAPP_TOKEN: 'load-bench-token',
      WHATSAPP_PHONE_ID,
      WHATSAPP_VERIFY_TOKEN: 'load-bench-verify',
      WHATSAPP_APP_SECRET,
      WHATSAPP_API_BASE: sinkUrl,
      // product photos go out as URLs Telegram fetches itself, as in production
      PUBLIC_BASE_URL: 'http://127.0.0.1:9',
      // the platform's tuning knobs, when the run sets them
      ...Object.fromEntries(TUNING.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []))),
    };
    const config = loadConfig(settings);
    const t0 = Date.now();
    const poolSize = Number(env('BENCH_LOAD_PG_POOL', '0'));
    const database_ =
      database && poolSize > 0 ? await openDatabase({ databaseUrl: database.url, dataDir, poolSize }) : undefined;
    platform = await createPlatform(config, {
      ...(state ? { state, keyPrefix: prefix } : {}),
      ...(database_ ? { database: database_ } : {}),
    });
    if (database_) closeExtra = () => database_.close();
    // a production catalog links real pictures (CSV image_url) that Telegram and WhatsApp fetch
    // themselves; the demo catalog's generated placeholders would be drawn and uploaded per SKU
    await sql`UPDATE products SET image_url = 'https://cdn.zeta.example/p/' || sku || '.jpg'`.execute(platform.db.db);
    // buyers pick an order up at a store or have it delivered, and may pay on receipt (the demo
    // cities have no checkout settings: Kaspi's manual path would be the only way to pay)
    for (const city of await listCities(platform.db.db))
      await updateCity(platform.db.db, city.id, {
        checkout: {
          stores: [{ id: 'dostyk', name: 'Dostyk Plaza', address: 'пр. Достык, 111' }],
          payOnDelivery: true,
          payAtPickup: true,
        },
      });
    await platform.start();
    const { url } = await platform.listen();
    const urls = [url];
    for (let i = 1; i < replicaCount; i++) {
      const replica = fork(REPLICA, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, ...settings, BENCH_REPLICA_KEY_PREFIX: prefix },
      });
      replicas.push(replica);
      urls.push(
        await new Promise<string>((resolve, reject) => {
          replica.once('message', (m: { type: string; url: string }) => resolve(m.url));
          replica.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
        }),
      );
    }
    const startupS = (Date.now() - t0) / 1000;

    child.send({ type: 'run', plan: plan(urls, ladder) });
    const replicaCpu = new Map<string, number[]>();
    let replicaCpuAtStart: number[] = [];
    const server = new Map<string, ProcessSample>();
    const services = new Map<string, { postgres: number; redis: number }>();
    const trips = new Map<string, RoundTrips>();
    const windows = new Map<string, { from: number; to: number }>();
    let tripsAtStart = roundTrips();
    const sampler = new ProcessSampler();
    let phaseStart = { at: Date.now(), cpu: serviceCpuSeconds() };
    for (;;) {
      const m = await next(['phase', 'result'], 15 * 60_000);
      if (m.type === 'result') {
        const orders = await ordersByPhase(platform.db.db, windows);
        const phases = (m.phases as PhaseResult[]).map((p) => ({
          ...p,
          server: server.get(p.name)!,
          replicaCpu: replicaCpu.get(p.name) ?? [],
          services: services.get(p.name)!,
          trips: trips.get(p.name)!,
          orders: orders.get(p.name) ?? 0,
        }));
        return { backend, replicas: replicaCount, phases, startupS };
      }
      process.stderr.write(`  ${backend}: ${String(m.name)} ${String(m.state)}\n`);
      if (m.state === 'start') {
        sampler.start();
        phaseStart = { at: Date.now(), cpu: serviceCpuSeconds() };
        windows.set(String(m.name), { from: phaseStart.at, to: Infinity });
        tripsAtStart = roundTrips();
        replicaCpuAtStart = replicas.map((r) => procCpu(r.pid ?? 0)?.seconds ?? 0);
      } else {
        trips.set(String(m.name), roundTripsSince(tripsAtStart));
        server.set(String(m.name), sampler.stop());
        const cpu = serviceCpuSeconds();
        const secs = (Date.now() - phaseStart.at) / 1000;
        windows.set(String(m.name), { from: phaseStart.at, to: Date.now() });
        replicaCpu.set(
          String(m.name),
          replicas.map((r, i) =>
            Math.round((((procCpu(r.pid ?? 0)?.seconds ?? 0) - (replicaCpuAtStart[i] ?? 0)) / secs) * 100),
          ),
        );
        services.set(String(m.name), {
          postgres: Math.round(((cpu.postgres - phaseStart.cpu.postgres) / secs) * 100),
          redis: Math.round(((cpu.redis - phaseStart.cpu.redis) / secs) * 100),
        });
      }
    }
  } finally {
    child.kill('SIGKILL');
    await Promise.all(
      replicas.map(
        (r) =>
          new Promise<void>((resolve) => {
            if (r.exitCode !== null) return resolve();
            r.once('exit', () => resolve());
            r.send({ type: 'stop' });
            setTimeout(() => {
              r.kill('SIGKILL');
              resolve();
            }, 10_000).unref();
          }),
      ),
    );
    await platform?.close().catch((e: unknown) => console.error('platform close failed', e));
    await closeExtra?.().catch(() => undefined);
    if (state) {
      await cleanRedis(prefix).catch(() => undefined);
      await state.close().catch(() => undefined);
    }
    await database?.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** orders placed within each phase, counted once the run is over (no query inside a measured phase) */
async function ordersByPhase(db: Platform['db']['db'], windows: Map<string, { from: number; to: number }>) {
  const rows = await sql<{ created_at: Date }>`SELECT created_at FROM orders`.execute(db);
  const out = new Map<string, number>();
  for (const { created_at } of rows.rows) {
    const at = new Date(created_at).getTime();
    for (const [name, w] of windows) if (at >= w.from && at <= w.to) out.set(name, (out.get(name) ?? 0) + 1);
  }
  return out;
}

async function cleanRedis(prefix: string) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL);
  try {
    for (const pattern of [`${prefix}*`, 'bull:*']) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

const backendHasPg = (b: LoadBackend) => b === 'postgres';

function print(results: LoadResult[]) {
  const replicas = Math.max(...results.map((r) => r.replicas));
  console.log(
    `load: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}; server = this process${replicas > 1 ? ` + ${replicas - 1} replica process(es) (PostgreSQL), CPU listed per process` : ''}, generator + fake APIs = a child process`,
  );
  const rows: (string | number)[][] = [];
  for (const r of results) {
    for (const p of r.phases) {
      const l = LatencyRecorder.from(p.latency).summary();
      const open = p.kind === 'open';
      rows.push([
        r.backend,
        p.name,
        p.posted,
        fmt(p.answeredRate, 0),
        open ? fmt(l.p50) : '-',
        open ? fmt(l.p95) : '-',
        open ? fmt(l.p99) : '-',
        open ? fmt(l.max, 1) : '-',
        open ? p.unanswered : '-',
        p.errors,
        fmt(p.drainMs, 0),
        fmt(p.replies / Math.max(1, p.posted), 1),
        fmt(([p.server.cpuPercent, ...p.replicaCpu].reduce((a, b) => a + b, 0) * 10) / Math.max(1, p.answeredRate), 2),
        [p.server.cpuPercent, ...p.replicaCpu].map((c) => `${c}%`).join(' + '),
        backendHasPg(r.backend) ? fmt(p.trips.pg / Math.max(1, p.posted), 2) : '-',
        backendHasPg(r.backend) ? fmt(p.trips.redis / Math.max(1, p.posted), 2) : '-',
        `${p.services.postgres}% / ${p.services.redis}%`,
        p.server.rssPeakMb,
        p.server.heapPeakMb,
        fmt(p.server.loopDelayP99Ms, 1),
      ]);
    }
  }
  console.log(
    table(
      [
        'backend',
        'phase',
        'messages',
        'answered/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'unanswered',
        'errors',
        'drain ms',
        'API calls/msg',
        'server CPU ms/msg',
        'server CPU',
        'PG stmts/msg',
        'Redis cmds/msg',
        'PG / Redis CPU',
        'RSS MB',
        'heap MB',
        'loop p99 ms',
      ],
      rows,
    ),
  );
  console.log(
    '\nlatency = webhook arrival (scheduled, open loop) → the last reply of that message received by the fake API; photos (OCR) excluded, listed below',
  );
  console.log(
    'closed max = 64 posters sending sessions back to back: messages / (first post → last reply); replies are not attributable per message there',
  );
  const detail: (string | number)[][] = [];
  for (const r of results) {
    for (const p of r.phases) {
      if (p.photo.count > 0) {
        const s = LatencyRecorder.from(p.photo).summary();
        detail.push([r.backend, p.name, 'photo (OCR)', s.count, fmt(s.p50), fmt(s.p99), fmt(s.max, 1)]);
      }
      for (const [label, rec] of Object.entries(p.byLabel).sort()) {
        if (label.endsWith('photo')) continue;
        const s = LatencyRecorder.from(rec).summary();
        detail.push([r.backend, p.name, label, s.count, fmt(s.p50), fmt(s.p99), fmt(s.max, 1)]);
      }
      const ack = LatencyRecorder.from(p.ack).summary();
      detail.push([r.backend, p.name, '(webhook ack)', ack.count, fmt(ack.p50), fmt(ack.p99), fmt(ack.max, 1)]);
    }
  }
  console.log(table(['backend', 'phase', 'message kind', 'count', 'p50 ms', 'p99 ms', 'max ms'], detail));
  const kinds: (string | number)[][] = [];
  for (const r of results)
    for (const p of r.phases.filter((x) => x.kind === 'open')) {
      const groups = byTurnKind(p.byLabel);
      const search = groups.get('search')?.summary();
      for (const [kind, rec] of groups) {
        const s = rec.summary();
        kinds.push([
          r.backend,
          p.name,
          kind,
          s.count,
          fmt((100 * s.count) / Math.max(1, p.answered), 1),
          fmt(s.p50),
          fmt(s.p99),
          search?.p50 ? `${fmt(s.p50 / search.p50)}×` : '-',
          kind === 'place order' ? p.orders : '',
        ]);
      }
    }
  console.log(
    '\nby turn kind (search = search, refine, cheaper; checkout answer = «оформить» and each question answered)',
  );
  console.log(
    table(
      ['backend', 'phase', 'turn kind', 'count', '% of msgs', 'p50 ms', 'p99 ms', 'p50 ÷ search', 'orders placed'],
      kinds,
    ),
  );
  for (const r of results) {
    const errs = r.phases.flatMap((p) => p.errorSamples.map((e) => `${p.name}: ${e}`));
    console.log(
      `\n${r.backend}: start-up (database, demo data, OCR off until first photo) ${fmt(r.startupS, 1)} s; generator CPU ${r.phases.map((p) => `${p.name} ${p.generator.cpuPercent}%`).join(', ')}; max post lag ${fmt(Math.max(...r.phases.map((p) => p.postLagMaxMs)), 1)} ms; WhatsApp status webhooks (not counted as messages) ${r.phases.map((p) => `${p.name} ${p.statusPosts}`).join(', ')}`,
    );
    if (errs.length) console.log(`  error samples: ${errs.slice(0, 5).join(' | ')}`);
    if (backendHasPg(r.backend))
      for (const p of r.phases)
        console.log(`  Redis commands per message, ${p.name}: ${perMessage(p.trips, p.posted)}`);
  }
  const target = results.flatMap((r) =>
    r.phases.filter((p) => p.kind === 'open').map((p) => ({ r, p, s: LatencyRecorder.from(p.latency).summary() })),
  );
  for (const { r, p, s } of target) {
    const ok =
      p.offeredRate >= 1000 &&
      p.answeredRate >= 0.98 * p.offeredRate &&
      s.p99 <= 50 &&
      p.unanswered === 0 &&
      p.errors === 0;
    if (p.offeredRate >= 1000)
      console.log(
        `target ≥ 1,000 msg/s with p99 ≤ 50 ms — ${r.backend} ${p.name}: ${ok ? 'MET' : 'MISSED'} (p99 ${fmt(s.p99)} ms, ${fmt(p.answeredRate, 0)}/s answered)`,
      );
  }
}

export async function runLoadBench(): Promise<LoadResult[]> {
  const backends = env('BENCH_LOAD_BACKENDS', 'postgres,embedded').split(',').filter(Boolean) as LoadBackend[];
  const results: LoadResult[] = [];
  for (const backend of backends) {
    console.log(`… ${backend}`);
    results.push(await runLoad(backend));
  }
  print(results);
  return results;
}
