import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import type { Logger, RecordPort, TurnRecords } from './ports.ts';
import { decodeTurnRecords, encodeTurnRecords, RecordRelay } from './relay.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const address = { channel: 'telegram' as const, city: 'almaty', chatId: '42' };
const at = new Date('2026-11-26T10:00:00.000Z');
const turn = (id: string): TurnRecords => ({
  key: `telegram:almaty:42|${id}`,
  messages: [
    {
      address,
      conversationKey: 'telegram:almaty:42',
      direction: 'in',
      text: 'диван',
      payload: { type: 'text', text: 'диван', at: at.toISOString() },
      at,
    },
    {
      address,
      conversationKey: 'telegram:almaty:42',
      direction: 'out',
      text: 'Нашёл 12 диванов',
      payload: { type: 'text', text: 'Нашёл 12 диванов' },
      at,
    },
  ],
  tracked: [
    { name: 'search', address, conversationKey: 'telegram:almaty:42', props: { query: 'диван', total: 12 }, at },
  ],
});

const logged: { level: string; msg: string | undefined }[] = [];
const log: Logger = {
  info: () => undefined,
  warn: (_o, msg) => void logged.push({ level: 'warn', msg }),
  error: (_o, msg) => void logged.push({ level: 'error', msg }),
};

describe('turn records encoding', () => {
  it('round-trips a turn (dates revived, address stored once)', () => {
    const data = encodeTurnRecords(turn('u1'))!;
    expect(decodeTurnRecords(data)).toEqual(turn('u1'));
    expect(data.match(/almaty/g)?.length).toBeLessThan(4);
    const staff = { ...turn('u2'), testTraffic: true };
    expect(decodeTurnRecords(encodeTurnRecords(staff)!)).toEqual(staff);
  });

  it('a turn with leads round-trips through another process (read from the text); a malformed lead does not decode', () => {
    const lead = {
      flow: 'measure',
      slots: { address: 'Абая 1' },
      history: [{ role: 'shopper' as const, text: 'замер', at: at.toISOString() }],
    };
    const withLead: TurnRecords = {
      ...turn('l1'),
      leads: [{ ...lead, address, conversationKey: 'telegram:almaty:42', at }],
    };
    // a trailing space: not the text this process queued, so it is parsed as another process would
    const data = `${encodeTurnRecords(withLead)!} `;
    expect(decodeTurnRecords(data)).toEqual(withLead);
    const broken = JSON.stringify({ ...JSON.parse(data), leads: [{ ...lead, slots: { address: 42 } }] });
    expect(decodeTurnRecords(broken)).toBeUndefined();
  });

  it('a turn with nothing to record is not queued; garbage does not decode', () => {
    expect(encodeTurnRecords({ key: 'k|1', messages: [], tracked: [] })).toBeUndefined();
    for (const bad of [
      '',
      '{',
      '{"key":1}',
      JSON.stringify({ ...JSON.parse(encodeTurnRecords(turn('u'))!), at: 'not a date' }),
    ])
      expect(decodeTurnRecords(bad)).toBeUndefined();
  });
});

type Backend = { name: string; open(): Promise<StateBackend>; cleanup(): Promise<void> };

async function redisBackend(): Promise<Backend> {
  const keyPrefix = `zt:relay:${randomUUID().slice(0, 8)}:`;
  return {
    name: 'redis',
    open: () => createStateBackend({ redisUrl: REDIS_URL, keyPrefix }),
    async cleanup() {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

let pglite: TestDatabase;
beforeAll(async () => {
  pglite = await createTestDatabase('pglite');
});
afterAll(async () => {
  await pglite?.close();
});
const embeddedBackend = async (): Promise<Backend> => {
  const keyPrefix = `relay-${randomUUID().slice(0, 8)}:`;
  return {
    name: 'embedded',
    open: () => createStateBackend({ db: pglite.db, keyPrefix }),
    cleanup: async () => undefined,
  };
};

describe.each([
  ['redis', redisBackend],
  ['embedded', embeddedBackend],
] as const)('RecordRelay on %s', (_name, make) => {
  // each test checks its own log lines, not the other backend's
  beforeEach(() => {
    logged.length = 0;
  });
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 100 && !done(); i++) await sleep(20);
  };
  /** what the database would hold: rows by key, so a repeated write shows as no new rows */
  const database = () => {
    const rows = new Map<string, TurnRecords>();
    let writes = 0;
    let failNext = 0;
    const port: RecordPort = {
      async write(turns) {
        if (failNext > 0) {
          failNext--;
          throw new Error('database unavailable');
        }
        writes++;
        for (const t of turns) rows.set(t.key, t);
      },
    };
    return { port, rows, writes: () => writes, fail: (n: number) => void (failNext = n) };
  };
  const queue = async (state: StateBackend, id: string) => {
    await state.inbox.accept('telegram:almaty:42', { id, payload: id });
    await state.inbox.ack('telegram:almaty:42', id, encodeTurnRecords(turn(id)));
  };

  it('writes what acknowledgements queued, in batches, and empties the outbox', async () => {
    const backend = await make();
    const state = await backend.open();
    const db = database();
    const relay = new RecordRelay(state.outbox, db.port, log, { batch: 2 });
    try {
      for (const id of ['a', 'b', 'c']) await queue(state, id);
      relay.kick();
      await relay.flush();
      expect([...db.rows.keys()].sort()).toEqual(['a', 'b', 'c'].map((id) => `telegram:almaty:42|${id}`));
      expect(db.rows.get('telegram:almaty:42|a')).toEqual(turn('a'));
      expect(db.writes()).toBe(2);
      expect(await state.outbox.size()).toBe(0);
    } finally {
      await relay.close();
      await state.close();
      await backend.cleanup();
    }
  });

  it('a failed write leaves the records queued; they are written once the database is back', async () => {
    const backend = await make();
    const state = await backend.open();
    const db = database();
    const relay = new RecordRelay(state.outbox, db.port, log, { reclaimMs: 100, pollMs: 50 });
    try {
      await queue(state, 'x');
      db.fail(1);
      await relay.flush();
      expect(db.rows.size).toBe(0);
      expect(await state.outbox.size()).toBe(1);
      relay.start();
      await until(() => db.rows.size > 0);
      await relay.flush();
      expect([...db.rows.keys()]).toEqual(['telegram:almaty:42|x']);
      expect(await state.outbox.size()).toBe(0);
      expect(logged.some((l) => l.level === 'warn' && l.msg?.includes('stay in the outbox'))).toBe(true);
    } finally {
      await relay.close();
      await state.close();
      await backend.cleanup();
    }
  });

  it('records a dead process had taken are written by the next relay; an unreadable entry is dropped', async () => {
    const backend = await make();
    const first = await backend.open();
    await queue(first, 'm1');
    await first.inbox.accept('telegram:almaty:42', { id: 'bad', payload: 'bad' });
    await first.inbox.ack('telegram:almaty:42', 'bad', '{"not":"a turn"}');
    // the dead relay took everything and never finished
    expect(await first.outbox.take(10, 100)).toHaveLength(2);
    await first.close();

    const second = await backend.open();
    const db = database();
    const relay = new RecordRelay(second.outbox, db.port, log, { reclaimMs: 100, pollMs: 50 });
    try {
      relay.start();
      await until(() => db.rows.size > 0);
      await relay.flush();
      expect([...db.rows.keys()]).toEqual(['telegram:almaty:42|m1']);
      expect(await second.outbox.size()).toBe(0);
      expect(logged.some((l) => l.level === 'error' && l.msg?.includes('unreadable turn record'))).toBe(true);
    } finally {
      await relay.close();
      await second.close();
      await backend.cleanup();
    }
  });
});
