import { sql } from 'kysely';
import { skuKey } from '../../../engine/skuKey.ts';
import { json, type Db } from '../../repos/common.ts';
import { createTerms, type TermIndex } from '../../taxonomy/index.ts';
import type { AttributeReader } from './attributes.ts';
import { priceOf, quantityOf, type PriceChoice } from './prices.ts';
import { skuFromArticle, skuFromId } from './sku.ts';
import { stagedGoods, type Scope, type Staged } from './staged.ts';
import { cityStock, warehouseQuantities, type WarehouseQuantity } from './stock.ts';
import type { Warnings } from './warnings.ts';

/**
 * Goods (`Каталог/Товары/Товар`) become products of the city, keyed on their 1C Ид. A product that
 * came from a spreadsheet with the same SKU and no Ид is taken over rather than duplicated; two
 * goods whose codes read the same (letters, case and separators aside) cannot both have them, so
 * the later one is known by its Ид and the report says so. A good marked for deletion
 * (`ПометкаУдаления`, `Статус="Удален"`) stays, unavailable; a new good waits unavailable for its
 * price.
 */
export type GoodsCounts = { created: number; updated: number; unchanged: number; deleted: number; skipped: number };
export type GoodsContext = {
  cityId: string;
  currency: string;
  categories: Map<string, string>;
  attributes: AttributeReader;
  terms: TermIndex;
  warnings: Warnings;
  /** the offers of the goods are in scope too: new products are inserted with their price and stock */
  pricing?: PriceChoice;
};

/**
 * A first exchange inserts tens of thousands of products inside one transaction, long before
 * autovacuum looks: with the table's statistics still those of an empty city, the planner looks
 * products up by city and filters by Ид (quadratic over the import). The statistics are refreshed
 * each time the inserted rows double.
 */
const analyzedAt = new WeakMap<Db, number>();
async function refreshStatistics(tx: Db, created: number): Promise<void> {
  const last = analyzedAt.get(tx) ?? 0;
  if (created < 1000 || created < last * 2) return;
  await sql`ANALYZE products (city_id, external_id, sku_key)`.execute(tx);
  analyzedAt.set(tx, created);
}

type Row = {
  ext: string;
  sku: string;
  sku_key: string;
  name: string;
  description: string;
  category: string | null;
  color: string | null;
  material: string | null;
  attributes: Record<string, string | number>;
  images: string[] | null;
  deleted: boolean;
  keywords: string;
  /** for a new product whose offer is in the same package */
  price?: number;
  qty?: number;
  stock?: WarehouseQuantity[] | null;
};

/** a new product whose offer is in the same package is written with its price and stock */
function priceRow(row: Row, offer: Staged<'offer'> | undefined, pricing: PriceChoice, ctx: GoodsContext): void {
  if (!offer) return;
  const price = priceOf(offer, pricing, ctx.warnings);
  const qty = quantityOf(offer);
  if (price !== undefined) row.price = price;
  if (qty !== undefined) row.qty = qty;
  row.stock = warehouseQuantities(offer);
}

export async function applyGoods(tx: Db, scope: Scope, ctx: GoodsContext): Promise<GoodsCounts> {
  const counts: GoodsCounts = { created: 0, updated: 0, unchanged: 0, deleted: 0, skipped: 0 };
  let termsCreated = 0;
  for await (const batch of stagedGoods(tx, scope, ctx.pricing !== undefined)) {
    // the same good twice in a batch: the later wins (one row cannot be upserted twice in a statement)
    const latest = new Map(batch.map((item) => [item.good.id, item]));
    const rows: Row[] = [];
    for (const { good, offer } of latest.values()) {
      const row = await toRow(good, ctx);
      if (ctx.pricing) priceRow(row, offer, ctx.pricing, ctx);
      rows.push(row);
    }
    const planned = ctx.terms.planned();
    await createTerms(tx, planned.slice(termsCreated));
    termsCreated = planned.length;
    const settled = await settleSkus(tx, ctx, rows);
    counts.skipped += rows.length - settled.length;
    const written = await upsert(tx, ctx, settled);
    counts.created += written.created;
    counts.updated += written.updated;
    counts.unchanged += settled.length - written.created - written.updated;
    counts.deleted += settled.filter((r) => r.deleted).length;
    await refreshStatistics(tx, counts.created);
  }
  return counts;
}

async function toRow(good: Staged<'good'>, ctx: GoodsContext): Promise<Row> {
  const category = good.groups.map((g) => ctx.categories.get(g)).find((s) => s !== undefined) ?? null;
  if (good.groups.length > 0 && category === null)
    ctx.warnings.once(
      `group:${good.groups[0]}`,
      `the group ${good.groups[0]} is not in a Классификатор; its goods have no category`,
    );
  const read = await ctx.attributes.read(good);
  const sku = skuFromArticle(good.article) ?? skuFromId(good.id);
  if (good.article && skuFromArticle(good.article) === undefined)
    ctx.warnings.add(
      `the Артикул «${good.article}» of «${good.name}» is not a usable code; the good is known by its Ид`,
    );
  const row = {
    ext: good.id,
    sku,
    sku_key: skuKey(sku),
    name: good.name,
    description: good.description ?? '',
    category,
    color: read.color ?? null,
    material: read.material ?? null,
    attributes: read.attributes,
    images: good.images,
    deleted: good.deleted,
  };
  return { ...row, keywords: ctx.terms.keywords(row) };
}

/** SKUs no other product of the city reads the same as; a clash falls back to the good's Ид */
async function settleSkus(tx: Db, ctx: GoodsContext, rows: Row[]): Promise<Row[]> {
  const owners = await productsHolding(
    tx,
    ctx.cityId,
    rows.map((r) => r.sku_key),
    rows.map((r) => r.ext),
  );
  const inBatch = new Map<string, { ext: string; sku: string }>();
  const fallbacks: Row[] = [];
  const settled: Row[] = [];
  for (const row of rows) {
    const held = owners.byKey.get(row.sku_key)?.find((p) => p.external_id !== row.ext);
    const batchHolder = inBatch.get(row.sku_key);
    const batchClash = batchHolder !== undefined && batchHolder.ext !== row.ext;
    if (held && held.external_id === null && !owners.byExt.has(row.ext) && !batchClash) {
      // a spreadsheet's product with this code: from now on it is this good
      await tx.updateTable('products').set({ external_id: row.ext }).where('id', '=', held.id).execute();
      held.external_id = row.ext;
    } else if (held || batchClash) {
      const other = held?.sku ?? batchHolder?.sku ?? row.sku;
      ctx.warnings.add(
        `the code ${row.sku} of «${row.name}» reads the same as ${other} of another good; it is known by its Ид ${row.ext}`,
      );
      const sku = skuFromId(row.ext);
      fallbacks.push({ ...row, sku, sku_key: skuKey(sku) });
      continue;
    }
    inBatch.set(row.sku_key, { ext: row.ext, sku: row.sku });
    settled.push(row);
  }
  if (fallbacks.length === 0) return settled;
  const again = await productsHolding(
    tx,
    ctx.cityId,
    fallbacks.map((r) => r.sku_key),
    [],
  );
  for (const row of fallbacks) {
    if (again.byKey.get(row.sku_key)?.some((p) => p.external_id !== row.ext) || inBatch.has(row.sku_key)) {
      ctx.warnings.add(`«${row.name}» (${row.ext}) was skipped: no code is free for it`);
      continue;
    }
    inBatch.set(row.sku_key, { ext: row.ext, sku: row.sku });
    settled.push(row);
  }
  return settled;
}

type Holder = { id: string; sku: string; sku_key: string; external_id: string | null };

async function productsHolding(tx: Db, cityId: string, keys: string[], exts: string[]) {
  const { rows } = await sql<Holder>`
    SELECT id, sku, sku_key, external_id FROM products
     WHERE city_id = ${cityId}::uuid AND sku_key = ANY(${keys}::text[])
    UNION
    SELECT id, sku, sku_key, external_id FROM products
     WHERE city_id = ${cityId}::uuid AND external_id = ANY(${exts}::text[])`.execute(tx);
  const byKey = new Map<string, Holder[]>();
  for (const r of rows) byKey.set(r.sku_key, [...(byKey.get(r.sku_key) ?? []), r]);
  const byExt = new Map(rows.filter((r) => r.external_id).map((r) => [r.external_id!, r]));
  return { byKey, byExt };
}

/** one statement per batch: goods that changed are updated, new ones inserted, unchanged ones left alone */
async function upsert(tx: Db, ctx: GoodsContext, rows: Row[]) {
  const { rows: counts } = await sql<{ created: string | number; updated: string | number }>`
    WITH v AS (
      SELECT * FROM jsonb_to_recordset(${json(rows)}::jsonb) AS v(ext text, sku text, sku_key text, name text,
        description text, category text, color text, material text, attributes jsonb, images jsonb, deleted boolean,
        keywords text, price numeric, qty numeric, stock jsonb)),
    updated AS (
      UPDATE products p SET
        sku = v.sku, sku_key = v.sku_key, name = v.name, description = v.description,
        category = coalesce(v.category, p.category), color = coalesce(v.color, p.color),
        material = coalesce(v.material, p.material), attributes = v.attributes,
        images = coalesce(v.images, p.images), image_url = CASE WHEN v.images IS NULL THEN p.image_url ELSE v.images->>0 END,
        -- back on sale when named again and priced; a good marked for deletion is not
        is_available = NOT v.deleted AND p.price > 0,
        search_keywords = v.keywords, updated_at = now()
      FROM v
      WHERE p.city_id = ${ctx.cityId}::uuid AND p.external_id = v.ext
        AND (p.sku, p.name, p.description, p.category, p.color, p.material, p.attributes, p.images, p.is_available,
             p.search_keywords)
            IS DISTINCT FROM
            (v.sku, v.name, v.description, coalesce(v.category, p.category), coalesce(v.color, p.color),
             coalesce(v.material, p.material), v.attributes, coalesce(v.images, p.images), NOT v.deleted AND p.price > 0,
             v.keywords)
      RETURNING 1),
    inserted AS (
      -- a new good without its offer has no price yet: it is not offered at 0 meanwhile
      INSERT INTO products (city_id, external_id, sku, sku_key, name, description, price, currency, category, color,
                            material, attributes, images, image_url, is_available, search_keywords, stock_quantity)
      SELECT ${ctx.cityId}::uuid, v.ext, v.sku, v.sku_key, v.name, v.description, coalesce(v.price, 0), ${ctx.currency},
             v.category, v.color, v.material, v.attributes, coalesce(v.images, '[]'::jsonb), v.images->>0,
             NOT v.deleted AND coalesce(v.price, 0) > 0, v.keywords, ${cityStock(ctx.cityId, sql`v.stock`, sql`v.qty`)}
        FROM v
       WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.city_id = ${ctx.cityId}::uuid AND p.external_id = v.ext)
      RETURNING 1)
    SELECT (SELECT count(*) FROM inserted) AS created, (SELECT count(*) FROM updated) AS updated`.execute(tx);
  return { created: Number(counts[0]?.created ?? 0), updated: Number(counts[0]?.updated ?? 0) };
}
