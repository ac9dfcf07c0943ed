import * as v from 'valibot';

/**
 * The WhatsApp Business Account webhook envelope (Meta's "messages" webhook reference):
 * object / entry[] / changes[] / value {metadata, contacts, messages, statuses, errors}.
 * Loose objects: Meta adds fields over time, and unknown message types must still reach the
 * adapter (they get a friendly "unsupported" reply).
 */

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(512));
const Timestamp = v.pipe(v.string(), v.regex(/^\d{1,12}$/));

const Media = v.looseObject({
  id: Id,
  mime_type: v.optional(v.string()),
  sha256: v.optional(v.string()),
  caption: v.optional(v.string()),
  voice: v.optional(v.boolean()),
});

export const InboundMessageSchema = v.looseObject({
  from: Id,
  id: Id,
  timestamp: Timestamp,
  type: v.pipe(v.string(), v.maxLength(64)),
  text: v.optional(v.looseObject({ body: v.string() })),
  image: v.optional(Media),
  audio: v.optional(Media),
  voice: v.optional(Media),
  video: v.optional(Media),
  document: v.optional(Media),
  sticker: v.optional(Media),
  location: v.optional(
    v.looseObject({
      latitude: v.number(),
      longitude: v.number(),
      name: v.optional(v.string()),
      address: v.optional(v.string()),
    }),
  ),
  interactive: v.optional(
    v.looseObject({
      type: v.string(),
      button_reply: v.optional(v.looseObject({ id: Id, title: v.optional(v.string()) })),
      list_reply: v.optional(
        v.looseObject({ id: Id, title: v.optional(v.string()), description: v.optional(v.string()) }),
      ),
    }),
  ),
  /** contact cards the shopper shared; `wa_id` is set when the number is on WhatsApp */
  contacts: v.optional(
    v.array(
      v.looseObject({
        phones: v.optional(v.array(v.looseObject({ phone: v.optional(v.string()), wa_id: v.optional(v.string()) }))),
      }),
    ),
  ),
  /** a quick-reply button of a template message */
  button: v.optional(v.looseObject({ payload: v.optional(v.string()), text: v.optional(v.string()) })),
  reaction: v.optional(v.looseObject({ message_id: v.optional(v.string()), emoji: v.optional(v.string()) })),
  context: v.optional(v.looseObject({ from: v.optional(v.string()), id: v.optional(v.string()) })),
});
export type InboundMessage = v.InferOutput<typeof InboundMessageSchema>;

const ErrorItem = v.looseObject({
  code: v.number(),
  title: v.optional(v.string()),
  message: v.optional(v.string()),
  error_data: v.optional(v.looseObject({ details: v.optional(v.string()) })),
});

export const StatusSchema = v.looseObject({
  id: Id,
  /** sent, delivered, read, failed, played… (a new value must not make Meta redeliver for days) */
  status: v.pipe(v.string(), v.maxLength(32)),
  timestamp: Timestamp,
  recipient_id: v.optional(Id),
  biz_opaque_callback_data: v.optional(v.string()),
  errors: v.optional(v.array(ErrorItem)),
  conversation: v.optional(v.looseObject({ id: v.optional(v.string()) })),
  pricing: v.optional(v.looseObject({ category: v.optional(v.string()), billable: v.optional(v.boolean()) })),
});
export type Status = v.InferOutput<typeof StatusSchema>;

export const ValueSchema = v.looseObject({
  messaging_product: v.optional(v.string()),
  metadata: v.looseObject({ display_phone_number: v.string(), phone_number_id: Id }),
  contacts: v.optional(
    v.array(
      v.looseObject({ wa_id: v.optional(Id), profile: v.optional(v.looseObject({ name: v.optional(v.string()) })) }),
    ),
  ),
  messages: v.optional(v.array(InboundMessageSchema)),
  statuses: v.optional(v.array(StatusSchema)),
  errors: v.optional(v.array(ErrorItem)),
});
export type ChangeValue = v.InferOutput<typeof ValueSchema>;

export const EnvelopeSchema = v.looseObject({
  object: v.string(),
  entry: v.array(
    v.looseObject({
      id: v.string(),
      changes: v.array(v.looseObject({ field: v.string(), value: ValueSchema })),
    }),
  ),
});
export type Envelope = v.InferOutput<typeof EnvelopeSchema>;
