/**
 * 1C exchange benchmark: a generated catalog (BENCH_ONEC_GOODS goods, 20,000 by default; groups,
 * a Справочник, a number and a text property; offers with two price types and two warehouses) goes
 * through the real protocol over HTTP on 127.0.0.1 — checkauth, init, the files in parts of
 * file_limit, import repeated while it answers progress — into PostgreSQL, then a changes-only
 * exchange that lowers a tenth of the prices. Reports goods per second for each phase, the
 * requests 1C made, and the process's peak RSS (server and the generating client together); and,
 * as this machine's yardstick, the spreadsheet import of as many rows into the same database.
 *   npm run bench -- onec      (BENCH_ONEC_GOODS, BENCH_ONEC_DB=pglite, BENCH_ONEC_SCHEMA=2.07 to vary)
 * Numbers are printed, never asserted.
 */
import { performance } from 'node:perf_hooks';
import type { DatabaseKind } from '../../storage/db/open.ts';
import { importCatalog } from '../../storage/import/import.ts';
import { createCity } from '../../storage/repos/cities.ts';
import { syntheticCatalogCsv } from './search.ts';
import { bytesOf, catalogXml, offersXml } from '../../hosts/onec/testing/generate.ts';
import { OneC } from '../../hosts/onec/testing/oneC.ts';
import { EXCHANGE_PASSWORD, EXCHANGE_USER, startExchange } from '../../hosts/onec/testing/server.ts';

const GOODS = Number(process.env.BENCH_ONEC_GOODS ?? 20_000);
const KIND = (process.env.BENCH_ONEC_DB ?? 'postgres') as DatabaseKind;
/** 2.08+: the package is applied whole at `complete` (2.07 and older: each file at its import) */
const VERSION = process.env.BENCH_ONEC_SCHEMA ?? '2.08';

type Phase = { label: string; seconds: number; calls: number; goods: number };

export async function runOnecBench(): Promise<void> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const baseline = process.memoryUsage().rss;
  const server = await startExchange(KIND, { env: { ONEC_PRICE_TYPE: 'Розничная', ONEC_SESSION_MAX_MB: '8192' } });
  const phases: Phase[] = [];
  let csvSeconds = 0;
  try {
    const timed = async (label: string, goods: number, run: () => Promise<number>) => {
      const started = performance.now();
      const calls = await run();
      phases.push({ label, seconds: (performance.now() - started) / 1000, calls, goods });
    };
    const exchange = async (files: [string, () => Iterable<string>][], prefix: string) => {
      const client = new OneC(server.base, 'almaty', { user: EXCHANGE_USER, password: EXCHANGE_PASSWORD });
      await client.checkauth();
      await client.init();
      for (const [name, xml] of files) {
        await timed(`${prefix}: upload ${name}`, GOODS, () => client.uploadStream(name, bytesOf(xml())));
        await timed(`${prefix}: import ${name}`, GOODS, async () => {
          const { reply, progress } = await client.import(name);
          if (reply.lines[0] !== 'success') throw new Error(`${name}: ${reply.lines.join(' / ')}`);
          return progress.length + 1;
        });
      }
      await timed(`${prefix}: complete (apply)`, GOODS, async () => {
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
    await exchange(
      [
        ['import.xml', () => catalogXml({ goods: GOODS, onlyChanges: true, version: VERSION })],
        [
          'offers.xml',
          () =>
            offersXml({
              goods: GOODS,
              version: VERSION,
              price: (i) => (i % 10 === 0 ? 40_000 : 50_000 + (i % 400) * 1_000),
            }),
        ],
      ],
      'again',
    );
    clearInterval(sampler);
    const yardstick = await createCity(server.database.db, { name: 'Астана', slug: 'astana' });
    const csv = syntheticCatalogCsv(GOODS);
    const started = performance.now();
    await importCatalog(server.database.db, { cityId: yardstick.id, source: csv, format: 'csv' });
    csvSeconds = (performance.now() - started) / 1000;
  } finally {
    clearInterval(sampler);
    await server.close();
  }
  const requests = phases.reduce((sum, p) => sum + p.calls, 0);
  console.log(`${GOODS} goods on ${KIND}; ${requests} requests from 1C in all (progress answered until done)`);
  console.log('| phase | seconds | requests | goods/s |');
  console.log('|---|---:|---:|---:|');
  for (const p of phases)
    console.log(`| ${p.label} | ${p.seconds.toFixed(2)} | ${p.calls} | ${Math.round(p.goods / p.seconds)} |`);
  const total = phases.filter((p) => p.label.startsWith('full')).reduce((s, p) => s + p.seconds, 0);
  console.log(
    `full exchange (goods + offers, upload included): ${total.toFixed(1)} s, ${Math.round(GOODS / total)} goods/s`,
  );
  console.log(
    `peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (at start ${(baseline / 2 ** 20).toFixed(0)} MB; server and generating client in one process)`,
  );
  console.log(
    `yardstick: the CSV import of ${GOODS} rows took ${csvSeconds.toFixed(1)} s here (${Math.round(GOODS / csvSeconds)} rows/s); the full exchange took ${(total / csvSeconds).toFixed(1)}× that`,
  );
}
