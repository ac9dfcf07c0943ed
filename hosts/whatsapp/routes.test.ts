import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ShopperEvent } from '../../engine/events.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { Logger, TrackedEvent } from '../runtime/ports.ts';
import { NumberDirectory } from './numbers.ts';
import { staticNumbers } from './testing/staticNumbers.ts';
import { envelope, message, signedRequest, status } from './testing/payloads.ts';
import { whatsappRoutes } from './routes.ts';
import { stateWindowStore, type CustomerWindowStore } from './window.ts';
import { redisTestState } from './testing/redis.ts';
import { StateUnavailableError } from '../../storage/state/errors.ts';

const SECRET = 'app-secret-for-tests';
const VERIFY = 'verify-me';
const ALMATY = { phoneNumberId: '106540352242922' };
const NOW = new Date('2026-03-02T10:00:00Z');
const silent: Logger = { info() {}, warn() {}, error() {} };

let state: StateBackend;
let window: CustomerWindowStore;
let accepted: { address: ConversationAddress; id: string; event: ShopperEvent }[];
let seen: Set<string>;
let tracked: TrackedEvent[];
let statuses: string[];
let app: ReturnType<typeof whatsappRoutes>;

beforeAll(async () => {
  state = await redisTestState('wa-hook');
  window = stateWindowStore(state.snapshots);
});
afterAll(async () => state.close());

beforeEach(() => {
  accepted = [];
  seen = new Set();
  tracked = [];
  statuses = [];
  app = whatsappRoutes({
    verifyToken: VERIFY,
    appSecret: SECRET,
    numbers: new NumberDirectory(
      staticNumbers([{ city: 'almaty', phoneNumberId: ALMATY.phoneNumberId, templateName: 'zeta_update' }]),
    ),
    runtime: {
      // the runtime's inbox contract: an id seen before is a duplicate
      async accept(address, id, event) {
        if (seen.has(id)) return 'duplicate';
        seen.add(id);
        accepted.push({ address, id, event });
        return 'accepted';
      },
    },
    window,
    analytics: { track: async (e) => void tracked.push(e) },
    onStatus: async (s) => void statuses.push(`${s.id}:${s.status}`),
    clock: () => NOW,
    log: silent,
  });
});

const post = (body: unknown, headers?: Record<string, string>) => {
  const signed = signedRequest(body, SECRET);
  return app.request('/webhooks/whatsapp', {
    method: 'POST',
    body: signed.body,
    headers: { ...signed.headers, ...headers },
  });
};

describe('GET /webhooks/whatsapp (verification)', () => {
  it('answers the challenge as text/plain when the verify token matches', async () => {
    const res = await app.request(
      '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1158201444');
  });
  it('403 on a wrong token or mode', async () => {
    expect(
      (await app.request('/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1')).status,
    ).toBe(403);
    // a prefix, an extension or nothing at all is not the token
    for (const token of ['verify', 'verify-me-too', '']) {
      expect(
        (await app.request(`/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1`)).status,
      ).toBe(403);
    }
    expect((await app.request('/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1')).status).toBe(403);
    expect(
      (await app.request('/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1')).status,
    ).toBe(403);
    expect((await app.request('/webhooks/whatsapp')).status).toBe(403);
  });
});

describe('POST /webhooks/whatsapp', () => {
  const from = '77011234567';
  const at = new Date(NOW.getTime() - 5_000);

  it('maps every inbound type in Meta shapes to engine events (wamid = message id)', async () => {
    const messages = [
      message({ type: 'text', body: 'Ищу диван до 300 тыс' }, { from, at }),
      message({ type: 'text', body: '/start' }, { from, at }),
      message({ type: 'image', mediaId: '1479537139650973', caption: 'Такой есть?' }, { from, at }),
      message({ type: 'audio', mediaId: '1003383421387256', voice: true }, { from, at }),
      message({ type: 'button_reply', id: 'a:SOFA-001', title: 'Следить за ценой' }, { from, at }),
      message({ type: 'list_reply', id: 'p:SOFA-002', title: 'Диван Комфорт', description: '250 000 ₸' }, { from, at }),
      message({ type: 'template_button', payload: 'p:SOFA-003', text: 'Посмотреть' }, { from, at }),
      message({ type: 'location', latitude: 43.238949, longitude: 76.889709, name: 'Алматы' }, { from, at }),
      message({ type: 'sticker', mediaId: 'S1' }, { from, at }),
      message({ type: 'document', mediaId: 'D1' }, { from, at }),
      message(
        { type: 'document', mediaId: 'D2', filename: 'IMG_0042.JPG', mime: 'image/jpeg', caption: 'Такой есть?' },
        { from, at },
      ),
      message({ type: 'reaction', messageId: 'wamid.X', emoji: '👍' }, { from, at }),
      message({ type: 'other', kind: 'system' }, { from, at }),
      message({ type: 'other', kind: 'request_welcome' }, { from, at }),
    ];
    const res = await post(envelope(ALMATY, { messages }));
    expect(res.status).toBe(200);
    const iso = NOW.toISOString();
    expect(accepted.map((a) => a.event)).toEqual([
      { type: 'text', text: 'Ищу диван до 300 тыс', at: iso },
      { type: 'command', command: 'start', at: iso },
      { type: 'image', ref: '1479537139650973', caption: 'Такой есть?', at: iso },
      { type: 'voice', ref: '1003383421387256', at: iso },
      { type: 'choice', id: 'a:SOFA-001', at: iso },
      { type: 'choice', id: 'p:SOFA-002', at: iso },
      { type: 'choice', id: 'p:SOFA-003', at: iso },
      { type: 'location', latitude: 43.238949, longitude: 76.889709, at: iso },
      { type: 'unsupported', kind: 'sticker', at: iso },
      { type: 'unsupported', kind: 'document', ref: 'D1', at: iso },
      { type: 'image', ref: 'D2', caption: 'Такой есть?', at: iso },
      { type: 'command', command: 'start', at: iso },
    ]);
    expect(accepted.map((a) => a.id)).toEqual([...messages.slice(0, 11), messages[13]!].map((m) => m.id));
    expect(accepted[0]!.address).toEqual({ channel: 'whatsapp', city: 'almaty', chatId: from });
    // the 24-hour window starts at the shopper's message time
    expect((await window.lastInbound({ channel: 'whatsapp', city: 'almaty', chatId: from }))?.getTime()).toBe(
      Math.floor(at.getTime() / 1000) * 1000,
    );
  });

  it("turns the «📱» number button and a shared contact card into contact events, own only for the sender's number", async () => {
    const messages = [
      message({ type: 'button_reply', id: 'contact', title: '📱 +7 701 123 45 67' }, { from, at }),
      message({ type: 'list_reply', id: 'contact', title: '📱 +7 701 123 45 67' }, { from, at }),
      message({ type: 'contacts', name: 'Я', phones: [{ phone: '+7 701 123 45 67', wa_id: from }] }, { from, at }),
      message(
        { type: 'contacts', name: 'Жена', phones: [{ phone: '+7 701 999 88 77', wa_id: '77019998877' }] },
        { from, at },
      ),
      // a number not on WhatsApp comes without a wa_id: never the sender's
      message({ type: 'contacts', name: 'Дача', phones: [{ phone: '+7 727 111 22 33' }] }, { from, at }),
      message({ type: 'contacts', name: 'Пусто', phones: [] }, { from, at }),
    ];
    expect((await post(envelope(ALMATY, { messages }))).status).toBe(200);
    const iso = NOW.toISOString();
    expect(accepted.map((a) => a.event)).toEqual([
      { type: 'contact', phone: '+77011234567', own: true, at: iso },
      { type: 'contact', phone: '+77011234567', own: true, at: iso },
      { type: 'contact', phone: '+77011234567', own: true, at: iso },
      { type: 'contact', phone: '+77019998877', own: false, at: iso },
      { type: 'contact', phone: '+7 727 111 22 33', own: false, at: iso },
      { type: 'unsupported', kind: 'contacts', at: iso },
    ]);
  });

  it('drops a message repeated within one POST and across POSTs', async () => {
    const m = message({ type: 'text', body: 'привет' }, { from, at });
    expect((await post(envelope(ALMATY, { messages: [m, m] }))).status).toBe(200);
    expect((await post(envelope(ALMATY, { messages: [m] }))).status).toBe(200);
    expect(accepted).toHaveLength(1);
  });

  it('records statuses (sent, delivered, read, failed with its code) as analytics', async () => {
    const res = await post(
      envelope(ALMATY, {
        statuses: [
          status({ id: 'wamid.A', status: 'sent', recipient: from }),
          status({ id: 'wamid.A', status: 'delivered', recipient: from }),
          status({ id: 'wamid.A', status: 'read', recipient: from }),
          status({
            id: 'wamid.B',
            status: 'failed',
            recipient: from,
            error: { code: 131047, title: 'Re-engagement message' },
          }),
        ],
      }),
    );
    expect(res.status).toBe(200);
    expect(tracked.map((t) => [t.name, t.props?.status, t.props?.errorCode])).toEqual([
      ['whatsapp.status', 'sent', undefined],
      ['whatsapp.status', 'delivered', undefined],
      ['whatsapp.status', 'read', undefined],
      ['whatsapp.status', 'failed', 131047],
    ]);
    expect(statuses).toEqual(['wamid.A:sent', 'wamid.A:delivered', 'wamid.A:read', 'wamid.B:failed']);
  });

  it('ignores an unknown business number (200) and other objects (200)', async () => {
    const unknown = envelope({ phoneNumberId: '999' }, { messages: [message({ type: 'text', body: 'x' }, { from })] });
    expect((await post(unknown)).status).toBe(200);
    const page = { object: 'page', entry: [{ id: '1', changes: [] }] };
    const res = await post(page);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ignored');
    expect(accepted).toHaveLength(0);
  });

  it('401 on a bad or missing signature, before parsing', async () => {
    const body = JSON.stringify(envelope(ALMATY, { messages: [message({ type: 'text', body: 'x' }, { from })] }));
    const missing = await app.request('/webhooks/whatsapp', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(missing.status).toBe(401);
    const wrong = await app.request('/webhooks/whatsapp', {
      method: 'POST',
      body,
      headers: { 'x-hub-signature-256': signedRequest(body, 'other-secret').headers['x-hub-signature-256']! },
    });
    expect(wrong.status).toBe(401);
    const garbage = await app.request('/webhooks/whatsapp', {
      method: 'POST',
      body: 'not json',
      headers: { 'x-hub-signature-256': 'sha256=zz' },
    });
    expect(garbage.status).toBe(401);
    expect(accepted).toHaveLength(0);
  });

  it('400 on malformed JSON or an envelope that does not validate', async () => {
    expect((await post('{"object": "whatsapp_business_account", "entry": [')).status).toBe(400);
    expect(
      (
        await post({
          object: 'whatsapp_business_account',
          entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata: {} } }] }],
        })
      ).status,
    ).toBe(400);
  });

  it('413 on a body over 1 MB', async () => {
    const big = JSON.stringify({ object: 'whatsapp_business_account', entry: [], pad: 'x'.repeat(1024 * 1024) });
    expect((await post(big)).status).toBe(413);
    // without a content-length header the stream is cut at the limit
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let n = 0; n < 20; n++) controller.enqueue(new Uint8Array(100_000));
        controller.close();
      },
    });
    const res = await app.request('/webhooks/whatsapp', {
      method: 'POST',
      body: stream,
      headers: { 'x-hub-signature-256': 'sha256=00' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  const failingWith = (error: Error) =>
    whatsappRoutes({
      verifyToken: VERIFY,
      appSecret: SECRET,
      numbers: new NumberDirectory(staticNumbers([{ city: 'almaty', phoneNumberId: ALMATY.phoneNumberId }])),
      runtime: {
        accept: async () => {
          throw error;
        },
      },
      window,
      clock: () => NOW,
      log: silent,
    });
  const deliver = (app: ReturnType<typeof whatsappRoutes>) => {
    const signed = signedRequest(
      envelope(ALMATY, { messages: [message({ type: 'text', body: 'x' }, { from })] }),
      SECRET,
    );
    return app.request('/webhooks/whatsapp', { method: 'POST', body: signed.body, headers: signed.headers });
  };

  it('503 while the store is down, so Meta delivers again', async () => {
    const res = await deliver(failingWith(new StateUnavailableError('redis is unreachable')));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
  });

  it('500 when accepting fails otherwise (Meta delivers again too)', async () => {
    const res = await deliver(failingWith(new Error('a bug')));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'error', message: 'internal error' } });
  });
});
