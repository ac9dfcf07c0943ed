import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { listEscalationMessages } from '../../storage/repos/escalations.ts';
import { EscalationMediaKeeper } from '../escalations/index.ts';
import { createAdminHarness, type AdminHarness } from './testing.ts';

const PHOTO = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 7, 7]);

describe.each(TEST_BACKENDS)('escalation media route on %s', (kind) => {
  let h: AdminHarness;
  let escalationId: string;
  let photoMessageId: string;
  let textMessageId: string;
  beforeAll(async () => {
    h = await createAdminHarness(kind, {
      media: (db) =>
        new EscalationMediaKeeper(db, {
          fetch: async (_address, ref) => {
            if (ref === 'wa-photo-1') return { bytes: PHOTO, mime: 'image/jpeg', filename: 'wa-photo-1.jpg' };
            if (ref === 'wa-svg')
              return {
                bytes: new TextEncoder().encode('<svg onload="alert(1)"/>'),
                mime: 'image/svg+xml',
                filename: 'x.svg',
              };
            throw new Error('expired');
          },
          storeChannels: ['whatsapp'],
          maxBytes: 1024,
        }),
    });
    const service = h.deps.escalations;
    await h.call('POST', '/cities', { as: 'owner', body: { name: 'Шымкент', slug: 'shymkent' } });
    escalationId = await service.open({
      address: { channel: 'whatsapp', city: 'shymkent', chatId: '77011234567' },
      conversationKey: 'whatsapp:shymkent:77011234567',
      reason: 'asked for a manager',
      trigger: 'request',
      history: [],
      idempotencyKey: 'wamid.media.1',
    });
    await service.shopperWrote(escalationId, '📷 photo: wa-photo-1', { kind: 'photo', ref: 'wa-photo-1' });
    await service.shopperWrote(escalationId, 'вот такой', undefined);
    await service.shopperWrote(escalationId, '📷 photo: wa-svg', { kind: 'photo', ref: 'wa-svg' });
    const messages = await listEscalationMessages(h.t.db, escalationId);
    photoMessageId = messages[0]!.id;
    textMessageId = messages[1]!.id;
  });
  afterAll(async () => h?.close());

  it('the inbox marks the photo and serves its bytes to staff', async () => {
    const one = (await (await h.call('GET', `/escalations/${escalationId}`, { as: 'viewer' })).json()) as {
      messages: { id: string; media?: string }[];
    };
    expect(one.messages.map((m) => m.media ?? null)).toEqual(['photo', null, 'photo']);
    const res = await h.call('GET', `/escalations/${escalationId}/messages/${photoMessageId}/media`, { as: 'manager' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PHOTO);
  });

  it('refuses anonymous callers, 404s a message without media, and never serves an SVG inline', async () => {
    expect((await h.call('GET', `/escalations/${escalationId}/messages/${photoMessageId}/media`)).status).toBe(401);
    expect(
      (await h.call('GET', `/escalations/${escalationId}/messages/${textMessageId}/media`, { as: 'viewer' })).status,
    ).toBe(404);
    expect(
      (await h.call('GET', `/escalations/${escalationId}/messages/not-a-uuid/media`, { as: 'viewer' })).status,
    ).toBe(404);
    const svgId = (await listEscalationMessages(h.t.db, escalationId))[2]!.id;
    const svg = await h.call('GET', `/escalations/${escalationId}/messages/${svgId}/media`, { as: 'viewer' });
    expect(svg.headers.get('content-type')).toBe('application/octet-stream');
  });
});
