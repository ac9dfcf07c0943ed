import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tcpProxy } from '../state/contract/tcp-proxy.ts';
import { StateUnavailableError } from '../state/errors.ts';
import { createPeriodicJobs, createProactiveSendQueue } from './index.ts';

describe('queues when Redis is unavailable', () => {
  it('refuse to open with StateUnavailableError', async () => {
    const proxy = await tcpProxy(6379);
    await proxy.cut();
    const redisUrl = `redis://127.0.0.1:${proxy.port}`;
    await expect(
      createProactiveSendQueue({ redisUrl, keyPrefix: 'zq:down:', commandTimeoutMs: 300 }),
    ).rejects.toBeInstanceOf(StateUnavailableError);
    await expect(createPeriodicJobs({ redisUrl, keyPrefix: 'zq:down:', commandTimeoutMs: 300 })).rejects.toBeInstanceOf(
      StateUnavailableError,
    );
  });

  it('enqueue fails with StateUnavailableError while Redis is away', async () => {
    const proxy = await tcpProxy(6379);
    const queue = await createProactiveSendQueue({
      redisUrl: `redis://127.0.0.1:${proxy.port}`,
      keyPrefix: `zq:${randomUUID().slice(0, 8)}:`,
      commandTimeoutMs: 300,
    });
    try {
      await proxy.cut();
      await expect(queue.enqueue({ id: 'm1', rateKey: 'whatsapp:1', payload: '{}' })).rejects.toBeInstanceOf(
        StateUnavailableError,
      );
    } finally {
      await queue.close().catch(() => {});
      await proxy.close();
    }
  });
});
