import { sql } from 'kysely';
import type { Product, SearchCriteria } from '../../engine/catalog.ts';
import type { PriceAlertRow } from '../db/types.ts';
import { inTransaction, json, toNumber, type Db } from './common.ts';
import { toProduct } from './products.ts';
import { searchAlertHits, seedSearchAlert, SEARCH_ALERTS_PER_SWEEP } from './searchAlerts.ts';

/**
 * Price alerts. A product alert fires when the price falls below the last price the shopper was
 * told about (at creation, or at the last notification) and, if set, to the target or below;
 * `alert_notifications` is unique per (alert, product, new price) and a later notification needs a
 * strictly lower price. A search alert matches the search's words and filters (searchAlerts.ts)
 * and remembers every product it has seen (`alert_products`): it fires only for a product new to
 * it, cheaper than it told, or back in stock — a re-import of unchanged products says nothing.
 */
export type PriceAlert = {
  id: string;
  cityId: string;
  channel: string;
  chatId: string;
  conversationKey: string;
  productId?: string;
  criteria?: SearchCriteria;
  targetPrice?: number;
  priceAtCreation?: number;
  lastNotifiedPrice?: number;
  status: 'active' | 'cancelled';
  createdAt: string;
};

/** why an alert fires: cheaper than the shopper was told, new to a search alert, or back in stock */
export type AlertHitReason = 'cheaper' | 'new' | 'back';
export type TriggeredAlert = {
  alert: PriceAlert;
  product: Product;
  oldPrice: number;
  newPrice: number;
  reason: AlertHitReason;
};

export const toAlert = (r: PriceAlertRow): PriceAlert => ({
  id: r.id,
  cityId: r.city_id,
  channel: r.channel,
  chatId: r.chat_id,
  conversationKey: r.conversation_key,
  ...(r.product_id ? { productId: r.product_id } : {}),
  ...(r.criteria ? { criteria: r.criteria as SearchCriteria } : {}),
  ...(r.target_price !== null ? { targetPrice: Number(r.target_price) } : {}),
  ...(r.price_at_creation !== null ? { priceAtCreation: Number(r.price_at_creation) } : {}),
  ...(r.last_notified_price !== null ? { lastNotifiedPrice: Number(r.last_notified_price) } : {}),
  status: r.status,
  createdAt: r.created_at.toISOString(),
});

export type NewAlert = {
  cityId: string;
  channel: string;
  chatId: string;
  conversationKey: string;
  targetPrice?: number;
} & ({ productId: string; criteria?: undefined } | { productId?: undefined; criteria: SearchCriteria });

/** Idempotent per (conversation, product) and per (conversation, criteria): a repeat returns the active alert (target updated). */
export async function createAlert(db: Db, input: NewAlert): Promise<{ alert: PriceAlert; created: boolean }> {
  if (input.productId) {
    const product = await db
      .selectFrom('products')
      .select(['price', 'city_id'])
      .where('id', '=', input.productId)
      .executeTakeFirst();
    if (!product) throw new Error(`createAlert: product ${input.productId} not found`);
    const existing = await db
      .selectFrom('price_alerts')
      .selectAll()
      .where('conversation_key', '=', input.conversationKey)
      .where('product_id', '=', input.productId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (existing) {
      if (input.targetPrice === undefined || toNumber(existing.target_price) === input.targetPrice)
        return { alert: toAlert(existing), created: false };
      const row = await db
        .updateTable('price_alerts')
        .set({ target_price: input.targetPrice, updated_at: new Date() })
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { alert: toAlert(row), created: false };
    }
    const row = await db
      .insertInto('price_alerts')
      .values({
        city_id: product.city_id,
        channel: input.channel,
        chat_id: input.chatId,
        conversation_key: input.conversationKey,
        product_id: input.productId,
        target_price: input.targetPrice ?? null,
        price_at_creation: product.price,
      })
      .onConflict((oc) =>
        oc
          .columns(['conversation_key', 'product_id'])
          .where('status', '=', 'active')
          .where('product_id', 'is not', null)
          .doUpdateSet({ updated_at: new Date() }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return { alert: toAlert(row), created: true };
  }
  const criteria = json(input.criteria);
  const existing = await db
    .selectFrom('price_alerts')
    .selectAll()
    .where('conversation_key', '=', input.conversationKey)
    .where('product_id', 'is', null)
    .where('status', '=', 'active')
    .where(sql<boolean>`criteria = ${criteria}::jsonb`)
    .executeTakeFirst();
  if (existing) return { alert: toAlert(existing), created: false };
  return inTransaction(db, async (tx) => {
    const row = await tx
      .insertInto('price_alerts')
      .values({
        city_id: input.cityId,
        channel: input.channel,
        chat_id: input.chatId,
        conversation_key: input.conversationKey,
        criteria,
        target_price: input.targetPrice ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // what matches already is not news to this alert
    await seedSearchAlert(tx, row);
    return { alert: toAlert(row), created: true };
  });
}

export async function cancelAlert(db: Db, id: string, conversationKey?: string): Promise<boolean> {
  let q = db
    .updateTable('price_alerts')
    .set({ status: 'cancelled', updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'active');
  if (conversationKey) q = q.where('conversation_key', '=', conversationKey);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function cancelAlertsForConversation(db: Db, conversationKey: string): Promise<number> {
  const result = await db
    .updateTable('price_alerts')
    .set({ status: 'cancelled', updated_at: new Date() })
    .where('conversation_key', '=', conversationKey)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listAlerts(
  db: Db,
  filter: { conversationKey?: string; cityId?: string; status?: 'active' | 'cancelled' } = {},
): Promise<PriceAlert[]> {
  let q = db.selectFrom('price_alerts').selectAll().orderBy('created_at', 'desc').limit(500);
  if (filter.conversationKey) q = q.where('conversation_key', '=', filter.conversationKey);
  if (filter.cityId) q = q.where('city_id', '=', filter.cityId);
  if (filter.status) q = q.where('status', '=', filter.status);
  return (await q.execute()).map(toAlert);
}

type Candidate = PriceAlertRow & {
  p_id: string;
  p_sku: string;
  p_name: string;
  p_description: string;
  p_price: string;
  p_currency: string;
  p_category: string | null;
  p_color: string | null;
  p_material: string | null;
  p_image_url: string | null;
  p_is_available: boolean;
  old_price: string;
};

const PRODUCT_SELECT = sql`a.*, p.id AS p_id, p.sku AS p_sku, p.name AS p_name, p.description AS p_description,
  p.price AS p_price, p.currency AS p_currency, p.category AS p_category, p.color AS p_color, p.material AS p_material,
  p.image_url AS p_image_url, p.is_available AS p_is_available`;

const PRODUCT_ALERT_HOLDS = sql`a.status = 'active' AND a.product_id = p.id AND p.is_available
  AND p.price < coalesce(a.last_notified_price, a.price_at_creation)
  AND (a.target_price IS NULL OR p.price <= a.target_price)
  AND NOT EXISTS (SELECT 1 FROM alert_notifications n WHERE n.alert_id = a.id AND n.product_id = p.id AND n.new_price <= p.price)`;

function toTriggered(rows: Candidate[]): TriggeredAlert[] {
  return rows.map((r) => ({
    alert: toAlert(r),
    product: toProduct({
      id: r.p_id,
      sku: r.p_sku,
      name: r.p_name,
      description: r.p_description,
      price: r.p_price,
      currency: r.p_currency,
      category: r.p_category,
      color: r.p_color,
      material: r.p_material,
      image_url: r.p_image_url,
      is_available: r.p_is_available,
    }),
    oldPrice: Number(r.old_price),
    newPrice: Number(r.p_price),
    reason: 'cheaper' as const,
  }));
}

/**
 * Alerts whose condition holds for this product at its current price (call after a price drop or
 * a restock; `newPrice` must be the stored price). Nothing is recorded — see `recordNotification`.
 */
export async function triggeredBy(db: Db, productId: string, newPrice: number): Promise<TriggeredAlert[]> {
  const { rows } = await sql<Candidate>`
    SELECT ${PRODUCT_SELECT}, coalesce(a.last_notified_price, a.price_at_creation) AS old_price
      FROM price_alerts a JOIN products p ON p.id = ${productId}::uuid
     WHERE p.price = ${newPrice} AND ${PRODUCT_ALERT_HOLDS}`.execute(db);
  const searches = await db
    .selectFrom('price_alerts as a')
    .innerJoin('products as p', 'p.city_id', 'a.city_id')
    .selectAll('a')
    .where('p.id', '=', productId)
    .where('a.status', '=', 'active')
    .where('a.product_id', 'is', null)
    .orderBy('a.created_at')
    .limit(SEARCH_ALERTS_PER_SWEEP)
    .execute();
  const hits: TriggeredAlert[] = [];
  for (const alert of searches)
    hits.push(...(await searchAlertHits(db, alert, { productId })).map((h) => ({ alert: toAlert(alert), ...h })));
  return [...toTriggered(rows), ...hits];
}

/** Every alert whose condition holds now — the periodic sweep that also catches catalog imports. */
export async function sweepAlerts(db: Db, limit = 1000): Promise<TriggeredAlert[]> {
  const { rows } = await sql<Candidate>`
    SELECT ${PRODUCT_SELECT}, coalesce(a.last_notified_price, a.price_at_creation) AS old_price
      FROM price_alerts a JOIN products p ON p.id = a.product_id
     WHERE ${PRODUCT_ALERT_HOLDS}
     ORDER BY a.created_at, p.price LIMIT ${limit}`.execute(db);
  const hits = toTriggered(rows);
  // a remembered product that went out of stock: its return is news again
  await sql`UPDATE alert_products m SET available = false FROM products p
             WHERE m.product_id = p.id AND m.available AND NOT p.is_available`.execute(db);
  const searches = await db
    .selectFrom('price_alerts')
    .selectAll()
    .where('status', '=', 'active')
    .where('product_id', 'is', null)
    .orderBy('created_at')
    .limit(SEARCH_ALERTS_PER_SWEEP)
    .execute();
  for (const alert of searches) {
    if (hits.length >= limit) break;
    hits.push(
      ...(await searchAlertHits(db, alert, { limit: limit - hits.length })).map((h) => ({
        alert: toAlert(alert),
        ...h,
      })),
    );
  }
  return hits;
}

/** a product that went out of stock: every search alert that remembers it will tell its return */
export async function forgetAvailability(db: Db, productId: string): Promise<void> {
  await db
    .updateTable('alert_products')
    .set({ available: false })
    .where('product_id', '=', productId)
    .where('available', '=', true)
    .execute();
}

/**
 * Records a notification that went out. Product alerts move their reference price down; search
 * alerts remember the product at this price, in stock. True the first time for this (alert,
 * product, price) — a product back in stock at a price already told is remembered all the same.
 */
export async function recordNotification(
  db: Db,
  n: { alertId: string; productId: string; oldPrice: number; newPrice: number },
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const inserted = await tx
      .insertInto('alert_notifications')
      .values({
        alert_id: n.alertId,
        product_id: n.productId,
        old_price: n.oldPrice,
        new_price: n.newPrice,
      })
      .onConflict((oc) => oc.constraint('alert_notifications_once_per_drop').doNothing())
      .returning('id')
      .executeTakeFirst();
    await sql`INSERT INTO alert_products (alert_id, product_id, price, available, notified_at)
      SELECT a.id, ${n.productId}::uuid, ${n.newPrice}, true, now() FROM price_alerts a WHERE a.id = ${n.alertId}::uuid AND a.product_id IS NULL
      ON CONFLICT (alert_id, product_id) DO UPDATE SET price = excluded.price, available = true, notified_at = excluded.notified_at`.execute(
      tx,
    );
    if (!inserted) return false;
    await tx
      .updateTable('price_alerts')
      .set({ last_notified_price: n.newPrice, updated_at: new Date() })
      .where('id', '=', n.alertId)
      .where('product_id', 'is not', null)
      .execute();
    return true;
  });
}
