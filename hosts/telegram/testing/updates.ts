/**
 * Update JSON in the shapes of the official Bot API docs (https://core.telegram.org/bots/api#update),
 * for tests, the benchmark and the Telegram transcript target. Each builder takes the update_id
 * explicitly: it is the idempotency key.
 */

export type Person = { id: number; first_name: string; last_name?: string; username?: string; language_code?: string };

const DATE = 1_764_150_000;

export const shopper = (id: number, first_name = 'Айгерим', extra: Partial<Person> = {}): Person => ({
  id,
  first_name,
  language_code: 'ru',
  ...extra,
});

const privateChat = (p: Person) => ({
  id: p.id,
  type: 'private',
  first_name: p.first_name,
  ...(p.username ? { username: p.username } : {}),
});
const userOf = (p: Person) => ({ is_bot: false, ...p });

type MessageOpts = { messageId?: number; chat?: object; replyTo?: object };

function message(updateId: number, from: Person, body: object, o: MessageOpts = {}) {
  return {
    update_id: updateId,
    message: {
      message_id: o.messageId ?? updateId,
      from: userOf(from),
      chat: o.chat ?? privateChat(from),
      date: DATE + updateId,
      ...(o.replyTo ? { reply_to_message: o.replyTo } : {}),
      ...body,
    },
  };
}

export const textUpdate = (updateId: number, from: Person, text: string, o: MessageOpts = {}) =>
  message(updateId, from, { text }, o);

/** `/start`, `/lang en`, `/start@zeta_bot` — with the bot_command entity clients send */
export function commandUpdate(updateId: number, from: Person, text: string, o: MessageOpts = {}) {
  const length = text.split(/\s/, 1)[0]!.length;
  return message(updateId, from, { text, entities: [{ offset: 0, length, type: 'bot_command' }] }, o);
}

/** a photo arrives as several sizes, smallest first */
export function photoUpdate(updateId: number, from: Person, fileId: string, caption?: string) {
  return message(updateId, from, {
    photo: [
      { file_id: `${fileId}-thumb`, file_unique_id: `${fileId}-tu`, file_size: 1_200, width: 90, height: 67 },
      { file_id: `${fileId}-mid`, file_unique_id: `${fileId}-mu`, file_size: 14_000, width: 320, height: 240 },
      { file_id: fileId, file_unique_id: `${fileId}-u`, file_size: 80_000, width: 1280, height: 960 },
    ],
    ...(caption ? { caption } : {}),
  });
}

export const voiceUpdate = (updateId: number, from: Person, fileId: string, duration = 3) =>
  message(updateId, from, {
    voice: { file_id: fileId, file_unique_id: `${fileId}-u`, duration, mime_type: 'audio/ogg', file_size: 9_000 },
  });

export const audioUpdate = (updateId: number, from: Person, fileId: string) =>
  message(updateId, from, {
    audio: {
      file_id: fileId,
      file_unique_id: `${fileId}-u`,
      duration: 12,
      mime_type: 'audio/mpeg',
      file_size: 190_000,
    },
  });

export const locationUpdate = (updateId: number, from: Person, latitude: number, longitude: number) =>
  message(updateId, from, { location: { latitude, longitude } });

export const stickerUpdate = (updateId: number, from: Person) =>
  message(updateId, from, {
    sticker: {
      file_id: 'CAACAgIAAxkBAAE',
      file_unique_id: 'AgADsticker',
      type: 'regular',
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji: '😀',
    },
  });

export const documentUpdate = (updateId: number, from: Person) =>
  message(updateId, from, {
    document: {
      file_id: 'BQACAgIAAxkBAAE',
      file_unique_id: 'AgADdoc',
      file_name: 'price.pdf',
      mime_type: 'application/pdf',
      file_size: 52_000,
    },
  });

/** a photo sent "as a file": Telegram delivers it as a document with an image MIME type */
export const imageDocumentUpdate = (
  updateId: number,
  from: Person,
  fileId: string,
  fileSize: number,
  caption?: string,
) =>
  message(updateId, from, {
    document: {
      file_id: fileId,
      file_unique_id: `u-${fileId}`,
      file_name: 'IMG_0042.JPG',
      mime_type: 'image/jpeg',
      file_size: fileSize,
    },
    ...(caption ? { caption } : {}),
  });

/**
 * A shared contact: by default the sender's own, as the «📱» button shares it (clients send the number
 * without «+»); `userId` names whose it is (`null`: nobody on Telegram), `phone: ''` makes a card without a number.
 */
export const contactUpdate = (
  updateId: number,
  from: Person,
  o: { phone?: string; userId?: number | null; firstName?: string } = {},
) =>
  message(updateId, from, {
    contact: {
      phone_number: o.phone ?? '77010000000',
      first_name: o.firstName ?? from.first_name,
      ...(o.userId === null ? {} : { user_id: o.userId ?? from.id }),
    },
  });

export const pollUpdate = (updateId: number, from: Person) =>
  message(updateId, from, {
    poll: {
      id: '1',
      question: '?',
      options: [
        { text: 'a', voter_count: 0 },
        { text: 'b', voter_count: 0 },
      ],
      total_voter_count: 0,
      is_closed: false,
      is_anonymous: true,
      type: 'regular',
      allows_multiple_answers: false,
    },
  });

export const videoUpdate = (updateId: number, from: Person) =>
  message(updateId, from, {
    video: { file_id: 'BAACAgIAAxkBAAE', file_unique_id: 'AgADvid', width: 640, height: 360, duration: 5 },
  });

export function editedMessageUpdate(updateId: number, from: Person, text: string) {
  return {
    update_id: updateId,
    edited_message: {
      message_id: updateId - 1,
      from: userOf(from),
      chat: privateChat(from),
      date: DATE,
      edit_date: DATE + updateId,
      text,
    },
  };
}

/** a button tap on a message the bot sent */
export function callbackUpdate(
  updateId: number,
  from: Person,
  data: string,
  o: { messageId?: number; chatId?: number } = {},
) {
  return {
    update_id: updateId,
    callback_query: {
      id: `cbq-${updateId}`,
      from: userOf(from),
      chat_instance: '-4012345678901234567',
      data,
      message: {
        message_id: o.messageId ?? 1,
        from: { id: 7_000_000_001, is_bot: true, first_name: 'ZETA', username: 'zeta_bot' },
        chat: o.chatId !== undefined ? { id: o.chatId, type: 'private' } : privateChat(from),
        date: DATE,
        text: 'Выберите:',
      },
    },
  };
}

export function channelPostUpdate(updateId: number) {
  return {
    update_id: updateId,
    channel_post: {
      message_id: 1,
      chat: { id: -1001234567890, type: 'channel', title: 'News' },
      date: DATE,
      text: 'post',
    },
  };
}

export function myChatMemberUpdate(updateId: number, from: Person) {
  return {
    update_id: updateId,
    my_chat_member: {
      chat: privateChat(from),
      from: userOf(from),
      date: DATE,
      old_chat_member: { user: { id: 7_000_000_001, is_bot: true, first_name: 'ZETA' }, status: 'member' },
      new_chat_member: {
        user: { id: 7_000_000_001, is_bot: true, first_name: 'ZETA' },
        status: 'kicked',
        until_date: 0,
      },
    },
  };
}

/** a message in a group chat (the managers' chat), optionally replying to one of the bot's messages */
export function groupTextUpdate(
  updateId: number,
  from: Person,
  chatId: number,
  text: string,
  replyTo?: { messageId: number; text: string; botId: number; botUsername?: string },
) {
  const chat = { id: chatId, type: 'supergroup', title: 'Managers' };
  const isCommand = text.startsWith('/');
  return message(
    updateId,
    from,
    {
      text,
      ...(isCommand ? { entities: [{ offset: 0, length: text.split(/\s/, 1)[0]!.length, type: 'bot_command' }] } : {}),
    },
    {
      chat,
      ...(replyTo
        ? {
            replyTo: {
              message_id: replyTo.messageId,
              from: {
                id: replyTo.botId,
                is_bot: true,
                first_name: 'ZETA',
                username: replyTo.botUsername ?? 'zeta_bot',
              },
              chat,
              date: DATE,
              text: replyTo.text,
            },
          }
        : {}),
    },
  );
}
