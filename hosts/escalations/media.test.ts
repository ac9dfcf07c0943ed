import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../storage/testing.ts';
import { memoryPubSub } from '../../storage/state/embedded/pubsub.ts';
import { createCity } from '../../storage/repos/cities.ts';
import { dropStoredMediaBefore } from '../../storage/repos/escalationMedia.ts';
import { listEscalationMessages } from '../../storage/repos/escalations.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { Media } from '../runtime/ports.ts';
import { EscalationMediaKeeper, EscalationService } from './index.ts';

const PHOTO = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const VOICE = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 9]);

describe.each(TEST_BACKENDS)('escalation media on %s', (kind) => {
  let t: TestDatabase;
  let service: EscalationService;
  /** what each channel can still download: WhatsApp ids expire, Telegram file_ids do not */
  const downloadable = new Map<string, Media>();
  const downloads: string[] = [];
  const forwarded: unknown[] = [];

  const open = (channel: 'telegram' | 'whatsapp', chatId: string) =>
    service.open({
      address: { channel, city: 'almaty', chatId },
      conversationKey: `${channel}:almaty:${chatId}`,
      reason: 'wants a human',
      trigger: 'request',
      history: [],
      idempotencyKey: `media-${channel}-${chatId}`,
    });

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    await createCity(t.db, { name: 'Алматы', slug: 'almaty' });
    const media = new EscalationMediaKeeper(t.db, {
      fetch: async (address: ConversationAddress, ref: string) => {
        downloads.push(`${address.channel}:${ref}`);
        const found = downloadable.get(ref);
        if (!found) throw new Error(`media ${ref} expired`);
        return found;
      },
      storeChannels: ['whatsapp'],
      maxBytes: 6,
    });
    const notifier = {
      name: 'recording',
      notify: async () => undefined,
      closed: async () => undefined,
      shopperWrote: async (_e: unknown, _text: string, _ctx: unknown, m?: unknown) => void forwarded.push(m),
    };
    service = new EscalationService({
      db: t.db,
      pubsub: memoryPubSub(),
      deliver: async () => undefined,
      media,
      notifiers: [notifier],
    });
  });
  afterAll(async () => t?.close());

  it('stores a WhatsApp photo when it arrives, so the inbox still shows it after the media id expired', async () => {
    const id = await open('whatsapp', '77010000001');
    downloadable.set('wa-voice-1', { bytes: VOICE, mime: 'audio/ogg', filename: 'wa-voice-1.ogg' });
    await service.shopperWrote(id, '🎤 voice: wa-voice-1', { kind: 'voice', ref: 'wa-voice-1' });
    downloadable.delete('wa-voice-1');
    const [message] = await listEscalationMessages(t.db, id);
    expect(message).toMatchObject({ author: 'shopper', media: 'voice' });
    expect(await service.mediaOf(id, message!.id)).toEqual({ bytes: VOICE, mime: 'audio/ogg' });
    // the managers' chat gets the bytes too: Telegram cannot use a WhatsApp media id
    expect(forwarded.at(-1)).toEqual({ kind: 'voice', ref: 'wa-voice-1', upload: { bytes: VOICE, mime: 'audio/ogg' } });
  });

  it('keeps the message but not the bytes of a file over the cap or one that cannot be downloaded', async () => {
    const id = await open('whatsapp', '77010000002');
    downloadable.set('wa-huge', { bytes: new Uint8Array(7), mime: 'image/jpeg', filename: 'wa-huge.jpg' });
    await service.shopperWrote(id, '📷 photo: wa-huge', { kind: 'photo', ref: 'wa-huge' });
    await service.shopperWrote(id, '📷 photo: wa-gone', { kind: 'photo', ref: 'wa-gone' });
    const messages = await listEscalationMessages(t.db, id);
    expect(messages.map((m) => [m.text, m.media])).toEqual([
      ['📷 photo: wa-huge', 'photo'],
      ['📷 photo: wa-gone', 'photo'],
    ]);
    expect(await service.mediaOf(id, messages[0]!.id)).toBeUndefined();
    expect(await service.mediaOf(id, messages[1]!.id)).toBeUndefined();
  });

  it('a Telegram photo is fetched by its file_id when a manager opens it, not stored', async () => {
    const id = await open('telegram', '31337');
    downloadable.set('AgAC-tg-1', { bytes: PHOTO, mime: 'image/jpeg', filename: 'photo.jpg' });
    downloads.length = 0;
    await service.shopperWrote(id, '📷 photo: AgAC-tg-1 — вот такой', {
      kind: 'photo',
      ref: 'AgAC-tg-1',
      caption: 'вот такой',
    });
    expect(downloads).toEqual([]);
    const [message] = await listEscalationMessages(t.db, id);
    expect(await service.mediaOf(id, message!.id)).toEqual({ bytes: PHOTO, mime: 'image/jpeg' });
    expect(downloads).toEqual(['telegram:AgAC-tg-1']);
    // another escalation's message id is not served through this one
    const other = await open('telegram', '31338');
    expect(await service.mediaOf(other, message!.id)).toBeUndefined();
  });

  it('retention drops stored bytes after the period; the message and its kind stay', async () => {
    const id = await open('whatsapp', '77010000003');
    downloadable.set('wa-old', { bytes: PHOTO.slice(0, 6), mime: 'image/jpeg', filename: 'wa-old.jpg' });
    await service.shopperWrote(id, '📷 photo: wa-old', { kind: 'photo', ref: 'wa-old' });
    const [message] = await listEscalationMessages(t.db, id);
    expect(await service.mediaOf(id, message!.id)).toBeDefined();
    expect(await dropStoredMediaBefore(t.db, new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    expect(await service.mediaOf(id, message!.id)).toBeUndefined();
    expect((await listEscalationMessages(t.db, id))[0]).toMatchObject({ media: 'photo' });
  });
});
