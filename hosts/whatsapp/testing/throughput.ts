/**
 * Rough end-to-end throughput of the WhatsApp host on this machine: N shoppers each send one
 * message as a signed webhook; we time until every turn has been answered through the fake
 * Graph API. Real runtime, engine (default scenario), Redis state backend, fixture world.
 *
 *   npx tsx hosts/whatsapp/testing/throughput.ts [shoppers=500] [concurrency=32]
 */
import { createMemoryHost } from '../../../engine/testing/memoryHost.ts';
import { loadFixtures } from '../../cli/fixtures.ts';
import { startWhatsAppHarness } from './harness.ts';
import { envelope, message } from './payloads.ts';

const shoppers = Number(process.argv[2] ?? 500);
const concurrency = Number(process.argv[3] ?? 32);
const fixtures = await loadFixtures();
const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
const h = await startWhatsAppHarness({ scenario: fixtures.scenario, host });
const bodies = Array.from({ length: shoppers }, (_, n) =>
  envelope(
    { phoneNumberId: h.phoneNumberId },
    {
      messages: [
        message(
          { type: 'text', body: n % 2 ? 'красный диван до 150000' : '/start' },
          { from: `7705${String(n).padStart(7, '0')}`, at: h.now() },
        ),
      ],
    },
  ),
);

const acks: number[] = [];
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const t0 = performance.now();
      const res = await h.post(body);
      acks.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`webhook ${res.status}`);
    }
  }),
);
const accepted = performance.now();
await h.runtime.idle();
await h.graph.waitForSent(shoppers);
const done = performance.now();
acks.sort((a, b) => a - b);
const pct = (p: number) => acks[Math.min(acks.length - 1, Math.floor(acks.length * p))]!.toFixed(2);
console.log(
  JSON.stringify({
    shoppers,
    concurrency,
    webhookAckMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) },
    acceptedPerSec: Math.round(shoppers / ((accepted - started) / 1000)),
    answeredPerSec: Math.round(shoppers / ((done - started) / 1000)),
    graphMessages: h.graph.sent.length,
  }),
);
await h.close();
