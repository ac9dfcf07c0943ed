import * as v from 'valibot';

/**
 * The part of Telegram's Update we read, validated at the boundary. Loose objects: Telegram adds
 * fields all the time and an unknown field must never make us reject an update.
 */

const Id = v.pipe(v.number(), v.safeInteger());

const UserSchema = v.looseObject({
  id: Id,
  is_bot: v.optional(v.boolean()),
  first_name: v.optional(v.string()),
  last_name: v.optional(v.string()),
  username: v.optional(v.string()),
  /** IETF tag of the user's Telegram interface language: `ru`, `kk`, `en-GB`, … */
  language_code: v.optional(v.string()),
});

const ChatSchema = v.looseObject({ id: Id, type: v.string() });

const EntitySchema = v.looseObject({ type: v.string(), offset: v.number(), length: v.number() });

const PhotoSizeSchema = v.looseObject({
  file_id: v.string(),
  width: v.optional(v.number()),
  height: v.optional(v.number()),
  file_size: v.optional(v.number()),
});

const FileSchema = v.looseObject({
  file_id: v.string(),
  duration: v.optional(v.number()),
  file_size: v.optional(v.number()),
});

const DocumentSchema = v.looseObject({
  file_id: v.string(),
  file_name: v.optional(v.string()),
  mime_type: v.optional(v.string()),
  file_size: v.optional(v.number()),
});

const BaseMessage = {
  message_id: Id,
  from: v.optional(UserSchema),
  chat: ChatSchema,
  date: v.optional(v.number()),
  text: v.optional(v.string()),
  caption: v.optional(v.string()),
  entities: v.optional(v.array(EntitySchema)),
  photo: v.optional(v.array(PhotoSizeSchema)),
  voice: v.optional(FileSchema),
  audio: v.optional(FileSchema),
  document: v.optional(DocumentSchema),
  location: v.optional(v.looseObject({ latitude: v.number(), longitude: v.number() })),
  /** a shared contact; `user_id` is the Telegram user the number belongs to, when Telegram knows one */
  contact: v.optional(v.looseObject({ phone_number: v.optional(v.string()), user_id: v.optional(Id) })),
};

export const RepliedMessageSchema = v.looseObject(BaseMessage);
export const MessageSchema = v.looseObject({ ...BaseMessage, reply_to_message: v.optional(RepliedMessageSchema) });

export const CallbackQuerySchema = v.looseObject({
  id: v.string(),
  from: UserSchema,
  data: v.optional(v.string()),
  message: v.optional(v.looseObject({ message_id: Id, chat: ChatSchema })),
});

/** Only the envelope is required; the parts are validated one by one so an odd part is ignored, not rejected. */
export const UpdateEnvelopeSchema = v.looseObject({ update_id: v.pipe(Id, v.minValue(0)) });

export type TgUser = v.InferOutput<typeof UserSchema>;
export type TgMessage = v.InferOutput<typeof MessageSchema>;
export type TgCallbackQuery = v.InferOutput<typeof CallbackQuerySchema>;
export type TgUpdateEnvelope = v.InferOutput<typeof UpdateEnvelopeSchema>;
