import * as v from 'valibot';

/**
 * Channel-neutral replies: what to show (text, products, choices, an image), never how a platform
 * draws it. This is also the wire form of `POST /api/chat/:city`.
 * Channel renderers turn them into Telegram or WhatsApp messages within each platform's limits.
 */

export const OptionSchema = v.object({
  /** compact, ≤ 64 bytes (Telegram callback_data): `p:~1x2y3z` (a product handle, never the raw SKU), `more`, `menu:search` */
  id: v.pipe(v.string(), v.minLength(1), v.maxBytes(64)),
  label: v.pipe(v.string(), v.minLength(1)),
  /**
   * `contact`: the button asks the channel for the shopper's own phone number (Telegram's
   * request_contact keyboard; on WhatsApp a reply button with the sender's number). The answer
   * comes back as a `contact` event, not as a choice.
   */
  request: v.optional(v.picklist(['contact'])),
});
export type Option = v.InferOutput<typeof OptionSchema>;

export const ProductItemSchema = v.object({
  id: v.string(),
  sku: v.string(),
  name: v.string(),
  price: v.number(),
  currency: v.string(),
  imageUrl: v.optional(v.string()),
  available: v.boolean(),
  /** the price before the last drop, for «было …» (only while above `price`) */
  oldPrice: v.optional(v.number()),
  /** every picture in order, for a gallery; `imageUrl` is the first */
  images: v.optional(v.array(v.string())),
  /** units in stock when the shop tracks stock (0: «нет в наличии») */
  stockQuantity: v.optional(v.number()),
  /** set on a detail view: the catalog description */
  description: v.optional(v.string()),
  /** buttons that belong to this card (details, alert, manager) */
  options: v.optional(v.array(OptionSchema)),
});
export type ProductItem = v.InferOutput<typeof ProductItemSchema>;

export const ReplySchema = v.variant('type', [
  v.object({ type: v.literal('text'), text: v.string() }),
  v.object({
    type: v.literal('products'),
    items: v.array(ProductItemSchema),
    /** `detail`: one product shown in full; `list` (default): a page of results */
    view: v.optional(v.picklist(['list', 'detail'])),
  }),
  v.object({ type: v.literal('choices'), text: v.optional(v.string()), options: v.array(OptionSchema) }),
  v.object({ type: v.literal('image'), url: v.string(), caption: v.optional(v.string()) }),
]);
export type Reply = v.InferOutput<typeof ReplySchema>;
export type TextReply = Extract<Reply, { type: 'text' }>;
export type ProductsReply = Extract<Reply, { type: 'products' }>;
export type ChoicesReply = Extract<Reply, { type: 'choices' }>;
export type ImageReply = Extract<Reply, { type: 'image' }>;
