import { createHmac } from 'node:crypto';

/**
 * Webhook bodies in the shapes of Meta's "messages" webhook reference, for tests, the
 * transcript target and the benchmark.
 */

export type Business = { phoneNumberId: string; displayPhoneNumber?: string; wabaId?: string };

let wamidSeq = 0;
export const newWamid = (): string =>
  `wamid.HBgLNzcwMTIzNDU2NzgVAgASGBQz${String(++wamidSeq).padStart(10, '0')}${Math.random().toString(16).slice(2, 8).toUpperCase()}`;

const ts = (at: Date | string | undefined) => String(Math.floor(new Date(at ?? Date.now()).getTime() / 1000));

export type InboundSpec =
  | { type: 'text'; body: string }
  | { type: 'image'; mediaId: string; caption?: string; mime?: string }
  | { type: 'audio'; mediaId: string; voice?: boolean; mime?: string }
  | { type: 'button_reply'; id: string; title: string }
  | { type: 'list_reply'; id: string; title: string; description?: string }
  | { type: 'template_button'; payload: string; text: string }
  | { type: 'location'; latitude: number; longitude: number; name?: string }
  | { type: 'sticker'; mediaId: string }
  | { type: 'document'; mediaId: string; filename?: string; mime?: string; caption?: string }
  | { type: 'reaction'; messageId: string; emoji: string }
  /** a shared contact card; `wa_id` only when the number is on WhatsApp */
  | { type: 'contacts'; name: string; phones: { phone?: string; wa_id?: string; type?: string }[] }
  /** any other message type Meta may send (contacts, video, order, unsupported…) */
  | { type: 'other'; kind: string };

export type InboundOptions = {
  from: string;
  name?: string;
  id?: string;
  at?: Date | string;
  context?: { id: string; from?: string };
};

/** One `messages[]` item. */
export function message(spec: InboundSpec, o: InboundOptions): Record<string, unknown> {
  const base: Record<string, unknown> = { from: o.from, id: o.id ?? newWamid(), timestamp: ts(o.at) };
  if (o.context) base.context = { from: o.context.from ?? '77001234567', id: o.context.id };
  switch (spec.type) {
    case 'text':
      return { ...base, type: 'text', text: { body: spec.body } };
    case 'image':
      return {
        ...base,
        type: 'image',
        image: {
          ...(spec.caption ? { caption: spec.caption } : {}),
          mime_type: spec.mime ?? 'image/jpeg',
          sha256: 'c2hhMjU2',
          id: spec.mediaId,
        },
      };
    case 'audio':
      return {
        ...base,
        type: 'audio',
        audio: {
          mime_type: spec.mime ?? 'audio/ogg; codecs=opus',
          sha256: 'c2hhMjU2',
          id: spec.mediaId,
          voice: spec.voice ?? true,
        },
      };
    case 'button_reply':
      return {
        ...base,
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: spec.id, title: spec.title } },
      };
    case 'list_reply':
      return {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'list_reply',
          list_reply: {
            id: spec.id,
            title: spec.title,
            ...(spec.description ? { description: spec.description } : {}),
          },
        },
      };
    case 'template_button':
      return { ...base, type: 'button', button: { payload: spec.payload, text: spec.text } };
    case 'location':
      return {
        ...base,
        type: 'location',
        location: { latitude: spec.latitude, longitude: spec.longitude, ...(spec.name ? { name: spec.name } : {}) },
      };
    case 'sticker':
      return {
        ...base,
        type: 'sticker',
        sticker: { mime_type: 'image/webp', sha256: 'c2hhMjU2', id: spec.mediaId, animated: false },
      };
    case 'document':
      return {
        ...base,
        type: 'document',
        document: {
          filename: spec.filename ?? 'file.pdf',
          mime_type: spec.mime ?? 'application/pdf',
          ...(spec.caption ? { caption: spec.caption } : {}),
          sha256: 'c2hhMjU2',
          id: spec.mediaId,
        },
      };
    case 'reaction':
      return { ...base, type: 'reaction', reaction: { message_id: spec.messageId, emoji: spec.emoji } };
    case 'contacts':
      return {
        ...base,
        type: 'contacts',
        contacts: [
          {
            name: { formatted_name: spec.name, first_name: spec.name },
            phones: spec.phones.map((p) => ({ type: p.type ?? 'CELL', ...p })),
          },
        ],
      };
    case 'other':
      return { ...base, type: spec.kind, [spec.kind]: {} };
  }
}

export type StatusSpec = {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  recipient: string;
  at?: Date | string;
  error?: { code: number; title?: string; message?: string; details?: string };
  tag?: string;
};

export function status(s: StatusSpec): Record<string, unknown> {
  return {
    id: s.id,
    status: s.status,
    timestamp: ts(s.at),
    recipient_id: s.recipient,
    ...(s.tag ? { biz_opaque_callback_data: s.tag } : {}),
    ...(s.status === 'failed' && s.error
      ? {
          errors: [
            {
              code: s.error.code,
              title: s.error.title ?? 'Error',
              message: s.error.message ?? s.error.title ?? 'Error',
              error_data: { details: s.error.details ?? 'details' },
              href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
            },
          ],
        }
      : {
          conversation: { id: 'CONVERSATION_ID', origin: { type: 'service' } },
          pricing: { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' },
        }),
  };
}

/** A whole webhook body: one entry, one change, with messages and/or statuses. */
export function envelope(
  business: Business,
  value: {
    messages?: Record<string, unknown>[];
    statuses?: Record<string, unknown>[];
    contacts?: { waId: string; name?: string }[];
  },
): Record<string, unknown> {
  const contacts =
    value.contacts ??
    [...new Set((value.messages ?? []).map((m) => String(m.from)))].map((waId) => ({ waId, name: 'Shopper' }));
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId ?? '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: business.displayPhoneNumber ?? '77270000000',
                phone_number_id: business.phoneNumberId,
              },
              ...(value.messages
                ? {
                    contacts: contacts.map((c) => ({ profile: { name: c.name ?? 'Shopper' }, wa_id: c.waId })),
                    messages: value.messages,
                  }
                : {}),
              ...(value.statuses ? { statuses: value.statuses } : {}),
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

/** Body and headers of a signed POST, as Meta sends it. */
export function signedRequest(body: unknown, appSecret: string): { body: string; headers: Record<string, string> } {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    body: raw,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, appSecret) },
  };
}

/** `sha256=` + hex HMAC-SHA256 of the raw body with the app secret, as Meta signs webhooks. */
export function signBody(raw: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}
