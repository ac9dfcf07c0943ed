/**
 * 1C exchange benchmark: a generated catalog (BENCH_ONEC_GOODS goods, 20,000 by default; groups,
 * a Справочник, a number and a text property; offers with two price types and two warehouses) goes
 * through the real protocol over HTTP on 127.0.0.1 — checkauth, init, the files in parts of
 * file_limit, import repeated while it answers progress — into PostgreSQL, then a changes-only
 * exchange that lowers a tenth of the prices. Reports goods per second for each phase, the
 * requests 1C made, and the process's peak RSS (server and the generating client together).
 *   npm run bench -- onec      (BENCH_ONEC_GOODS=100000 BENCH_ONEC_DB=pglite to vary)
 * Numbers are printed, never asserted.
 */
import { performance } from 'node:perf_hooks';
import type { DatabaseKind } from '../../storage/db/open.ts';
import { bytesOf, catalogXml, offersXml } from '../../hosts/onec/testing/generate.ts';
import { OneC } from '../../hosts/onec/testing/oneC.ts';
import { EXCHANGE_PASSWORD, EXCHANGE_USER, startExchange } from '../../hosts/onec/testing/server.ts';

const GOODS = Number(process.env.BENCH_ONEC_GOODS ?? 20_000);
const KIND = (process.env.BENCH_ONEC_DB ?? 'postgres') as DatabaseKind;

type Phase = { label: string; seconds: number; calls: number; goods: number };

export async function runOnecBench(): Promise<void> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const baseline = process.memoryUsage().rss;
  const server = await startExchange(KIND, { env: { ONEC_PRICE_TYPE: 'Розничная', ONEC_SESSION_MAX_MB: '8192' } });
  const phases: Phase[] = [];
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
      await client.call('complete');
    };
    await exchange(
      [
        ['import.xml', () => catalogXml({ goods: GOODS })],
        ['offers.xml', () => offersXml({ goods: GOODS })],
      ],
      'full',
    );
    await exchange(
      [
        ['import.xml', () => catalogXml({ goods: GOODS, onlyChanges: true })],
        [
          'offers.xml',
          () => offersXml({ goods: GOODS, price: (i) => (i % 10 === 0 ? 40_000 : 50_000 + (i % 400) * 1_000) }),
        ],
      ],
      'again',
    );
  } finally {
    clearInterval(sampler);
    await server.close();
  }
  const count = await countOf(phases);
  console.log(`${GOODS} goods on ${KIND}; 1C's requests answered progress until done (${count} requests in all)`);
  console.log('| phase | seconds | requests | goods/s |');
  console.log('|---|---:|---:|---:|');
  for (const p of phases)
    console.log(`| ${p.label} | ${p.seconds.toFixed(2)} | ${p.calls} | ${Math.round(p.goods / p.seconds)} |`);
  const total = phases.slice(0, 4).reduce((s, p) => s + p.seconds, 0);
  console.log(
    `full exchange (goods + offers, upload included): ${total.toFixed(1)} s, ${Math.round(GOODS / total)} goods/s`,
  );
  console.log(
    `peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (at start ${(baseline / 2 ** 20).toFixed(0)} MB; server and generating client in one process)`,
  );
}

async function countOf(phases: Phase[]): Promise<number> {
  return phases.reduce((s, p) => s + p.calls, 0);
}
