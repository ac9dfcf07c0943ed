import { sql } from 'kysely';
import { skuKey } from '../../../engine/skuKey.ts';
import { json, type Db } from '../../repos/common.ts';
import { variantSku } from './sku.ts';
import { priceOf, quantityOf, type PriceChoice } from './prices.ts';
import { stagedRows, type Scope, type Staged } from './staged.ts';
import { cityStock, warehouseQuantities, type WarehouseQuantity } from './stock.ts';
import type { Warnings } from './warnings.ts';

/**
 * Offers (`ПакетПредложений/Предложения/Предложение`) set prices and stock, at the city's price
 * type (prices.ts). An offer «good#characteristic» is a
 * variant: a product of its own, made from its good the first time it comes. A price drop keeps
 * the previous price as `old_price` («было …») and is returned so price alerts fire; quantities per
 * warehouse replace what the product had, and their sum over the city's warehouses (else
 * `Количество`) is the stock shoppers see.
 */
export type OffersContext = { cityId: string; priceType: PriceChoice; warnings: Warnings };
export type OffersCounts = { priced: number; stocked: number; variants: number; unknown: number };
/** products whose price fell or that became available: price alerts are checked for them */
export type Changed = { drops: string[] };

const MAX_DROPS = 5000;
/** offers read from staging per statement (stagedRows' batch) */
const OFFERS_BATCH = 1000;

export async function applyOffers(tx: Db, scope: Scope, ctx: OffersContext, changed: Changed): Promise<OffersCounts> {
  const counts: OffersCounts = { priced: 0, stocked: 0, variants: 0, unknown: 0 };
  const priceType = ctx.priceType;
  const statistics = new StockStatistics(tx);
  for await (const batch of stagedRows(tx, scope, 'offer', OFFERS_BATCH)) {
    await statistics.before(batch.length);
    const merged = new Map<string, Staged<'offer'>>();
    for (const offer of batch) merged.set(offer.id, { ...merged.get(offer.id), ...offer });
    const offers = [...merged.values()];
    const products = await productsOf(tx, ctx, offers, counts);
    const updates = [];
    const stock: { id: string; warehouse: string; quantity: number }[] = [];
    for (const offer of offers) {
      const id = products.get(offer.id);
      if (!id) continue;
      const price = priceOf(offer, priceType, ctx.warnings);
      const quantity = quantityOf(offer);
      const warehouses = warehouseQuantities(offer);
      if (price !== undefined) counts.priced++;
      if (quantity !== undefined) counts.stocked++;
      updates.push({ id, price: price ?? null, qty: quantity ?? null, stock: warehouses });
      for (const s of warehouses ?? []) stock.push({ id, ...s });
    }
    for (const id of await updatePrices(tx, ctx.cityId, updates))
      if (changed.drops.length < MAX_DROPS) changed.drops.push(id);
    statistics.written(await replaceStock(tx, stock));
  }
  return counts;
}

/**
 * A first exchange writes a row per product and warehouse into `product_stock` inside one
 * transaction, unseen by autovacuum: with the statistics of a near-empty table the planner read all
 * of it for every batch of offers (quadratic: 13–17 s of a 100,000-good apply). They are refreshed
 * before a package of more than one batch and again each time the rows written double.
 */
class StockStatistics {
  #checked = false;
  #written = 0;
  #analyzedAt = 0;

  constructor(private readonly tx: Db) {}

  async before(batchSize: number): Promise<void> {
    if (!this.#checked && batchSize >= OFFERS_BATCH) await this.#analyze();
    this.#checked = true;
    if (this.#written >= OFFERS_BATCH && this.#written >= this.#analyzedAt * 2) await this.#analyze();
  }

  written(rows: number): void {
    this.#written += rows;
  }

  async #analyze(): Promise<void> {
    await sql`ANALYZE product_stock`.execute(this.tx);
    this.#analyzedAt = this.#written;
  }
}

/** the product of each offer, creating variants from their goods */
async function productsOf(tx: Db, ctx: OffersContext, offers: Staged<'offer'>[], counts: OffersCounts) {
  const exts = offers.map((o) => o.id);
  const bases = [...new Set(exts.filter((e) => e.includes('#')).map((e) => e.split('#')[0]!))];
  // one array parameter, not thousands: planning a long IN list costs more than the lookup
  const { rows } = await sql<{ id: string; external_id: string; sku: string; name: string }>`
    SELECT id, external_id, sku, name FROM products
     WHERE city_id = ${ctx.cityId}::uuid AND external_id = ANY(${[...exts, ...bases]}::text[])`.execute(tx);
  const byExt = new Map(rows.map((r) => [r.external_id!, r]));
  const fresh = [];
  const keys = new Set<string>();
  for (const offer of offers) {
    if (byExt.has(offer.id)) continue;
    const [good, characteristic] = offer.id.split('#') as [string, string | undefined];
    const base = characteristic ? byExt.get(good) : undefined;
    if (!base) {
      counts.unknown++;
      ctx.warnings.once(`offer:${good}`, `the offer ${offer.id} names a good this city does not have; skipped`);
      continue;
    }
    const sku = variantSku(base.sku, offer.article, characteristic!);
    if (keys.has(skuKey(sku))) continue;
    keys.add(skuKey(sku));
    const label = offer.characteristics.map((c) => c.value).join(', ');
    const name = offer.name ?? (label ? `${base.name} (${label})` : base.name);
    fresh.push({ ext: offer.id, base: base.id, sku, sku_key: skuKey(sku), name: name.slice(0, 300) });
  }
  if (fresh.length > 0) {
    const { rows: created } = await sql<{ id: string; external_id: string }>`
      INSERT INTO products (city_id, external_id, sku, sku_key, name, description, price, currency, category, color,
                            material, attributes, images, image_url, is_available, search_keywords)
      SELECT b.city_id, v.ext, v.sku, v.sku_key, v.name, b.description, 0, b.currency, b.category, b.color,
             b.material, b.attributes, b.images, b.image_url, false, b.search_keywords
        FROM jsonb_to_recordset(${json(fresh)}::jsonb) AS v(ext text, base uuid, sku text, sku_key text, name text)
        JOIN products b ON b.id = v.base
       WHERE NOT EXISTS (SELECT 1 FROM products o WHERE o.city_id = b.city_id AND o.sku_key = v.sku_key)
      ON CONFLICT DO NOTHING
      RETURNING id, external_id`.execute(tx);
    counts.variants += created.length;
    for (const r of created) byExt.set(r.external_id, { id: r.id, external_id: r.external_id, sku: '', name: '' });
    if (created.length < fresh.length)
      ctx.warnings.add(`${fresh.length - created.length} variant(s) were skipped: their codes are taken`);
  }
  return new Map(offers.flatMap((o) => (byExt.has(o.id) ? [[o.id, byExt.get(o.id)!.id] as const] : [])));
}

type PriceUpdate = { id: string; price: number | null; qty: number | null; stock: WarehouseQuantity[] | null };

/** new prices and the stock shoppers see; returns the products whose price fell or that became available */
async function updatePrices(tx: Db, cityId: string, updates: PriceUpdate[]) {
  if (updates.length === 0) return [];
  const { rows } = await sql<{ id: string }>`
    WITH u AS (SELECT * FROM jsonb_to_recordset(${json(updates)}::jsonb) AS u(id uuid, price numeric, qty numeric, stock jsonb)),
    v AS (SELECT u.id, u.price, ${cityStock(cityId, sql`u.stock`, sql`u.qty`)} AS qty FROM u),
    -- only the rows that change are locked: a lock is a write, and most offers of a repeated
    -- exchange (and every offer of a first one, its products inserted priced) change nothing
    before AS (
      SELECT p.id, p.price, p.is_available FROM products p JOIN v ON v.id = p.id
       WHERE (v.price IS NOT NULL AND v.price IS DISTINCT FROM p.price)
          OR (v.qty IS NOT NULL AND v.qty IS DISTINCT FROM p.stock_quantity)
         FOR UPDATE OF p)
    UPDATE products p SET
      price = coalesce(v.price, p.price),
      old_price = CASE
        WHEN v.price IS NULL OR v.price = p.price THEN p.old_price
        WHEN v.price < p.price AND p.price > 0 THEN p.price
        WHEN p.old_price > v.price THEN p.old_price
        ELSE NULL END,
      stock_quantity = coalesce(v.qty, p.stock_quantity),
      is_available = CASE
        WHEN v.price IS NULL THEN p.is_available
        WHEN v.price <= 0 THEN false
        WHEN p.price = 0 THEN true
        ELSE p.is_available END,
      updated_at = now()
    FROM v JOIN before ON before.id = v.id
    WHERE p.id = v.id
      AND ((v.price IS NOT NULL AND v.price IS DISTINCT FROM p.price)
        OR (v.qty IS NOT NULL AND v.qty IS DISTINCT FROM p.stock_quantity))
    RETURNING p.id, p.price AS new_price, before.price AS old_price, before.is_available AS was_available, p.is_available`.execute(
    tx,
  );
  return (
    rows as unknown as {
      id: string;
      new_price: string;
      old_price: string;
      was_available: boolean;
      is_available: boolean;
    }[]
  )
    .filter(
      (r) => (Number(r.new_price) < Number(r.old_price) && r.is_available) || (!r.was_available && r.is_available),
    )
    .map((r) => r.id);
}

/** each product's quantities per warehouse as the offers state them: changed ones written, unlisted ones dropped */
async function replaceStock(tx: Db, stock: { id: string; warehouse: string; quantity: number }[]): Promise<number> {
  if (stock.length === 0) return 0;
  const merged = new Map<string, (typeof stock)[number]>();
  for (const s of stock) {
    const key = `${s.id}|${s.warehouse}`;
    merged.set(key, { ...s, quantity: (merged.get(key)?.quantity ?? 0) + s.quantity });
  }
  const written = await sql`
    WITH v AS (SELECT * FROM jsonb_to_recordset(${json([...merged.values()])}::jsonb) AS v(id uuid, warehouse text, quantity numeric)),
    gone AS (
      DELETE FROM product_stock s
       WHERE s.product_id IN (SELECT id FROM v)
         AND NOT EXISTS (SELECT 1 FROM v WHERE v.id = s.product_id AND v.warehouse = s.warehouse))
    INSERT INTO product_stock (product_id, warehouse, quantity)
    SELECT id, warehouse, quantity FROM v
     -- a quantity that did not change is not offered to ON CONFLICT, which would lock its row
     WHERE NOT EXISTS (SELECT 1 FROM product_stock s
                        WHERE s.product_id = v.id AND s.warehouse = v.warehouse AND s.quantity = v.quantity)
    ON CONFLICT (product_id, warehouse) DO UPDATE SET quantity = excluded.quantity, updated_at = now()
      WHERE product_stock.quantity IS DISTINCT FROM excluded.quantity`.execute(tx);
  return Number(written.numAffectedRows ?? 0);
}
