import * as v from 'valibot';
import { CategorySchema, ColorSchema, LangSchema, MaterialSchema, SkuSchema } from './catalog.ts';

/**
 * What a shopper's message means. Both brains — the local rules brain and OpenAI function
 * calling — return exactly this shape, so the machines never know which one answered.
 * The search/product/alert/escalation intents mirror the OpenAI tool names.
 */

const Price = v.pipe(v.number(), v.finite(), v.minValue(0));

export const SearchArgsSchema = v.object({
  query: v.optional(v.pipe(v.string(), v.maxLength(200))),
  category: v.optional(CategorySchema),
  color: v.optional(ColorSchema),
  material: v.optional(MaterialSchema),
  price_min: v.optional(Price),
  price_max: v.optional(Price),
  /** also goods out of stock («даже если нет в наличии», «под заказ»); by default they are not offered */
  include_unavailable: v.optional(v.boolean()),
});
export type SearchArgs = v.InferOutput<typeof SearchArgsSchema>;

export const IntentSchema = v.variant('name', [
  v.object({
    name: v.literal('search_products'),
    args: SearchArgsSchema,
    /** `refine`: keep the earlier criteria and overlay these («а синий есть?», «до 100к»). */
    mode: v.picklist(['new', 'refine']),
    /** «подешевле» / «подороже»: move the price window relative to what was shown. */
    adjust: v.optional(v.picklist(['cheaper', 'pricier'])),
  }),
  v.object({ name: v.literal('get_product'), args: v.object({ sku: SkuSchema }) }),
  v.object({
    name: v.literal('create_price_alert'),
    /** no sku: the product in context */
    args: v.object({ sku: v.optional(SkuSchema), target_price: v.optional(Price) }),
  }),
  v.object({ name: v.literal('cancel_price_alert'), args: v.object({ sku: v.optional(SkuSchema) }) }),
  v.object({
    name: v.literal('escalate_to_manager'),
    args: v.object({ reason: v.pipe(v.string(), v.maxLength(500)) }),
  }),
  v.object({ name: v.literal('more') }),
  v.object({ name: v.literal('greeting') }),
  v.object({ name: v.literal('menu') }),
  v.object({ name: v.literal('help') }),
  v.object({ name: v.literal('thanks') }),
  v.object({ name: v.literal('bye') }),
  v.object({ name: v.literal('smalltalk') }),
  v.object({ name: v.literal('set_language'), args: v.object({ lang: LangSchema }) }),
  v.object({ name: v.literal('forget_preferences') }),
  v.object({ name: v.literal('unknown') }),
  /**
   * «беру этот», «добавь в корзину SOFA-001», «2 штуки»: no sku means the product on screen. The
   * quantity is passed as said (0, -1, 10 000 included) so the engine can answer what is wrong with it.
   */
  v.object({
    name: v.literal('add_to_cart'),
    args: v.object({
      sku: v.optional(SkuSchema),
      quantity: v.optional(v.pipe(v.number(), v.finite())),
      /** «беру ещё два»: the quantity is added to the product's line, not put in its place */
      more: v.optional(v.literal(true)),
    }),
  }),
  v.object({ name: v.literal('view_cart') }),
  v.object({ name: v.literal('clear_cart') }),
  /** «оформить заказ», «хочу оплатить» */
  v.object({ name: v.literal('checkout') }),
  /** «где мой заказ», «статус заказа № 12» */
  v.object({
    name: v.literal('order_status'),
    args: v.object({ number: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1e9))) }),
  }),
  /** a designer intent (scenario `intents:`), by its name; the scenario says which flow it starts */
  v.object({ name: v.literal('designer'), args: v.object({ intent: v.pipe(v.string(), v.maxLength(64)) }) }),
]);
export type Intent = v.InferOutput<typeof IntentSchema>;
export type IntentName = Intent['name'];

export const UnderstandingSchema = v.object({
  intent: IntentSchema,
  /** language the shopper wrote in, when it could be told */
  lang: v.optional(LangSchema),
  /** angry wording is an escalation trigger */
  sentiment: v.optional(v.picklist(['neutral', 'angry'])),
  /** a search whose only criterion is a bare number: looked up as an article code first, the price reading when none */
  skuOrPrice: v.optional(v.pipe(v.string(), v.maxLength(40))),
  source: v.picklist(['rules', 'openai', 'replay']),
});
export type Understanding = v.InferOutput<typeof UnderstandingSchema>;
