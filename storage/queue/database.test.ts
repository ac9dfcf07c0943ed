import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../state/contract/harness.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { databaseSendQueue } from './database.ts';
import type { OutboundMessage } from './types.ts';

describe.each(TEST_BACKENDS)('the journalled send queue across restarts on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => t?.close());

  const msg = (id: string): OutboundMessage => ({ id, rateKey: 'whatsapp:100', payload: `{"to":"${id}"}` });

  it('does not send again what was sent, and an id stays a duplicate after a restart', async () => {
    const namespace = `zq-${randomUUID().slice(0, 8)}:`;
    const first = await databaseSendQueue(t.db, { namespace });
    const sent: string[] = [];
    await first.start(async (m) => void sent.push(m.id));
    expect(await first.enqueue(msg('alert:1'))).toBe('queued');
    await eventually('sent', () => sent.length === 1);
    await first.close();

    const second = await databaseSendQueue(t.db, { namespace });
    const again: string[] = [];
    await second.start(async (m) => void again.push(m.id));
    expect(await second.enqueue(msg('alert:1'))).toBe('duplicate');
    expect(await second.enqueue(msg('alert:2'))).toBe('queued');
    await eventually('the new one sent', () => again.length === 1);
    expect(again).toEqual(['alert:2']);
    await second.close();
  });

  it('a message dead-lettered before the crash is not retried after it', async () => {
    const namespace = `zq-${randomUUID().slice(0, 8)}:`;
    const first = await databaseSendQueue(t.db, { namespace, attempts: 1 });
    const dead: string[] = [];
    await first.start(
      async () => {
        throw new Error('refused');
      },
      (m) => void dead.push(m.id),
    );
    await first.enqueue(msg('manager:7'));
    await eventually('dead-lettered', () => dead.length === 1);
    await first.close();

    const second = await databaseSendQueue(t.db, { namespace });
    const sent: string[] = [];
    await second.start(async (m) => void sent.push(m.id));
    await new Promise((r) => setTimeout(r, 200));
    expect(sent).toEqual([]);
    await second.close();
  });
});
