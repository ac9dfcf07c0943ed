import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateBackend, type StateBackend } from '../../storage/state/index.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { memorySentBatchStore, stateSentBatchStore, type SentBatch, type SentBatchStore } from './sentBatches.ts';

let pglite: TestDatabase;
const backends: StateBackend[] = [];
beforeAll(async () => {
  pglite = await createTestDatabase('pglite');
});
afterAll(async () => {
  for (const backend of backends) await backend.close();
  await pglite?.close();
});

const open = async (make: () => Promise<StateBackend>) => {
  const backend = await make();
  backends.push(backend);
  return backend;
};

const stores: [string, () => Promise<{ store: SentBatchStore; raw?: StateBackend }>][] = [
  [
    'redis',
    async () => {
      const raw = await open(() =>
        createStateBackend({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix: `sent-${randomUUID().slice(0, 8)}:` }),
      );
      return { store: stateSentBatchStore(raw.snapshots), raw };
    },
  ],
  [
    'embedded',
    async () => {
      const raw = await open(() =>
        createStateBackend({ db: pglite.db, keyPrefix: `sent-${randomUUID().slice(0, 8)}:` }),
      );
      return { store: stateSentBatchStore(raw.snapshots), raw };
    },
  ],
  ['memory', async () => ({ store: memorySentBatchStore() })],
];

const batch: SentBatch = {
  id: 'batch-1',
  address: { channel: 'whatsapp', city: 'almaty', chatId: '77010000001' },
  replies: [{ type: 'text', text: 'Цена снизилась!' }],
};

describe.each(stores)('sent batches on %s', (_name, make) => {
  it("finds a remembered message's batch; an unknown message has none", async () => {
    const { store } = await make();
    await store.remember('wamid.A', batch);
    await store.remember('wamid.B', batch);
    expect(await store.lookup('wamid.A')).toEqual(batch);
    expect(await store.lookup('wamid.B')).toEqual(batch);
    expect(await store.lookup('wamid.unknown')).toBeUndefined();
  });

  it('lets one caller claim a batch, again only after it was released', async () => {
    const { store } = await make();
    const claims = await Promise.all([store.claim('batch-9'), store.claim('batch-9'), store.claim('batch-9')]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    await store.unclaim('batch-9');
    expect(await store.claim('batch-9')).toBe(true);
    expect(await store.claim('batch-9')).toBe(false);
  });
});

describe.each(stores.slice(0, 2))('sent batches read back from %s', (_name, make) => {
  it('reads stored data that is not a batch as unknown instead of failing', async () => {
    const { store, raw } = await make();
    await raw!.snapshots.write('wa-sent:wamid.bad', '{"id":1}', 0);
    await raw!.snapshots.write('wa-sent:wamid.garbage', 'not json', 0);
    expect(await store.lookup('wamid.bad')).toBeUndefined();
    expect(await store.lookup('wamid.garbage')).toBeUndefined();
  });
});
