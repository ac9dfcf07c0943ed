/**
 * Telegram host throughput on this machine: Update JSON over HTTP to the webhook, the real runtime
 * on Redis, the engine, grammY to the fake Bot API. Prints webhook acks/s and end-to-end turns/s.
 *
 *   npx tsx hosts/telegram/testing/bench.ts [chats=200] [messagesPerChat=5] [concurrency=32] [--ack-only]
 *
 * `--ack-only`: the webhook path alone (validation, adapting, durable accept into the Redis inbox),
 * no turn processing — what decides how fast Telegram gets its 200.
 */
import { performance } from 'node:perf_hooks';
import { createMemoryHost } from '../../../engine/testing/memoryHost.ts';
import { loadFixtures } from '../../cli/fixtures.ts';
import { startTelegramHarness } from './harness.ts';
import * as u from './updates.ts';

const ackOnly = process.argv.includes('--ack-only');
const [chats = 200, perChat = 5, concurrency = 32] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'))
  .map(Number);
const fixtures = await loadFixtures();
const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
host.start({
  city: 'almaty',
  channel: 'telegram',
  lang: 'ru',
  at: '2026-11-26T10:00:00Z',
  vision: true,
  voice: true,
  extra: {},
});
const h = await startTelegramHarness({ scenario: fixtures.scenario, host });
if (ackOnly) {
  // the same route and host, but accept only stores into the inbox (no drain)
  const inbox = h.state.inbox;
  const { TelegramIntake } = await import('../intake.ts');
  const { telegramRoutes, SECRET_HEADER } = await import('../routes.ts');
  const quietLog = { info() {}, warn() {}, error() {} };
  const store = async (address: { city: string; chatId: string }, id: string, event: unknown) =>
    inbox.accept(`bench:${address.city}:${address.chatId}`, { id, payload: JSON.stringify(event) });
  const ackIntake = new TelegramIntake({
    registry: h.telegram.registry,
    runtime: { accept: store, deliver: store },
    log: quietLog,
  });
  const app = telegramRoutes(ackIntake, { log: quietLog });
  h.post = async (update: unknown) =>
    app.request(`/webhooks/telegram/${h.city}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: h.secret },
      body: JSON.stringify(update),
    });
}

const texts = ['SOFA-001', 'хочу красный диван до 150000', 'BED-003', 'меню', 'кресло'];
const updates: object[] = [];
for (let m = 0; m < perChat!; m++)
  for (let c = 0; c < chats!; c++)
    updates.push(u.textUpdate(h.nextUpdateId(), u.shopper(9_000_000 + c), texts[m % texts.length]!));

// warm-up: JIT, connections, Redis scripts
if (!ackOnly) await h.say(8_999_999, 'SOFA-001');

const acks: number[] = [];
const started = performance.now();
let next = 0;
async function worker() {
  while (next < updates.length) {
    const update = updates[next++]!;
    const t0 = performance.now();
    const res = await h.post(update);
    acks.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  }
}
await Promise.all(Array.from({ length: concurrency! }, worker));
const acked = performance.now();
await h.settle();
const done = performance.now();

acks.sort((a, b) => a - b);
const pct = (p: number) => acks[Math.min(acks.length - 1, Math.floor(acks.length * p))]!.toFixed(2);
const sent = h.api.messages().length;
console.log(
  `${updates.length} updates (${chats} chats × ${perChat}), ${concurrency} concurrent webhook posts, Redis state${ackOnly ? ', ack only (in-process app.request, no turns)' : ''}`,
);
console.log(
  `webhook: ${(updates.length / ((acked - started) / 1000)).toFixed(0)} acks/s, ack latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`,
);
if (!ackOnly)
  console.log(
    `end to end: ${(updates.length / ((done - started) / 1000)).toFixed(0)} turns/s (${((done - started) / 1000).toFixed(2)} s until every reply was sent; ${sent} Bot API messages)`,
  );
await h.close();
