import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopperEvent } from '../../engine/events.ts';
import { StateUnavailableError } from '../../storage/state/errors.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import { createWebHost } from './host.ts';
import { ChatUploads } from './uploads.ts';

/**
 * The web host's routes in front of a stand-in runtime (the whole platform is exercised by
 * routes.test.ts): what a turn becomes, and the channels' failure policy.
 */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('pglite');
}, 60_000);
afterAll(async () => t?.close());

function hostWith(converse: (address: ConversationAddress, id: string, event: ShopperEvent) => Promise<unknown>) {
  return createWebHost(
    { converse: converse as never },
    { cityExists: async (slug) => slug === 'almaty', uploads: new ChatUploads({ db: t.db }), log: silent },
  );
}
const silent = { info() {}, warn() {}, error() {} };
const chat = (host: Awaited<ReturnType<typeof hostWith>>, body: object) =>
  host.routes.request('/almaty', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the web host', () => {
  it('answers a turn with its replies; a command is parsed as on every channel', async () => {
    const seen: ShopperEvent[] = [];
    const host = await hostWith(async (_address, _id, event) => {
      seen.push(event);
      return [{ type: 'text', text: 'Здравствуйте!' }];
    });
    const res = await chat(host, { userId: 'u1', text: '/lang@zeta_bot en' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ replies: [{ type: 'text', text: 'Здравствуйте!' }] });
    expect(seen).toEqual([{ type: 'command', command: 'lang', args: 'en', at: expect.any(String) }]);
    expect(host.channel).toBe('web');
  });

  it("takes a shared phone as someone else's whatever the client claims; a phone question reaches the client as it is", async () => {
    const seen: ShopperEvent[] = [];
    const question = {
      type: 'choices',
      text: 'Ваш номер телефона?',
      options: [
        { id: 'contact', label: '📱 Отправить номер', request: 'contact' },
        { id: 'cancel', label: '✖️ Отмена' },
      ],
    };
    const host = await hostWith(async (_address, _id, event) => {
      seen.push(event);
      return [question];
    });
    const res = await chat(host, { userId: 'u1', contact: { phone: ' +77011234567 ', own: true } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ replies: [question] });
    expect(seen).toEqual([{ type: 'contact', phone: '+77011234567', own: false, at: expect.any(String) }]);
    // not a phone number's length, or no number at all: refused by name
    for (const contact of [{ phone: '1'.repeat(33) }, { phone: '' }, {}]) {
      const refused = await chat(host, { userId: 'u1', contact });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(await refused.json())).toContain('contact');
    }
    expect(seen).toHaveLength(1);
  });

  it('answers 503 while the store is down, so the client retries', async () => {
    const host = await hostWith(async () => {
      throw new StateUnavailableError('redis is unreachable');
    });
    const res = await chat(host, { userId: 'u1', text: 'диван' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
  });

  it('answers 500 when a turn fails otherwise', async () => {
    const host = await hostWith(async () => {
      throw new Error('a bug');
    });
    const res = await chat(host, { userId: 'u1', text: 'диван' });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'error', message: 'internal error' } });
  });
});
