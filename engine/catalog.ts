import * as v from 'valibot';
import { MAX_SKU_LENGTH, SKU_TEXT_PATTERN } from './skuKey.ts';
import { SlugSchema } from './taxonomy.ts';

/**
 * The catalog as the engine sees it. Every product name, price, SKU and availability a shopper
 * sees is rendered from these rows — never from model text.
 */

export const LANGS = ['ru', 'kk', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const LangSchema = v.picklist(LANGS);

export const CHANNELS = ['telegram', 'whatsapp', 'web'] as const;
export type Channel = (typeof CHANNELS)[number];
export const ChannelSchema = v.picklist(CHANNELS);

/**
 * Categories, colours and materials are the retailer's taxonomy (engine/taxonomy.ts): criteria and
 * intents carry their slugs, whatever the retailer named them. The three lists below are the demo
 * catalog's slugs only, typing the demo data; search's built-in words still read them until search
 * reads the taxonomy. The understanding reads the taxonomy's words.
 */
export const CATEGORIES = [
  'sofa',
  'armchair',
  'bed',
  'chair',
  'table',
  'desk',
  'wardrobe',
  'dresser',
  'shelf',
  'nightstand',
  'kitchen',
  'mattress',
  'pouf',
  'tv_stand',
  'hallway',
  'kids',
] as const;
/** a slug of the demo catalog (typed demo data); criteria carry any taxonomy slug */
export type Category = (typeof CATEGORIES)[number];
export const CategorySchema = SlugSchema;
/**
 * Categories that say whom a product is for, not what it is: «а детские есть?» after beds keeps the
 * beds and adds the audience; next to one alone an unknown word is the thing sought, never dropped.
 */
export const AUDIENCE_CATEGORIES: ReadonlySet<string> = new Set<Category>(['kids']);

export const COLORS = [
  'red',
  'blue',
  'lightblue',
  'green',
  'yellow',
  'orange',
  'pink',
  'purple',
  'brown',
  'beige',
  'white',
  'black',
  'grey',
  'navy',
  'turquoise',
  'burgundy',
  'cream',
  'walnut',
  'oak',
] as const;
export type Color = (typeof COLORS)[number];
export const ColorSchema = SlugSchema;

export const MATERIALS = [
  'leather',
  'eco_leather',
  'fabric',
  'velour',
  'velvet',
  'wood',
  'oak',
  'pine',
  'chipboard',
  'mdf',
  'metal',
  'glass',
  'rattan',
  'plastic',
  'marble',
  'linen',
  'boucle',
] as const;
export type Material = (typeof MATERIALS)[number];
export const MaterialSchema = SlugSchema;

/** the house style of demo SKUs (`SOFA-001`, `BED-0042`, `KZ-TBL-7`); OCR of unlabelled tags still looks for it */
export const SKU_PATTERN = /^[A-Z0-9]{2,12}(?:-[A-Z0-9]{1,12}){1,3}$/;
/**
 * A code named in a message (`УД-0042`, `000123456`, `КГ 17/3`); lookups compare `skuKey` folds.
 * It must hold a digit, as the text reader requires, so a model answering «диван» is refused.
 */
export const SkuSchema = v.pipe(
  v.string(),
  v.maxLength(MAX_SKU_LENGTH),
  v.regex(SKU_TEXT_PATTERN, 'SKU may hold only letters, digits, spaces, "/", "." and "-"'),
  v.regex(/\d/, 'SKU must hold a digit'),
);

const Money = v.pipe(v.number(), v.finite(), v.minValue(0));

export const ProductSchema = v.object({
  id: v.string(),
  sku: v.string(),
  name: v.string(),
  description: v.optional(v.string()),
  price: Money,
  currency: v.string(),
  category: v.optional(v.string()),
  color: v.optional(v.string()),
  material: v.optional(v.string()),
  imageUrl: v.optional(v.string()),
  available: v.boolean(),
  /** the price before the last drop, present only while it is above `price` («было 250 000 ₸») */
  oldPrice: v.optional(Money),
  /** every picture in order (the first is `imageUrl`) */
  images: v.optional(v.array(v.string())),
  /** units in stock in the city when the shop tracks stock; 0 means not available */
  stockQuantity: v.optional(Money),
});
/** A product row as the engine receives it from `search` / `lookupSku`. */
export type Product = v.InferOutput<typeof ProductSchema>;

export const SearchCriteriaSchema = v.object({
  /** free words left after the structured slots were taken out, for full-text search */
  query: v.optional(v.pipe(v.string(), v.maxLength(200))),
  category: v.optional(CategorySchema),
  color: v.optional(ColorSchema),
  material: v.optional(MaterialSchema),
  priceMin: v.optional(Money),
  priceMax: v.optional(Money),
  /** whom the product is for, beside `category` (what it is): beds + kids are children's beds */
  audience: v.optional(CategorySchema),
  /** the shopper asked to see goods out of stock too («включая отсутствующие», «под заказ») */
  includeUnavailable: v.optional(v.literal(true)),
});
export type SearchCriteria = v.InferOutput<typeof SearchCriteriaSchema>;

/** «250 000 ₸» — thousands grouped with a space, as shoppers in Kazakhstan write prices. */
export function formatPrice(amount: number, currency = 'KZT'): string {
  const whole = Math.round(amount);
  const grouped = String(Math.abs(whole)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const sign = whole < 0 ? '-' : '';
  const symbol = currency === 'KZT' ? '₸' : currency;
  return `${sign}${grouped} ${symbol}`;
}
