/**
 * 1C exchange benchmark: a generated catalog (BENCH_ONEC_GOODS goods, 20,000 by default; groups,
 * a Справочник, a number and a text property; offers with two price types and two warehouses) goes
 * through the real protocol over HTTP on 127.0.0.1 — checkauth, init, the files in parts of
 * file_limit, import repeated while it answers progress, complete — into PostgreSQL, then a
 * changes-only exchange that lowers a tenth of the prices. The exchange server runs in a process
 * of its own, so its peak RSS is the server's alone; the generating 1C is this process. As this
 * machine's yardstick the server then imports as many rows from a spreadsheet.
 *   npm run bench -- onec      (BENCH_ONEC_GOODS, BENCH_ONEC_DB=pglite, BENCH_ONEC_SCHEMA=2.07 to vary)
 * Numbers are printed, never asserted.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { DatabaseKind } from '../../storage/db/open.ts';
import { importCatalog } from '../../storage/import/import.ts';
import { createCity } from '../../storage/repos/cities.ts';
import { bytesOf, catalogXml, offersXml } from '../../hosts/onec/testing/generate.ts';
import { OneC } from '../../hosts/onec/testing/oneC.ts';
import { EXCHANGE_PASSWORD, EXCHANGE_USER, startExchange } from '../../hosts/onec/testing/server.ts';
import { syntheticCatalogCsv } from './search.ts';

const GOODS = Number(process.env.BENCH_ONEC_GOODS ?? 20_000);
const KIND = (process.env.BENCH_ONEC_DB ?? 'postgres') as DatabaseKind;
/** 2.08+: the package is applied whole at `complete` (2.07 and older: each file at its import) */
const VERSION = process.env.BENCH_ONEC_SCHEMA ?? '2.08';
const SERVE = 'BENCH_ONEC_SERVE';

/** the server's memory at its highest RSS: V8's heap (total, used) and memory outside it (buffers) */
type Memory = { rss: number; heapTotal: number; heapUsed: number; external: number };
type Phase = { label: string; seconds: number; calls: number; memory: Memory };
type FromServer = { base: string } | { memory: Memory } | { csvSeconds: number; peak: number };

export async function runOnecBench(): Promise<void> {
  if (process.env[SERVE] === '1') return serve();
  const server = fork(process.argv[1]!, process.argv.slice(2), { env: { ...process.env, [SERVE]: '1' } });
  const messages: FromServer[] = [];
  const waiters: ((m: FromServer) => void)[] = [];
  server.on('message', (m: FromServer) => (waiters.shift() ?? ((x) => messages.push(x)))(m));
  const next = () =>
    new Promise<FromServer>((resolve) => (messages.length > 0 ? resolve(messages.shift()!) : waiters.push(resolve)));
  const serverMemory = async () => {
    server.send('rss');
    return ((await next()) as { memory: Memory }).memory;
  };
  const { base } = (await next()) as { base: string };
  const startRss = (await serverMemory()).rss;
  const phases: Phase[] = [];
  const timed = async (label: string, run: () => Promise<number>) => {
    await serverMemory(); // the server restarts its phase peak
    const started = performance.now();
    const calls = await run();
    phases.push({ label, seconds: (performance.now() - started) / 1000, calls, memory: await serverMemory() });
  };
  const exchange = async (files: [string, () => Iterable<string>][], prefix: string) => {
    const client = new OneC(base, 'almaty', { user: EXCHANGE_USER, password: EXCHANGE_PASSWORD });
    await client.checkauth();
    await client.init();
    for (const [name, xml] of files) {
      await timed(`${prefix}: upload ${name}`, () => client.uploadStream(name, bytesOf(xml())));
      await timed(`${prefix}: import ${name}`, async () => {
        const { reply, progress } = await client.import(name);
        if (reply.lines[0] !== 'success') throw new Error(`${name}: ${reply.lines.join(' / ')}`);
        return progress.length + 1;
      });
    }
    await timed(`${prefix}: complete (apply)`, async () => {
      const { reply, progress } = await client.untilDone('complete');
      if (reply.lines[0] !== 'success') throw new Error(`complete: ${reply.lines.join(' / ')}`);
      return progress.length + 1;
    });
  };
  await exchange(
    [
      ['import.xml', () => catalogXml({ goods: GOODS, version: VERSION })],
      ['offers.xml', () => offersXml({ goods: GOODS, version: VERSION })],
    ],
    'full',
  );
  const cheaper = (i: number) => (i % 10 === 0 ? 40_000 : 50_000 + (i % 400) * 1_000);
  await exchange(
    [
      ['import.xml', () => catalogXml({ goods: GOODS, onlyChanges: true, version: VERSION })],
      ['offers.xml', () => offersXml({ goods: GOODS, version: VERSION, price: cheaper })],
    ],
    'again',
  );
  server.send('yardstick');
  const { csvSeconds, peak } = (await next()) as { csvSeconds: number; peak: number };
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.send('stop');
  await exited; // a profile (--cpu-prof) or a log the server writes at exit is complete before this returns
  report(phases, csvSeconds, peak, startRss);
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

function report(phases: Phase[], csvSeconds: number, peak: number, startRss: number): void {
  const requests = phases.reduce((sum, p) => sum + p.calls, 0);
  console.log(`${GOODS} goods, schema ${VERSION}, on ${KIND}; ${requests} requests from 1C in all`);
  console.log(
    '| phase | seconds | requests | goods/s | server peak RSS MB | then: V8 heap total / used, external MB |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const p of phases)
    console.log(
      `| ${p.label} | ${p.seconds.toFixed(2)} | ${p.calls} | ${Math.round(GOODS / p.seconds)} | ${mb(p.memory.rss)} | ${mb(p.memory.heapTotal)} / ${mb(p.memory.heapUsed)}, ${mb(p.memory.external)} |`,
    );
  const total = phases.filter((p) => p.label.startsWith('full')).reduce((s, p) => s + p.seconds, 0);
  console.log(
    `full exchange (goods + offers, upload included): ${total.toFixed(1)} s, ${Math.round(GOODS / total)} goods/s`,
  );
  console.log(
    `server peak RSS over both exchanges: ${Math.round(peak / 2 ** 20)} MB (${Math.round(startRss / 2 ** 20)} MB when it began serving)`,
  );
  console.log(
    `yardstick: the CSV import of ${GOODS} rows took ${csvSeconds.toFixed(1)} s here (${Math.round(GOODS / csvSeconds)} rows/s); the full exchange took ${(total / csvSeconds).toFixed(1)}× that`,
  );
}

/** the exchange server's side: serves, reports its RSS (peak since the last ask), then the yardstick */
async function serve(): Promise<void> {
  const server = await startExchange(KIND, { env: { ONEC_PRICE_TYPE: 'Розничная', ONEC_SESSION_MAX_MB: '8192' } });
  let peak = process.memoryUsage().rss;
  let phasePeak: Memory = process.memoryUsage();
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peak = Math.max(peak, now.rss);
    if (now.rss > phasePeak.rss) phasePeak = now;
  }, 25);
  process.send!({ base: server.base });
  await new Promise<void>((resolve) => {
    process.on('message', async (message: string) => {
      if (message === 'rss') {
        const { rss, heapTotal, heapUsed, external } = phasePeak;
        process.send!({ memory: { rss, heapTotal, heapUsed, external } });
        phasePeak = process.memoryUsage();
      } else if (message === 'yardstick') {
        clearInterval(sampler);
        const city = await createCity(server.database.db, { name: 'Астана', slug: 'astana' });
        const csv = syntheticCatalogCsv(GOODS);
        const started = performance.now();
        await importCatalog(server.database.db, { cityId: city.id, source: csv, format: 'csv' });
        process.send!({ csvSeconds: (performance.now() - started) / 1000, peak });
      } else if (message === 'stop') {
        await server.close();
        resolve();
      }
    });
  });
  process.exit(0);
}
