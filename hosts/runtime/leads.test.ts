import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Reply } from '../../engine/replies.ts';
import { createMemoryHost } from '../../engine/testing/memoryHost.ts';
import { analyticsStats } from '../../storage/repos/analytics.ts';
import { createCity } from '../../storage/repos/cities.ts';
import { eventually } from '../../storage/state/contract/harness.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import { eachStateBackend } from '../../storage/state/testing.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { loadFixtures } from '../cli/fixtures.ts';
import { CityDirectory } from '../platform/cities.ts';
import { recordWriters } from '../platform/ports/records.ts';
import { worldPorts } from '../whatsapp/testing/worldPorts.ts';
import type { ConversationAddress } from './address.ts';
import type { ChannelPort, RuntimePorts, TurnRecords } from './ports.ts';
import type { Timers } from './retry.ts';
import { ConversationRuntime, type RuntimeOptions } from './runtime.ts';

/**
 * A turn whose engine step asks for `recordLead` leaves exactly one lead in the database, through
 * the runtime, its outbox, the relay and the platform's record writer — also when the process that
 * committed the turn died while sending and the next one delivered it, and when the relay writes
 * the same turn twice. No shipped scenario records a lead yet (designer flows, issue 19), so the
 * engine's real step is wrapped: the words below make it also ask for a lead.
 */
vi.mock('../../engine/index.ts', async (importOriginal) => {
  const engine = await importOriginal<typeof import('../../engine/index.ts')>();
  const step: typeof engine.step = (scenario, persisted, event, init) => {
    const result = engine.step(scenario, persisted, event, init);
    const said = event as { type?: string; text?: string; at?: string };
    if (said.type !== 'text') return result;
    if (said.text === 'вызвать замерщика') {
      const lead = {
        type: 'recordLead' as const,
        flow: 'measure',
        slots: { address: 'Абая 1', phone: '+77011234567' },
        history: [{ role: 'shopper' as const, text: said.text, at: said.at! }],
      };
      return { ...result, effects: [lead, ...result.effects] };
    }
    if (said.text === 'замер 🛋') {
      // what PostgreSQL refuses: a NUL, and an emoji cut in half by the 4,000-character bound
      const lead = {
        type: 'recordLead' as const,
        flow: 'measure',
        slots: { address: 'Абая\u0000 1' },
        history: [{ role: 'shopper' as const, text: `${'а'.repeat(3_999)}🛋`, at: said.at! }],
      };
      return { ...result, effects: [lead, ...result.effects] };
    }
    return result;
  };
  return { ...engine, step };
});

const AT = '2026-12-01T10:00:00.000Z';
const shopper: ConversationAddress = { channel: 'web', city: 'almaty', chatId: 'lead-1' };
const text = (words: string) => ({ type: 'text' as const, text: words, at: AT });
const quiet = { info() {}, warn() {}, error() {} };
const noMedia = async () => Promise.reject(new Error('no media here'));
/** retry timers that never fire: the process "dies" with its retry pending */
const frozen: Timers = { set: () => 0, clear: () => {} };

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('pglite');
  await createCity(database.db, { name: 'Алматы', slug: 'almaty' });
});
afterAll(async () => database?.close());

describe.each(eachStateBackend('runtime-leads'))('recordLead through the runtime on %s state', (_name, open) => {
  let state: StateBackend | undefined;
  const runtimes: ConversationRuntime[] = [];
  afterEach(async () => {
    for (const runtime of runtimes.splice(0)) await runtime.close();
    await state?.close();
    state = undefined;
    await database.db.deleteFrom('leads').execute();
    await database.db.deleteFrom('analytics_events').execute();
  });

  async function runtimeWith(ports: Partial<RuntimePorts> & { channel: ChannelPort }, opts: RuntimeOptions = {}) {
    const fixtures = await loadFixtures();
    const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
    state ??= await open();
    const cities = new CityDirectory(database.db);
    await cities.reload();
    const { channel, ...rest } = ports;
    const runtime = new ConversationRuntime(
      {
        scenarios: { forConversation: () => fixtures.scenario },
        ...worldPorts({ host, now: () => AT }),
        records: recordWriters(database.db, cities, quiet).recordPort,
        channels: { web: channel },
        clock: () => new Date(AT),
        log: quiet,
        ...rest,
      },
      state,
      opts,
    );
    runtimes.push(runtime);
    return runtime;
  }
  const leads = () => database.db.selectFrom('leads').selectAll().execute();

  it('a committed turn asking for a lead leaves one row with the slots, the conversation and a lead event', async () => {
    const sent: Reply[][] = [];
    const runtime = await runtimeWith({
      channel: { send: async (_a, replies) => void sent.push(replies), fetchMedia: noMedia },
    });
    await runtime.converse(shopper, 'm1', text('вызвать замерщика'));
    await runtime.converse(shopper, 'm2', text('спасибо'));
    await runtime.idle();
    await eventually('the lead written', async () => (await leads()).length === 1);
    const [row] = await leads();
    expect(row).toMatchObject({
      record_key: 'web:almaty:lead-1|m1|l0',
      channel: 'web',
      user_id: 'lead-1',
      conversation_key: 'web:almaty:lead-1',
      flow: 'measure',
      slots: { address: 'Абая 1', phone: '+77011234567' },
      history: [{ role: 'shopper', text: 'вызвать замерщика', at: AT }],
      status: 'new',
      is_test: false,
    });
    expect(row!.city_id).not.toBeNull();
    expect(row!.created_at.toISOString()).toBe(AT);
    const events = await database.db
      .selectFrom('analytics_events')
      .select(['metadata'])
      .where('event_type', '=', 'lead')
      .where('conversation_key', '=', 'web:almaty:lead-1')
      .execute();
    expect(events.map((e) => e.metadata)).toContainEqual({ flow: 'measure' });
    // which the dashboard counts
    const stats = await analyticsStats(database.db, {
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2026-12-02T00:00:00Z'),
    });
    expect(stats.totals.leads).toBe(1);
    expect(sent.length).toBe(2);
  });

  it('a lead with what PostgreSQL refuses (a NUL, half an emoji) is stored without it, and the records behind it flow', async () => {
    const runtime = await runtimeWith({ channel: { send: async () => {}, fetchMedia: noMedia } });
    await runtime.converse(shopper, 'm1', text('замер 🛋'));
    await runtime.converse(shopper, 'm2', text('вызвать замерщика'));
    await runtime.idle();
    await eventually('both leads written', async () => (await leads()).length === 2);
    const rows = await database.db.selectFrom('leads').selectAll().orderBy('record_key').execute();
    expect(rows[0]!.slots).toEqual({ address: 'Абая 1' });
    expect((rows[0]!.history as { text: string }[])[0]!.text).toBe('а'.repeat(3_999));
    expect(rows[1]!.slots).toEqual({ address: 'Абая 1', phone: '+77011234567' });
  });

  it('a turn committed by a process that died while sending is delivered by the next: still one lead, even relayed twice', async () => {
    let attempts = 0;
    const dying = await runtimeWith(
      {
        channel: {
          send: async () => {
            attempts++;
            throw new Error('process killed while sending');
          },
          fetchMedia: noMedia,
        },
      },
      { timers: frozen },
    );
    await dying.accept(shopper, 'm1', text('вызвать замерщика'));
    await eventually('the send attempt', () => attempts === 1);
    await dying.close();
    expect(await dying.pendingConversations()).toBe(1);
    expect(await leads()).toEqual([]);

    const relayed: TurnRecords[] = [];
    const cities = new CityDirectory(database.db);
    await cities.reload();
    const writer = recordWriters(database.db, cities, quiet).recordPort;
    const next = await runtimeWith({
      channel: { send: async () => {}, fetchMedia: noMedia },
      brain: {
        understand: async () => {
          throw new Error('the committed turn must not be run again');
        },
      },
      records: {
        write: async (turns) => {
          relayed.push(...turns);
          await writer.write(turns);
        },
      },
    });
    expect(await next.recover()).toBe(1);
    await next.idle();
    await eventually('the lead written', async () => (await leads()).length === 1);
    // a relay that died before marking its entries done hands them out again
    await writer.write(relayed);
    expect((await leads()).map((l) => l.record_key)).toEqual(['web:almaty:lead-1|m1|l0']);
  });
});
