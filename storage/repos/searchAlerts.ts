import { sql, type RawBuilder } from 'kysely';
import type { Product, SearchCriteria } from '../../engine/catalog.ts';
import type { PriceAlertRow, ProductRow } from '../db/types.ts';
import { parseQuery } from '../search/query.ts';
import { resolveScopes } from '../search/scope.ts';
import type { Db } from './common.ts';
import { toProduct } from './products.ts';

/**
 * Which products a search alert is about: those a shopper's search for its criteria would be
 * about — every word of `criteria.query` in the product's name, synonyms or description (or an
 * SKU named in it), and every filter (category, colour, material, price window), in stock, within
 * the alert's target price. What the alert remembers (`alert_products`) decides whether a match is
 * news: new to it, cheaper than remembered, or back in stock.
 */
export const SEARCH_ALERTS_PER_SWEEP = 1000;
/** a search alert tells at most this many products at once; the next sweep tells the rest */
const HITS_PER_ALERT = 50;
/** products a new search alert remembers as already there */
const SEED_LIMIT = 2000;

export type SearchAlertHit = {
  product: Product;
  oldPrice: number;
  newPrice: number;
  reason: 'cheaper' | 'new' | 'back';
};

async function matchSql(
  db: Db,
  alert: Pick<PriceAlertRow, 'city_id' | 'criteria' | 'target_price'>,
): Promise<RawBuilder<unknown>> {
  const c = (alert.criteria ?? {}) as SearchCriteria;
  const parts: RawBuilder<unknown>[] = [sql`p.city_id = ${alert.city_id}::uuid`, sql`p.is_available`];
  // the category as the search reads it: its subtree (by its words when the city files nothing
  // there), and «детские кровати» as the audience's goods of that kind
  const category = c.audience ?? c.category;
  if (category) {
    const kind = c.audience && c.category !== c.audience ? c.category : undefined;
    const scopes = await resolveScopes(db, alert.city_id, category, [], undefined, kind);
    parts.push((await scopes.byWords())?.browse ?? scopes.subtree.browse);
  }
  if (c.color) parts.push(sql`p.color = ${c.color}`);
  if (c.material) parts.push(sql`p.material = ${c.material}`);
  if (typeof c.priceMin === 'number') parts.push(sql`p.price >= ${c.priceMin}`);
  if (typeof c.priceMax === 'number') parts.push(sql`p.price <= ${c.priceMax}`);
  if (alert.target_price !== null) parts.push(sql`p.price <= ${alert.target_price}`);
  const { tokens, skus, codes } = parseQuery(c.query);
  // tokens are letters and digits only (parseQuery), so `token:*` is safe tsquery text; both configurations, as the search does
  const words = tokens.map(
    (t) =>
      sql`((p.title_tsv || p.desc_tsv) @@ (to_tsquery('russian'::regconfig, ${`${t}:*`}) || to_tsquery('simple'::regconfig, ${`${t}:*`})))`,
  );
  // as in the search: a code widens what the words match; alone, only an SKU's shape restricts
  // (a number no product is coded as, «150000», says nothing)
  const sku = codes.length > 0 && (words.length > 0 || skus.length > 0) ? sql`p.sku_key IN (${sql.join(codes)})` : null;
  if (words.length > 0 && sku) parts.push(sql`(${sku} OR (${sql.join(words, sql` AND `)}))`);
  else if (sku) parts.push(sku);
  else if (words.length > 0) parts.push(...words);
  return sql.join(parts, sql` AND `);
}

/** at creation: what already matches is not news to the alert */
export async function seedSearchAlert(db: Db, alert: PriceAlertRow): Promise<void> {
  await sql`INSERT INTO alert_products (alert_id, product_id, price, available)
    SELECT ${alert.id}::uuid, p.id, p.price, true FROM products p WHERE ${await matchSql(db, alert)} LIMIT ${SEED_LIMIT}
    ON CONFLICT DO NOTHING`.execute(db);
}

type Row = Pick<
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
> & { seen_price: string | null; seen_available: boolean | null };

/** the products this alert should tell now (optionally: only this one product) */
export async function searchAlertHits(
  db: Db,
  alert: PriceAlertRow,
  opts: { productId?: string; limit?: number } = {},
): Promise<SearchAlertHit[]> {
  const only = opts.productId ? sql`AND p.id = ${opts.productId}::uuid` : sql``;
  const limit = Math.max(1, Math.min(opts.limit ?? HITS_PER_ALERT, HITS_PER_ALERT));
  const { rows } = await sql<Row>`
    SELECT p.id, p.sku, p.name, p.description, p.price, p.currency, p.category, p.color, p.material, p.image_url, p.is_available,
           m.price AS seen_price, m.available AS seen_available
      FROM products p LEFT JOIN alert_products m ON m.alert_id = ${alert.id}::uuid AND m.product_id = p.id
     WHERE ${await matchSql(db, alert)} ${only}
       AND (m.product_id IS NULL OR NOT m.available OR p.price < m.price)
     ORDER BY p.price, p.sku LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({
    product: toProduct(r),
    oldPrice: r.seen_price === null ? Number(r.price) : Number(r.seen_price),
    newPrice: Number(r.price),
    reason: r.seen_price === null ? 'new' : r.seen_available === false ? 'back' : 'cheaper',
  }));
}
