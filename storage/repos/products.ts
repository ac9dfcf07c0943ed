import { sql } from 'kysely';
import type { Product } from '../../engine/catalog.ts';
import { skuKey } from '../../engine/skuKey.ts';
import type { Dimensions, ProductAttributes, ProductRow } from '../db/types.ts';
import { loadTaxonomy } from '../taxonomy/load.ts';
import { TermIndex } from '../taxonomy/terms.ts';
import { clampPage, inTransaction, json, type Db, type Page, type Paged } from './common.ts';
import { forgetAvailability, triggeredBy, type TriggeredAlert } from './alerts.ts';

/** A catalog row with the admin-side fields the engine's `Product` leaves out. */
export type ProductDetails = Product & {
  cityId: string;
  dimensions?: Dimensions;
  /** attributes other than colour and material */
  attributes?: ProductAttributes;
  createdAt: string;
  updatedAt: string;
};

export type ProductInput = {
  sku: string;
  name: string;
  description?: string;
  price: number;
  currency?: string;
  category?: string | null;
  color?: string | null;
  material?: string | null;
  dimensions?: Dimensions | null;
  imageUrl?: string | null;
  available?: boolean;
  /** the words the product's terms are found by; computed from the built-in lists when absent */
  keywords?: string;
  /** attributes other than colour and material (key → value slug, number or text); absent: left as stored */
  attributes?: ProductAttributes;
};

/** the placeholder image the host renders from the product itself (no network, no files) */
export const placeholderImageUrl = (sku: string): string => `/media/placeholder/${encodeURIComponent(sku)}.svg`;

export function toProduct(
  r: Pick<
    ProductRow,
    | 'id'
    | 'sku'
    | 'name'
    | 'description'
    | 'price'
    | 'currency'
    | 'category'
    | 'color'
    | 'material'
    | 'image_url'
    | 'is_available'
  > &
    Partial<Pick<ProductRow, 'stock_quantity' | 'old_price' | 'images'>>,
): Product {
  const stock = r.stock_quantity === null || r.stock_quantity === undefined ? undefined : Number(r.stock_quantity);
  const oldPrice = r.old_price === null || r.old_price === undefined ? undefined : Number(r.old_price);
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    ...(r.description ? { description: r.description } : {}),
    price: Number(r.price),
    currency: r.currency,
    ...(r.category ? { category: r.category } : {}),
    ...(r.color ? { color: r.color } : {}),
    ...(r.material ? { material: r.material } : {}),
    imageUrl: r.image_url ?? placeholderImageUrl(r.sku),
    // zero stock is «нет в наличии» whatever the flag says
    available: r.is_available && stock !== 0,
    ...(oldPrice !== undefined && oldPrice > Number(r.price) ? { oldPrice } : {}),
    ...(r.images && r.images.length > 0 ? { images: r.images } : {}),
    ...(stock !== undefined ? { stockQuantity: stock } : {}),
  };
}

export function toProductDetails(r: ProductRow): ProductDetails {
  return {
    ...toProduct(r),
    cityId: r.city_id,
    ...(r.dimensions ? { dimensions: r.dimensions } : {}),
    ...(r.attributes && Object.keys(r.attributes).length > 0 ? { attributes: r.attributes } : {}),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** columns callers read (never the generated search columns) */
export const PRODUCT_COLUMNS = [
  'id',
  'city_id',
  'sku',
  'name',
  'description',
  'price',
  'currency',
  'category',
  'color',
  'material',
  'dimensions',
  'image_url',
  'is_available',
  'stock_quantity',
  'old_price',
  'images',
  'created_at',
  'updated_at',
] as const;
/** what the admin side reads of a product: the columns above and its attributes */
const DETAIL_COLUMNS = [...PRODUCT_COLUMNS, 'attributes'] as const;

export type ProductFilter = {
  cityId?: string;
  category?: string;
  color?: string;
  material?: string;
  availableOnly?: boolean;
  priceMin?: number;
  priceMax?: number;
  /** substring of name or SKU, for the admin table (the shopper-facing search is searchProducts) */
  text?: string;
  sort?: 'name' | 'price' | 'updated' | 'sku';
};

export async function listProducts(
  db: Db,
  filter: ProductFilter = {},
  page?: Partial<Page>,
): Promise<Paged<ProductDetails>> {
  const { limit, offset } = clampPage(page, 500);
  let q = db.selectFrom('products');
  if (filter.cityId) q = q.where('city_id', '=', filter.cityId);
  // a category is its subtree: «Диваны» lists the «Угловые диваны» filed under it too
  if (filter.category)
    q = q.where(
      sql<boolean>`category IN (WITH RECURSIVE tree(slug) AS (
        SELECT ${filter.category}::text UNION SELECT c.slug FROM categories c JOIN tree ON c.parent_slug = tree.slug
      ) SELECT slug FROM tree)`,
    );
  if (filter.color) q = q.where('color', '=', filter.color);
  if (filter.material) q = q.where('material', '=', filter.material);
  if (filter.availableOnly)
    q = q
      .where('is_available', '=', true)
      .where((eb) => eb.or([eb('stock_quantity', 'is', null), eb('stock_quantity', '>', '0')]));
  if (filter.priceMin !== undefined) q = q.where('price', '>=', String(filter.priceMin));
  if (filter.priceMax !== undefined) q = q.where('price', '<=', String(filter.priceMax));
  if (filter.text) {
    const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('sku', 'ilike', like)]));
  }
  const order = filter.sort ?? 'sku';
  const [rows, count] = await Promise.all([
    q
      .select(DETAIL_COLUMNS)
      .orderBy(
        order === 'price' ? 'price' : order === 'name' ? 'name' : order === 'updated' ? 'updated_at' : 'sku',
        order === 'updated' ? 'desc' : 'asc',
      )
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toProductDetails(r as ProductRow)), total: Number(count.n) };
}

export async function getProduct(db: Db, id: string): Promise<ProductDetails | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.selectFrom('products').select(DETAIL_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && toProductDetails(row as ProductRow);
}

/** SKU lookup by folded key: «sofa-001», «ст-1/a» (Latin a) and «КГ17/3» find their products */
export async function getProductBySku(db: Db, cityId: string, sku: string): Promise<ProductDetails | undefined> {
  const key = skuKey(sku);
  if (key === '') return undefined;
  const row = await db
    .selectFrom('products')
    .select(DETAIL_COLUMNS)
    .where('city_id', '=', cityId)
    .where('sku_key', '=', key)
    .executeTakeFirst();
  if (row) return toProductDetails(row as ProductRow);
  // «артикул 123456» for 1C's «000123456»: shoppers drop the leading zeros of a digits-only code
  const digits = /^\d+$/.test(key) ? key.replace(/^0+/, '') : '';
  if (digits === '') return undefined;
  const zeros = Array.from({ length: Math.max(0, 20 - digits.length) }, (_, n) => '0'.repeat(n + 1) + digits);
  if (zeros.length === 0) return undefined;
  const padded = await db
    .selectFrom('products')
    .select(DETAIL_COLUMNS)
    .where('city_id', '=', cityId)
    .where('sku_key', 'in', zeros)
    .limit(2)
    .execute();
  // «0042» and «00042» both in one city: the shopper's «42» names neither for sure
  return padded.length === 1 ? toProductDetails(padded[0] as ProductRow) : undefined;
}

export function productValues(cityId: string, p: ProductInput) {
  return {
    city_id: cityId,
    sku: p.sku,
    sku_key: skuKey(p.sku),
    name: p.name,
    description: p.description ?? '',
    price: p.price,
    currency: p.currency ?? 'KZT',
    category: p.category ?? null,
    color: p.color ?? null,
    material: p.material ?? null,
    dimensions: p.dimensions ? json(p.dimensions) : null,
    image_url: p.imageUrl ?? null,
    is_available: p.available ?? true,
    search_keywords: p.keywords ?? '',
    ...(p.attributes ? { attributes: json(p.attributes) } : {}),
  };
}

/**
 * The words products are found by for their category, colour and material: the names and synonyms
 * the taxonomy has for them (the taxonomy is the one list of words). Products given keywords keep them.
 */
export async function withKeywords(db: Db, products: ProductInput[]): Promise<ProductInput[]> {
  if (products.every((p) => p.keywords !== undefined)) return products;
  const terms = new TermIndex(await loadTaxonomy(db));
  return products.map((p) =>
    p.keywords !== undefined
      ? p
      : { ...p, keywords: terms.keywords({ category: p.category, color: p.color, material: p.material }) },
  );
}

export async function createProduct(db: Db, cityId: string, input: ProductInput): Promise<ProductDetails> {
  const row = await db
    .insertInto('products')
    .values(productValues(cityId, (await withKeywords(db, [input]))[0]!))
    .returning(DETAIL_COLUMNS)
    .executeTakeFirstOrThrow();
  return toProductDetails(row as ProductRow);
}

export type ProductUpdate = { before: ProductDetails; after: ProductDetails; triggeredAlerts: TriggeredAlert[] };

/**
 * Updates a product. When the price went down, the price alerts whose condition now holds are
 * returned at once so the caller can queue notifications (the periodic sweep catches the rest).
 */
export async function updateProduct(
  db: Db,
  id: string,
  patch: Partial<ProductInput>,
): Promise<ProductUpdate | undefined> {
  if (!isUuid(id)) return undefined;
  return inTransaction(db, async (tx) => {
    const current = await tx
      .selectFrom('products')
      .select(DETAIL_COLUMNS)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) return undefined;
    const before = toProductDetails(current as ProductRow);
    const merged: ProductInput = {
      sku: patch.sku ?? before.sku,
      name: patch.name ?? before.name,
      description: patch.description ?? before.description ?? '',
      price: patch.price ?? before.price,
      currency: patch.currency ?? before.currency,
      category: patch.category !== undefined ? patch.category : (before.category ?? null),
      color: patch.color !== undefined ? patch.color : (before.color ?? null),
      material: patch.material !== undefined ? patch.material : (before.material ?? null),
      dimensions: patch.dimensions !== undefined ? patch.dimensions : (before.dimensions ?? null),
      imageUrl: patch.imageUrl !== undefined ? patch.imageUrl : (current as ProductRow).image_url,
      available: patch.available ?? before.available,
      ...(patch.attributes ? { attributes: patch.attributes } : {}),
      ...(patch.keywords !== undefined ? { keywords: patch.keywords } : {}),
    };
    // the keywords follow the terms as the taxonomy names them now (an admin edit keeps the retailer's synonyms)
    const { city_id: _city, ...values } = productValues(before.cityId, (await withKeywords(tx, [merged]))[0]!);
    const row = await tx
      .updateTable('products')
      .set({ ...values, updated_at: new Date() })
      .where('id', '=', id)
      .returning(DETAIL_COLUMNS)
      .executeTakeFirstOrThrow();
    const after = toProductDetails(row as ProductRow);
    const priceDropped = after.price < before.price;
    const becameAvailable = after.available && !before.available;
    if (before.available && !after.available) await forgetAvailability(tx, id);
    const triggeredAlerts = priceDropped || becameAvailable ? await triggeredBy(tx, id, after.price) : [];
    return { before, after, triggeredAlerts };
  });
}

export async function deleteProduct(db: Db, id: string): Promise<ProductDetails | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.deleteFrom('products').where('id', '=', id).returning(DETAIL_COLUMNS).executeTakeFirst();
  return row && toProductDetails(row as ProductRow);
}

export async function countProducts(db: Db, cityId?: string): Promise<number> {
  let q = db.selectFrom('products').select((eb) => eb.fn.countAll<string | number>().as('n'));
  if (cityId) q = q.where('city_id', '=', cityId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ids come from URLs and callback data: a malformed one is "not found", not a 500 */
export const isUuid = (value: string): boolean => UUID.test(value);
