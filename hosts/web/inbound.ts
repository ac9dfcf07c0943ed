import * as v from 'valibot';
import type { ShopperEvent } from '../../engine/events.ts';
import { commandEvent, parseCommand } from '../channel/commands.ts';
import { isUploadRef, MAX_IMAGE_BYTES } from './uploads.ts';

/**
 * A web chat request → one engine event; the conversation key is the city in the path and the
 * request's `userId`, the idempotency key its `messageId` (routes.ts).
 */

/** base64 of the largest image, plus room for the `data:image/…;base64,` prefix */
export const MAX_DATA_URL_LENGTH = Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 100;

export const UserId = v.pipe(
  v.string('userId is required'),
  v.trim(),
  v.minLength(1, 'userId is required'),
  v.maxLength(128, 'userId is at most 128 characters'),
);

export const ChatRequestSchema = v.pipe(
  v.object({
    userId: UserId,
    messageId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
    text: v.optional(v.pipe(v.string(), v.maxLength(10_000))),
    choice: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(256))),
    /** a data URL (`data:image/png;base64,…`) or the `ref` of an earlier upload */
    image: v.optional(
      v.pipe(
        v.string(),
        v.check(
          (s) => s.startsWith('data:') || isUploadRef(s),
          'image must be a data:image/… URL or an upload reference (upl_…)',
        ),
        v.maxLength(MAX_DATA_URL_LENGTH, 'image is larger than 10 MB'),
      ),
    ),
    /**
     * A phone number the shopper shares (a phone question's `request: 'contact'` button). Only
     * `phone` is read: an `own` the client sends is dropped (see toShopperEvent).
     */
    contact: v.optional(v.object({ phone: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(32)) })),
    /** the shopper's language as the site knows it (the browser's): it decides only a new conversation's language */
    lang: v.optional(v.picklist(['ru', 'kk', 'en'], 'lang must be one of ru, kk, en')),
  }),
  v.check(
    (r) => r.text !== undefined || r.choice !== undefined || r.image !== undefined || r.contact !== undefined,
    'one of text, choice, image or contact is required',
  ),
);
export type ChatRequest = v.InferOutput<typeof ChatRequestSchema>;

/** `imageRef`: the stored upload the request's image became */
export function toShopperEvent(request: ChatRequest, at: string, imageRef?: string): ShopperEvent {
  if (request.choice !== undefined) return { type: 'choice', id: request.choice, at };
  // A web page cannot vouch for a number: no messenger account stands behind the userId, and the
  // client can write anything into the request. So a shared number is never the shopper's own,
  // and a flow that trusts only an own contact asks to type it and confirms it instead.
  if (request.contact !== undefined) return { type: 'contact', phone: request.contact.phone, own: false, at };
  if (imageRef !== undefined)
    return { type: 'image', ref: imageRef, ...(request.text ? { caption: request.text } : {}), at };
  const text = request.text ?? '';
  const command = parseCommand(text);
  return command ? commandEvent(command, at) : { type: 'text', text, at };
}
