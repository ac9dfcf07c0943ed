import { fork } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Agent, request } from 'undici';
import { ROOT_DIR } from '../../hosts/platform/root.ts';
import { type Hook, readBody, replyBody, sign } from './harness/floorPeer.ts';
import { fmt, LatencyRecorder, table, type LatencySummary, type SerializedRecorder } from './harness/latency.ts';
import { freshDatabase, serviceCpuSeconds } from './load.ts';

/*
 * The I/O floor of a message on this machine: what Node.js with our clients (node:http, undici,
 * ioredis, pg) costs for the I/O one shopper message needs in the load benchmark, with no platform
 * logic at all — no routing, validation, engine, rendering, logging or metrics. Same shape as a
 * real turn (`npm run bench -- load` measures ~1.3 platform API calls, ~4.4 Redis scripts,
 * ~1 PostgreSQL statement and ~0.6 WhatsApp status webhooks per message):
 *
 *   webhook in (JSON, HMAC on WhatsApp's 30 %) → Redis script (accept) → 200 →
 *   PostgreSQL query returning 5 product rows (60 % of messages: the searches) → Redis script (commit) →
 *   1.3 JSON POSTs to the fake platform API → Redis script (acknowledge, with the turn's ~1.3 KB
 *   record) → Redis script (profile, 40 %) → Redis script (timer, 60 %); the records go to
 *   PostgreSQL in one multi-row insert every 100 ms (the relay); and 0.6 status webhooks in
 *   (JSON, HMAC, 200) per message.
 *
 * The peer process (a fork of this file) posts the webhooks open-loop and hosts the fake API, as
 * the load benchmark's generator does; everything shares the machine's cores with PostgreSQL (a
 * database of its own, dropped afterwards) and Redis. Latency: webhook posted → its last API call received.
 *
 *   npm run bench -- floor          BENCH_FLOOR_RATES=500,1000,1500   BENCH_FLOOR_SECONDS=10
 */

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/7';
// forked through tsx from its source, whether this file runs from it or from dist/bench.mjs
const PEER = join(ROOT_DIR, 'infra', 'bench', 'harness', 'floorPeer.ts');

/** one measured rate of the floor */
export type FloorPhase = {
  rate: number;
  sent: number;
  answered: number;
  /** messages answered per second from the first arrival to the last answer */
  answeredRate: number;
  latency: LatencySummary;
  /** CPU time of this process (the server) over the phase */
  serverCpuMs: number;
  elapsedMs: number;
  peerCpuMs: number;
  /** CPU seconds of the machine's PostgreSQL and Redis over the phase */
  services: { postgres: number; redis: number };
};

/**
 * The floor server at each of `rates` for `seconds`, after a warm-up (3 s by default) at the first
 * rate or 300/s, whichever is lower; its own database, dropped afterwards.
 */
export async function measureFloor(rates: number[], seconds: number, warmUpSeconds = 3): Promise<FloorPhase[]> {
  const redis = new Redis(REDIS_URL, { enableAutoPipelining: false });
  const database = await freshDatabase('zeta_floor');
  const db = new pg.Pool({ connectionString: database.url, max: 10 });
  // an idle connection cut from the other side (the drop below, while turns of a saturated phase
  // are still in flight; a PostgreSQL restart) is reported on the pool: without a listener the
  // whole bench process dies of it
  db.on('error', (error) => console.error('floor pool:', error.message));
  await db.query(
    'CREATE TABLE bench_floor_records (id bigserial primary key, chat bigint, record jsonb, at timestamptz)',
  );
  await db.query(
    `CREATE TABLE bench_floor_products (id serial primary key, sku text, name text, category text, color text, price int, description text, image_url text, available boolean)`,
  );
  await db.query(`INSERT INTO bench_floor_products (sku, name, category, color, price, description, image_url, available)
    SELECT 'SKU-' || g, 'Диван угловой модель ' || g, 'sofa', 'red', 50000 + g * 100, repeat('Мягкий диван с велюровой обивкой. ', 4), 'https://example.com/' || g || '.jpg', true FROM generate_series(1, 500) g`);
  // a script like the platform's: a few keys touched, a small value returned
  const script = `redis.call('HSET', KEYS[1], 'v', ARGV[1]) redis.call('PEXPIRE', KEYS[1], 60000) return redis.call('HLEN', KEYS[1])`;
  const sha = (await redis.script('LOAD', script)) as string;
  const evalScript = (key: string, value: string) => redis.evalsha(sha, 1, key, value);

  const api = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
  let apiUrl = '';
  const send = async (chat: number, n: number) => {
    const response = await request(`${apiUrl}/bot123:abc/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: replyBody(chat, n),
      dispatcher: api,
    });
    const json = (await response.body.json()) as { ok: boolean };
    if (!json.ok) throw new Error('api refused');
  };

  // the relay: acknowledged records gathered for 100 ms, then one insert
  let records: { chat: number; record: string }[] = [];
  const relay = setInterval(() => {
    if (records.length === 0) return;
    const batch = records;
    records = [];
    const params: unknown[] = [];
    const values = batch.map((r, i) => {
      params.push(r.chat, r.record, new Date());
      return `($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3})`;
    });
    void db
      .query(`INSERT INTO bench_floor_records (chat, record, at) VALUES ${values.join(', ')}`, params)
      .catch((error: unknown) => console.error('floor relay:', error));
  }, 100);

  const turn = async (hook: Hook, chat: number) => {
    if (hook.search)
      await db.query(
        'SELECT id, sku, name, category, color, price, description, image_url, available FROM bench_floor_products WHERE category = $1 AND price <= $2 ORDER BY price DESC LIMIT 5',
        ['sofa', 50000 + (hook.n % 500) * 100],
      );
    await evalScript(`floor:c:${chat}`, `commit ${hook.n}`);
    for (let i = 0; i < hook.sends; i++) await send(chat, hook.n);
    const record = JSON.stringify({
      n: hook.n,
      chat,
      messages: [
        { direction: 'in', text: 'хочу красный диван до 150000' },
        { direction: 'out', text: replyBody(chat, hook.n) },
      ],
    });
    await evalScript(`floor:c:${chat}`, record);
    records.push({ chat, record });
    if (hook.profile) await evalScript(`floor:p:${chat}`, `profile ${hook.n}`);
    if (hook.search) await evalScript(`floor:t:${chat}`, `timer ${hook.n}`);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const body = await readBody(req);
      if (req.headers['x-hub-signature-256'] !== undefined && req.headers['x-hub-signature-256'] !== sign(body)) {
        res.writeHead(401).end();
        return;
      }
      const payload = JSON.parse(body) as { status?: string; hook?: Hook; chat?: number };
      if (payload.status || !payload.hook) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      const chat = payload.chat ?? 0;
      await evalScript(`floor:c:${chat}`, `accept ${payload.hook.n}`);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      await turn(payload.hook, chat);
    })().catch((error: unknown) => {
      console.error('floor server:', error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const peer = fork(PEER, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, FLOOR_SERVER: url },
  });
  apiUrl = await new Promise<string>((resolve) => peer.once('message', (m: { api: string }) => resolve(m.api)));

  const phases: FloorPhase[] = [];
  const warmUpRate = Math.min(300, rates[0]!);
  for (const [i, rate] of [warmUpRate, ...rates].entries()) {
    const warmUp = i === 0;
    const cpu = process.cpuUsage();
    const services = serviceCpuSeconds();
    const started = performance.now();
    peer.send({ rate, seconds: warmUp ? warmUpSeconds : seconds });
    const result = await new Promise<{
      sent: number;
      answered: number;
      answeredRate: number;
      latency: SerializedRecorder;
      peerCpuMs: number;
    }>((resolve) => peer.once('message', resolve));
    const used = process.cpuUsage(cpu);
    const elapsedMs = performance.now() - started;
    const servicesAfter = serviceCpuSeconds();
    if (warmUp) continue;
    phases.push({
      rate,
      sent: result.sent,
      answered: result.answered,
      answeredRate: result.answeredRate,
      latency: LatencyRecorder.from(result.latency).summary(),
      serverCpuMs: (used.user + used.system) / 1000,
      elapsedMs,
      peerCpuMs: result.peerCpuMs,
      services: { postgres: servicesAfter.postgres - services.postgres, redis: servicesAfter.redis - services.redis },
    });
  }
  peer.kill();
  clearInterval(relay);
  await redis.quit();
  await db.end();
  await database.drop();
  server.close();
  return phases;
}

export async function runFloorBench(): Promise<void> {
  const rates = (process.env.BENCH_FLOOR_RATES ?? '500,1000,1500').split(',').map(Number);
  const phases = await measureFloor(rates, Number(process.env.BENCH_FLOOR_SECONDS ?? 10));
  const share = (ms: number, p: FloorPhase) => `${((100 * ms) / p.elapsedMs).toFixed(0)}%`;
  const rows = phases.map((p) => [
    `${p.rate}/s`,
    p.sent,
    p.answered,
    fmt(p.latency.p50),
    fmt(p.latency.p95),
    fmt(p.latency.p99),
    fmt(p.serverCpuMs / p.sent, 3),
    share(p.serverCpuMs, p),
    share(p.peerCpuMs, p),
    `${share(p.services.postgres * 1000, p)} / ${share(p.services.redis * 1000, p)}`,
  ]);
  console.log(
    `floor: ${(await import('node:os')).cpus()[0]?.model}, node ${process.version}; no platform logic — the I/O of a message only`,
  );
  console.log(
    table(
      [
        'offered',
        'messages',
        'answered',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'server CPU ms/msg',
        'server CPU',
        'peer CPU',
        'PG / Redis CPU',
      ],
      rows,
    ),
  );
}
