import { describe, expect, it } from 'vitest';
import { adaptUpdate, type AdaptContext } from './inbound.ts';
import { formatTag } from './escalationTag.ts';
import * as u from './testing/updates.ts';

const at = '2026-11-26T10:00:00.000Z';
const ctx: AdaptContext = { at, botUsername: 'zeta_bot', botId: 7_000_000_001, managersChatId: '-100500' };
const ann = u.shopper(111);
const adapt = (update: object) => adaptUpdate(update as Record<string, unknown>, ctx);

describe('adaptUpdate', () => {
  it('turns text and commands into engine events (bot suffix stripped, other bots ignored)', () => {
    expect(adapt(u.textUpdate(1, ann, 'диван до 300 тыс'))).toEqual({
      kind: 'shopper',
      chatId: '111',
      event: { type: 'text', text: 'диван до 300 тыс', at },
      user: expect.anything(),
    });
    expect(adapt(u.commandUpdate(2, ann, '/start'))).toMatchObject({ event: { type: 'command', command: 'start' } });
    expect(adapt(u.commandUpdate(3, ann, '/lang en'))).toMatchObject({
      event: { type: 'command', command: 'lang', args: 'en' },
    });
    expect(adapt(u.commandUpdate(4, ann, '/Help@zeta_bot'))).toMatchObject({
      event: { type: 'command', command: 'help' },
    });
    expect(adapt(u.commandUpdate(5, ann, '/start@other_bot'))).toMatchObject({ kind: 'ignored' });
  });

  it('takes the largest photo size and the caption', () => {
    expect(adapt(u.photoUpdate(6, ann, 'AgACphoto', 'такой есть?'))).toMatchObject({
      event: { type: 'image', ref: 'AgACphoto', caption: 'такой есть?' },
    });
  });

  it('treats a photo sent as a file as a photo, and one over 20 MB as a photo too large to read', () => {
    expect(adapt(u.imageDocumentUpdate(16, ann, 'BQACimage', 3_000_000, 'есть такой?'))).toMatchObject({
      event: { type: 'image', ref: 'BQACimage', caption: 'есть такой?' },
    });
    expect(adapt(u.imageDocumentUpdate(17, ann, 'BQAChuge', 21 * 1024 * 1024))).toMatchObject({
      event: { type: 'unsupported', kind: 'photo_too_large', ref: 'BQAChuge' },
    });
  });

  it('maps voice and audio to voice events, location to location', () => {
    expect(adapt(u.voiceUpdate(7, ann, 'AwACvoice', 4))).toMatchObject({
      event: { type: 'voice', ref: 'AwACvoice', durationSec: 4 },
    });
    expect(adapt(u.audioUpdate(8, ann, 'CQACaudio'))).toMatchObject({ event: { type: 'voice', ref: 'CQACaudio' } });
    expect(adapt(u.locationUpdate(9, ann, 43.238, 76.945))).toMatchObject({
      event: { type: 'location', latitude: 43.238, longitude: 76.945 },
    });
  });

  it('maps a button tap to a choice and keeps the callback query id to answer', () => {
    expect(adapt(u.callbackUpdate(10, ann, 'p:SOFA-001'))).toMatchObject({
      kind: 'shopper',
      chatId: '111',
      event: { type: 'choice', id: 'p:SOFA-001' },
      callbackQueryId: 'cbq-10',
    });
  });

  it("turns a shared contact into a contact event, own only when its user id is the sender's", () => {
    // the «📱» button shares the sender's own contact; clients send the number without «+»
    expect(adapt(u.contactUpdate(30, ann, { phone: '77011234567' }))).toEqual({
      kind: 'shopper',
      chatId: '111',
      event: { type: 'contact', phone: '+77011234567', own: true, at },
      user: expect.anything(),
    });
    expect(adapt(u.contactUpdate(31, ann, { phone: '+77011234567' }))).toMatchObject({
      event: { type: 'contact', phone: '+77011234567', own: true },
    });
    // a card from the address book: another Telegram user's, or a number nobody on Telegram has
    expect(adapt(u.contactUpdate(32, ann, { phone: '77019998877', userId: 222 }))).toMatchObject({
      event: { type: 'contact', phone: '+77019998877', own: false },
    });
    expect(adapt(u.contactUpdate(33, ann, { phone: '+7 701 999 88 77', userId: null }))).toMatchObject({
      event: { type: 'contact', phone: '+7 701 999 88 77', own: false },
    });
    // no number, or one too long to be a phone: a contact the bot cannot use
    expect(adapt(u.contactUpdate(34, ann, { phone: '' }))).toMatchObject({
      event: { type: 'unsupported', kind: 'contact' },
    });
    expect(adapt(u.contactUpdate(35, ann, { phone: '1'.repeat(40) }))).toMatchObject({
      event: { type: 'unsupported', kind: 'contact' },
    });
  });

  it('gives stickers, documents, videos, number-less contacts and polls an unsupported event', () => {
    expect(adapt(u.stickerUpdate(11, ann))).toMatchObject({ event: { type: 'unsupported', kind: 'sticker' } });
    expect(adapt(u.documentUpdate(12, ann))).toMatchObject({
      event: { type: 'unsupported', kind: 'document', ref: 'BQACAgIAAxkBAAE' },
    });
    expect(adapt(u.videoUpdate(13, ann))).toMatchObject({ event: { type: 'unsupported', kind: 'video' } });
    expect(adapt(u.contactUpdate(14, ann, { phone: '' }))).toMatchObject({
      event: { type: 'unsupported', kind: 'contact' },
    });
    expect(adapt(u.pollUpdate(15, ann))).toMatchObject({ event: { type: 'unsupported', kind: 'poll' } });
  });

  it('ignores edits, channel posts, membership changes and unknown update types', () => {
    expect(adapt(u.editedMessageUpdate(16, ann, 'fixed typo'))).toMatchObject({ kind: 'ignored' });
    expect(adapt(u.channelPostUpdate(17))).toMatchObject({ kind: 'ignored' });
    expect(adapt(u.myChatMemberUpdate(18, ann))).toMatchObject({ kind: 'ignored' });
    expect(adapt({ update_id: 19, business_message: { foo: 1 } })).toMatchObject({ kind: 'ignored' });
    expect(adapt({ update_id: 20, message: { nonsense: true } })).toMatchObject({ kind: 'ignored' });
  });

  it('turns a manager reply to a notification into a manager action, /resolve into resolution', () => {
    const boss = u.shopper(900, 'Дина', { last_name: 'К.' });
    const notice = {
      messageId: 55,
      text: `🆘 ...\n${formatTag('esc-1', { channel: 'telegram', chatId: '111' })}`,
      botId: 7_000_000_001,
    };
    expect(adapt(u.groupTextUpdate(21, boss, -100500, 'Здравствуйте! Есть в синем.', notice))).toEqual({
      kind: 'manager',
      action: 'replied',
      escalationId: 'esc-1',
      shopperChatId: '111',
      text: 'Здравствуйте! Есть в синем.',
      managerName: 'Дина К.',
      managerId: 900,
      managersChatId: '-100500',
      managerMessageId: 21,
    });
    expect(adapt(u.groupTextUpdate(22, boss, -100500, '/resolve', notice))).toMatchObject({
      kind: 'manager',
      action: 'resolved',
      escalationId: 'esc-1',
    });
    // WhatsApp shoppers' escalations come back with their channel
    const wa = { ...notice, text: formatTag('esc-2', { channel: 'whatsapp', chatId: '77010000000' }) };
    expect(adapt(u.groupTextUpdate(23, boss, -100500, 'ok', wa))).toMatchObject({
      shopperChatId: 'whatsapp:77010000000',
    });
  });

  it('ignores managers-chat chatter, replies to other people, and other groups', () => {
    const boss = u.shopper(900, 'Дина');
    expect(adapt(u.groupTextUpdate(24, boss, -100500, 'кофе?'))).toMatchObject({ kind: 'ignored' });
    expect(
      adapt(
        u.groupTextUpdate(25, boss, -100500, 'да', {
          messageId: 1,
          text: formatTag('e', { channel: 'telegram', chatId: '1' }),
          botId: 42,
        }),
      ),
    ).toMatchObject({ kind: 'ignored' });
    expect(adapt(u.groupTextUpdate(26, boss, -100999, 'привет'))).toMatchObject({
      kind: 'ignored',
      reason: 'message in a supergroup chat',
    });
  });
});
