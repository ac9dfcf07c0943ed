import * as v from 'valibot';
import { MAX_SKU_LENGTH, SKU_TEXT_PATTERN, normalizeSku } from '../../engine/skuKey.ts';
import type { ProductInput } from '../repos/products.ts';
import { hasEncodingDamage } from './decode.ts';

export const MAX_DESCRIPTION = 20_000;
export const MAX_NAME = 300;
const MAX_PRICE = 9_999_999_999.99;

/** One spreadsheet row (all strings, or values from a JSON object) → a product, or a reason. */
const text = (max: number, label: string) =>
  v.pipe(
    v.unknown(),
    v.transform((x) =>
      x === null || x === undefined
        ? ''
        : typeof x === 'string'
          ? x.trim()
          : typeof x === 'number' || typeof x === 'boolean'
            ? String(x)
            : x,
    ),
    v.string(`${label} must be text`),
    v.check(
      (s) => s.length <= max,
      (issue) => `${label} is too long (${(issue.input as string).length} characters, max ${max})`,
    ),
  );

const PriceSchema = v.pipe(
  v.unknown(),
  v.transform((x): unknown => {
    if (typeof x === 'number') return x;
    if (x === null || x === undefined) return '';
    if (typeof x !== 'string') return x;
    return x.replace(/[\s\u00a0\u202f₸]|тг|kzt/gi, '');
  }),
  v.check((x) => x !== '', 'price is required'),
  v.transform((x): unknown => {
    if (typeof x === 'number') return x;
    if (typeof x !== 'string') return Number.NaN;
    const normalized = /^-?\d+,\d{1,2}$/.test(x) ? x.replace(',', '.') : x;
    return /^-?\d+(\.\d+)?$/.test(normalized) ? Number(normalized) : Number.NaN;
  }),
  v.number('price must be a number'),
  v.check((n) => Number.isFinite(n), 'price must be a number'),
  v.check((n) => n >= 0, 'price must not be negative'),
  v.check((n) => n <= MAX_PRICE, 'price is too large'),
  v.transform((n) => Math.round(n * 100) / 100),
);

const AvailabilitySchema = v.pipe(
  v.unknown(),
  v.transform((x): unknown => {
    if (x === null || x === undefined || x === '') return true;
    if (typeof x === 'boolean') return x;
    if (typeof x === 'number') return x !== 0;
    if (typeof x !== 'string') return x;
    const s = x.trim().toLowerCase();
    if (['1', 'true', 'yes', 'y', 'да', 'в наличии', 'есть', 'иә', '+'].includes(s)) return true;
    if (['0', 'false', 'no', 'n', 'нет', 'нет в наличии', 'жоқ', '-'].includes(s)) return false;
    return x;
  }),
  v.boolean('is_available must be true/false, 1/0, yes/no or да/нет'),
);

const ImageUrlSchema = v.pipe(
  text(2000, 'image_url'),
  v.check(
    (s) => s === '' || /^https?:\/\/\S+$/i.test(s) || /^\/\S*$/.test(s),
    'image_url must be an http(s) URL or a path starting with /',
  ),
);

export const ImportRowSchema = v.object({
  sku: v.pipe(
    text(MAX_SKU_LENGTH, 'sku'),
    v.transform(normalizeSku),
    v.check((s) => s !== '', 'sku is required'),
    v.regex(
      SKU_TEXT_PATTERN,
      'sku may hold only letters, digits, spaces, "/", "." and "-" (like УД-0042, 000123456, КГ 17/3)',
    ),
  ),
  name: v.pipe(
    text(MAX_NAME, 'name'),
    v.check((s) => s !== '', 'name is required'),
  ),
  description: text(MAX_DESCRIPTION, 'description'),
  price: PriceSchema,
  category: text(100, 'category'),
  color: text(100, 'color'),
  material: text(100, 'material'),
  image_url: ImageUrlSchema,
  is_available: AvailabilitySchema,
});

export type RowResult = { ok: true; product: ProductInput } | { ok: false; reason: string };

export function validateRow(raw: Record<string, unknown>): RowResult {
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string' && hasEncodingDamage(value)) {
      return { ok: false, reason: `${key} is not valid UTF-8 (wrong encoding? save the file as UTF-8)` };
    }
  }
  const parsed = v.safeParse(ImportRowSchema, raw);
  if (!parsed.success) {
    const reasons = [...new Set(parsed.issues.map((i) => i.message))];
    return { ok: false, reason: reasons.join('; ') };
  }
  const r = parsed.output;
  // words as the file has them; the import reads them against the taxonomy (storage/taxonomy)
  const category = r.category || null;
  const color = r.color || null;
  const material = r.material || null;
  return {
    ok: true,
    product: {
      sku: r.sku,
      name: r.name,
      description: r.description,
      price: r.price,
      category,
      color,
      material,
      imageUrl: r.image_url || null,
      available: r.is_available,
    },
  };
}
